// The receiver's schema on PostgreSQL (docs/scale-out.md): the same numbered steps as on
// SQLite, said in PostgreSQL's words by schema.h, each applied in its own transaction; a store
// made by the previous step upgrades with its data. Skipped, with one line, without the test
// cluster that scripts/test starts.

#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <thread>

#include "child_process.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/crosscheck.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/central/store.h"
#include "revisions.h"
#include "schema/schema.h"
#include "store_sql.h"
#include "store_test.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;

namespace {

class ReceiverSchemaPostgres : public StoreTest {
protected:
    StoreKind storeKind() const override { return StoreKind::PostgreSQL; }
    central::db::Database& db() {
        if (!sql_)
            sql_ = test::sqlOf(*store);
        return *sql_;
    }
    std::unique_ptr<central::db::Database> sql_;
    std::set<std::string> postgresColumns() {
        std::set<std::string> out;
        auto st = db().prepare("SELECT table_name || '.' || column_name FROM "
                               "information_schema.columns WHERE table_schema = 'public' AND "
                               "table_name != 'rekap_schema'");
        while (st.step())
            out.insert(st.text(0));
        return out;
    }
    long count(const std::string& sql) {
        auto st = db().prepare(sql);
        st.step();
        return static_cast<long>(st.int64(0));
    }
};

std::set<std::string> sqliteColumns(const TempDir& dir) {
    central::CentralStore store(dir.file("same-steps.db"));
    auto sql = test::sqlOf(store);
    auto& db = *sql;
    std::set<std::string> out;
    auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite_%'");
    while (tables.step()) {
        auto name = tables.text(0);
        auto cols = db.prepare("SELECT name FROM pragma_table_info(?)");
        cols.bindAll(name);
        while (cols.step())
            out.insert(name + "." + cols.text(0));
    }
    return out;
}

} // namespace

TEST_F(ReceiverSchemaPostgres, TheSameStepsGiveTheSameTablesAndColumnsAsSQLite) {
    const auto steps = static_cast<int>(central::schemaMigrations().size());
    EXPECT_EQ(db().userVersion(), steps);
    EXPECT_EQ(central::schemaMigrations(central::db::Dialect::PostgreSQL).size(),
              central::schemaMigrations().size());
    auto pg = postgresColumns();
    EXPECT_GT(pg.size(), 40u);
    EXPECT_EQ(pg, sqliteColumns(dir));
}

TEST_F(ReceiverSchemaPostgres, TheLedgerIsAppendOnlyHereToo) {
    ASSERT_GT(store->ledger().ledgerSize(), 0);
    EXPECT_THROW(db().exec("UPDATE ledger SET entry = '{}' WHERE idx = 0"), StorageError);
    EXPECT_THROW(db().exec("DELETE FROM ledger"), StorageError);
    EXPECT_THROW(db().exec("TRUNCATE ledger"), StorageError);
    EXPECT_TRUE(store->ledger().verify().ok);
}

TEST_F(ReceiverSchemaPostgres, AStoreFromTheStepBeforeUpgradesWithItsData) {
    auto code =
        store->registry().mintCodes(protocol::Role::Operator, AreaCode::parse("9901011001001"), 1,
                                    std::chrono::hours(1), "a")[0];
    auto enrolled = enrolSigned(*store, code, "a");
    auto device = store->registry().authenticate(enrolled.token);
    auto r = makeRevision(device.id, validPpwpSheet());
    ASSERT_EQ(store->intake()
                  .ingest(device, nlohmann::json::array({encodeRevision(r)}))
                  .results[0]
                  .status,
              protocol::PushStatus::Accepted);
    std::ofstream(dir.file("kpu.csv")) << "kode,c1,c2,c3\n9901011001001,70,90,10\n";
    central::importKpu(*store, "ppwp", dir.file("kpu.csv"));
    auto deskToken = store->deskTokens().createDeskToken("Desk PG");
    auto tallyBefore = store->live().recount();
    auto entries = store->ledger().ledgerSize();
    long revisions = 1;
    const int latest = static_cast<int>(central::schemaMigrations().size());

    // Back to what step 13 left (a push's items on its intake row), step 12 (no checkpoint of
    // derived state), step 11 (no intake), step 10
    // (no sheets sent back), step 9 (desk tokens, no accounts), step 8 (no photos attached later),
    // step 7 (revisions under their ids alone), to step 6 (no second readings), then to step 5
    // (no KPU tables): each time the current code must upgrade the store and keep everything.
    const std::string undo14 =
        "DROP TABLE intake_items; ALTER TABLE intake ADD COLUMN items TEXT NOT NULL DEFAULT ''; ";
    const std::string undo13 = undo14 + "DROP TABLE derived_checkpoint; ";
    const std::string undo12 = undo13 + "DROP TABLE intake; ";
    const std::string undo11 = undo12 + "DROP TABLE send_backs; ";
    const std::string undo10 = undo11 + "DROP TABLE desk_accounts; DROP INDEX desk_sessions_name; ";
    const std::string undo9 = undo10 + "DROP TABLE photo_attachments; ";
    const std::string undo8 = undo9 + "DROP INDEX revisions_device_name; DROP INDEX "
                                      "revisions_name; ALTER TABLE revisions DROP COLUMN name; ";
    const std::string undo7 =
        undo8 + "DROP TABLE reading_claims; ALTER TABLE revisions DROP COLUMN reading; ";
    const std::string undo6 = undo7 + "DROP TABLE kpu_numbers; DROP TABLE kpu_imports; ";
    ASSERT_EQ(latest, 14) << "a new step: take it back here first";
    for (int step : {13, 12, 11, 10, 9, 8, 7, 6, 5}) {
        db().exec((step == 13   ? undo14
                   : step == 12 ? undo13
                   : step == 11 ? undo12
                   : step == 10 ? undo11
                   : step == 9  ? undo10
                   : step == 8  ? undo9
                   : step == 7  ? undo8
                   : step == 6  ? undo7
                                : undo6) +
                  "UPDATE rekap_schema SET version = " + std::to_string(step));
        store.reset();
        store = openAgain();
        SCOPED_TRACE("from step " + std::to_string(step));
        EXPECT_EQ(db().userVersion(), latest);
        EXPECT_EQ(store->registry().authenticate(enrolled.token).id, device.id);
        EXPECT_EQ(store->ledger().ledgerSize(), entries);
        EXPECT_TRUE(*store->live().tally() == *tallyBefore);
        EXPECT_EQ(count("SELECT COUNT(*) FROM revisions WHERE reading = 0"), revisions);
        EXPECT_EQ(count("SELECT COUNT(*) FROM reading_claims"), 0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM revisions WHERE name = id"), revisions);
        auto verified = store->ledger().verify();
        EXPECT_TRUE(verified.ok) << verified.failure;
        EXPECT_EQ(count("SELECT COUNT(*) FROM photo_attachments"), 0);
        // The desk token's name is a coordinator's account; its token still logs in.
        auto account = central::desk_accounts::enabled(*store, "Desk PG");
        ASSERT_TRUE(account);
        EXPECT_EQ(account->role, central::DeskRole::Coordinator);
        EXPECT_EQ(store->deskTokens().authenticateDesk(deskToken), "Desk PG");
        EXPECT_EQ(count("SELECT COUNT(*) FROM send_backs"), 0);
        // Step 12: the upgraded store keeps a checkpoint of its tally, and a store opened on it
        // counts the same.
        EXPECT_EQ(count("SELECT COUNT(*) FROM derived_checkpoint"), 0);
        ASSERT_TRUE(store->live().writeCheckpoint());
        EXPECT_TRUE(*openAgain()->live().tally() == *tallyBefore);
        if (step >= 6) {
            EXPECT_EQ(count("SELECT COUNT(*) FROM kpu_numbers"), 1);
            // Something new goes on as before.
            code = store->registry().mintCodes(protocol::Role::Operator,
                                               AreaCode::parse("9901011001001"), 1,
                                               std::chrono::hours(1), "b")[0];
            auto b = store->registry().authenticate(enrolSigned(*store, code, "b").token);
            auto rb = makeRevision(b.id, validPpwpSheet());
            EXPECT_EQ(store->intake()
                          .ingest(b, nlohmann::json::array({encodeRevision(rb)}))
                          .results[0]
                          .status,
                      protocol::PushStatus::Accepted);
            entries = store->ledger().ledgerSize();
            tallyBefore = store->live().recount();
            ++revisions;
        } else {
            EXPECT_EQ(count("SELECT COUNT(*) FROM kpu_numbers"), 0);
        }
    }
    // Ids by device on the upgraded store: another TPS's tablet that pushes a revision under
    // the id of one written before the upgrade keeps nobody out.
    code = store->registry().mintCodes(protocol::Role::Operator, AreaCode::parse("9901021001001"),
                                       1, std::chrono::hours(1), "c")[0];
    auto c = store->registry().authenticate(enrolSigned(*store, code, "c").token);
    auto own = validPpwpSheet();
    own.tps = AreaCode::parse("9901021001001");
    auto squat = makeRevision(c.id, own);
    squat.id = r.id;
    sign(squat);
    EXPECT_NE(
        store->intake().ingest(c, nlohmann::json::array({encodeRevision(squat)})).results[0].status,
        protocol::PushStatus::Refused);
    EXPECT_EQ(store->intake()
                  .ingest(device, nlohmann::json::array({encodeRevision(r)}))
                  .results[0]
                  .status,
              protocol::PushStatus::Duplicate);
    // A sheet sent back to its operator on the upgraded store (step 10).
    auto mark = store->sheets().sendBack(r.sheet.key(), "foto buram", "Desk");
    EXPECT_FALSE(mark.answeredBy);
    EXPECT_EQ(store->sheets().sendBacks(AreaCode::parse("9901")).size(), 1u);
    auto verified = store->ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;
}

TEST_F(ReceiverSchemaPostgres, AStepThatFailsHalfwayIsRolledBackWhole) {
    auto steps = central::schemaMigrations(central::db::Dialect::PostgreSQL);
    steps.push_back("CREATE TABLE half_applied (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
                    "PRIMARY KEY, note TEXT NOT NULL);\n"
                    "INSERT INTO half_applied (note) VALUES ('written by a step that then "
                    "fails');\n"
                    "CREATE INDEX half_applied_broken ON no_such_table(nothing);");
    auto other = db().connectAgain(true);
    EXPECT_THROW(other->migrate(steps), StorageError);
    EXPECT_EQ(other->userVersion(), static_cast<int>(steps.size()) - 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
                    "'half_applied'"),
              0);
    // The store is as it was.
    store.reset();
    store = openAgain();
    EXPECT_TRUE(store->ledger().verify().ok);
}

// Bad settings say what is wrong, and a password in the URL never reaches a message.
TEST(PostgresSettings, AnUnreachableServerIsNamedWithoutItsPassword) {
    try {
        central::CentralStore store("postgresql://rekap:s3cret-pw@127.0.0.1:1/rekap");
        FAIL() << "opened a store on a closed port";
    } catch (const StorageError& e) {
        std::string what = e.what();
        EXPECT_TRUE(e.unavailable()) << what;
        EXPECT_NE(what.find("postgresql://rekap@127.0.0.1:1/rekap"), std::string::npos) << what;
        EXPECT_NE(what.find("cannot connect"), std::string::npos) << what;
        EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
    }
}

TEST(PostgresSettings, APasswordInTheQueryStringIsNamedNowhereEither) {
    // libpq takes a password as a URL parameter too.
    using central::db::describeLocation;
    EXPECT_EQ(describeLocation("postgresql://rekap:pw@db:5432/rekap?password=pw2&sslmode=require"),
              "postgresql://rekap@db:5432/rekap?sslmode=require");
    EXPECT_EQ(describeLocation("postgresql://db/rekap?user=rekap&password=pw"),
              "postgresql://db/rekap?user=rekap");
    EXPECT_EQ(describeLocation("postgresql://db/rekap?password=pw"), "postgresql://db/rekap");
    // An @ after the host is no password's end.
    EXPECT_EQ(describeLocation("postgresql://db:5432/rekap?user=a@b"),
              "postgresql://db:5432/rekap?user=a@b");
    try {
        central::CentralStore store(
            "postgresql://127.0.0.1:1/rekap?user=rekap&password=s3cret-pw&connect_timeout=5");
        FAIL() << "opened a store on a closed port";
    } catch (const StorageError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("postgresql://127.0.0.1:1/rekap?user=rekap&connect_timeout=5"),
                  std::string::npos)
            << what;
        EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
    }
}

TEST_F(ReceiverSchemaPostgres, AServingReceiverLogsItsStoreWithoutThePassword) {
    // The test cluster trusts loopback, so any password is let in; journald keeps what is logged.
    auto url = location->location();
    ASSERT_EQ(url.find("postgresql://rekap@"), 0u) << url;
    url.replace(0, 19, "postgresql://rekap:s3cret-pw@");
    url += "?password=s3cret-pw2";
    ChildProcess serve(
        "/bin/sh", {"-c", "exec " + std::string(REKAP_CENTRAL_BIN) + " --db '" + url +
                              "' --signing-key '" + location->options().signingKeyFile.string() +
                              "' --photos '" + dir.file("photos") + "' serve --port 0 2>&1"});
    std::string said;
    while (auto line = serve.readLine(std::chrono::seconds(20))) {
        said += *line + "\n";
        if (line->starts_with("listening on"))
            break;
    }
    serve.kill9();
    EXPECT_NE(said.find("listening on"), std::string::npos) << said;
    EXPECT_NE(said.find("store postgresql://rekap@127.0.0.1:"), std::string::npos) << said;
    EXPECT_EQ(said.find("s3cret"), std::string::npos) << said;
}

TEST_F(ReceiverSchemaPostgres, ASnapshotAfterALostConnectionIsStillOneSnapshot) {
    // A statement cut by a lost connection leaves it broken until the next one connects again.
    // A snapshot begun then must still be one transaction, not statement after statement (the
    // tally rebuilt from it would mix two states of the database).
    auto conn = central::db::open(location->location());
    auto admin = central::db::open(postgresAdminUrl());
    std::thread killer([&] {
        for (int i = 0; i < 200; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
            auto st = admin->prepare("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE query LIKE 'SELECT pg_sleep(30)%'");
            if (st.step())
                return;
        }
    });
    EXPECT_THROW(conn->exec("SELECT pg_sleep(30)"), StorageError);
    killer.join();
    std::string isolation;
    conn->snapshot([&] {
        auto st = conn->prepare("SELECT current_setting('transaction_isolation')");
        ASSERT_TRUE(st.step());
        isolation = st.text(0);
    });
    EXPECT_EQ(isolation, "repeatable read");
}

TEST_F(ReceiverSchemaPostgres, ConnectionsAskForTcpKeepalivesUnlessTheUrlSaysOtherwise) {
    // A receiver host that dies inside a write transaction holds the writer lock of every
    // receiver until the server notices; with the server's keepalive default, two hours.
    auto setting = [](central::db::Database& conn, const std::string& name) {
        auto st = conn.prepare("SELECT current_setting('" + name + "')");
        st.step();
        return st.text(0);
    };
    auto conn = central::db::open(location->location());
    EXPECT_EQ(setting(*conn, "tcp_keepalives_idle"), "10");
    EXPECT_EQ(setting(*conn, "tcp_keepalives_interval"), "5");
    EXPECT_EQ(setting(*conn, "tcp_keepalives_count"), "3");
    auto own = central::db::open(location->location() + "?options=-c%20tcp_keepalives_idle%3D30");
    EXPECT_EQ(setting(*own, "tcp_keepalives_idle"), "30");
}

TEST_F(ReceiverSchemaPostgres, WithoutASigningKeyOrPhotoFolderTheCommandSaysWhich) {
    const auto& url = location->location();
    try {
        central::CentralStore keyless(url);
        FAIL() << "opened a PostgreSQL store without --signing-key";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("--signing-key"), std::string::npos) << e.what();
    }
    auto key = location->options().signingKeyFile.string();
    // The CLI's message goes to stderr: through a shell, to read it.
    auto cli = [&](const std::string& args) {
        return runProgram("/bin/sh", {"-c", std::string(REKAP_CENTRAL_BIN) + " --db '" + url +
                                                "' --signing-key '" + key + "' " + args + " 2>&1"});
    };
    auto serve = cli("serve --port 0");
    EXPECT_NE(serve.first, 0);
    EXPECT_NE(serve.second.find("--photos"), std::string::npos) << serve.second;
    auto backup = cli("backup --to '" + dir.file("backup.db") + "'");
    EXPECT_NE(backup.first, 0);
    EXPECT_NE(backup.second.find("pg_basebackup"), std::string::npos) << backup.second;
    EXPECT_FALSE(std::filesystem::exists(dir.file("backup.db")));
    // Nothing was touched: the store still verifies, with what it held.
    EXPECT_TRUE(store->ledger().verify().ok);
}
