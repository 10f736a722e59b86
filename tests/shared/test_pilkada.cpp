// The Pilkada of 27 November 2024 as configuration: Hulu Sungai Selatan's shipped Pilkada file,
// its two C.Hasil-KWK contests (the form's boxes, the rules that apply, in both languages) and
// the 2.5 % ballot reserve that sets rule R6 and the winner alert's ballots.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fixtures.h"
#include "regencies.h"
#include "rekap/error.h"
#include "rekap/master_data.h"
#include "rekap/rules.h"
#include "rekap/sheet_codec.h"
#include "rekap/sheet_form.h"
#include "rekap/winner_alert.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {
std::string pilkadaFile() {
    return dataDir() + "/regencies/hss-6306-pilkada-2024.json";
}
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
const Regency& pilkada() {
    static const Regency reg = loadRegencyFile(pilkadaFile());
    return reg;
}
/// A pilbup sheet for `tps` with `cast` votes (all from the DPT) that passes every rule.
Sheet pilbupSheet(const Tps& tps, int cast) {
    const auto& reg = pilkada();
    Sheet s = blankSheet(tps.code, *reg.ballotFor(tps, *reg.findContest("pilbup")));
    s.voters.dpt = {tps.dptL, tps.dptP, tps.dpt()};
    s.voters.fromDpt = {cast / 2, cast - cast / 2, cast};
    s.voters.fromDptb = s.voters.fromDpk = {0, 0, 0};
    s.voters.total = s.voters.fromDpt;
    s.ballots = {cast, cast, 0, 0};
    s.disabledVoters = {1, 0, 1};
    s.candidates = {{1, cast - 12}, {2, 7}, {3, 3}};
    s.summary = {cast - 2, 2, cast};
    return s;
}
std::vector<std::string> rulesOf(const Sheet& s) {
    std::vector<std::string> out;
    for (const auto& f : validateSheet(s, pilkada()))
        out.push_back(f.rule);
    return out;
}
} // namespace

TEST(Pilkada, HuluSungaiSelatanFileHoldsTheRealAreasAndTheDpt) {
    const auto& reg = pilkada();
    EXPECT_EQ(reg.code.str(), "6306");
    EXPECT_EQ(reg.timeZone, TimeZone::WITA);
    EXPECT_EQ(reg.maxVotersPerTps, 600);
    EXPECT_EQ(reg.kecamatan.size(), 11u);
    EXPECT_EQ(reg.desa.size(), 148u);
    EXPECT_EQ(reg.dptIn(reg.code), 174224);
    EXPECT_EQ(reg.dptIn(reg.code), tools::kHssPilkadaDpt);
    // The real kecamatan and desa of February's file, names and codes alike.
    auto general = loadRegencyFile(dataDir() + "/regencies/hss-6306.json");
    for (std::size_t i = 0; i < general.desa.size(); ++i) {
        EXPECT_EQ(reg.desa[i].code, general.desa[i].code);
        EXPECT_EQ(reg.desa[i].name, general.desa[i].name);
        EXPECT_FALSE(reg.desa[i].synthetic);
        EXPECT_FALSE(reg.tpsIn(reg.desa[i].code).empty()) << reg.desa[i].code.str();
    }
    EXPECT_EQ(reg.areaName(AreaCode::parse("630601")), "SUNGAI RAYA");
    // Every TPS generated and marked so, at most 600 voters, fewer TPS than February's 781.
    EXPECT_LT(reg.tps.size(), general.tps.size());
    for (const auto& t : reg.tps) {
        EXPECT_TRUE(t.synthetic) << t.code.str();
        EXPECT_EQ(t.dptSource, "generated");
        EXPECT_GE(t.dpt(), 1);
        EXPECT_LE(t.dpt(), 600);
    }
    ASSERT_TRUE(reg.election.has_value());
    EXPECT_EQ(reg.election->code, "pilkada-2024");
    EXPECT_EQ(reg.election->date, "2024-11-27");
    EXPECT_NE(reg.provenance.find("174,224"), std::string::npos);
    EXPECT_NE(reg.provenance.find("GENERATED"), std::string::npos);
}

TEST(Pilkada, ContestsAreTheGubernurAndBupatiPaslonOnTheKwkForm) {
    const auto& reg = pilkada();
    ASSERT_EQ(reg.contests.size(), 2u);
    const auto* gub = reg.findContest("pilgub");
    const auto* bup = reg.findContest("pilbup");
    ASSERT_TRUE(gub && bup);
    EXPECT_EQ(gub->name, "Gubernur dan Wakil Gubernur Kalimantan Selatan");
    EXPECT_EQ(gub->nameEn, "Governor and Vice-Governor of Kalimantan Selatan");
    EXPECT_EQ(bup->name, "Bupati dan Wakil Bupati Hulu Sungai Selatan");
    EXPECT_EQ(bup->nameEn, "Regent and Vice-Regent of Hulu Sungai Selatan");
    for (const auto* c : {gub, bup}) {
        EXPECT_EQ(c->kind, BallotKind::Paslon);
        EXPECT_EQ(c->form, "C.Hasil-KWK");
        EXPECT_EQ(c->ballotReservePermille, 25);
        EXPECT_FALSE(c->syntheticCandidates);
    }
    ASSERT_EQ(gub->candidates.size(), 2u);
    EXPECT_EQ(gub->findCandidate(1)->name, "H. Muhidin - Hasnuryadi Sulaiman");
    EXPECT_EQ(gub->findCandidate(2)->name, "Hj. Raudatul Jannah - Akhmad Rozanie Himawan Nugraha");
    ASSERT_EQ(bup->candidates.size(), 3u);
    EXPECT_EQ(bup->findCandidate(1)->name, "Hermansyah - Yopie");
    EXPECT_EQ(bup->findCandidate(2)->name, "Ja'far - Faizal");
    EXPECT_EQ(bup->findCandidate(3)->name, "Syafrudin Noor - Suriani");
    EXPECT_TRUE(reg.parties.empty());
    for (const auto& t : reg.tps)
        for (const auto& c : reg.contests)
            EXPECT_TRUE(reg.ballotFor(t, c).has_value());
}

TEST(Pilkada, GeneratorReproducesTheShippedFileExactly) {
    auto text = encodeRegency(tools::makeHuluSungaiSelatanPilkada(
                                  dataDir() + "/source/hss-6306-wilayah.csv",
                                  dataDir() + "/source/hss-6306-sirekap-ppwp-snapshot.csv"))
                    .dump(1, ' ', true) +
                "\n";
    EXPECT_EQ(text, slurp(pilkadaFile()));
}

TEST(Pilkada, TheKwkFormHasTheBoxesOfTheCHasilKwk) {
    const auto& reg = pilkada();
    const auto& tps = reg.tps.front();
    auto form = SheetForm::start(tps, *reg.ballotFor(tps, *reg.findContest("pilbup")));
    std::vector<std::string> expected;
    for (const char* row :
         {"voters.dpt", "voters.from_dpt", "voters.from_dptb", "voters.from_dpk", "voters.total"})
        for (const char* part : {".l", ".p", ".total"})
            expected.push_back(std::string(row) + part);
    for (const char* b : {"ballots.received", "ballots.used", "ballots.damaged", "ballots.unused",
                          "disabled_voters.l", "disabled_voters.p", "disabled_voters.total",
                          "votes.candidates.1", "votes.candidates.2", "votes.candidates.3",
                          "summary.valid", "summary.invalid", "summary.total"})
        expected.push_back(b);
    EXPECT_EQ(form.fields(), expected);
    EXPECT_EQ(form.value("voters.dpt.total"), tps.dpt());
    // The gubernur's form has its two paslon only.
    auto gub = SheetForm::start(tps, *reg.ballotFor(tps, *reg.findContest("pilgub")));
    EXPECT_TRUE(gub.has("votes.candidates.2"));
    EXPECT_FALSE(gub.has("votes.candidates.3"));
}

TEST(Pilkada, RulesApplyToTheKwkSheetsInBothLanguages) {
    const auto& reg = pilkada();
    const auto& tps = reg.tps.front();
    auto s = pilbupSheet(tps, 300);
    EXPECT_TRUE(rulesOf(s).empty());
    // R2: a misread paslon line; R3; R4; R1 on an L/P row; each named in both languages.
    auto misread = s;
    misread.candidates[1].votes += 100;
    auto fs = validateSheet(misread, reg);
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R2");
    EXPECT_FALSE(fs[0].messageId.empty());
    EXPECT_FALSE(fs[0].messageEn.empty());
    EXPECT_NE(fs[0].messageId, fs[0].messageEn);
    auto r4 = s;
    r4.ballots.used += 1;
    r4.ballots.received += 1;
    EXPECT_EQ(rulesOf(r4), std::vector<std::string>{"R4"});
    auto r1 = s;
    r1.voters.fromDpt.l += 1;
    r1.voters.total.l += 1;
    EXPECT_NE(std::find(rulesOf(r1).begin(), rulesOf(r1).end(), "R1"), rulesOf(r1).end());
    // A sheet for a contest the Pilkada file does not hold is refused.
    auto ppwp = s;
    ppwp.contest = "ppwp";
    EXPECT_EQ(rulesOf(ppwp), std::vector<std::string>{"R0"});
}

TEST(Pilkada, R6AllowsTheTwoAndAHalfPercentReserve) {
    // A TPS of DPT 440: the Pilkada's ballots are DPT + 2.5 % = 451, the general election's 448.
    const auto& reg = pilkada();
    const Tps* tps = nullptr;
    for (const auto& t : reg.tps)
        if (t.dpt() == 440)
            tps = &t;
    ASSERT_NE(tps, nullptr);
    EXPECT_TRUE(rulesOf(pilbupSheet(*tps, 451)).empty());
    auto over = pilbupSheet(*tps, 452);
    auto fs = validateSheet(over, reg);
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R6");
    EXPECT_EQ(fs[0].messageId, "Jumlah suara (V.C = 452) melebihi 102,5% DPT TPS ini (440, paling "
                               "banyak 451): periksa kembali angka yang tertulis.");
    EXPECT_EQ(fs[0].messageEn, "Votes cast (V.C = 452) exceed 102.5% of this TPS's DPT (440, at "
                               "most 451): check the digits again.");
    // The ballots the winner alert takes for a TPS follow the same reserve.
    EXPECT_EQ(ballotCapacity(400, 25), 410);
    EXPECT_EQ(ballotCapacity(401, 25), 412); // 411.025, rounded up
    EXPECT_EQ(ballotCapacity(400), 408);
}

TEST(Pilkada, ContestAndElectionFieldsAreCheckedWithTheirPath) {
    auto loadError = [](const json& j) {
        try {
            decodeRegency(j, "bad.json");
        } catch (const DecodeError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    auto j = tinyRegencyJson();
    j["election"] = {{"code", "pilkada-2024"},
                     {"name", "Pilkada Serentak 2024"},
                     {"name_en", "2024 regional head elections"},
                     {"date", "2024-11-27"}};
    j["contests"][0]["ballot_reserve_permille"] = 25;
    j["contests"][0]["name_en"] = "President";
    j["contests"][0]["form"] = "C.Hasil-PPWP";
    auto reg = decodeRegency(j, "ok.json");
    EXPECT_EQ(reg.election->nameEn, "2024 regional head elections");
    EXPECT_EQ(reg.contests[0].ballotReservePermille, 25);
    // Written back as read, and a file without them gains nothing.
    EXPECT_EQ(encodeRegency(reg)["election"], j["election"]);
    EXPECT_EQ(encodeRegency(reg)["contests"][0]["form"], "C.Hasil-PPWP");
    EXPECT_FALSE(encodeRegency(tinyRegency()).contains("election"));
    EXPECT_FALSE(encodeRegency(tinyRegency())["contests"][0].contains("ballot_reserve_permille"));

    auto bad = j;
    bad["election"]["date"] = "27-11-2024";
    EXPECT_EQ(loadError(bad),
              "bad.json: $.election.date: expected a date YYYY-MM-DD, got '27-11-2024'");
    bad = j;
    bad["election"].erase("name_en");
    EXPECT_EQ(loadError(bad), "bad.json: $.election: missing field 'name_en'");
    bad = j;
    bad["contests"][0]["ballot_reserve_permille"] = 250;
    EXPECT_NE(loadError(bad).find("$.contests[0].ballot_reserve_permille"), std::string::npos)
        << loadError(bad);
    bad = j;
    bad["tps"][0]["synthetic"] = "yes";
    EXPECT_NE(loadError(bad).find("$.tps[0].synthetic"), std::string::npos) << loadError(bad);
}
