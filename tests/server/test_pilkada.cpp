// The Pilkada at the receiver, on Hulu Sungai Selatan's Pilkada file of 27 November 2024: both
// contests' sheets counted against the Pilkada's DPT ("data masuk"), the CSV and the
// cross-check with a generated KPU sample of Sirekap's per-TPS shape (docs/crosscheck.md):
// every category and KPU's misreads found by the rules of the C.Hasil-KWK.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "fixtures.h"
#include "live_central.h"
#include "pilkada_sample.h"
#include "rekap/central/crosscheck.h"
#include "rekap/central/reports.h"
#include "rekap/error.h"
#include "rekap/master_data.h"
#include "rekap/sheet_codec.h"
#include "revisions.h"
#include "store_location.h"
#include "store_sql.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class PilkadaStore : public ::testing::Test {
protected:
    void SetUp() override {
        location = std::make_unique<StoreLocation>(StoreKind::SQLite, dir);
        store = std::make_unique<central::CentralStore>(location->location(), location->options());
        store->masterData().loadRegency(dataDir() + "/regencies/hss-6306-pilkada-2024.json");
        sample = tools::makePilkadaSample(store->masterData().regency(), kTps);
        // One tablet per TPS sends both of its sheets.
        std::map<std::string, central::DeviceRecord> devices;
        for (const auto& s : sample.sheets) {
            auto tps = s.tps.str();
            if (!devices.count(tps)) {
                auto code = store->registry().mintCodes(protocol::Role::Operator, s.tps, 1,
                                                        std::chrono::hours(1), "tablet")[0];
                devices.emplace(
                    tps, store->registry().authenticate(enrolSigned(*store, code, tps).token));
            }
            const auto& d = devices.at(tps);
            // With its plano photo named, as a tablet sends it: a second reading is typed from it.
            auto rev = makeRevision(d.id, s);
            rev.photo = std::string(64, s.contest == "pilgub" ? 'a' : 'b');
            auto r = store->intake().ingest(d, json::array({encodeRevision(sign(rev))}));
            ASSERT_EQ(r.results[0].status, protocol::PushStatus::Accepted) << s.key();
        }
    }
    std::string write(const std::string& name, const std::string& text) {
        auto path = dir.file(name);
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    static constexpr int kTps = 20;
    TempDir dir;
    std::unique_ptr<StoreLocation> location;
    std::unique_ptr<central::CentralStore> store;
    tools::PilkadaSample sample;
};

} // namespace

TEST_F(PilkadaStore, BothContestsCountAgainstThePilkadaDpt) {
    for (const char* contest : {"pilgub", "pilbup"}) {
        long cast = 0;
        std::map<int, long> votes;
        for (const auto& s : sample.sheets)
            if (s.contest == contest) {
                cast += s.summary.total;
                for (const auto& c : s.candidates)
                    votes[c.number] += c.votes;
            }
        auto t = central::tallyReport(*store, contest, AreaCode::parse("6306"));
        EXPECT_EQ(t["dpt"], 174224) << contest;
        EXPECT_EQ(t["tps"]["reported"], kTps);
        EXPECT_EQ(t["tps"]["total"], store->masterData().regency().tps.size());
        EXPECT_EQ(t["votes"]["total"], cast);
        EXPECT_DOUBLE_EQ(t["data_masuk"]["votes_over_dpt"].get<double>(),
                         std::round(10000.0 * static_cast<double>(cast) / 174224.0) / 100.0);
        ASSERT_EQ(t["candidates"].size(), votes.size());
        for (const auto& c : t["candidates"])
            EXPECT_EQ(c["votes"], votes[c["number"].get<int>()]);
        // The winner alert counts a missing TPS's ballots at DPT + 2.5 %.
        EXPECT_EQ(t["winner_alert"]["ballots_rule"], "dpt_plus_25_permille_rounded_up");
        // The CSV names the paslon and carries the same data masuk.
        auto csv = central::tallyCsv(*store, contest, AreaCode::parse("6306"));
        EXPECT_NE(csv.find(std::string(contest) == "pilgub" ? "H. Muhidin - Hasnuryadi Sulaiman"
                                                            : "Syafrudin Noor - Suriani"),
                  std::string::npos)
            << csv;
    }
}

TEST_F(PilkadaStore, CrosscheckWithAGeneratedKpuSampleOfSirekapsShape) {
    for (const char* contest : {"pilgub", "pilbup"}) {
        auto name = tools::pilkadaSampleCsvName(contest);
        EXPECT_NE(name.find("GENERATED"), std::string::npos);
        auto im = central::importKpu(*store, contest, write(name, sample.kpuCsv.at(contest)));
        EXPECT_EQ(im.fileName, name);
        const auto& misread = sample.kpuMisread.at(contest);
        const auto& deskOnly = sample.deskOnly.at(contest);
        const auto& kpuOnly = sample.kpuOnly.at(contest);
        ASSERT_EQ(misread.size(), 2u);
        ASSERT_EQ(deskOnly.size(), 2u);
        ASSERT_EQ(kpuOnly.size(), 3u);
        auto r = central::crosscheckReport(*store, contest, AreaCode::parse("6306"), std::nullopt);
        EXPECT_EQ(r["counts"]["same"], kTps - 4) << contest;
        EXPECT_EQ(r["counts"]["different"], 2);
        EXPECT_EQ(r["counts"]["kpu_misread"], 2);
        EXPECT_EQ(r["counts"]["desk_only"], 2);
        EXPECT_EQ(r["counts"]["kpu_only"], 3);
        // Each misread: paslon 01 read 100 too high, which breaks R2 at KPU.
        for (const auto& tps : misread) {
            auto t = central::crosscheckReport(*store, contest, AreaCode::parse(tps), std::nullopt);
            ASSERT_EQ(t["tps"].size(), 1u);
            const auto& row = t["tps"][0];
            EXPECT_EQ(row["category"], "different");
            EXPECT_TRUE(row["kpu_misread"].get<bool>());
            EXPECT_EQ(row["kpu_rules"], json::array({"R2"}));
            ASSERT_EQ(row["differences"].size(), 1u);
            EXPECT_EQ(row["differences"][0]["field"], "votes.candidates.1");
            EXPECT_EQ(row["differences"][0]["delta"], 100);
        }
        // The kabupaten's line for paslon 01 differs by exactly the two misreads.
        EXPECT_EQ(r["lines"][0]["field"], "votes.candidates.1");
        EXPECT_EQ(r["lines"][0]["delta"], 200);
        EXPECT_EQ(r["lines"][0]["differing"], 2);
        auto csv = central::crosscheckCsv(*store, contest, AreaCode::parse("6306"), std::nullopt);
        EXPECT_NE(csv.find(misread[0]), std::string::npos);
    }
}

TEST_F(PilkadaStore, AStoreHoldsOneElection) {
    // February's file on November's store is refused, naming both; so is the other way round.
    auto general = dataDir() + "/regencies/hss-6306.json";
    try {
        store->masterData().loadRegency(general);
        FAIL() << "loaded the general election over the Pilkada";
    } catch (const DecodeError& e) {
        EXPECT_NE(
            std::string(e.what()).find("this store holds election pilkada-2024, the file "
                                       "has election pemilu-2024: a store holds one election"),
            std::string::npos)
            << e.what();
    }
    EXPECT_EQ(store->masterData().regency().contests.size(), 2u) << "nothing changed";
    TempDir other;
    StoreLocation february(StoreKind::SQLite, other);
    central::CentralStore feb(february.location(), february.options());
    feb.masterData().loadRegency(general);
    EXPECT_THROW(feb.masterData().loadRegency(dataDir() + "/regencies/hss-6306-pilkada-2024.json"),
                 DecodeError);
    EXPECT_EQ(feb.masterData().regency().contests.size(), 5u);
    // The same election's file again loads as before.
    EXPECT_NO_THROW(
        store->masterData().loadRegency(dataDir() + "/regencies/hss-6306-pilkada-2024.json"));
}

TEST_F(PilkadaStore, SecondReadingVerifiesOrDisputesAKwkSheet) {
    // The desk reads the bupati sheet of the first TPS as typed: verified; the gubernur sheet
    // one vote apart: "beda bacaan", a conflict in which the first entry still counts.
    auto first = [&](const std::string& contest) {
        return *std::find_if(sample.sheets.begin(), sample.sheets.end(),
                             [&](const Sheet& s) { return s.contest == contest; });
    };
    // Rina holds each sheet for reading, as the queue would hand it out, and every photo is held.
    const central::PhotoReady allPhotos = [](const std::string&) { return true; };
    auto hold = [&](const std::string& sheet) {
        {
            auto db = test::sqlOf(*store);
            db->prepare("INSERT INTO reading_claims (sheet, holder, claimed_at, expires_at) VALUES "
                        "(?, 'desk:Rina', '', ?)")
                .bindAll(sheet, std::int64_t{4102444800})
                .run();
        }
    };
    const auto bup = first("pilbup");
    auto key = bup.key();
    hold(key);
    auto agree = store->readings().submitReading(key, *store->sheets().sheet(key)->winner, bup,
                                                 "Rina", "desk:Rina", allPhotos);
    EXPECT_EQ(agree.outcome, "verified");
    EXPECT_TRUE(store->live().counted(key).verified);
    auto t = central::tallyReport(*store, "pilbup", AreaCode::parse("6306"));
    EXPECT_EQ(t["tps"]["verified"], 1);

    const auto gub = first("pilgub");
    auto gubKey = gub.key();
    auto other = gub;
    --other.candidates[0].votes;
    ++other.candidates[1].votes;
    auto firstEntry = *store->sheets().sheet(gubKey)->winner;
    hold(gubKey);
    auto differ =
        store->readings().submitReading(gubKey, firstEntry, other, "Rina", "desk:Rina", allPhotos);
    EXPECT_EQ(differ.outcome, "differs");
    EXPECT_EQ(store->sheets().sheet(gubKey)->state, SheetState::Conflict);
    EXPECT_EQ(store->live().counted(gubKey).sheet, gub);
    // The ledger with both readings verifies.
    auto v = store->ledger().verify();
    EXPECT_TRUE(v.ok) << v.failure;
}
