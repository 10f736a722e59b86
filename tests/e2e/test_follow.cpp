// Admin commands while `rekap-central serve` runs (issue 12's first rows): the serving process
// follows the ledger, so a revocation made by `rekap-central revoke` stops the device's next
// push (every write looks first), and a decision made by `rekap-central resolve` moves the
// running receiver's tally at every level (equal to a recount in a fresh process) and its
// dashboard version at the first read 50 ms after it (reads look at most every 50 ms; on SQLite
// at every read). What is asserted is those events, not a stopwatch against a busy machine.
// Real processes, real HTTP on 127.0.0.1.

#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "child_process.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/sync/sync_client.h"
#include "revisions.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// On either engine: with PostgreSQL the "other process" is exactly what another receiver on
/// the same database is.
class AdminWhileServing : public ::testing::TestWithParam<StoreKind> {
protected:
    void SetUp() override {
        if (GetParam() == StoreKind::PostgreSQL && postgresAdminUrl().empty())
            REKAP_WITHOUT_POSTGRES();
        location = std::make_unique<StoreLocation>(GetParam(), dir);
        regency = writeTinyRegency(dir);
        db = location->location();
        ASSERT_EQ(cli({"init", "--regency", regency}).first, 0);
        startServe();
        if (HasFatalFailure())
            return;
        auto token = cli({"desk-token", "--name", "Desk Uji"});
        ASSERT_EQ(token.first, 0);
        desk = token.second.substr(0, token.second.find('\n'));
    }
    /// On `onPort` (0: any free one): a restart keeps the address the tablets enrolled with.
    void startServe(int onPort = 0) {
        serve = std::make_unique<ChildProcess>(
            REKAP_CENTRAL_BIN, withStore({"serve", "--port", std::to_string(onPort)}));
        auto line = serve->readLine(20s);
        ASSERT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0);
        url = line->substr(std::string("listening on ").size());
        port = std::stoi(url.substr(url.rfind(':') + 1));
    }
    /// SIGTERM, as an operator stops it; a clean stop exits 0.
    void stopServe() {
        ::kill(serve->pid(), SIGTERM);
        EXPECT_EQ(serve->wait(), 0);
        serve.reset();
    }
    void TearDown() override {
        if (serve)
            serve->kill9();
    }
    /// `args` after the store's options (--db, and for PostgreSQL the shared key and photos).
    std::vector<std::string> withStore(std::vector<std::string> args) const {
        std::vector<std::string> out{"--db", db, "--photos", dir.file("photos")};
        if (!location->options().signingKeyFile.empty())
            out.insert(out.end(), {"--signing-key", location->options().signingKeyFile.string()});
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }
    std::pair<int, std::string> cli(std::vector<std::string> args) {
        return runProgram(REKAP_CENTRAL_BIN, withStore(std::move(args)));
    }
    std::unique_ptr<sync::DeviceFile> device(const std::string& name) {
        auto code = cli({"mint", "--area", "9901011001001"});
        auto store = std::make_unique<sync::DeviceFile>(dir.file(name + ".db"));
        sync::SyncOptions o;
        o.maxAttempts = 1;
        sync::SyncClient(*store, o).enrol(url, code.second.substr(0, code.second.find('\n')), name);
        return store;
    }
    json get(const std::string& path) {
        httplib::Client c("127.0.0.1", port);
        auto res = c.Get(path.c_str(), {{"Authorization", "Bearer " + desk}});
        EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
        return res ? json::parse(res->body) : json();
    }
    TempDir dir;
    std::unique_ptr<StoreLocation> location;
    std::string regency, db, url, desk;
    int port = 0;
    std::unique_ptr<ChildProcess> serve;
};

sync::SyncReport syncNow(sync::DeviceFile& store) {
    sync::SyncOptions o;
    o.maxAttempts = 1;
    return sync::SyncClient(store, o).sync();
}

Sheet votes(int one, int two, int three) {
    auto s = validPpwpSheet();
    s.candidates[0].votes = one;
    s.candidates[1].votes = two;
    s.candidates[2].votes = three;
    return s;
}

} // namespace

TEST_P(AdminWhileServing, ARevocationFromTheCommandLineStopsTheNextPushAtOnce) {
    auto tablet = device("tablet");
    auto first = tablet->capture().finalize(validPpwpSheet(), "Siti", {});
    ASSERT_EQ(syncNow(*tablet).accepted, 1); // the serving process now remembers its token
    auto correction =
        tablet->capture().finalize(votes(69, 91, 10), "Siti", {"salah baca", {}, false});
    ASSERT_EQ(cli({"revoke", tablet->identity().enrolment()->device}).first, 0);
    // "At once" is the very next push, however long the machine takes to answer it.
    try {
        syncNow(*tablet);
        FAIL() << "a revoked tablet's correction was taken";
    } catch (const sync::SyncError& e) {
        EXPECT_EQ(e.code(), "device_revoked") << e.what();
    }
    // Nothing of it was stored or counted.
    auto sheet = get("/api/v1/sheets/9901011001001/ppwp");
    EXPECT_EQ(sheet["history"].size(), 1u);
    EXPECT_EQ(sheet["winner"], first.id);
    EXPECT_EQ(get("/api/v1/tally?contest=ppwp&area=9901")["candidates"][0]["votes"], 70);
    EXPECT_EQ(cli({"verify"}).first, 0);
}

TEST_P(AdminWhileServing, ADecisionFromTheCommandLineMovesEveryLevelOfTheRunningTally) {
    auto a = device("a"), b = device("b");
    a->capture().finalize(validPpwpSheet(), "Siti", {});
    auto theirs = b->capture().finalize(votes(60, 100, 10), "Budi", {});
    syncNow(*a);
    syncNow(*b);
    const std::vector<std::string> levels = {"9901", "990101", "9901011001", "9901011001001"};
    for (const auto& area : levels)
        ASSERT_EQ(get("/api/v1/tally?contest=ppwp&area=" + area)["candidates"][0]["votes"], 70)
            << area;
    auto before = get("/api/v1/version")["version"].get<std::int64_t>();

    ASSERT_EQ(cli({"resolve", "--sheet", "9901011001001/ppwp", "--revision", theirs.id, "--reason",
                   "dicocokkan dengan plano", "--by", "Desk Uji"})
                  .first,
              0);
    // The decision was committed before the command returned: the first read begun 50 ms later
    // looks at the ledger (a look begun before the commit is at least that old) and shows it.
    std::this_thread::sleep_for(50ms);
    EXPECT_NE(get("/api/v1/version")["version"].get<std::int64_t>(), before)
        << "the dashboard's version";
    for (const auto& area : levels) {
        auto live = get("/api/v1/tally?contest=ppwp&area=" + area);
        EXPECT_EQ(live["candidates"][0]["votes"], 60) << area;
        EXPECT_EQ(live["tps"]["verified"], 1) << area;
        // A fresh process recounts from the store alone: the same figures.
        auto recount =
            json::parse(cli({"tally", "--contest", "ppwp", "--area", area, "--json"}).second);
        EXPECT_EQ(live["candidates"], recount["candidates"]) << area;
        EXPECT_EQ(live["tps"], recount["tps"]) << area;
    }
}

// Issue 30: a clean stop leaves a checkpoint of derived state at the ledger's size; the next
// `serve` starts from it (nothing before it decoded again), serves the same tally, and goes on
// counting; `verify` holds each checkpoint against its rebuild from the first entry.
TEST_P(AdminWhileServing, ACleanStopLeavesACheckpointTheNextStartServesFrom) {
    auto a = device("a"), b = device("b");
    a->capture().finalize(validPpwpSheet(), "Siti", {});
    b->capture().finalize(votes(60, 100, 10), "Budi", {});
    syncNow(*a);
    syncNow(*b);
    auto before = get("/api/v1/tally?contest=ppwp&area=9901");
    stopServe();
    // The stop wrote one at the ledger's size: a command that opens the store has nothing new.
    auto written = cli({"checkpoint"});
    ASSERT_EQ(written.first, 0);
    EXPECT_NE(written.second.find("nothing new"), std::string::npos) << written.second;
    EXPECT_EQ(cli({"verify"}).first, 0);

    startServe(port);
    ASSERT_FALSE(HasFatalFailure());
    auto after = get("/api/v1/tally?contest=ppwp&area=9901");
    EXPECT_EQ(after["candidates"], before["candidates"]);
    EXPECT_EQ(after["tps"], before["tps"]);
    // More pushes after the start from the checkpoint: counted, and the next stop's checkpoint
    // checks against the rebuild too.
    a->capture().finalize(votes(69, 91, 10), "Siti", {"salah baca", {}, false});
    syncNow(*a);
    auto moved = get("/api/v1/tally?contest=ppwp&area=9901");
    stopServe();
    EXPECT_EQ(cli({"verify"}).first, 0);
    auto kept = json::parse(cli({"tally", "--contest", "ppwp", "--area", "9901", "--json"}).second);
    EXPECT_EQ(kept["candidates"], moved["candidates"]);
    EXPECT_EQ(kept["tps"], moved["tps"]);
}

// Issue 13's operator's receipt, end to end: `rekap-field receipt --check` fetches the entry and
// its inclusion proof from the serving receiver, verifies both against the signed head it kept,
// and prints the proof; after someone edits that entry in central.db it says what no longer
// holds and exits non-zero.
TEST_P(AdminWhileServing, TheOperatorsReceiptIsCheckedWithItsInclusionProof) {
    auto tablet = device("tablet"), other = device("other");
    auto mine = tablet->capture().finalize(validPpwpSheet(), "Siti", {});
    other->capture().finalize(votes(60, 100, 10), "Budi", {});
    ASSERT_EQ(syncNow(*tablet).accepted, 1);
    syncNow(*other);
    auto receipt = tablet->receipts().of(mine.id);
    ASSERT_TRUE(receipt);
    auto check = [&] {
        return runProgram(REKAP_FIELD_BIN,
                          {"--store", dir.file("tablet.db"), "--json", "receipt", "--check"});
    };
    auto [code, out] = check();
    ASSERT_EQ(code, 0) << out;
    auto all = json::parse(out);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0]["receipt"], receipt->code);
    EXPECT_EQ(all[0]["checked"], true);
    EXPECT_FALSE(all[0]["inclusion_proof"].empty()) << out;
    EXPECT_TRUE(tablet->receipts().of(mine.id)->checked);

    auto update = "UPDATE ledger SET entry = replace(entry, '{\"number\":1,\"votes\":70}', "
                  "'{\"number\":1,\"votes\":80}') WHERE idx = " +
                  std::to_string(receipt->ledgerIndex) + ";";
    auto edit =
        GetParam() == StoreKind::SQLite
            ? runProgram("/usr/bin/sqlite3", {db, "DROP TRIGGER ledger_no_update; " + update})
            : runProgram("/usr/bin/psql", {"-q", db, "-c",
                                           "ALTER TABLE ledger DISABLE TRIGGER "
                                           "ledger_no_update; " +
                                               update});
    ASSERT_EQ(edit.first, 0) << edit.second;
    auto [code2, out2] = check();
    EXPECT_EQ(code2, 6) << out2;
    auto again = json::parse(out2);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_NE(again[0].value("problem", "").find(receipt->code), std::string::npos) << out2;
}

// The other admin commands of issue 12's first point: a code minted and a new master-data version
// loaded by other processes while `serve` runs reach the running receiver at once (codes and desk
// tokens are read from the store on each use; master data through the ledger it follows).
TEST_P(AdminWhileServing, ACodeMintedAndMasterDataLoadedFromTheCommandLineReachTheRunningReceiver) {
    auto tablet = device("tablet"); // a code minted by another process enrols at once
    ASSERT_TRUE(tablet->identity().enrolment());
    auto token = tablet->identity().enrolment()->token;
    httplib::Client c("127.0.0.1", port);
    auto before = c.Get("/api/v1/master-data", {{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(before && before->status == 200);
    auto version = [](const httplib::Result& r) { return r->get_header_value("ETag"); };

    auto doc = tinyRegencyJson();
    doc["regency"]["name"] = doc["regency"]["name"].get<std::string>() + " (perbaikan)";
    auto file = dir.file("regency-v2.json");
    std::ofstream(file) << doc.dump();
    ASSERT_EQ(cli({"init", "--regency", file}).first, 0);
    // The running receiver takes it in at its follower's next look (every 200 ms) or its next
    // write: waited for with a deadline that only a receiver that never follows reaches. The
    // time is not the point (no restart is), so none is asserted; idle it took 65 ms (SQLite) and
    // 195 ms (PostgreSQL).
    auto loadedAt = std::chrono::steady_clock::now();
    std::string now = version(before);
    while (now == version(before) && std::chrono::steady_clock::now() - loadedAt < 30s) {
        auto r = c.Get("/api/v1/master-data", {{"Authorization", "Bearer " + token}});
        ASSERT_TRUE(r && r->status == 200);
        now = version(r);
        if (now == version(before))
            std::this_thread::sleep_for(20ms);
    }
    EXPECT_NE(now, version(before));
    std::cout << "[ measured ] master data reached the running receiver after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - loadedAt)
                     .count()
              << " ms" << std::endl;
    auto r = c.Get("/api/v1/master-data", {{"Authorization", "Bearer " + token}});
    EXPECT_NE(r->body.find("(perbaikan)"), std::string::npos);
    EXPECT_EQ(cli({"verify"}).first, 0);
}

INSTANTIATE_STORE_SUITE(AdminWhileServing);
