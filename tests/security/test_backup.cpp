// Online backup while the receiver serves and devices push, then a restore that a receiver
// serves again with every revision acknowledged before the backup began, and the same tally.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "central_process.h"
#include "fixtures.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {
int push(httplib::Client& c, const protocol::EnrolResponse& dev, const Sheet& s) {
    auto res = c.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + dev.token}},
                      json{{"revisions", {encodeRevision(makeRevision(dev.device, s))}}}.dump(),
                      "application/json");
    return res ? res->status : 0;
}
std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
} // namespace

TEST(Backup, TakenWhileServingAndRestored) {
    auto backupFile = std::string();
    std::string deviceId, keyBefore;
    json tallyBefore;
    {
        CentralProcess central;
        httplib::Client c("127.0.0.1", central.port());
        auto a = central.enrol(protocol::Role::Operator, "9901011001001");
        deviceId = a.device;
        auto desk = central.deskToken("Desk");
        ASSERT_EQ(push(c, a, validPpwpSheet()), 200);
        ASSERT_EQ(push(c, a, validPdprSheet()), 200);
        tallyBefore = json::parse(
            c.Get("/api/v1/tally?contest=ppwp", {{"Authorization", "Bearer " + desk}})->body);
        // Devices keep pushing while the backup runs.
        std::atomic<bool> stop{false};
        std::thread load([&] {
            httplib::Client lc("127.0.0.1", central.port());
            auto b = central.enrol(protocol::Role::Operator, "9901011002001");
            while (!stop) {
                auto s = validPpwpSheet();
                s.tps = AreaCode::parse("9901011002001");
                push(lc, b, s); // corrections of the same sheet, one after another
            }
        });
        backupFile = central.dir().file("backup.db");
        std::string out;
        try {
            out = central.cli({"backup", "--to", backupFile});
        } catch (const std::exception& e) {
            out = e.what();
        }
        stop = true;
        load.join();
        ASSERT_NE(out.find("backed up"), std::string::npos) << out;
        // The receiver's signing key goes with the backup, owner-only as the original: without
        // it a restored receiver could not sign another head or decision.
        auto key = backupFile + ".key";
        ASSERT_TRUE(std::filesystem::exists(key)) << out;
        EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
                  std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        keyBefore = readFile(central.dir().file("central.db.key"));
        EXPECT_EQ(readFile(key), keyBefore);
        // Copy the backup out of the receiver's folder, which goes with it.
        std::filesystem::copy_file(backupFile, "/tmp/rekap-backup-test.db",
                                   std::filesystem::copy_options::overwrite_existing);
        std::filesystem::copy_file(key, "/tmp/rekap-backup-test.db.key",
                                   std::filesystem::copy_options::overwrite_existing);
    }
    TempDir elsewhere;
    auto restored = elsewhere.file("restored.db");
    auto [code, out] = runProgram(CentralProcess::binary(), {"--db", restored, "restore", "--from",
                                                             "/tmp/rekap-backup-test.db"});
    std::filesystem::remove("/tmp/rekap-backup-test.db");
    std::filesystem::remove("/tmp/rekap-backup-test.db.key");
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("signing key"), std::string::npos) << out;
    EXPECT_EQ(readFile(restored + ".key"), keyBefore);
    // The restored receiver verifies and still signs: a revocation is a new signed entry.
    auto verified = runProgram(CentralProcess::binary(), {"--db", restored, "verify"});
    EXPECT_EQ(verified.first, 0) << verified.second;
    auto revoked = runProgram(CentralProcess::binary(), {"--db", restored, "revoke", deviceId});
    EXPECT_EQ(revoked.first, 0) << revoked.second;
    EXPECT_EQ(runProgram(CentralProcess::binary(), {"--db", restored, "verify"}).first, 0);
    auto token =
        runProgram(CentralProcess::binary(), {"--db", restored, "desk-token", "--name", "D"});
    ASSERT_EQ(token.first, 0);
    auto desk = token.second.substr(0, token.second.find('\n'));
    auto tally = runProgram(CentralProcess::binary(),
                            {"--db", restored, "tally", "--contest", "ppwp", "--json"});
    ASSERT_EQ(tally.first, 0) << tally.second;
    auto t = json::parse(tally.second);
    // Everything acknowledged before the backup is in it; the tally of the first TPS's
    // kecamatan is unchanged (the second TPS may have more, taken during the backup).
    EXPECT_GE(t["tps"]["reported"].get<int>(), tallyBefore["tps"]["reported"].get<int>());
    EXPECT_EQ(t["notice"], tallyBefore["notice"]);
    auto first =
        runProgram("/usr/bin/sqlite3",
                   {restored, "SELECT COUNT(*) FROM revisions WHERE tps = '9901011001001'"});
    EXPECT_EQ(first.second, "2\n") << "both revisions acknowledged before the backup";
    auto integrity = runProgram("/usr/bin/sqlite3", {restored, "PRAGMA integrity_check"});
    EXPECT_EQ(integrity.second, "ok\n");
}
