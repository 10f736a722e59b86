// Pipelined write transactions on PostgreSQL (db::Database::transactionPipelined, issue 30):
// writes sent without waiting cost a round trip per read instead of one per statement; a
// statement that fails dooms the whole transaction, a savepoint ended before its error was read
// included; the connection serves the next transaction as before. Skipped, with one line,
// without the test cluster that scripts/test starts.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rekap/central/database.h"
#include "store_location.h"

using namespace rekap;
using namespace rekap::test;
namespace db = rekap::central::db;

namespace {

class PipelinedTransaction : public ::testing::Test {
protected:
    void SetUp() override {
        if (location.unavailable())
            REKAP_WITHOUT_POSTGRES();
        conn = db::open(location.location());
        conn->exec("CREATE TABLE pipe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }
    /// Rows in `pipe`, as another connection sees them (what was committed).
    long committedRows() {
        auto other = db::open(location.location());
        auto st = other->prepare("SELECT COUNT(*) FROM pipe");
        st.step();
        return static_cast<long>(st.int64(0));
    }
    static void insert(const db::WriteTx& tx, int id) {
        tx.prepare("INSERT INTO pipe (id, v) VALUES (?, 'a')").bindAll(id).run();
    }

    TempDir dir;
    StoreLocation location{StoreKind::PostgreSQL, dir};
    std::unique_ptr<db::Database> conn;
};

TEST_F(PipelinedTransaction, WritesGoWithoutWaitingAndTheReadsBetweenThemSeeThem) {
    auto before = conn->roundTrips();
    conn->writePipelined([&](db::WriteTx& tx) {
        for (int i = 0; i < 200; ++i)
            insert(tx, i);
        auto count = tx.prepare("SELECT COUNT(*) FROM pipe");
        ASSERT_TRUE(count.step());
        EXPECT_EQ(count.int64(0), 200) << "a read sees the writes sent before it";
        tx.prepare("UPDATE pipe SET v = 'b' WHERE id < 50").run();
        EXPECT_EQ(tx.changes(), 50) << "changes() waits for the statement it counts";
        for (int i = 200; i < 400; ++i)
            insert(tx, i);
    });
    auto pipelined = conn->roundTrips() - before;
    // BEGIN, the writer lock, 200 INSERTs (and their PREPARE) and the read: one wait; the UPDATE
    // and changes(): one; 200 INSERTs and the COMMIT with its sync: one.
    EXPECT_EQ(pipelined, 3u);
    EXPECT_EQ(committedRows(), 400);

    before = conn->roundTrips();
    conn->write([&](db::WriteTx& tx) {
        for (int i = 400; i < 600; ++i)
            insert(tx, i);
    });
    EXPECT_GE(conn->roundTrips() - before, 200u) << "without the pipeline, one per statement";
    EXPECT_EQ(committedRows(), 600);
}

TEST_F(PipelinedTransaction, AStatementThatFailsDoomsItAllEvenInASavepointThatEndedBefore) {
    conn->write([&](db::WriteTx& tx) { insert(tx, 1); });
    try {
        conn->writePipelined([&](db::WriteTx& tx) {
            insert(tx, 2);
            // The duplicate is sent, not waited for: the savepoint ends before its error is read.
            tx.savepoint([&] { insert(tx, 1); });
            insert(tx, 3);
        });
        FAIL() << "a transaction with a failed statement committed";
    } catch (const db::Error& e) {
        EXPECT_NE(std::string(e.what()).find("INSERT INTO pipe"), std::string::npos) << e.what();
        EXPECT_EQ(e.sqlState(), "23505") << "the statement's own failure, not the skipped ones'";
        EXPECT_FALSE(e.unavailable());
    }
    EXPECT_EQ(committedRows(), 1) << "the rows before and after the failure were kept";

    // The failure read between two statements: the reads after it fail too.
    try {
        conn->writePipelined([&](db::WriteTx& tx) {
            insert(tx, 1);
            try {
                tx.savepoint([&] {
                    auto st = tx.prepare("SELECT COUNT(*) FROM pipe");
                    st.step();
                });
            } catch (const db::Error&) {
                // what a caller that answers one push with its failure does
            }
            insert(tx, 4);
        });
        FAIL() << "a transaction with a failed statement committed";
    } catch (const db::Error& e) {
        EXPECT_EQ(e.sqlState(), "23505") << e.what();
    }
    EXPECT_EQ(committedRows(), 1);

    // The connection serves the next transactions, pipelined or not.
    conn->writePipelined([&](db::WriteTx& tx) { insert(tx, 5); });
    conn->write([&](db::WriteTx& tx) { insert(tx, 6); });
    EXPECT_EQ(committedRows(), 3);
}

TEST_F(PipelinedTransaction, AStatementFirstPreparedInAFailedPipelineIsPreparedAgain) {
    conn->write([&](db::WriteTx& tx) { insert(tx, 1); });
    const char* fresh = "INSERT INTO pipe (id, v) VALUES (?, 'fresh')";
    EXPECT_THROW(conn->writePipelined([&](db::WriteTx& tx) {
        insert(tx, 1);                      // fails: the server skips what follows
        tx.prepare(fresh).bindAll(7).run(); // its PREPARE skipped with it
    }),
                 db::Error);
    conn->write([&](db::WriteTx& tx) { tx.prepare(fresh).bindAll(8).run(); });
    conn->writePipelined([&](db::WriteTx& tx) { tx.prepare(fresh).bindAll(9).run(); });
    EXPECT_EQ(committedRows(), 3);

    // A PREPARE that fails itself: its table is made afterwards, and the statement then works.
    const char* later = "INSERT INTO later (id) VALUES (?)";
    EXPECT_THROW(conn->writePipelined([&](db::WriteTx& tx) { tx.prepare(later).bindAll(1).run(); }),
                 db::Error);
    conn->exec("CREATE TABLE later (id INTEGER PRIMARY KEY)");
    conn->writePipelined([&](db::WriteTx& tx) { tx.prepare(later).bindAll(1).run(); });
    conn->write([&](db::WriteTx& tx) { tx.prepare(later).bindAll(2).run(); });
}

} // namespace

namespace {

/// The times PostgreSQL scanned table `t` whole, and looked it up through an index, as a
/// connection of its own reads them (after `from` flushed its counts).
std::pair<long, long> scansOf(db::Database& from, const std::string& location, const char* t) {
    auto flush = from.prepare("SELECT pg_stat_force_next_flush()");
    flush.step();
    auto other = db::open(location);
    auto st = other->prepare("SELECT seq_scan, COALESCE(idx_scan, 0) FROM pg_stat_user_tables "
                             "WHERE relname = ?");
    st.bindAll(std::string(t));
    if (!st.step())
        return {-1, -1};
    return {static_cast<long>(st.int64(0)), static_cast<long>(st.int64(1))};
}

} // namespace

TEST_F(PipelinedTransaction, ALookUpByAListOfKeysPlannedWhenTheTableWasEmptyStillUsesItsIndex) {
    // What a batch's look-ahead does on election morning: its statements first run on empty
    // tables, then on full ones, and nothing analyses a table while the integrator works.
    conn->exec("CREATE TABLE keyed (name TEXT NOT NULL, v TEXT NOT NULL); CREATE INDEX "
               "keyed_name ON keyed (name); ANALYZE keyed"); // as autovacuum finds it after init
    auto lookUp = [&](bool eachTime, const std::vector<std::string>& keys) {
        auto sql =
            "SELECT name FROM keyed WHERE " + db::inJsonArray(db::Dialect::PostgreSQL, "name");
        auto st = eachTime ? conn->prepareEachTime(sql) : conn->prepare(sql);
        st.bindAll(nlohmann::json(keys).dump());
        int n = 0;
        while (st.step())
            ++n;
        return n;
    };
    for (int i = 0; i < 8; ++i) { // past PostgreSQL's five custom plans before a generic one
        EXPECT_EQ(lookUp(true, {"a", "b"}), 0);
        EXPECT_EQ(lookUp(false, {"a", "b"}), 0);
    }
    conn->exec("INSERT INTO keyed (name, v) SELECT 'k' || i, repeat('x', 200) FROM "
               "generate_series(1, 20000) AS i");
    auto before = scansOf(*conn, location.location(), "keyed");
    EXPECT_EQ(lookUp(true, {"k1", "k2", "k3"}), 3);
    auto after = scansOf(*conn, location.location(), "keyed");
    EXPECT_EQ(after.first, before.first) << "planned for its keys: no scan of the whole table";
    EXPECT_GT(after.second, before.second);
    // Why: the statement kept with its plan from the empty table scans all 20,000 rows.
    EXPECT_EQ(lookUp(false, {"k1", "k2", "k3"}), 3);
    EXPECT_GT(scansOf(*conn, location.location(), "keyed").first, after.first)
        << "PostgreSQL now plans a kept statement as it grows: prepareEachTime may not be needed";
}
