// The regency files the project ships: their totals, that the generator reproduces them byte for
// byte, and that KPU's misread sheets are caught.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fixtures.h"
#include "regencies.h"
#include "rekap/master_data.h"
#include "rekap/rules.h"
#include "sirekap.h"

using namespace rekap;
using namespace rekap::test;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
std::string hssFile() {
    return dataDir() + "/regencies/hss-6306.json";
}
std::string banyuasinFile() {
    return dataDir() + "/regencies/banyuasin-1607.json";
}
std::string wilayahCsv() {
    return dataDir() + "/source/hss-6306-wilayah.csv";
}
std::string sirekapCsv() {
    return dataDir() + "/source/hss-6306-sirekap-ppwp-snapshot.csv";
}
} // namespace

TEST(SampleRegencies, HuluSungaiSelatanTotals) {
    auto reg = loadRegencyFile(hssFile());
    EXPECT_EQ(reg.code.str(), "6306");
    EXPECT_EQ(reg.timeZone, TimeZone::WITA);
    EXPECT_EQ(reg.kecamatan.size(), 11u);
    EXPECT_EQ(reg.desa.size(), 148u);
    EXPECT_EQ(reg.tps.size(), 781u);
    EXPECT_EQ(reg.dptIn(reg.code), tools::kHssDpt);
    std::map<std::string, int> sources;
    for (const auto& t : reg.tps) {
        EXPECT_GE(t.dpt(), 1);
        EXPECT_LE(t.dpt(), 300);
        ++sources[t.dptSource];
    }
    EXPECT_EQ(sources["sirekap"] + sources["sirekap-adjusted"], 596);
    EXPECT_EQ(sources["generated"], 185);
    // Real names and codes from KPU's list.
    EXPECT_EQ(reg.areaName(AreaCode::parse("630601")), "SUNGAI RAYA");
    EXPECT_EQ(reg.areaName(AreaCode::parse("6306012001")), "HAMALAU");
    // A TPS with a published DPT keeps it: 6306012001001 has L 136, P 155.
    const auto* t = reg.findTps(AreaCode::parse("6306012001001"));
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->dptL, 136);
    EXPECT_EQ(t->dptP, 155);
    EXPECT_EQ(reg.contests.size(), 5u);
    EXPECT_EQ(reg.parties.size(), 18u);
}

TEST(SampleRegencies, BanyuasinTotals) {
    auto reg = loadRegencyFile(banyuasinFile());
    EXPECT_EQ(reg.code.str(), "1607");
    EXPECT_EQ(reg.timeZone, TimeZone::WIB);
    EXPECT_EQ(reg.kecamatan.size(), 21u);
    EXPECT_EQ(static_cast<long>(reg.desa.size()), tools::kBanyuasinDesa);
    EXPECT_EQ(static_cast<long>(reg.tps.size()), tools::kBanyuasinTps);
    long l = 0, p = 0;
    for (const auto& t : reg.tps) {
        EXPECT_LE(t.dpt(), 300) << t.code.str();
        l += t.dptL;
        p += t.dptP;
    }
    EXPECT_EQ(l, tools::kBanyuasinDptL);
    EXPECT_EQ(p, tools::kBanyuasinDptP);
    EXPECT_EQ(l + p, tools::kBanyuasinDpt);
    std::set<std::string> names;
    for (const auto& k : reg.kecamatan) {
        EXPECT_TRUE(k.synthetic);
        names.insert(k.name);
    }
    EXPECT_TRUE(names.count("Sumber Marga Telang"));
    EXPECT_TRUE(names.count("Tungkal Ilir"));
    for (const auto& d : reg.desa)
        EXPECT_TRUE(d.synthetic);
    EXPECT_NE(reg.provenance.find("SYNTHETIC"), std::string::npos);
}

TEST(SampleRegencies, BallotsCarryRealPaslonAndParties) {
    auto reg = loadRegencyFile(hssFile());
    const auto* ppwp = reg.findContest("ppwp");
    ASSERT_NE(ppwp, nullptr);
    EXPECT_FALSE(ppwp->syntheticCandidates);
    EXPECT_NE(ppwp->findCandidate(2)->name.find("Prabowo"), std::string::npos);
    EXPECT_EQ(reg.findParty(24)->abbreviation, "Ummat");
    EXPECT_EQ(reg.findParty(18), nullptr); // Aceh's local parties are not on these ballots
    for (const char* code : {"pdpr", "pdpd", "pdprdp", "pdprdk"})
        EXPECT_TRUE(reg.findContest(code)->syntheticCandidates) << code;
    // Every TPS gets a dapil for each party contest.
    for (const auto& t : reg.tps)
        for (const auto& c : reg.contests)
            EXPECT_TRUE(reg.ballotFor(t, c).has_value()) << t.code.str() << " " << c.code;
}

TEST(SampleRegencies, GeneratorReproducesTheShippedFilesExactly) {
    auto text = [](const Regency& r) { return encodeRegency(r).dump(1, ' ', true) + "\n"; };
    EXPECT_EQ(text(tools::makeHuluSungaiSelatan(wilayahCsv(), sirekapCsv())), slurp(hssFile()));
    EXPECT_EQ(text(tools::makeBanyuasin()), slurp(banyuasinFile()));
}

TEST(SampleRegencies, SirekapMisreadsAreCaughtByTheRules) {
    auto reg = loadRegencyFile(hssFile());
    auto replay = tools::readSirekapSnapshot(sirekapCsv(), reg);
    EXPECT_EQ(replay.sheets.size() + replay.withoutVotes, 734u);
    EXPECT_EQ(replay.withoutVotes, 16);
    int r2 = 0;
    for (const auto& s : replay.sheets) {
        const auto& c = s.sheet.candidates;
        bool misread = !s.partial && c[0].votes + c[1].votes + c[2].votes != s.sheet.summary.valid;
        auto findings = validateSheet(s.sheet, reg);
        bool flagged = false;
        for (const auto& f : findings)
            if (f.rule == "R2") {
                flagged = true;
                ++r2;
            }
        // Each of the 23 misread TPS is flagged by R2, and only those.
        EXPECT_EQ(misread, flagged) << s.sheet.tps.str();
    }
    EXPECT_EQ(r2, 23);
}
