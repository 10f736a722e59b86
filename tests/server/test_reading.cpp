// Second reading at the receiver (docs/second-reading.md): a reading that agrees verifies the
// sheet; one that differs is a conflict in which the first entry still counts; the camat reads
// within its kecamatan only; operators never read; the work queue never hands one sheet to two
// readers at once; and the ledger with readings verifies and replays to the same tally.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/api_error.h"
#include "rekap/ledger_replay.h"
#include "rekap/merge.h"
#include "store_sql.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using protocol::PushStatus;

namespace {

const std::string kReason(merge::kSecondReading);

class Reading : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        a = enrol("9901011001001", "a");
        camat = enrol("990101", "camat");
        first = makeRevision(a.id, validPpwpSheet());
        first.photo = std::string(64, 'a');
        sign(first);
        ASSERT_EQ(push(a, first).status, PushStatus::Accepted);
    }
    protocol::PushResult push(const central::DeviceRecord& d, const Revision& r) {
        return store->intake().ingest(d, nlohmann::json::array({encodeRevision(r)})).results.at(0);
    }
    Revision camatReading(const Sheet& sheet, const std::string& person = "Camat Budi") {
        auto r = makeRevision(camat.id, sheet, first.id, kReason);
        r.operatorName = person;
        return sign(r);
    }
    bool verified() { return store->live().counted(key).verified; }
    /// `holder` holds the sheet for reading, as if the queue had handed it out (the queue itself
    /// never hands a sheet to who typed it: this lets the store's own check be tried).
    void hold(const std::string& holder) {
        {
            auto db = test::sqlOf(*store);
            db->prepare("INSERT INTO reading_claims (sheet, holder, claimed_at, expires_at) VALUES "
                        "(?, ?, '', ?) ON CONFLICT (sheet) DO UPDATE SET holder = excluded.holder")
                .bindAll(key, holder, std::int64_t{4102444800})
                .run();
        }
    }
    /// A desk clerk's reading on their own claim, every photo held.
    central::ReadingResult submit(const std::string& parent, const Sheet& numbers,
                                  const std::string& reader, const std::string& holder = "") {
        auto h = holder.empty() ? "desk:" + reader : holder;
        hold(h);
        return store->readings().submitReading(key, parent, numbers, reader, h, allPhotos);
    }
    central::PhotoReady allPhotos = [](const std::string&) { return true; };
    central::DeviceRecord a, camat;
    Revision first;
    const std::string key = "9901011001001/ppwp";
};

} // namespace

TEST_F(Reading, ADeskReadingThatAgreesVerifiesTheSheet) {
    EXPECT_FALSE(verified());
    auto r = submit(first.id, first.sheet, "Rina");
    EXPECT_EQ(r.outcome, "verified");
    EXPECT_TRUE(verified());
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Accepted);
    EXPECT_EQ(store->sheets().sheet(key)->winner, first.id); // the first entry still counts
    auto kab = store->live().tally()->area("ppwp", AreaCode::parse("9901"));
    EXPECT_EQ(kab->tpsVerified, 1);
    EXPECT_EQ(kab->verifiedValid, first.sheet.summary.valid);
    // Who typed what is kept: the reading is a revision of its own, signed by the receiver.
    auto history = store->sheets().revisionsOf(key);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1].revision.device, "desk:Rina");
    EXPECT_EQ(history[1].revision.operatorName, "Rina");
    EXPECT_EQ(history[1].revision.reason, kReason);
    EXPECT_EQ(history[1].revision.photo, first.photo);
    EXPECT_TRUE(revisionSignatureValid(history[1].revision, history[1].hash,
                                       store->masterData().receiverKey()));
}

TEST_F(Reading, ADeskReadingThatDiffersIsAConflictInWhichTheFirstEntryCounts) {
    auto r = submit(first.id, moveOneVote(first.sheet), "Rina");
    EXPECT_EQ(r.outcome, "differs");
    EXPECT_FALSE(verified());
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Conflict);
    EXPECT_EQ(store->sheets().sheet(key)->winner, first.id);
    EXPECT_EQ(store->live().counted(key).sheet, first.sheet);
    // The desk decides as today: the decision verifies.
    store->sheets().resolve(key, r.revision, "dicek dengan foto", "Kepala Desk");
    EXPECT_TRUE(verified());
    EXPECT_EQ(store->live().counted(key).sheet, moveOneVote(first.sheet));
}

TEST_F(Reading, AReadingThatBreaksARuleIsKeptRejectedAndVerifiesNothing) {
    auto bad = first.sheet;
    bad.summary.invalid += 3; // R3
    auto r = submit(first.id, bad, "Rina");
    EXPECT_EQ(r.outcome, "rejected");
    EXPECT_FALSE(r.findings.empty());
    EXPECT_FALSE(verified());
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Accepted);
}

TEST_F(Reading, TheSamePersonCannotReadTheirOwnEntry) {
    EXPECT_THROW(submit(first.id, first.sheet, " operator " + a.id + " ", "desk:x"),
                 central::ApiError);
    auto own = camatReading(first.sheet, first.operatorName);
    EXPECT_EQ(push(camat, own).status, PushStatus::Refused);
    EXPECT_FALSE(verified());
}

TEST_F(Reading, TheCamatReadsItsKecamatanOnlyAndOperatorsNeverRead) {
    EXPECT_EQ(push(camat, camatReading(first.sheet)).status, PushStatus::Accepted);
    EXPECT_TRUE(verified());
    // A camat's sheet that is not a second reading, or of another kecamatan: refused.
    EXPECT_EQ(push(camat, makeRevision(camat.id, validPdpdSheet())).status, PushStatus::Refused);
    auto other = enrol("990102", "camat lain");
    auto r = makeRevision(other.id, first.sheet, first.id, kReason);
    EXPECT_EQ(push(other, r).status, PushStatus::Refused);
    // An operator's device (even another one of the TPS) never reads.
    auto b = enrol("9901011001001", "b");
    EXPECT_EQ(push(b, makeRevision(b.id, first.sheet, first.id, kReason)).status,
              PushStatus::Refused);
}

TEST_F(Reading, TwoReadersNeverGetTheSameSheetAndAClaimExpires) {
    auto c1 = store->readings().claimReading(AreaCode::parse("9901"), "", "desk:Rina", "Rina",
                                             std::chrono::seconds(60), allPhotos);
    ASSERT_TRUE(c1);
    EXPECT_EQ(c1->sheet, key);
    EXPECT_EQ(c1->parent, first.id);
    EXPECT_EQ(c1->photo, *first.photo);
    // Asking again resumes the same claim; another reader gets nothing (one sheet waits).
    EXPECT_EQ(store->readings()
                  .claimReading(AreaCode::parse("9901"), "", "desk:Rina", "Rina",
                                std::chrono::seconds(60), allPhotos)
                  ->sheet,
              key);
    EXPECT_FALSE(store->readings().claimReading(AreaCode::parse("9901"), "", "desk:Tono", "Tono",
                                                std::chrono::seconds(60), allPhotos));
    auto progress = store->readings().readingProgress(AreaCode::parse("9901"), allPhotos);
    ASSERT_EQ(progress.size(), 1u);
    EXPECT_EQ(progress[0].toRead, 1);
    EXPECT_EQ(progress[0].claimed, 1);
    // A sheet whose photo has not arrived waits; so does nothing once released and read.
    store->readings().releaseReading(key, "desk:Rina");
    EXPECT_FALSE(store->readings().claimReading(AreaCode::parse("9901"), "", "desk:Tono", "Tono",
                                                std::chrono::seconds(60),
                                                [](const std::string&) { return false; }));
    // An expired claim goes back to the queue.
    ASSERT_TRUE(store->readings().claimReading(AreaCode::parse("9901"), "", "desk:Rina", "Rina",
                                               std::chrono::seconds(0), allPhotos));
    auto c2 = store->readings().claimReading(AreaCode::parse("9901"), "", "desk:Tono", "Tono",
                                             std::chrono::seconds(60), allPhotos);
    ASSERT_TRUE(c2);
    store->readings().submitReading(key, c2->parent, first.sheet, "Tono", "desk:Tono", allPhotos);
    EXPECT_FALSE(store->readings().claimReading(AreaCode::parse("9901"), "", "desk:Rina", "Rina",
                                                std::chrono::seconds(60), allPhotos));
    progress = store->readings().readingProgress(AreaCode::parse("9901"), allPhotos);
    EXPECT_EQ(progress[0].verified, 1);
    EXPECT_EQ(progress[0].toRead, 0);
}

// Every counted sheet sits in one column of the queue: a conflict between tablets (no reading
// among its heads) in `conflict`, apart from a "beda bacaan" in `differ`.
TEST_F(Reading, TheQueuesColumnsAddUpWithAConflictBetweenTablets) {
    auto b = enrol("9901011001001", "b");
    ASSERT_EQ(push(b, makeRevision(b.id, moveOneVote(first.sheet))).status, PushStatus::Conflict);
    auto c = enrol("9901011002001", "c");
    auto other = validPpwpSheet();
    other.tps = AreaCode::parse("9901011002001");
    auto read = makeRevision(c.id, other);
    read.photo = std::string(64, 'b');
    ASSERT_EQ(push(c, sign(read)).status, PushStatus::Accepted);
    auto progress = store->readings().readingProgress(AreaCode::parse("9901"), allPhotos);
    ASSERT_EQ(progress.size(), 1u);
    const auto& p = progress[0];
    EXPECT_EQ(p.sheets, 2);
    EXPECT_EQ(p.conflict, 1);
    EXPECT_EQ(p.differ, 0);
    EXPECT_EQ(p.toRead, 1);
    EXPECT_EQ(p.verified + p.differ + p.conflict + p.toRead + p.noPhoto, p.sheets);
}

TEST_F(Reading, TheLedgerWithReadingsVerifiesAndReplaysToTheSameTally) {
    submit(first.id, first.sheet, "Rina");
    auto pdpd = makeRevision(a.id, validPdpdSheet());
    push(a, pdpd);
    auto read = makeRevision(camat.id, moveOneVote(validPdpdSheet()), pdpd.id, kReason);
    read.operatorName = "Camat Budi";
    push(camat, sign(read));
    auto rep = store->ledger().verify();
    EXPECT_TRUE(rep.ok) << rep.failure;
    ledger::Replay replay(store->masterData().receiverKey());
    for (std::int64_t i = 0; i < store->ledger().ledgerSize(); ++i)
        replay.apply(store->ledger().ledgerEntry(i));
    EXPECT_TRUE(*replay.tally() == *store->live().tally());
    EXPECT_TRUE(replay.counted(key).verified);
    EXPECT_EQ(replay.counted(key), store->live().counted(key));
    EXPECT_EQ(replay.counted(pdpd.sheet.key()).state, SheetState::Conflict);
}
