// The receiver's merge, at the store: every outcome of a pushed revision, the sheet's heads and
// state, the deterministic provisional winner, adjudication, and what devices pull.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/store.h"
#include "rekap/sheet_codec.h"
#include "revisions.h"
#include "store_sql.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using protocol::PushStatus;

namespace {

class Ingest : public StoreSuite {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        a = enrol("9901011001001", "a");
        b = enrol("9901011001001", "b");
    }
    protocol::PushResult push(const central::DeviceRecord& d, const Revision& r) {
        return push(d, nlohmann::json::array({encodeRevision(r)}))[0];
    }
    std::vector<protocol::PushResult> push(const central::DeviceRecord& d, nlohmann::json batch) {
        return store->intake().ingest(d, batch).results;
    }
    central::DeviceRecord a, b;
    const std::string key = "9901011001001/ppwp";
};

} // namespace

TEST_P(Ingest, FirstRevisionIsAccepted) {
    auto r = makeRevision(a.id, validPpwpSheet());
    auto res = push(a, r);
    EXPECT_EQ(res.status, PushStatus::Accepted);
    EXPECT_EQ(res.state, SheetState::Accepted);
    auto s = store->sheets().sheet(key);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->state, SheetState::Accepted);
    EXPECT_EQ(s->winner, r.id);
    EXPECT_EQ(store->sheets().revisionCount(), 1);
}

TEST_P(Ingest, SameIdSameContentIsANoOpSuccess) {
    auto r = makeRevision(a.id, validPpwpSheet());
    push(a, r);
    for (int i = 0; i < 3; ++i) {
        auto res = push(a, r);
        EXPECT_EQ(res.status, PushStatus::Duplicate);
        EXPECT_EQ(res.state, SheetState::Accepted);
    }
    // The same batch twice in one request, too.
    auto results = push(a, nlohmann::json::array({encodeRevision(r), encodeRevision(r)}));
    EXPECT_EQ(results[0].status, PushStatus::Duplicate);
    EXPECT_EQ(store->sheets().revisionCount(), 1);
}

TEST_P(Ingest, SameIdDifferentContentIsRefusedLoudly) {
    auto r = makeRevision(a.id, validPpwpSheet());
    push(a, r);
    auto forged = r;
    forged.sheet = moveOneVote(r.sheet);
    sign(forged); // the device itself sends other numbers under the same id
    auto res = push(a, forged);
    EXPECT_EQ(res.status, PushStatus::Refused);
    ASSERT_TRUE(res.error);
    EXPECT_EQ(res.error->code, "hash_mismatch");
    EXPECT_EQ(store->sheets().revisionCount(), 1);
    EXPECT_EQ(store->sheets().revisionsOf(key)[0].revision.sheet, r.sheet);
}

TEST_P(Ingest, UniqueConstraintBacksIdempotency) {
    auto r = makeRevision(a.id, validPpwpSheet());
    push(a, r);
    // Even bypassing the application code, the database refuses a second copy.
    try {
        test::execOn(*store, "INSERT INTO revisions (id, hash, numbers_hash, sheet, tps, "
                             "contest, parent, device, operator, captured_at, received_at, "
                             "status, findings, body) SELECT id, hash, numbers_hash, sheet, "
                             "tps, contest, parent, device, operator, captured_at, "
                             "received_at, status, findings, body FROM revisions");
        FAIL() << "a second copy was stored";
    } catch (const StorageError& e) {
        // SQLite: "UNIQUE constraint failed"; PostgreSQL: "violates unique constraint".
        std::string what = e.what();
        EXPECT_TRUE(what.find("UNIQUE") != std::string::npos ||
                    what.find("unique constraint") != std::string::npos)
            << what;
    }
}

TEST_P(Ingest, CorrectionOfTheHeadFastForwards) {
    auto r1 = makeRevision(a.id, validPpwpSheet());
    push(a, r1);
    auto r2 = makeRevision(a.id, moveOneVote(r1.sheet), r1.id, "salah baca");
    auto res = push(a, r2);
    EXPECT_EQ(res.status, PushStatus::Accepted);
    auto s = store->sheets().sheet(key);
    EXPECT_EQ(s->state, SheetState::Accepted);
    EXPECT_EQ(s->heads, std::vector<std::string>{r2.id});
    EXPECT_EQ(s->winner, r2.id);
    EXPECT_EQ(store->sheets().revisionCount(), 2); // the original stays, append-only
}

TEST_P(Ingest, TwoDevicesWithDifferentNumbersConflict) {
    auto ra = makeRevision(a.id, validPpwpSheet());
    auto rb = makeRevision(b.id, moveOneVote(validPpwpSheet()));
    push(a, ra);
    auto res = push(b, rb);
    EXPECT_EQ(res.status, PushStatus::Conflict);
    auto s = store->sheets().sheet(key);
    EXPECT_EQ(s->state, SheetState::Conflict);
    EXPECT_EQ(s->heads.size(), 2u);
    EXPECT_EQ(s->winner, ra.id) << "the provisional winner is the first accepted";
    auto revs = store->sheets().revisionsOf(key);
    ASSERT_EQ(revs.size(), 2u);
    EXPECT_EQ(revs[0].state, SheetState::Conflict);
    EXPECT_EQ(revs[1].state, SheetState::Conflict);
    EXPECT_EQ(store->sheets().conflicts().size(), 1u);
}

TEST_P(Ingest, TwoDevicesWithTheSameNumbersAgree) {
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto res = push(b, makeRevision(b.id, validPpwpSheet()));
    EXPECT_EQ(res.status, PushStatus::Accepted);
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Accepted);
}

TEST_P(Ingest, CorrectionFromAStaleParentConflicts) {
    auto r1 = makeRevision(a.id, validPpwpSheet());
    push(a, r1);
    auto r2 = makeRevision(a.id, moveOneVote(r1.sheet), r1.id);
    push(a, r2);
    auto stale = makeRevision(a.id, moveOneVote(moveOneVote(r1.sheet)), r1.id);
    auto res = push(a, stale);
    EXPECT_EQ(res.status, PushStatus::Conflict);
    EXPECT_EQ(store->sheets().sheet(key)->heads.size(), 2u);
    EXPECT_EQ(store->sheets().sheet(key)->winner, r2.id);
}

TEST_P(Ingest, RuleBreakingSheetIsStoredAsRejectedWithFindings) {
    auto bad = validPpwpSheet();
    bad.candidates[1].votes = 190; // misread: R2
    auto r = makeRevision(a.id, bad);
    auto res = push(a, r);
    EXPECT_EQ(res.status, PushStatus::Rejected);
    ASSERT_FALSE(res.findings.empty());
    EXPECT_EQ(res.findings[0].rule, "R2");
    EXPECT_EQ(store->sheets().revisionCount(), 1); // kept, not dropped
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Rejected);
    EXPECT_TRUE(store->sheets().sheet(key)->heads.empty());
    // A correction of the rejected revision is accepted as the first accepted one.
    auto fix = makeRevision(a.id, validPpwpSheet(), r.id, "angka diperbaiki");
    EXPECT_EQ(push(a, fix).status, PushStatus::Accepted);
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Accepted);
    EXPECT_EQ(store->sheets().revisionsOf(key)[0].state, SheetState::Rejected);
}

TEST_P(Ingest, WarningsAreKeptWithTheAcceptedSheet) {
    auto s = validPpwpSheet();
    s.ballots.received = 210; // R5, a warning
    auto res = push(a, makeRevision(a.id, s));
    EXPECT_EQ(res.status, PushStatus::Accepted);
    ASSERT_EQ(res.findings.size(), 1u);
    EXPECT_EQ(res.findings[0].rule, "R5");
    EXPECT_EQ(store->sheets().revisionsOf(key)[0].findings.size(), 1u);
}

TEST_P(Ingest, OutOfScopeRevisionIsRefusedAndNothingStored) {
    auto other = enrol("9901011002001", "c");
    auto res = push(other, makeRevision(other.id, validPpwpSheet()));
    EXPECT_EQ(res.status, PushStatus::Refused);
    EXPECT_EQ(res.error->code, "forbidden");
    EXPECT_EQ(res.error->path, "$.revisions[0].sheet.tps");
    EXPECT_NE(res.error->message.find("records TPS 9901011002001"), std::string::npos);
    EXPECT_EQ(store->sheets().revisionCount(), 0);
}

TEST_P(Ingest, RevisionMustNameTheSendingDevice) {
    auto res = push(a, makeRevision(b.id, validPpwpSheet()));
    EXPECT_EQ(res.status, PushStatus::Refused);
    EXPECT_EQ(res.error->path, "$.revisions[0].device");
    EXPECT_EQ(store->sheets().revisionCount(), 0);
}

TEST_P(Ingest, MalformedRevisionIsRefusedWithItsPathAndTheRestOfTheBatchGoesOn) {
    auto good = makeRevision(a.id, validPpwpSheet());
    auto broken = encodeRevision(makeRevision(a.id, validPdpdSheet()));
    broken["sheet"]["votes"]["candidates"][0]["votes"] = -1;
    auto results = push(a, nlohmann::json::array({broken, encodeRevision(good)}));
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].status, PushStatus::Refused);
    EXPECT_EQ(results[0].error->path, "$.revisions[0].sheet.votes.candidates[0].votes");
    EXPECT_EQ(results[1].status, PushStatus::Accepted);
    EXPECT_EQ(store->sheets().revisionCount(), 1);
}

TEST_P(Ingest, CamatDevicesDoNotSubmit) {
    auto camat = enrol("990101", "camat");
    auto res = push(camat, makeRevision(camat.id, validPpwpSheet()));
    EXPECT_EQ(res.status, PushStatus::Refused);
    EXPECT_EQ(store->sheets().revisionCount(), 0);
}

TEST_P(Ingest, AdjudicationResolvesTheConflictAndReachesDevicesInScope) {
    auto ra = makeRevision(a.id, validPpwpSheet());
    auto rb = makeRevision(b.id, moveOneVote(validPpwpSheet()));
    push(a, ra);
    push(b, rb);
    auto resolution =
        store->sheets().resolve(key, rb.id, "C.Hasil plano dicek: versi B benar", "Desk HSS");
    auto s = store->sheets().sheet(key);
    EXPECT_EQ(s->state, SheetState::Accepted);
    EXPECT_EQ(s->heads, std::vector<std::string>{resolution});
    EXPECT_EQ(s->winner, resolution);
    auto revs = store->sheets().revisionsOf(key);
    ASSERT_EQ(revs.size(), 3u);
    EXPECT_EQ(revs[0].state, SheetState::Superseded); // a's
    EXPECT_EQ(revs[1].state, SheetState::Accepted);   // b's, chosen
    EXPECT_EQ(revs[2].revision.parent, rb.id);
    EXPECT_EQ(revs[2].revision.reason, "C.Hasil plano dicek: versi B benar");
    EXPECT_EQ(revs[2].revision.operatorName, "Desk HSS");
    EXPECT_EQ(revs[2].revision.sheet, rb.sheet);
    EXPECT_TRUE(store->sheets().conflicts().empty());

    auto feed = store->intake().pull(a, 0, 100);
    auto it = std::find_if(feed.changes.begin(), feed.changes.end(),
                           [](const auto& c) { return c.kind == "resolution"; });
    ASSERT_NE(it, feed.changes.end());
    EXPECT_EQ(it->data["chosen"], rb.id);
    EXPECT_EQ(it->data["superseded"], nlohmann::json::array({ra.id}));
    // A device of another TPS does not see it.
    auto other = enrol("9901011002001", "c");
    for (const auto& c : store->intake().pull(other, 0, 100).changes)
        EXPECT_NE(c.kind, "resolution");
}

TEST_P(Ingest, ResolveRefusesWhatIsNotAHead) {
    auto r1 = makeRevision(a.id, validPpwpSheet());
    push(a, r1);
    push(a, makeRevision(a.id, moveOneVote(r1.sheet), r1.id));
    EXPECT_THROW(store->sheets().resolve(key, r1.id, "x", "y"), std::invalid_argument);
    EXPECT_THROW(store->sheets().resolve(key, r1.id, "", "y"), std::invalid_argument);
}

TEST_P(Ingest, PullPagesAndCheckpoints) {
    for (int i = 0; i < 5; ++i) {
        auto bad = validPpwpSheet();
        bad.summary.valid += 1 + i; // rejected each time: one rejection change each
        push(a, makeRevision(a.id, bad));
    }
    auto first = store->intake().pull(a, 0, 3);
    EXPECT_EQ(first.changes.size(), 3u);
    EXPECT_TRUE(first.more);
    auto rest = store->intake().pull(a, first.next, 3);
    EXPECT_FALSE(rest.more);
    // master_data + 5 rejections: every change once across the pages.
    EXPECT_EQ(first.changes.size() + rest.changes.size(), 6u);
    EXPECT_TRUE(store->intake().pull(a, rest.next, 3).changes.empty());
    // Rejections are addressed to the sending device only.
    for (const auto& c : store->intake().pull(b, 0, 100).changes)
        EXPECT_NE(c.kind, "rejection");
}

TEST_P(Ingest, ConcurrentPushesCommitTogetherAndEachGetsItsOwnAnswer) {
    // Eight devices push at once (the HTTP server's workers do): the group commit puts pushes
    // that queue behind a running commit into one transaction; each must still get exactly its
    // own results, a retry must find its revisions stored once, and the tally must match a
    // recount.
    store->live().tally();
    std::vector<central::DeviceRecord> devices;
    for (int i = 0; i < 8; ++i)
        devices.push_back(enrol("9901011001001", "d" + std::to_string(i)));
    std::vector<std::thread> pool;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 8; ++t)
        pool.emplace_back([&, t] {
            for (int k = 0; k < 20; ++k) {
                auto sheet = validPpwpSheet();
                sheet.candidates[0].votes -= t;
                sheet.candidates[1].votes += t;
                auto r = makeRevision(devices[t].id, sheet);
                auto batch = nlohmann::json::array({encodeRevision(r), nlohmann::json{{"id", 7}}});
                auto first = store->intake().ingest(devices[t], batch).results;
                auto again = store->intake().ingest(devices[t], batch).results;
                if (first.size() != 2 || first[0].id != r.id ||
                    first[0].status == PushStatus::Refused ||
                    first[1].status != PushStatus::Refused || again[0].id != r.id ||
                    again[0].status != PushStatus::Duplicate)
                    ++wrong;
            }
        });
    for (auto& t : pool)
        t.join();
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(store->sheets().revisionCount(), 8 * 20);
    EXPECT_TRUE(*store->live().recount() == *store->live().tally());
}

TEST_P(Ingest, PullHoldsWhatConcernsTheDevicesAreaAndNothingElse) {
    auto elsewhere = enrol("9901021001001", "kecamatan lain");
    push(a, makeRevision(a.id, validPpwpSheet()));
    auto far = validPpwpSheet();
    far.tps = AreaCode::parse("9901021001001");
    push(elsewhere, makeRevision(elsewhere.id, far));
    central::DeviceRecord camat; // pull reads only a device's id and scope
    camat.id = "camat-990101";
    camat.role = protocol::Role::Camat;
    camat.scope = "990101";
    auto sheetsIn = [&](const central::DeviceRecord& d) {
        std::vector<std::string> out;
        int masterData = 0;
        for (const auto& c : store->intake().pull(d, 0, 100).changes) {
            if (c.kind == "master_data")
                ++masterData;
            else
                out.push_back(c.sheet);
        }
        EXPECT_EQ(masterData, 1) << d.id; // what concerns everyone reaches everyone
        return out;
    };
    EXPECT_EQ(sheetsIn(camat), std::vector<std::string>{key});
    EXPECT_EQ(sheetsIn(a), std::vector<std::string>{key});
    EXPECT_EQ(sheetsIn(elsewhere), std::vector<std::string>{"9901021001001/ppwp"});
}

INSTANTIATE_STORE_SUITE(Ingest);
