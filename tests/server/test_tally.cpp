// The tally: sums at every level, shares and data masuk, the counting policy for conflicts,
// rejections, corrections and adjudications, and a property test: over random histories the
// incremental tally always equals a recount from scratch and an independent sum.

#include <gtest/gtest.h>

#include <random>

#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/api_error.h"
#include "rekap/central/reports.h"
#include "rekap/central/store.h"
#include "revisions.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class TallyTest : public StoreTest {
protected:
    protocol::PushResult push(const central::DeviceRecord& d, const Revision& r) {
        return store->ingest(d, json::array({encodeRevision(r)})).results[0];
    }
    json report(const std::string& area, const std::string& contest = "ppwp") {
        return central::tallyReport(*store, contest, AreaCode::parse(area));
    }
    Sheet at(Sheet s, const std::string& tps) {
        s.tps = AreaCode::parse(tps);
        return s;
    }
};

long votes(const json& r, int number) {
    for (const auto& c : r["candidates"])
        if (c["number"] == number)
            return c["votes"];
    return -1;
}

} // namespace

TEST_F(TallyTest, EmptyRegencyHasEverythingPending) {
    auto r = report("9901");
    EXPECT_EQ(r["tps"]["total"], 4);
    EXPECT_EQ(r["tps"]["pending"], 4);
    EXPECT_EQ(r["dpt"], 550);
    EXPECT_EQ(r["children"].size(), 2u);
    EXPECT_EQ(r["notice"], "Data sementara hasil rekap internal Pemkab, bukan hasil resmi KPU.");
    EXPECT_NE(r["as_of"]["clock"].get<std::string>().find("WITA"), std::string::npos);
    EXPECT_EQ(report("9901", "pdpr")["tps"]["total"], 2); // only two TPS take DPR
}

TEST_F(TallyTest, SumsAtEveryLevelWithSharesAndDataMasuk) {
    auto a = enrol("9901011001001");
    auto b = enrol("9901011002001");
    push(a, makeRevision(a.id, validPpwpSheet())); // 70 / 90 / 10, valid 170, total 176
    auto s2 = at(validPpwpSheet(), "9901011002001");
    s2.voters.dpt = {120, 130, 250};
    push(b, makeRevision(b.id, s2));
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["reported"], 2);
    EXPECT_EQ(kab["tps"]["pending"], 2);
    EXPECT_EQ(votes(kab, 1), 140);
    EXPECT_EQ(votes(kab, 2), 180);
    EXPECT_EQ(kab["votes"]["valid"], 340);
    EXPECT_EQ(kab["votes"]["total"], 352);
    EXPECT_DOUBLE_EQ(kab["candidates"][0]["share"].get<double>(), 41.18); // 140/340
    EXPECT_DOUBLE_EQ(kab["candidates"][1]["share"].get<double>(), 52.94);
    EXPECT_DOUBLE_EQ(kab["data_masuk"]["votes_over_dpt"].get<double>(), 64.0); // 352/550
    EXPECT_DOUBLE_EQ(kab["data_masuk"]["tps_reported_over_total"].get<double>(), 50.0);
    auto desa = report("9901011001");
    EXPECT_EQ(votes(desa, 1), 70);
    ASSERT_EQ(desa["children"].size(), 2u); // its two TPS
    EXPECT_EQ(desa["children"][0]["state"], "accepted");
    EXPECT_EQ(desa["children"][1]["state"], "not_received");
    auto tps = report("9901011001001");
    EXPECT_EQ(votes(tps, 3), 10);
    EXPECT_EQ(tps["state"], "accepted");
    EXPECT_EQ(report("990102")["tps"]["reported"], 0);
}

TEST_F(TallyTest, PartyContestsSumPartiesAndCandidates) {
    auto a = enrol("9901011001001");
    push(a, makeRevision(a.id, validPdprSheet()));
    auto r = report("9901", "pdpr");
    ASSERT_EQ(r["parties"].size(), 2u);
    EXPECT_EQ(r["parties"][0]["votes"], 60);
    EXPECT_EQ(r["parties"][0]["party_only"], 30);
    EXPECT_EQ(r["parties"][1]["candidates"][0]["votes"], 30);
    EXPECT_DOUBLE_EQ(r["parties"][1]["share"].get<double>(), 62.5); // 100/160
}

TEST_F(TallyTest, CorrectionReplacesAndNeverDoubleCounts) {
    auto a = enrol("9901011001001");
    auto r1 = makeRevision(a.id, validPpwpSheet());
    push(a, r1);
    push(a, makeRevision(a.id, moveOneVote(r1.sheet), r1.id));
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["reported"], 1);
    EXPECT_EQ(votes(kab, 1), 69);
    EXPECT_EQ(votes(kab, 2), 91);
}

TEST_F(TallyTest, ConflictCountsTheProvisionalWinnerFlagged) {
    auto a = enrol("9901011001001");
    auto b = enrol("9901011001001");
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto rb = makeRevision(b.id, moveOneVote(validPpwpSheet()));
    push(b, rb);
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["reported"], 1);
    EXPECT_EQ(kab["tps"]["conflict"], 1);
    EXPECT_EQ(votes(kab, 1), 70) << "the first accepted head counts until the desk decides";
    auto resolution = store->resolve("9901011001001/ppwp", rb.id, "plano", "Desk");
    kab = report("9901");
    EXPECT_EQ(kab["tps"]["conflict"], 0);
    EXPECT_EQ(kab["tps"]["verified"], 1);
    EXPECT_EQ(votes(kab, 1), 69);
    EXPECT_FALSE(resolution.empty());
}

TEST_F(TallyTest, RejectedSheetsCountNothing) {
    auto a = enrol("9901011001001");
    auto bad = validPpwpSheet();
    bad.candidates[1].votes = 190;
    push(a, makeRevision(a.id, bad));
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["rejected"], 1);
    EXPECT_EQ(kab["tps"]["reported"], 0);
    EXPECT_EQ(kab["tps"]["pending"], 3);
    EXPECT_EQ(kab["votes"]["valid"], 0);
}

TEST_F(TallyTest, CsvHasOneRowPerArea) {
    auto a = enrol("9901011001001");
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto csv = central::tallyCsv(*store, "ppwp", AreaCode::parse("9901"));
    EXPECT_EQ(csv.substr(0, 40), "kode,nama,tingkat,tps_total,tps_masuk,tp");
    EXPECT_NE(csv.find("\n9901,Uji,kabupaten,4,1,3,0,0,550,170,6,176,32.0,70,90,10\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("990101,Kecamatan Uji,kecamatan,3,1,"), std::string::npos);
}

TEST_F(TallyTest, UnknownAreaOrContest) {
    EXPECT_THROW(report("9902"), central::ApiError);
    EXPECT_THROW(report("9901", "pilpres"), central::ApiError);
}

// Random histories: devices record, correct (from the head or a stale parent), send misread
// sheets, retry, and the desk adjudicates. After every step the incremental tally equals a recount
// from scratch, and the regency's valid votes equal the sum over each sheet's counted winner.
TEST_F(TallyTest, PropertyIncrementalEqualsRecount) {
    std::mt19937 rng(2024);
    const std::vector<std::string> tpsCodes = {"9901011001001", "9901011001002", "9901011002001",
                                               "9901021001001"};
    std::map<std::string, std::vector<central::DeviceRecord>> devices;
    for (const auto& t : tpsCodes)
        for (int i = 0; i < 2; ++i)
            devices[t].push_back(enrol(t));
    std::map<std::string, std::vector<Revision>> sent; // per device
    auto randomSheet = [&](const std::string& tps) {
        auto s = at(validPpwpSheet(), tps);
        int shift = static_cast<int>(rng() % 20);
        s.candidates[0].votes -= shift;
        s.candidates[1].votes += shift;
        if (rng() % 6 == 0)
            s.summary.valid += 1; // a misread: rejected
        return s;
    };
    std::map<protocol::PushStatus, int> outcomes;
    int resolutions = 0;
    for (int step = 0; step < 150; ++step) {
        const auto& tps = tpsCodes[rng() % tpsCodes.size()];
        auto& d = devices[tps][rng() % 2];
        auto& mine = sent[d.id];
        int action = static_cast<int>(rng() % 10);
        if (action < 4 || mine.empty()) {
            mine.push_back(makeRevision(d.id, randomSheet(tps)));
        } else if (action < 7) {
            // A correction of the latest or of an older (stale) revision of this device.
            const auto& parent = mine[action == 6 ? rng() % mine.size() : mine.size() - 1];
            mine.push_back(makeRevision(d.id, randomSheet(tps), parent.id, "koreksi"));
        } else if (action < 9) {
            ++outcomes[push(d, mine[rng() % mine.size()]).status]; // a retry: duplicate
            continue;
        } else {
            auto conflicts = store->conflicts();
            if (!conflicts.empty()) {
                const auto& c = conflicts[rng() % conflicts.size()];
                store->resolve(c.key, c.heads[rng() % c.heads.size()], "diputuskan", "Desk");
                ++resolutions;
            }
            continue;
        }
        ++outcomes[push(d, mine.back()).status];
        auto fresh = store->recount();
        ASSERT_TRUE(*fresh == *store->tally()) << "step " << step;
        long sum = 0;
        for (const auto& t : tpsCodes) {
            auto c = store->counted(t + "/ppwp");
            if (c.sheet)
                sum += c.sheet->summary.valid;
        }
        ASSERT_EQ(store->tally()->area("ppwp", AreaCode::parse("9901"))->valid, sum) << step;
    }
    // The history really went through every case.
    EXPECT_GT(outcomes[protocol::PushStatus::Accepted], 3);
    EXPECT_GT(outcomes[protocol::PushStatus::Conflict], 3);
    EXPECT_GT(outcomes[protocol::PushStatus::Rejected], 3);
    EXPECT_GT(outcomes[protocol::PushStatus::Duplicate], 3);
    EXPECT_GT(resolutions, 1);
    // And after a restart, which rebuilds the tally from the file alone.
    auto before = report("9901");
    store.reset();
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    auto after = report("9901");
    before.erase("as_of");
    after.erase("as_of");
    before.erase("version");
    after.erase("version");
    EXPECT_EQ(before, after);
}
