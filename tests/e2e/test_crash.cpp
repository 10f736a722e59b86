// Pulling the plug: kill -9 of a device process right after and during finalize and during sync,
// and of the receiver in the middle of a batch. Each kill lands at a moment the test makes
// certain (a fail point the process kills itself at, or the proxy holding back an answer or the
// rest of a request) and checks it landed there. Nothing acknowledged is lost, nothing is
// duplicated, and every SQLite file passes PRAGMA integrity_check.

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <future>
#include <set>

#include "child_process.h"
#include "fault_proxy.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/sync_client.h"
#include "revisions.h"
#include "store_sql.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using namespace std::chrono_literals;

namespace {

sync::SyncOptions quick() {
    sync::SyncOptions o;
    o.baseBackoff = 10ms;
    o.maxBackoff = 100ms;
    o.maxAttempts = 40;
    o.maxBatchCount = 50;
    o.http.connectTimeoutMs = 1000;
    // These count a batch as acknowledged when its final results are applied; revisions
    // answered when stored are kept across a restart by SyncFixture.SheetsAnsweredQueued...
    o.answerWhenStored = false;
    return o;
}

std::string writeSheet(const TempDir& dir, const Sheet& s, int n) {
    auto path = dir.file("sheet-" + std::to_string(n) + ".json");
    std::ofstream(path) << encodeSheet(s).dump();
    return path;
}

/// A long history: chains of corrections on three sheets, `count` more revisions from `total`
/// on (each one vote of section II moved), so that a sync of them takes many batches.
void addCorrections(sync::DeviceFile& store, int& total, int count) {
    const Sheet sheets[] = {validPpwpSheet(), validPdprSheet(), validPdpdSheet()};
    sync::Capture::FinalizeOptions o;
    o.reason = "koreksi";
    for (int end = total + count; total < end; ++total) {
        auto s = sheets[total % 3];
        s.disabledVoters = {total % 2, 1, 1 + total % 2};
        store.capture().finalize(s, "Siti", o);
    }
}

} // namespace

TEST(Crash, DeviceKilledRightAfterFinalizeLosesNothing) {
    LiveCentral live;
    auto db = live.dir().file("device.db");
    {
        sync::DeviceFile store(db);
        sync::SyncClient(store, quick())
            .enrol(live.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
    }
    auto sheet = writeSheet(live.dir(), validPpwpSheet(), 0);
    ChildProcess p(REKAP_FIELD_BIN, {"--store", db, "record", sheet, "--operator", "Siti"});
    auto line = p.readLine(20s);
    p.kill9(); // the moment "saved" is on the screen
    p.wait();
    ASSERT_TRUE(line);
    ASSERT_EQ(line->rfind("saved ", 0), 0u) << *line;
    auto id = line->substr(6, 36);
    sync::DeviceFile store(db);
    EXPECT_EQ(sqlite::Database(store.path().string()).integrityCheck(), "ok");
    auto e = store.outbox().entry(id);
    ASSERT_TRUE(e) << "a revision reported saved was lost";
    EXPECT_EQ(e->state, SheetState::Queued);
    EXPECT_EQ(e->revision.sheet, validPpwpSheet());
}

// Killed at an exact point of finalize (rekap-crash-device kills itself at the fail point): inside
// its transaction with every row written but before the commit, the revision is absent, whole
// file, nothing half there; just after the commit, before "saved" could be printed, it is there
// whole and queued.
TEST(Crash, DeviceKilledDuringFinalizeKeepsItsFileWhole) {
    LiveCentral live;
    struct Round {
        const char* point;
        bool kept;
    };
    int round = 0;
    for (auto [point, kept] :
         {Round{"finalize.written", false}, Round{"finalize.committed", true}}) {
        SCOPED_TRACE(point);
        auto db = live.dir().file("device-" + std::to_string(round) + ".db");
        {
            sync::DeviceFile store(db);
            sync::SyncClient(store, quick())
                .enrol(live.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
        }
        auto sheet = writeSheet(live.dir(), validPdpdSheet(), round++);
        ChildProcess p(REKAP_CRASH_DEVICE_BIN,
                       {"--store", db, "--kill-at", point, "record", sheet});
        auto line = p.readLine(20s);
        EXPECT_EQ(p.wait(), 128 + SIGKILL) << "the process was not killed at " << point;
        ASSERT_TRUE(line);
        EXPECT_EQ(*line, std::string("at ") + point) << "the kill landed elsewhere";
        sync::DeviceFile store(db);
        EXPECT_EQ(sqlite::Database(store.path().string()).integrityCheck(), "ok");
        auto entries = store.outbox().all();
        ASSERT_EQ(entries.size(), kept ? 1u : 0u);
        EXPECT_EQ(store.outbox().head("9901011001001/pdpd").has_value(), kept);
        if (kept) {
            EXPECT_EQ(entries[0].revision.sheet, validPdpdSheet()); // whole, never torn
            EXPECT_EQ(entries[0].state, SheetState::Queued);
        }
    }
}

// The receiver (its own rekap-central process) killed with SIGKILL at two exact moments of a
// sync of ten batches, each made certain by the proxy between device and receiver: after it
// committed and answered the fourth batch but before the device heard (the answer held back),
// and while it was still reading the fourth batch's request (the rest of the body held back).
// What the device holds as acknowledged is in the receiver's file, the file is whole, and what
// the receiver had stored is exactly what each moment says: the fourth batch, or not a byte of
// it. After restarts, one more sync stores every revision exactly once.
TEST(Crash, ReceiverKilledMidBatchLosesNothingAcknowledged) {
    TempDir dir;
    auto regency = writeTinyRegency(dir);
    auto centralDb = dir.file("central.db");
    ASSERT_EQ(
        runProgram(REKAP_CENTRAL_BIN, {"--db", centralDb, "init", "--regency", regency}).first, 0);
    auto code =
        runProgram(REKAP_CENTRAL_BIN, {"--db", centralDb, "mint", "--area", "9901011001001"});
    ASSERT_EQ(code.first, 0);
    auto enrolCode = code.second.substr(0, code.second.find('\n'));

    auto startCentral = [&] {
        auto p = std::make_unique<ChildProcess>(
            REKAP_CENTRAL_BIN, std::vector<std::string>{"--db", centralDb, "serve", "--port", "0"});
        auto line = p->readLine(20s);
        EXPECT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0);
        return std::make_pair(std::move(p),
                              line ? std::stoi(line->substr(line->rfind(':') + 1)) : 0);
    };
    auto storedIds = [&] {
        sqlite::Database db(centralDb);
        EXPECT_EQ(db.integrityCheck(), "ok");
        std::set<std::string> stored;
        auto st = db.prepare("SELECT id FROM revisions");
        while (st.step())
            stored.insert(st.text(0));
        return stored;
    };
    auto acknowledged = [](sync::DeviceFile& store) {
        std::set<std::string> out;
        for (const auto& e : store.outbox().all())
            if (e.state == SheetState::Accepted)
                out.insert(e.revision.id);
        return out;
    };

    sync::DeviceFile store(dir.file("device.db"));
    int total = 0;
    {
        auto started = startCentral();
        sync::SyncClient(store, quick())
            .enrol("http://127.0.0.1:" + std::to_string(started.second), enrolCode, "t");
        started.first->kill9();
    }
    const std::string push = "POST /api/v1/sync/push";
    enum class Moment { AnswerHeldBack, RequestHalfRead };
    for (auto moment : {Moment::AnswerHeldBack, Moment::RequestHalfRead}) {
        bool answered = moment == Moment::AnswerHeldBack;
        SCOPED_TRACE(answered ? "killed after it answered" : "killed while reading a request");
        // Not a structured binding: clang 14 (the sanitizer build) cannot capture one.
        auto started = startCentral();
        auto central = std::move(started.first);
        FaultProxy proxy(started.second);
        store.identity().save([&] {
            auto e = *store.identity().enrolment();
            e.server = proxy.url();
            return e;
        }());
        addCorrections(store, total, 100);
        auto ackedBefore = acknowledged(store).size();
        auto storedBefore = storedIds().size();
        if (answered) {
            proxy.addRequestFault(RequestFault::cutResponse(push, 0, 3)); // the fourth batch
            proxy.addRequestFault(RequestFault::hold(push)); // and the device's retry of it
        } else {
            proxy.addRequestFault(RequestFault::holdRequestAfter(push, 600, 3));
        }
        auto opts = quick();
        opts.maxBatchCount = 10;
        sync::SyncClient client(store, opts);
        auto running = std::async(std::launch::async, [&] {
            try {
                client.sync();
            } catch (const sync::SyncError&) {
            }
        });
        ASSERT_TRUE(proxy.waitFor(
            [&](const std::vector<RequestRecord>& rs) {
                std::vector<const RequestRecord*> pushes;
                for (const auto& r : rs)
                    if (r.has(push))
                        pushes.push_back(&r);
                if (answered) // its answer arrived (and was held back), its retry is held
                    return pushes.size() >= 5 && pushes[3]->responseArrived > 0 &&
                           pushes[4]->complete;
                return pushes.size() >= 4 && pushes[3]->requestPassed == 600;
            },
            30s))
            << "the sync never reached the moment";
        central->kill9();
        central->wait();
        client.cancel();
        running.get();

        auto stored = storedIds();
        auto acked = acknowledged(store);
        for (const auto& id : acked)
            EXPECT_TRUE(stored.count(id)) << "acknowledged " << id << " lost";
        EXPECT_EQ(acked.size(), ackedBefore + 30) << "three batches answered and applied";
        // Exactly what the moment says: the acknowledged, and the fourth batch if it answered.
        EXPECT_EQ(stored.size(), acked.size() + (answered ? 10 : 0))
            << "the receiver's file does not hold what the moment of the kill says";
        EXPECT_GT(stored.size(), storedBefore);
    }
    auto started = startCentral();
    store.identity().save([&] {
        auto e = *store.identity().enrolment();
        e.server = "http://127.0.0.1:" + std::to_string(started.second);
        return e;
    }());
    sync::SyncClient(store, quick()).sync();
    EXPECT_EQ(store.outbox().queueDepth(), 0);
    EXPECT_EQ(storedIds().size(), static_cast<std::size_t>(total)) << "every revision exactly once";
    for (const auto& e : store.outbox().all())
        EXPECT_EQ(e.state, SheetState::Accepted);
}

// A device process killed at exact points of its sync (fail points in the sync client): after
// the receiver answered the third batch but before the device applied the answer; right after
// it applied the second batch of the next sync; after the first answer of the one after. Each
// time the device's file is whole, what it holds as acknowledged is at the receiver, and the
// receiver holds exactly the batches it answered. The final sync stores nothing twice.
TEST(Crash, DeviceKilledDuringSyncLosesAndDuplicatesNothing) {
    LiveCentral live;
    auto db = live.dir().file("device.db");
    int total = 0;
    {
        sync::DeviceFile store(db);
        sync::SyncClient(store, quick())
            .enrol(live.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
        addCorrections(store, total, 300);
    }
    struct Round {
        const char* point;
        int on;     ///< the Nth time the point is reached
        int stored; ///< revisions the receiver newly stored before the kill
        int acked;  ///< revisions the device newly holds as acknowledged
    };
    long storedBefore = 0, ackedBefore = 0;
    // 1: batches 1-3 answered, the third not applied. 2: that batch again (answered duplicate,
    // applied), then one new batch, applied. 3: one new batch answered, not applied.
    for (auto r : {Round{"push.answered", 3, 30, 20}, Round{"push.applied", 2, 10, 20},
                   Round{"push.answered", 1, 10, 0}}) {
        SCOPED_TRACE(std::string(r.point) + " #" + std::to_string(r.on));
        ChildProcess p(REKAP_CRASH_DEVICE_BIN, {"--store", db, "--kill-at", r.point, "--kill-on",
                                                std::to_string(r.on), "sync", "--batch", "10"});
        auto line = p.readLine(60s);
        EXPECT_EQ(p.wait(), 128 + SIGKILL);
        ASSERT_TRUE(line);
        EXPECT_EQ(*line, std::string("at ") + r.point);
        sync::DeviceFile store(db);
        ASSERT_EQ(sqlite::Database(store.path().string()).integrityCheck(), "ok");
        long acked = 0;
        for (const auto& e : store.outbox().all())
            acked += e.state == SheetState::Accepted;
        auto stored = live.store().sheets().revisionCount();
        EXPECT_EQ(stored - storedBefore, r.stored);
        EXPECT_EQ(acked - ackedBefore, r.acked);
        EXPECT_EQ(store.outbox().queueDepth(), total - acked) << "sending went back to queued";
        storedBefore = stored;
        ackedBefore = acked;
    }
    auto [rc, out] = runProgram(REKAP_FIELD_BIN, {"--store", db, "--json", "sync"});
    EXPECT_EQ(rc, 0) << out;
    auto report = nlohmann::json::parse(out);
    EXPECT_EQ(report["duplicates"], 10) << "the last round's answered but unapplied batch";
    sync::DeviceFile store(db);
    EXPECT_EQ(store.outbox().queueDepth(), 0);
    for (const auto& e : store.outbox().all())
        EXPECT_EQ(e.state, SheetState::Accepted);
    auto sql = test::sqlOf(live.store());
    auto count =
        sql->prepare("SELECT COUNT(*), COUNT(DISTINCT id) FROM revisions WHERE device != 'desk'");
    count.step();
    EXPECT_EQ(count.int64(0), total) << "every revision exactly once";
    EXPECT_EQ(count.int64(1), total);
}
