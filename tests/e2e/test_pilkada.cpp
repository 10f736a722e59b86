// The Pilkada end to end on real processes: a `rekap-central` initialised with Hulu Sungai
// Selatan's Pilkada file of 27 November 2024 serves on 127.0.0.1, operators' devices (the real
// sync client) send both sheets of their TPS (pilgub, pilbup), a correction and a sheet the
// rules reject; the desk's tally and "data masuk" stand against the Pilkada's DPT (174,224),
// `rekap-central verify` passes, and the outsider's `rekap-verify` replays the audit export to
// the same tally. The same receiver binary and devices as the general election: only the file
// differs.

#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>

#include "child_process.h"
#include "fixtures.h"
#include "rekap/master_data.h"
#include "rekap/sheet_codec.h"
#include "rekap/sync/relay_code.h"
#include "rekap/sync/sync_client.h"
#include "temp_dir.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string pilkadaFile() {
    return dataDir() + "/regencies/hss-6306-pilkada-2024.json";
}

/// A paslon sheet that passes every rule: `votes` per paslon, `invalid` invalid votes, all
/// voters from the DPT, ballots received = DPT + 2.5 %.
Sheet paslonSheet(const Regency& reg, const Tps& tps, const std::string& contest,
                  const std::vector<int>& votes, int invalid) {
    Sheet s = blankSheet(tps.code, *reg.ballotFor(tps, *reg.findContest(contest)));
    int valid = 0;
    for (std::size_t i = 0; i < votes.size(); ++i) {
        s.candidates[i].votes = votes[i];
        valid += votes[i];
    }
    int cast = valid + invalid;
    s.voters.dpt = {tps.dptL, tps.dptP, tps.dpt()};
    s.voters.fromDpt = {cast / 2, cast - cast / 2, cast};
    s.voters.fromDptb = s.voters.fromDpk = {0, 0, 0};
    s.voters.total = s.voters.fromDpt;
    int received = (tps.dpt() * 1025 + 999) / 1000;
    s.ballots = {received, cast, 0, received - cast};
    s.disabledVoters = {0, 1, 1};
    s.summary = {valid, invalid, cast};
    return s;
}

class PilkadaEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        regency = std::make_unique<Regency>(loadRegencyFile(pilkadaFile()));
        db = dir.file("pilkada.db");
        ASSERT_EQ(cli({"init", "--regency", pilkadaFile()}).first, 0);
        serve = std::make_unique<ChildProcess>(
            REKAP_CENTRAL_BIN, std::vector<std::string>{"--db", db, "serve", "--port", "0"});
        auto line = serve->readLine(20s);
        ASSERT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0);
        url = line->substr(std::string("listening on ").size());
        port = std::stoi(url.substr(url.rfind(':') + 1));
        auto token = cli({"desk-token", "--name", "Desk Pilkada"});
        ASSERT_EQ(token.first, 0);
        desk = token.second.substr(0, token.second.find('\n'));
    }
    void TearDown() override {
        if (serve)
            serve->kill9();
    }
    std::pair<int, std::string> cli(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db});
        return runProgram(REKAP_CENTRAL_BIN, args);
    }
    std::unique_ptr<sync::DeviceFile> device(const Tps& tps) {
        auto code = cli({"mint", "--area", tps.code.str()});
        auto store = std::make_unique<sync::DeviceFile>(dir.file(tps.code.str() + ".db"));
        sync::SyncOptions o;
        o.maxAttempts = 2;
        sync::SyncClient(*store, o).enrol(url, code.second.substr(0, code.second.find('\n')),
                                          "tablet " + tps.code.str());
        return store;
    }
    json get(const std::string& path) {
        httplib::Client c("127.0.0.1", port);
        auto res = c.Get(path.c_str(), {{"Authorization", "Bearer " + desk}});
        EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no answer");
        return res ? json::parse(res->body) : json();
    }

    TempDir dir;
    std::unique_ptr<Regency> regency;
    std::string db, url, desk;
    int port = 0;
    std::unique_ptr<ChildProcess> serve;
};

} // namespace

TEST_F(PilkadaEndToEnd, BothSheetsSyncAndCountAgainstThePilkadaDpt) {
    // Three TPS of two kecamatan; the third's bupati sheet misread (R2) and so rejected.
    const Tps& a = regency->tps[0];
    const Tps& b = regency->tps[1];
    const Tps& c = regency->tps.back();
    struct Plan {
        const Tps* tps;
        std::vector<int> gub, bup;
    };
    std::vector<Plan> plans = {{&a, {120, 100}, {90, 80, 50}},
                               {&b, {101, 99}, {70, 60, 70}},
                               {&c, {150, 110}, {100, 100, 60}}};
    long cast = 0;
    for (const auto& p : plans) {
        auto store = device(*p.tps);
        // The device holds the Pilkada's master data: its own TPS's DPT, both contests.
        auto gub = paslonSheet(*regency, *p.tps, "pilgub", p.gub, 4);
        auto bup = paslonSheet(*regency, *p.tps, "pilbup", p.bup, 4);
        sync::Capture::FinalizeOptions plain;
        store->capture().finalize(gub, "Siti", plain);
        if (p.tps == &c) {
            auto wrong = bup;
            wrong.candidates[0].votes += 100; // IV no longer adds up to V.A
            sync::Capture::FinalizeOptions allow;
            allow.allowRuleErrors = true;
            store->capture().finalize(wrong, "Siti", allow);
        } else {
            store->capture().finalize(bup, "Siti", plain);
        }
        if (p.tps == &a) {
            // A correction of the gubernur sheet: one vote moved from 01 to 02.
            auto fixed = gub;
            --fixed.candidates[0].votes;
            ++fixed.candidates[1].votes;
            sync::Capture::FinalizeOptions o;
            o.reason = "salah tulis";
            store->capture().finalize(fixed, "Siti", o);
        }
        sync::SyncOptions so;
        so.maxAttempts = 2;
        auto report = sync::SyncClient(*store, so).sync();
        EXPECT_EQ(report.accepted + report.rejected, p.tps == &a ? 3 : 2);
        cast += gub.summary.total;
    }

    // The gubernur: every TPS counted, the correction's numbers, against the Pilkada's DPT.
    auto gub = get("/api/v1/tally?contest=pilgub&area=6306");
    EXPECT_EQ(gub["dpt"], 174224);
    EXPECT_EQ(gub["tps"]["total"], static_cast<long>(regency->tps.size()));
    EXPECT_EQ(gub["tps"]["reported"], 3);
    EXPECT_EQ(gub["votes"]["total"], cast);
    EXPECT_DOUBLE_EQ(gub["data_masuk"]["votes_over_dpt"].get<double>(),
                     std::round(10000.0 * static_cast<double>(cast) / 174224.0) / 100.0);
    ASSERT_EQ(gub["candidates"].size(), 2u);
    EXPECT_EQ(gub["candidates"][0]["name"], "H. Muhidin - Hasnuryadi Sulaiman");
    EXPECT_EQ(gub["candidates"][0]["votes"], 120 - 1 + 101 + 150);
    EXPECT_EQ(gub["candidates"][1]["votes"], 100 + 1 + 99 + 110);
    // The bupati: the misread sheet rejected, so two TPS count.
    auto bup = get("/api/v1/tally?contest=pilbup&area=6306");
    EXPECT_EQ(bup["dpt"], 174224);
    EXPECT_EQ(bup["tps"]["reported"], 2);
    EXPECT_EQ(bup["tps"]["rejected"], 1);
    ASSERT_EQ(bup["candidates"].size(), 3u);
    EXPECT_EQ(bup["candidates"][1]["name"], "Ja'far - Faizal");
    EXPECT_EQ(bup["candidates"][0]["votes"], 90 + 70);
    EXPECT_EQ(bup["candidates"][2]["votes"], 50 + 70);
    // A kecamatan's DPT is the Pilkada's too.
    auto kec = a.code.ancestor(AreaLevel::Kecamatan);
    EXPECT_EQ(get("/api/v1/tally?contest=pilbup&area=" + kec.str())["dpt"], regency->dptIn(kec));

    // The ledger: the receiver's own check, then the outsider's replay of the audit export.
    auto verify = cli({"verify", "--json"});
    EXPECT_EQ(verify.first, 0) << verify.second;
    auto exportFile = dir.file("audit.json");
    ASSERT_EQ(cli({"audit-export", "--out", exportFile}).first, 0);
    auto outsider = runProgram(REKAP_VERIFY_BIN, {exportFile, "--json"});
    ASSERT_EQ(outsider.first, 0) << outsider.second;
    auto replayed = json::parse(outsider.second);
    std::string text = replayed.dump();
    EXPECT_NE(text.find("pilgub"), std::string::npos);
    EXPECT_NE(text.find("pilbup"), std::string::npos);
    // The CSV the desk downloads names the paslon and the Pilkada's DPT-based data masuk.
    httplib::Client client("127.0.0.1", port);
    auto csv = client.Get("/api/v1/tally.csv?contest=pilbup&area=6306",
                          {{"Authorization", "Bearer " + desk}});
    ASSERT_TRUE(csv && csv->status == 200);
    EXPECT_NE(csv->body.find("Syafrudin Noor - Suriani"), std::string::npos) << csv->body;
}

// What the other parts of Rekap add work for the Pilkada's sheets too: an operator without
// signal hands both KWK sheets to the camat's tablet by QR relay, and the desk sends the bupati
// sheet back ("perlu perbaikan"); the operator's correction answers it.
TEST_F(PilkadaEndToEnd, BothSheetsTravelByQrRelayAndASheetSentBackComesBackCorrected) {
    const Tps& tps = regency->tps[0];
    auto op = device(tps);
    auto gub = paslonSheet(*regency, tps, "pilgub", {120, 100}, 4);
    auto bup = paslonSheet(*regency, tps, "pilbup", {90, 80, 50}, 4);
    sync::Capture::FinalizeOptions plain;
    op->capture().finalize(gub, "Siti", plain);
    auto first = op->capture().finalize(bup, "Siti", plain);

    // No signal at the TPS: the codes the operator's tablet shows, read by the camat's tablet.
    const auto kecamatan = tps.code.parent()->parent()->str();
    auto code = cli({"mint", "--role", "camat", "--area", kecamatan});
    ASSERT_EQ(code.first, 0) << code.second;
    sync::DeviceFile camat(dir.file("camat.db"));
    sync::SyncOptions so;
    so.maxAttempts = 2;
    sync::SyncClient(camat, so).enrol(url, code.second.substr(0, code.second.find('\n')),
                                      "camat tablet");
    std::vector<json> queued;
    for (const auto& e : op->outbox().all())
        queued.push_back(encodeRevision(e.revision));
    ASSERT_EQ(queued.size(), 2u);
    for (const auto& text : sync::relay::encodeSeries(queued, {300}))
        camat.relay().addCode(text);
    EXPECT_EQ(sync::SyncClient(camat, so).sync().relayed, 2);
    const auto bupKey = tps.code.str() + "/pilbup";
    EXPECT_EQ(get("/api/v1/sheets/" + bupKey)["state"], "accepted");
    const auto desa = tps.code.parent()->str();
    auto t = get("/api/v1/tally?contest=pilgub&area=" + desa);
    EXPECT_EQ(t["tps"]["reported"], 1);
    // The operator's own sync finds both already in: duplicates, nothing stored twice.
    EXPECT_EQ(sync::SyncClient(*op, so).sync().duplicates, 2);

    // The desk sends the bupati sheet back; the operator's tablet shows it on its next sync.
    httplib::Client c("127.0.0.1", port);
    auto sent = c.Post("/api/v1/sheets/send-back", {{"Authorization", "Bearer " + desk}},
                       json{{"sheet", bupKey}, {"reason", "suara paslon 03 tidak terbaca"}}.dump(),
                       "application/json");
    ASSERT_TRUE(sent && sent->status == 200) << (sent ? sent->body : "no answer");
    sync::SyncClient(*op, so).sync();
    auto mark = op->sendBacks().of(bupKey);
    ASSERT_TRUE(mark);
    EXPECT_EQ(mark->revision, first.id);
    EXPECT_EQ(mark->reason, "suara paslon 03 tidak terbaca");
    EXPECT_FALSE(mark->answered);

    // The correction answers it, and counts.
    auto fixed = bup;
    --fixed.candidates[2].votes;
    ++fixed.candidates[1].votes;
    sync::Capture::FinalizeOptions o;
    o.reason = "dicek ulang dengan plano";
    op->capture().finalize(fixed, "Siti", o);
    sync::SyncClient(*op, so).sync();
    EXPECT_TRUE(op->sendBacks().of(bupKey)->answered);
    EXPECT_EQ(get("/api/v1/send-backs")["answered"], 1);
    auto b = get("/api/v1/tally?contest=pilbup&area=" + desa);
    EXPECT_EQ(b["candidates"][1]["votes"], 81);
    EXPECT_EQ(b["candidates"][2]["votes"], 49);
}
