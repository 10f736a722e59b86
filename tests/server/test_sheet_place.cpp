// A sheet named by its place (issue 28): the sheet's, the conflicts' and the rejected sheets'
// reports carry the TPS, desa, kecamatan and contest by name, and the ballot's lines by name
// (paslon; parties with the candidates of the TPS's dapil), from the tiny regency's master data.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/reports.h"
#include "revisions.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class SheetPlace : public StoreTest {
protected:
    void push(const central::DeviceRecord& d, const Revision& r) {
        store->intake().ingest(d, json::array({encodeRevision(r)}));
    }
    const std::string tps = "9901011001001";
};

void expectPlace(const json& place, const std::string& contest, const std::string& name) {
    EXPECT_EQ(place["tps"], json({{"code", "9901011001001"}, {"name", "TPS 001"}}));
    EXPECT_EQ(place["desa"], json({{"code", "9901011001"}, {"name", "Desa Satu"}}));
    EXPECT_EQ(place["kecamatan"], json({{"code", "990101"}, {"name", "Kecamatan Uji"}}));
    EXPECT_EQ(place["contest"], json({{"code", contest}, {"name", name}}));
}

} // namespace

TEST_F(SheetPlace, APaslonSheetNamesItsPlaceAndItsPaslon) {
    auto a = enrol(tps);
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto place = central::sheetReport(*store, tps + "/ppwp")["place"];
    expectPlace(place, "ppwp", "Presiden");
    EXPECT_EQ(place["candidates"], json::parse(R"([{"number": 1, "name": "Satu"},
        {"number": 2, "name": "Dua"}, {"number": 3, "name": "Tiga"}])"));
    EXPECT_FALSE(place.contains("parties"));
}

TEST_F(SheetPlace, APartySheetNamesItsPartiesAndTheCandidatesOfItsDapil) {
    auto a = enrol(tps);
    push(a, makeRevision(a.id, validPdprSheet()));
    auto place = central::sheetReport(*store, tps + "/pdpr")["place"];
    expectPlace(place, "pdpr", "DPR RI");
    EXPECT_EQ(place["parties"], json::parse(R"([
        {"number": 1, "abbreviation": "PKB", "name": "Partai Kebangkitan Bangsa",
         "candidates": [{"number": 1, "name": "A"}, {"number": 2, "name": "B"}]},
        {"number": 2, "abbreviation": "Gerindra", "name": "Partai Gerindra",
         "candidates": [{"number": 1, "name": "C"}, {"number": 2, "name": "D"}]}])"));
}

TEST_F(SheetPlace, ConflictsAndRejectedSheetsNameTheirPlace) {
    auto a = enrol(tps), b = enrol(tps, "b");
    push(a, makeRevision(a.id, validPpwpSheet()));
    push(b, makeRevision(b.id, moveOneVote(validPpwpSheet())));
    auto conflicts = central::conflictsReport(*store, AreaCode::parse("9901"))["conflicts"];
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_EQ(conflicts[0]["sheet"], tps + "/ppwp");
    expectPlace(conflicts[0]["place"], "ppwp", "Presiden");

    auto bad = validPdpdSheet();
    bad.summary.invalid += 3; // R3
    push(a, makeRevision(a.id, bad));
    auto rejected = central::rejectedReport(*store, AreaCode::parse("9901"))["rejected"];
    ASSERT_EQ(rejected.size(), 1u);
    expectPlace(rejected[0]["place"], "pdpd", "DPD RI");
    EXPECT_EQ(rejected[0]["place"]["candidates"].size(), 3u);
}
