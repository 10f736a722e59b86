// "Bisa mengubah pemenang" through the real store: the tally report's winner_alert as TPS are
// missing, in conflict, decided, rejected and corrected, hand-computed at every step, and the
// same after a restart (a recount from the stored sheets).

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/reports.h"
#include "rekap/central/store.h"
#include "revisions.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

// The fixture regency: TPS 9901011001001 (DPT 200: 204 ballots), 9901011001002 (DPT 0),
// 9901011002001 (DPT 250: 255 ballots), 9901021001001 (DPT 100: 102 ballots).
class WinnerAlertStore : public StoreSuite {
protected:
    protocol::PushStatus push(const central::DeviceRecord& d, const Revision& r) {
        return store->intake().ingest(d, json::array({encodeRevision(r)})).results[0].status;
    }
    json alert(const std::string& area) {
        return central::tallyReport(*store, "ppwp", AreaCode::parse(area))["winner_alert"];
    }
    /// A conflict at `tps` (the second tablet one vote apart), decided for the first tablet.
    void decided(const std::string& tps, const Sheet& sheet) {
        auto a = enrol(tps);
        auto b = enrol(tps);
        auto first = makeRevision(a.id, sheet);
        ASSERT_EQ(push(a, first), protocol::PushStatus::Accepted);
        ASSERT_EQ(push(b, makeRevision(b.id, moveOneVote(sheet))), protocol::PushStatus::Conflict);
        store->sheets().resolve(tps + "/ppwp", first.id, "plano", "Desk");
    }
};

Sheet at(Sheet s, const std::string& tps) {
    s.tps = AreaCode::parse(tps);
    return s;
}

void expectAlert(const json& a, bool canChange, long margin, long possible, long disputed) {
    EXPECT_EQ(a["can_change"], canChange) << a.dump();
    EXPECT_EQ(a["margin"], margin) << a.dump();
    EXPECT_EQ(a["possible"], possible) << a.dump();
    EXPECT_EQ(a["disputed"], disputed) << a.dump();
}

} // namespace

TEST_P(WinnerAlertStore, MissingConflictingRejectedAndUnverifiedTpsAgainstTheMargin) {
    const std::string a = "9901011001001", b = "9901011002001", c = "9901021001001";
    auto empty = alert("9901");
    EXPECT_TRUE(empty["leader"].is_null());
    EXPECT_FALSE(empty["can_change"]);
    EXPECT_EQ(empty["possible"], 204 + 0 + 255 + 102);
    EXPECT_EQ(empty["ballots_rule"], "dpt_plus_2_percent_rounded_up");

    // 1. TPS A in conflict: 01 70, 02 90 counted (the first tablet's). 02 leads by 20. A conflict
    //    is worth its 204 ballots to 01, less the 70 01 already holds, plus the 90 02 would
    //    lose: 224. B and C are missing: 255 + 102 = 357.
    auto da = enrol(a), db = enrol(a);
    auto first = makeRevision(da.id, validPpwpSheet()); // 70 / 90 / 10, valid 170
    ASSERT_EQ(push(da, first), protocol::PushStatus::Accepted);
    ASSERT_EQ(push(db, makeRevision(db.id, moveOneVote(validPpwpSheet()))),
              protocol::PushStatus::Conflict);
    auto kab = alert("9901");
    EXPECT_EQ(kab["leader"]["number"], 2);
    EXPECT_EQ(kab["challenger"]["number"], 1);
    EXPECT_EQ(kab["leader_votes"], 90);
    EXPECT_EQ(kab["challenger_votes"], 70);
    EXPECT_EQ(kab["open"]["conflict_ballots"], 204);
    expectAlert(kab, true, 20, 357, 224);
    expectAlert(alert("9901011001"), true, 20, 0, 224); // TPS 002 has no voters
    // The CSV export carries the alert on each area's row: whether it can change, the leader,
    // its margin, the votes possible and disputed.
    auto csv = central::tallyCsv(*store, "ppwp", AreaCode::parse("9901"));
    EXPECT_NE(csv.find(",data_masuk_persen,bisa_mengubah_pemenang,unggul,selisih_unggul,"
                       "suara_mungkin,suara_diragukan,"),
              std::string::npos)
        << csv;
    const auto name2 = store->masterData().regency().findContest("ppwp")->candidates[1].name;
    auto regencyRow = csv.substr(csv.find("\n9901,") + 1);
    regencyRow = regencyRow.substr(0, regencyRow.find('\n'));
    EXPECT_NE(regencyRow.find(",ya," + name2 + ",20,357,224,"), std::string::npos) << regencyRow;

    // 2. The desk decides A: verified. Its desa has nothing open; the regency still has B and C.
    store->sheets().resolve(a + "/ppwp", first.id, "plano", "Desk");
    expectAlert(alert("9901011001"), false, 20, 0, 0);
    expectAlert(alert("9901"), true, 20, 357, 0);
    auto kec = central::tallyReport(*store, "ppwp", AreaCode::parse("990101"));
    ASSERT_EQ(kec["children"].size(), 2u);
    EXPECT_FALSE(kec["children"][0]["winner_alert"]["can_change"]);      // desa of A
    EXPECT_TRUE(kec["children"][1]["winner_alert"]["leader"].is_null()); // B: nothing counted
    auto desa = central::tallyReport(*store, "ppwp", AreaCode::parse("9901011001"));
    EXPECT_FALSE(desa["children"][0].contains("winner_alert")) << "areas only, not TPS";

    // 3. B decided too, 01 40, 02 120: 01 110, 02 210, margin 100; C missing: 102 ballots.
    auto sb = at(validPpwpSheet(), b);
    sb.voters.dpt = {120, 130, 250};
    sb.candidates = {{1, 40}, {2, 120}, {3, 10}};
    decided(b, sb);
    expectAlert(alert("9901"), true, 100, 102, 0);

    // 4. C's first sheet breaks R6 (176 votes for a DPT of 100): rejected, it counts nothing
    //    and its 102 ballots stay open, as disputed.
    auto dc = enrol(c);
    auto misread = makeRevision(dc.id, at(validPpwpSheet(), c));
    ASSERT_EQ(push(dc, misread), protocol::PushStatus::Rejected);
    kab = alert("9901");
    EXPECT_EQ(kab["open"]["rejected_ballots"], 102);
    expectAlert(kab, true, 100, 0, 102);

    // 5. C's correction is accepted, not verified: 01 30, 02 45 of valid 85. 01 140, 02 255,
    //    margin 115. At worst its 85 are all 01's and 02 loses its 45 there: 85 + 45 - 30 = 100,
    //    less than 115: the leader cannot change any more.
    auto sc = at(validPpwpSheet(), c);
    sc.voters.dpt = {50, 50, 100};
    sc.voters.fromDpt = {40, 45, 85};
    sc.voters.total = {44, 47, 91};
    sc.ballots = {102, 91, 3, 8};
    sc.summary = {85, 6, 91};
    sc.candidates = {{1, 30}, {2, 45}, {3, 10}};
    ASSERT_EQ(push(dc, makeRevision(dc.id, sc, misread.id)), protocol::PushStatus::Accepted);
    kab = alert("9901");
    EXPECT_EQ(kab["open"]["unverified_valid"], 85);
    expectAlert(kab, false, 115, 0, 100);
    csv = central::tallyCsv(*store, "ppwp", AreaCode::parse("9901"));
    regencyRow = csv.substr(csv.find("\n9901,") + 1);
    regencyRow = regencyRow.substr(0, regencyRow.find('\n'));
    EXPECT_NE(regencyRow.find(",tidak," + name2 + ",115,0,100,"), std::string::npos) << regencyRow;

    // The same after a restart: the tally is recounted from the stored sheets.
    store.reset();
    store = openAgain();
    EXPECT_EQ(alert("9901"), kab);
}

// DPR: the party with the most votes leads (votes, not seats). One sheet, not verified:
// PKB 60, Gerindra 100 of valid 160; 02 leads by 40; 160 + 100 - 60 = 200 disputed.
TEST_P(WinnerAlertStore, APartyContestTakesThePartyTotals) {
    auto d = enrol("9901011001001");
    ASSERT_EQ(push(d, makeRevision(d.id, validPdprSheet())), protocol::PushStatus::Accepted);
    auto a = central::tallyReport(*store, "pdpr", AreaCode::parse("9901"))["winner_alert"];
    EXPECT_EQ(a["leader"]["number"], 2);
    EXPECT_EQ(a["challenger"]["number"], 1);
    EXPECT_EQ(a["margin"], 40);
    EXPECT_EQ(a["possible"], 0); // TPS 002 takes DPR but has no voters
    EXPECT_EQ(a["disputed"], 200);
    EXPECT_TRUE(a["can_change"]);
}

INSTANTIATE_STORE_SUITE(WinnerAlertStore);
