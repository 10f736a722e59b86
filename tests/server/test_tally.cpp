// The tally: sums at every level, shares and data masuk, the counting policy for conflicts,
// rejections, corrections and adjudications, and a property test: over random histories the
// incremental tally always equals a recount from scratch and the sums of an independent model of
// the merge, at every level.

#include <gtest/gtest.h>

#include <random>
#include <set>

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

class TallyTest : public StoreSuite {
protected:
    protocol::PushResult push(const central::DeviceRecord& d, const Revision& r) {
        return store->intake().ingest(d, json::array({encodeRevision(r)})).results[0];
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

TEST_P(TallyTest, EmptyRegencyHasEverythingPending) {
    auto r = report("9901");
    EXPECT_EQ(r["tps"]["total"], 4);
    EXPECT_EQ(r["tps"]["pending"], 4);
    EXPECT_EQ(r["dpt"], 550);
    EXPECT_EQ(r["children"].size(), 2u);
    EXPECT_EQ(r["notice"], "Data sementara hasil rekap internal Pemkab, bukan hasil resmi KPU.");
    EXPECT_NE(r["as_of"]["clock"].get<std::string>().find("WITA"), std::string::npos);
    EXPECT_EQ(report("9901", "pdpr")["tps"]["total"], 2); // only two TPS take DPR
}

TEST_P(TallyTest, SumsAtEveryLevelWithSharesAndDataMasuk) {
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
    EXPECT_EQ(kab["votes"]["invalid"], 12); // 6 + 6, by hand
    EXPECT_EQ(kab["votes"]["total"], 352);
    EXPECT_EQ(kab["tps"]["verified"], 0); // nobody read them a second time
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

TEST_P(TallyTest, PartyContestsSumPartiesAndCandidates) {
    auto a = enrol("9901011001001");
    push(a, makeRevision(a.id, validPdprSheet()));
    auto r = report("9901", "pdpr");
    ASSERT_EQ(r["parties"].size(), 2u);
    EXPECT_EQ(r["parties"][0]["votes"], 60);
    EXPECT_EQ(r["parties"][0]["party_only"], 30);
    EXPECT_EQ(r["parties"][1]["candidates"][0]["votes"], 30);
    EXPECT_DOUBLE_EQ(r["parties"][1]["share"].get<double>(), 62.5); // 100/160
}

TEST_P(TallyTest, CorrectionReplacesAndNeverDoubleCounts) {
    auto a = enrol("9901011001001");
    auto r1 = makeRevision(a.id, validPpwpSheet());
    push(a, r1);
    push(a, makeRevision(a.id, moveOneVote(r1.sheet), r1.id));
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["reported"], 1);
    EXPECT_EQ(votes(kab, 1), 69);
    EXPECT_EQ(votes(kab, 2), 91);
}

TEST_P(TallyTest, ConflictCountsTheProvisionalWinnerFlagged) {
    auto a = enrol("9901011001001");
    auto b = enrol("9901011001001");
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto rb = makeRevision(b.id, moveOneVote(validPpwpSheet()));
    push(b, rb);
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["reported"], 1);
    EXPECT_EQ(kab["tps"]["conflict"], 1);
    EXPECT_EQ(votes(kab, 1), 70) << "the first accepted head counts until the desk decides";
    auto resolution = store->sheets().resolve("9901011001001/ppwp", rb.id, "plano", "Desk");
    kab = report("9901");
    EXPECT_EQ(kab["tps"]["conflict"], 0);
    EXPECT_EQ(kab["tps"]["verified"], 1);
    EXPECT_EQ(votes(kab, 1), 69);
    EXPECT_FALSE(resolution.empty());
}

// A correction of a rejected correction builds on the last accepted revision: it replaces it,
// no conflict with the device's own earlier numbers.
TEST_P(TallyTest, ACorrectionOfARejectedCorrectionReplacesTheLastAccepted) {
    auto a = enrol("9901011001001");
    auto first = makeRevision(a.id, validPpwpSheet()); // 70 / 90 / 10
    push(a, first);
    auto bad = moveOneVote(validPpwpSheet());
    bad.summary.valid += 1; // R2, R3
    auto misread = makeRevision(a.id, bad, first.id);
    EXPECT_EQ(push(a, misread).status, protocol::PushStatus::Rejected);
    auto fixed = makeRevision(a.id, moveOneVote(validPpwpSheet()), misread.id); // 69 / 91 / 10
    EXPECT_EQ(push(a, fixed).status, protocol::PushStatus::Accepted);
    auto s = store->sheets().sheet("9901011001001/ppwp");
    EXPECT_EQ(s->state, SheetState::Accepted);
    EXPECT_EQ(s->heads, std::vector<std::string>{fixed.id});
    auto kab = report("9901");
    EXPECT_EQ(kab["tps"]["reported"], 1);
    EXPECT_EQ(kab["tps"]["conflict"], 0);
    EXPECT_EQ(votes(kab, 1), 69);
    EXPECT_EQ(votes(kab, 2), 91);
}

TEST_P(TallyTest, RejectedSheetsCountNothing) {
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

TEST_P(TallyTest, CsvHasOneRowPerArea) {
    auto a = enrol("9901011001001");
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto csv = central::tallyCsv(*store, "ppwp", AreaCode::parse("9901"));
    EXPECT_EQ(csv.substr(0, 40), "kode,nama,tingkat,tps_total,tps_masuk,tp");
    // ... data masuk, the winner alert (can change, leader, margin, possible, disputed), the votes.
    EXPECT_NE(csv.find("\n9901,Uji,kabupaten,4,1,3,0,0,550,170,6,176,32.0,ya,Dua,20,357,190,70,90,"
                       "10\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("990101,Kecamatan Uji,kecamatan,3,1,"), std::string::npos);
}

TEST_P(TallyTest, UnknownAreaOrContest) {
    EXPECT_THROW(report("9902"), central::ApiError);
    EXPECT_THROW(report("9901", "pilpres"), central::ApiError);
}

namespace {

/// The merge and the counting policy of docs/protocol.md and docs/tally.md, written again in
/// plain terms for one contest, so that the receiver's tally can be checked against figures it
/// did not compute: for each sheet its stored revisions in receive order and its heads; a
/// revision builds on its nearest accepted ancestor, and replaces it only when that ancestor is a
/// head the same device wrote (authorship, issue 13); anything else starts a line of its own;
/// the winner is the head whose line started first; the heads disagreeing is a conflict; a sheet
/// with no accepted revision but a rejected one counts as rejected; a desk decision replaces all
/// heads, keeps the chosen head's line and is verified.
class MergeModel {
public:
    struct Rev {
        std::optional<std::string> parent;
        Sheet sheet;
        bool rejected = false;
        bool desk = false;
        long seq = 0;
        std::string author; ///< device id, or "desk"
        long line = 0;      ///< seq of the first revision of its chain of fast-forwards
    };
    struct Counted {
        std::string state; ///< "", accepted, conflict, rejected
        std::string winner;
        const Sheet* sheet = nullptr;
        bool verified = false;
    };

    protocol::PushStatus push(const Revision& r, bool misread) {
        auto key = r.sheet.key();
        if (revs_.count(r.id))
            return protocol::PushStatus::Duplicate;
        ++seq_;
        revs_[r.id] = {r.parent, r.sheet, misread, false, seq_, r.device, seq_};
        sheets_[key].push_back(r.id);
        if (misread)
            return protocol::PushStatus::Rejected;
        auto& heads = heads_[key];
        auto base = r.parent;
        while (base && revs_.count(*base) && revs_[*base].rejected)
            base = revs_[*base].parent;
        bool ownHead = base && std::find(heads.begin(), heads.end(), *base) != heads.end() &&
                       !revs_[*base].desk && revs_[*base].author == r.device;
        if (ownHead) {
            revs_[r.id].line = revs_[*base].line;
            std::erase(heads, *base);
        }
        heads.push_back(r.id);
        return counted(key).state == "conflict" ? protocol::PushStatus::Conflict
                                                : protocol::PushStatus::Accepted;
    }
    void resolve(const std::string& key, const std::string& chosen, const std::string& id) {
        ++seq_;
        revs_[id] = {chosen, revs_[chosen].sheet, false, true, seq_, "desk", revs_[chosen].line};
        sheets_[key].push_back(id);
        heads_[key] = {id};
    }
    Counted counted(const std::string& key) const {
        Counted c;
        auto h = heads_.find(key);
        if (h == heads_.end() || h->second.empty()) {
            if (sheets_.count(key))
                c.state = "rejected";
            return c;
        }
        const Rev* first = nullptr;
        bool agree = true;
        for (const auto& id : h->second) {
            const auto& rev = revs_.at(id);
            if (!first || rev.line < first->line) {
                first = &rev;
                c.winner = id;
            }
        }
        for (const auto& id : h->second)
            agree = agree && revs_.at(id).sheet == first->sheet;
        c.state = agree ? "accepted" : "conflict";
        c.sheet = &first->sheet;
        c.verified = first->desk;
        return c;
    }
    /// An area's expected sums, from the counted sheets of the TPS inside it.
    AreaTally area(const std::string& code, const std::vector<std::string>& tps) const {
        AreaTally t;
        for (const auto& code13 : tps) {
            if (code13.rfind(code, 0) != 0)
                continue;
            auto c = counted(code13 + "/ppwp");
            // The fixture's ballots, by hand: DPT 200, 0, 250, 100 plus 2 %, rounded up.
            static const std::map<std::string, long> ballots = {{"9901011001001", 204},
                                                                {"9901011001002", 0},
                                                                {"9901011002001", 255},
                                                                {"9901021001001", 102}};
            t.tpsRejected += c.state == "rejected";
            t.ballotsRejected += c.state == "rejected" ? ballots.at(code13) : 0;
            if (!c.sheet)
                continue;
            ++t.tpsReported;
            t.ballotsReported += ballots.at(code13);
            t.tpsConflict += c.state == "conflict";
            t.ballotsConflict += c.state == "conflict" ? ballots.at(code13) : 0;
            const bool doubtful = c.state == "conflict" || !c.verified;
            t.unverifiedValid += c.state == "accepted" && !c.verified ? c.sheet->summary.valid : 0;
            for (const auto& cand : c.sheet->candidates)
                if (doubtful)
                    t.doubtful[VoteKey{VoteKey::Candidate, 0, 0,
                                       static_cast<std::uint16_t>(cand.number)}
                                   .packed()] += cand.votes;
            t.tpsVerified += c.verified;
            t.verifiedValid += c.verified ? c.sheet->summary.valid : 0;
            t.valid += c.sheet->summary.valid;
            t.invalid += c.sheet->summary.invalid;
            t.total += c.sheet->summary.total;
            t.voters += c.sheet->voters.total.total;
            for (const auto& cand : c.sheet->candidates)
                t.votes[VoteKey{VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(cand.number)}
                            .packed()] += cand.votes;
        }
        t.votes.dropZeros();
        t.doubtful.dropZeros();
        return t;
    }

private:
    std::map<std::string, Rev> revs_;
    std::map<std::string, std::vector<std::string>> sheets_; ///< key -> stored, in order
    std::map<std::string, std::vector<std::string>> heads_;
    long seq_ = 0;
};

} // namespace

// Random histories: devices record, correct (from the head or a stale parent), build on the other
// tablet's revision of the same TPS or on a desk decision (both a line of their own: issue 13's
// insider), send misread sheets, retry, and the desk adjudicates. After every step the receiver's
// tally, at every level, equals the sums of an independent model of the merge (MergeModel above),
// each push is answered as the model predicts, and the incremental tally equals a recount from
// scratch.
TEST_P(TallyTest, PropertyIncrementalEqualsRecount) {
    std::mt19937 rng(2024);
    const std::vector<std::string> tpsCodes = {"9901011001001", "9901011001002", "9901011002001",
                                               "9901021001001"};
    const std::vector<std::string> areas = {"9901",       "990101",     "990102",
                                            "9901011001", "9901011002", "9901021001"};
    std::map<std::string, std::vector<central::DeviceRecord>> devices;
    for (const auto& t : tpsCodes)
        for (int i = 0; i < 2; ++i)
            devices[t].push_back(enrol(t));
    std::map<std::string, std::vector<Revision>> sent; // per device
    std::set<std::string> misreads;
    MergeModel model;
    // TPS 9901021001001 has a DPT of 100: the fixture's sheet of 176 voters would break R6
    // there, so it gets a sheet of its own size (hand-checked against R1-R6).
    auto sheetFor = [&](const std::string& tps) {
        auto s = at(validPpwpSheet(), tps);
        if (tps == "9901021001001") {
            s.voters.dpt = {50, 50, 100};
            s.voters.fromDpt = {40, 45, 85};
            s.voters.total = {44, 47, 91};
            s.ballots = {102, 91, 3, 8};
            s.summary = {85, 6, 91};
            s.candidates = {{1, 30}, {2, 45}, {3, 10}};
        }
        return s;
    };
    auto randomSheet = [&](const std::string& tps, bool& misread) {
        auto s = sheetFor(tps);
        int shift = static_cast<int>(rng() % 20);
        s.candidates[0].votes -= shift;
        s.candidates[1].votes += shift;
        misread = rng() % 4 == 0;
        if (misread)
            s.summary.valid += 1; // breaks R2 and R3: rejected
        return s;
    };
    auto pushBoth = [&](const central::DeviceRecord& d, const Revision& r) {
        auto got = push(d, r).status;
        auto want = model.push(r, misreads.count(r.id) > 0);
        EXPECT_EQ(protocol::pushStatusName(got), protocol::pushStatusName(want)) << r.id;
        return got;
    };
    std::map<protocol::PushStatus, int> outcomes;
    std::map<std::string, std::vector<std::string>> decisions; // per sheet key, in order
    int resolutions = 0, correctionsOfRejected = 0, onOthers = 0, onDecisions = 0;
    for (int step = 0; step < 200; ++step) {
        const auto& tps = tpsCodes[rng() % tpsCodes.size()];
        int which = static_cast<int>(rng() % 2);
        auto& d = devices[tps][which];
        auto& mine = sent[d.id];
        const auto& theirs = sent[devices[tps][1 - which].id];
        const auto& decided = decisions[tps + "/ppwp"];
        int action = static_cast<int>(rng() % 12);
        if (action == 11 && decided.empty())
            action = 10;
        if (action == 10 && theirs.empty())
            action = 0;
        // An operator whose sheet was rejected usually corrects it next.
        if (!mine.empty() && misreads.count(mine.back().id) && rng() % 2 == 0)
            action = 4;
        bool misread = false;
        if (action >= 10) {
            // Someone else's work as the parent: the other tablet's latest or an older revision
            // (accepted or rejected), or one of the desk's decisions on this sheet.
            const auto& parent =
                action == 11 ? decided[rng() % decided.size()]
                             : theirs[rng() % 2 ? theirs.size() - 1 : rng() % theirs.size()].id;
            ++(action == 11 ? onDecisions : onOthers);
            mine.push_back(makeRevision(d.id, randomSheet(tps, misread), parent, "koreksi"));
        } else if (action < 4 || mine.empty()) {
            mine.push_back(makeRevision(d.id, randomSheet(tps, misread)));
        } else if (action < 7) {
            // A correction of the latest or of an older (stale) revision of this device.
            const auto& parent = mine[action == 6 ? rng() % mine.size() : mine.size() - 1];
            if (misreads.count(parent.id) && parent.parent && !misreads.count(*parent.parent))
                ++correctionsOfRejected; // builds on what the rejected one tried to correct
            auto sheet = randomSheet(tps, misread);
            mine.push_back(makeRevision(d.id, sheet, parent.id, "koreksi"));
        } else if (action < 9) {
            ++outcomes[pushBoth(d, mine[rng() % mine.size()])]; // a retry: duplicate
            continue;
        } else {
            auto conflicts = store->sheets().conflicts();
            if (!conflicts.empty()) {
                const auto& c = conflicts[rng() % conflicts.size()];
                auto chosen = c.heads[rng() % c.heads.size()];
                auto decision = store->sheets().resolve(c.key, chosen, "diputuskan", "Desk");
                model.resolve(c.key, chosen, decision);
                decisions[c.key].push_back(decision);
                ++resolutions;
            }
            continue;
        }
        if (misread)
            misreads.insert(mine.back().id);
        ++outcomes[pushBoth(d, mine.back())];
        for (const auto& t : tpsCodes) {
            auto want = model.counted(t + "/ppwp");
            auto got = store->sheets().sheet(t + "/ppwp");
            ASSERT_EQ(got ? std::string(sheetStateName(got->state)) : "", want.state)
                << t << " step " << step;
            if (want.sheet) {
                ASSERT_EQ(got->winner, want.winner) << t << " step " << step;
            }
        }
        for (const auto& a : areas) {
            auto want = model.area(a, tpsCodes);
            auto got = *store->live().tally()->area("ppwp", AreaCode::parse(a));
            SCOPED_TRACE("area " + a + ", step " + std::to_string(step));
            ASSERT_EQ(got.tpsReported, want.tpsReported);
            ASSERT_EQ(got.tpsConflict, want.tpsConflict);
            ASSERT_EQ(got.tpsRejected, want.tpsRejected);
            ASSERT_EQ(got.tpsVerified, want.tpsVerified);
            ASSERT_EQ(got.valid, want.valid);
            ASSERT_EQ(got.invalid, want.invalid);
            ASSERT_EQ(got.total, want.total);
            ASSERT_EQ(got.voters, want.voters);
            ASSERT_EQ(got.votes, want.votes);
            ASSERT_EQ(got.ballotsReported, want.ballotsReported);
            ASSERT_EQ(got.ballotsRejected, want.ballotsRejected);
            ASSERT_EQ(got.ballotsConflict, want.ballotsConflict);
            ASSERT_EQ(got.unverifiedValid, want.unverifiedValid);
            ASSERT_EQ(got.doubtful, want.doubtful);
        }
        ASSERT_TRUE(*store->live().recount() == *store->live().tally()) << "step " << step;
    }
    // The history really went through every case.
    EXPECT_GT(outcomes[protocol::PushStatus::Accepted], 3);
    EXPECT_GT(outcomes[protocol::PushStatus::Conflict], 3);
    EXPECT_GT(outcomes[protocol::PushStatus::Rejected], 3);
    EXPECT_GT(outcomes[protocol::PushStatus::Duplicate], 3);
    EXPECT_GT(resolutions, 3);
    EXPECT_GT(correctionsOfRejected, 1);
    EXPECT_GT(onOthers, 5);
    EXPECT_GT(onDecisions, 3);
    // And after a restart, which rebuilds the tally from the file alone.
    auto before = report("9901");
    store.reset();
    store = openAgain();
    auto after = report("9901");
    before.erase("as_of");
    after.erase("as_of");
    before.erase("version");
    after.erase("version");
    EXPECT_EQ(before, after);
}

INSTANTIATE_STORE_SUITE(TallyTest);
