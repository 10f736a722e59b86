// Pulling the plug: kill -9 of a device process right after and during finalize and during sync,
// and of the receiver in the middle of a batch. Nothing acknowledged is lost, nothing is
// duplicated, and every SQLite file passes PRAGMA integrity_check.

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "child_process.h"
#include "fault_proxy.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/sheet_codec.h"
#include "rekap/sync/sync_client.h"
#include "revisions.h"

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
    return o;
}

std::string writeSheet(const TempDir& dir, const Sheet& s, int n) {
    auto path = dir.file("sheet-" + std::to_string(n) + ".json");
    std::ofstream(path) << encodeSheet(s).dump();
    return path;
}

/// A long history: chains of corrections on three sheets, `count` more revisions from `total`
/// on (each one vote of section II moved), so that a sync of them takes many batches.
void addCorrections(sync::DeviceStore& store, int& total, int count) {
    const Sheet sheets[] = {validPpwpSheet(), validPdprSheet(), validPdpdSheet()};
    sync::DeviceStore::FinalizeOptions o;
    o.reason = "koreksi";
    for (int end = total + count; total < end; ++total) {
        auto s = sheets[total % 3];
        s.disabledVoters = {total % 2, 1, 1 + total % 2};
        store.finalize(s, "Siti", o);
    }
}

} // namespace

TEST(Crash, DeviceKilledRightAfterFinalizeLosesNothing) {
    LiveCentral live;
    auto db = live.dir().file("device.db");
    {
        sync::DeviceStore store(db);
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
    sync::DeviceStore store(db);
    EXPECT_EQ(store.database().integrityCheck(), "ok");
    auto e = store.entry(id);
    ASSERT_TRUE(e) << "a revision reported saved was lost";
    EXPECT_EQ(e->state, sync::OutboxState::Queued);
    EXPECT_EQ(e->revision.sheet, validPpwpSheet());
}

TEST(Crash, DeviceKilledDuringFinalizeKeepsItsFileWhole) {
    LiveCentral live;
    std::mt19937 rng(42);
    for (int round = 0; round < 6; ++round) {
        auto db = live.dir().file("device-" + std::to_string(round) + ".db");
        {
            sync::DeviceStore store(db);
            sync::SyncClient(store, quick())
                .enrol(live.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
        }
        auto sheet = writeSheet(live.dir(), validPdpdSheet(), round);
        ChildProcess p(REKAP_FIELD_BIN, {"--store", db, "record", sheet, "--operator", "Siti"});
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
        p.kill9();
        auto line = p.readLine(200ms);
        p.wait();
        sync::DeviceStore store(db);
        EXPECT_EQ(store.database().integrityCheck(), "ok");
        auto entries = store.outbox();
        EXPECT_LE(entries.size(), 1u);
        if (line && line->rfind("saved ", 0) == 0) {
            EXPECT_EQ(entries.size(), 1u) << "reported saved, then lost";
        }
        for (const auto& e : entries)
            EXPECT_EQ(e.revision.sheet, validPdpdSheet()); // whole or absent, never torn
    }
}

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
        return std::make_pair(std::move(p), line ? line->substr(line->rfind(':') + 1) : "");
    };
    // Not a structured binding: clang 14 (the fuzz and sanitizer build) cannot capture one.
    auto started = startCentral();
    auto central = std::move(started.first);
    auto port = started.second;

    sync::DeviceStore store(dir.file("device.db"));
    sync::SyncClient client(store, quick());
    client.enrol("http://127.0.0.1:" + port, enrolCode, "t");
    auto impatient = quick();
    impatient.maxAttempts = 3; // while the receiver is dead, give up quickly
    sync::SyncClient killedClient(store, impatient);

    int total = 0;

    std::mt19937 rng(7);
    int cutMidSync = 0;
    for (int round = 0; round < 3; ++round) {
        addCorrections(store, total, 100);
        std::thread killer([&, delay = rng() % 25] {
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            central->kill9();
        });
        try {
            killedClient.sync();
        } catch (const sync::SyncError&) {
        }
        killer.join();
        central->wait();
        if (store.queueDepth() > 0)
            ++cutMidSync;
        // What the device holds as acknowledged must be in the receiver's file.
        std::set<std::string> acknowledged;
        for (const auto& e : store.outbox())
            if (e.state == sync::OutboxState::Accepted)
                acknowledged.insert(e.revision.id);
        {
            sqlite::Database db(centralDb);
            EXPECT_EQ(db.integrityCheck(), "ok");
            std::set<std::string> stored;
            auto st = db.prepare("SELECT id FROM revisions");
            while (st.step())
                stored.insert(st.text(0));
            for (const auto& id : acknowledged)
                EXPECT_TRUE(stored.count(id)) << "acknowledged " << id << " lost";
        }
        // Back up on a new port; the device is told where.
        auto restarted = startCentral();
        central = std::move(restarted.first);
        store.saveEnrolment([&] {
            auto e = *store.enrolment();
            e.server = "http://127.0.0.1:" + restarted.second;
            return e;
        }());
    }
    EXPECT_GE(cutMidSync, 1) << "no kill landed in the middle of a sync";
    client.sync();
    EXPECT_EQ(store.queueDepth(), 0);
    sqlite::Database db(centralDb);
    auto count = db.prepare("SELECT COUNT(*), COUNT(DISTINCT id) FROM revisions");
    count.step();
    EXPECT_EQ(count.int64(0), total) << "every revision exactly once";
    EXPECT_EQ(count.int64(1), total);
    for (const auto& e : store.outbox())
        EXPECT_EQ(e.state, sync::OutboxState::Accepted);
}

TEST(Crash, DeviceKilledDuringSyncLosesAndDuplicatesNothing) {
    LiveCentral live;
    // A slow link (each chunk held 3 ms each way) so that kills land inside requests.
    FaultProxy link(live.port());
    link.setDelay(3ms);
    auto db = live.dir().file("device.db");
    int total = 0;
    {
        sync::DeviceStore store(db);
        sync::SyncClient(store, quick())
            .enrol(link.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
        addCorrections(store, total, 300);
    }
    std::mt19937 rng(3);
    int cutMidSync = 0;
    for (int round = 0; round < 12; ++round) {
        ChildProcess p(REKAP_FIELD_BIN, {"--store", db, "sync", "--batch", "10"});
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
        p.kill9();
        p.wait();
        sync::DeviceStore store(db);
        ASSERT_EQ(store.database().integrityCheck(), "ok") << "round " << round;
        auto depth = store.queueDepth();
        if (depth > 0 && depth < total)
            ++cutMidSync;
        // Everything the device holds as acknowledged is at the receiver, exactly once.
        auto stored = live.store().revisionCount();
        std::size_t acknowledged = 0;
        for (const auto& e : store.outbox())
            acknowledged += e.state == sync::OutboxState::Accepted;
        EXPECT_GE(static_cast<std::size_t>(stored), acknowledged) << "round " << round;
        EXPECT_LE(stored, total) << "a revision stored twice, round " << round;
        if (depth == 0)
            break;
    }
    EXPECT_GE(cutMidSync, 1) << "no kill landed in the middle of a sync";
    auto [rc, out] = runProgram(REKAP_FIELD_BIN, {"--store", db, "sync"});
    EXPECT_EQ(rc, 0) << out;
    sync::DeviceStore store(db);
    EXPECT_EQ(store.queueDepth(), 0);
    for (const auto& e : store.outbox())
        EXPECT_EQ(e.state, sync::OutboxState::Accepted);
    auto count = live.store().database().prepare(
        "SELECT COUNT(*), COUNT(DISTINCT id) FROM revisions WHERE device != 'desk'");
    count.step();
    EXPECT_EQ(count.int64(0), total) << "every revision exactly once";
    EXPECT_EQ(count.int64(1), total);
}
