// A photo attached to a sheet already sent ("kirim tanpa foto, foto menyusul", issue 27): the
// tablet signs "this photo belongs to my revision", the receiver keeps it in its ledger beside
// the revision, the desk's reading queue then hands the sheet out with that photo, and verify
// checks the entry and the table. The numbers never move. Real devices, a real receiver on
// 127.0.0.1.

#include <gtest/gtest.h>

#include "ledger_edit.h"
#include "rekap/central/api_error.h"
#include "rekap/ledger_replay.h"
#include "rekap/photo_attachment.h"
#include "revisions.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;

namespace {

const AreaCode kRegency = AreaCode::parse("9901");

} // namespace

class PhotoLater : public SyncFixture {
protected:
    bool photoArrived(const std::string& sha) { return !photoAtReceiver(sha).empty(); }
    central::PhotoReady ready() {
        return [this](const std::string& sha) { return photoArrived(sha); };
    }
    /// `body` (an attachment's JSON) sent by `d` straight to the store, as the route would.
    protocol::PushResult sendAs(const Device& d, const nlohmann::json& body) {
        auto me = live.store().registry().authenticate(d.store->identity().enrolment()->token);
        auto answer = live.store().intake().attachPhotos(me, nlohmann::json::array({body}));
        EXPECT_EQ(answer.results.size(), 1u);
        return answer.results.at(0);
    }
};

TEST_F(PhotoLater, ASheetSentWithoutItsPhotoGetsItLaterAndTheReadingQueueHandsItOut) {
    auto d = device();
    auto r = record(d, validPpwpSheet()); // no photo: "kirim tanpa foto, foto menyusul"
    EXPECT_EQ(d.client->sync().accepted, 1);
    auto before = live.store().readings().readingProgress(kRegency, ready());
    ASSERT_EQ(before.size(), 1u);
    EXPECT_EQ(before[0].noPhoto, 1);
    EXPECT_EQ(before[0].toRead, 0);
    auto counted = live.store().live().counted("9901011001001/ppwp");
    auto revisions = live.store().sheets().revisionCount();

    auto sha = d.store->photos().add(writePhoto(40000, 1));
    auto queued = d.store->attachments().attach(r.id, sha);
    EXPECT_EQ(queued.state, SheetState::Queued);
    auto report = d.client->sync();
    EXPECT_EQ(report.attached, 1);
    EXPECT_FALSE(report.attachmentsUnsupported);
    EXPECT_TRUE(photoArrived(sha)) << "the photo's bytes go up after its attachment";
    auto kept = d.store->attachments().of(r.id);
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].state, SheetState::Accepted);
    EXPECT_FALSE(kept[0].receipt.empty());

    // The numbers did not move: the same revisions, the same count, the same state.
    EXPECT_EQ(live.store().sheets().revisionCount(), revisions);
    EXPECT_EQ(live.store().live().counted("9901011001001/ppwp").sheet, counted.sheet);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Accepted);
    // The sheet's history shows it, and the queue hands the sheet out with that photo.
    auto history = live.store().sheets().revisionsOf("9901011001001/ppwp");
    ASSERT_EQ(history.size(), 1u);
    ASSERT_EQ(history[0].laterPhotos.size(), 1u);
    EXPECT_EQ(history[0].currentPhoto(), sha);
    auto after = live.store().readings().readingProgress(kRegency, ready());
    EXPECT_EQ(after[0].noPhoto, 0);
    EXPECT_EQ(after[0].toRead, 1);
    auto claim = live.store().readings().claimReading(kRegency, "", "desk:Rina", "Rina",
                                                      std::chrono::seconds(60), ready());
    ASSERT_TRUE(claim);
    EXPECT_EQ(claim->photo, sha);
    // The desk's reading names the photo it was read from.
    auto reading = live.store().readings().submitReading(
        claim->sheet, claim->parent, validPpwpSheet(), "Rina", "desk:Rina", ready());
    EXPECT_EQ(reading.outcome, "verified");
    auto verify = live.store().ledger().verify();
    EXPECT_TRUE(verify.ok) << verify.failure;
}

TEST_F(PhotoLater, ARetryIsAnsweredWithTheSameReceiptAndRecordedOnce) {
    auto d = device();
    auto r = record(d, validPpwpSheet());
    d.client->sync();
    auto sha = d.store->photos().add(writePhoto(1000, 2));
    auto a = d.store->attachments().attach(r.id, sha);
    auto first = sendAs(d, a.body);
    EXPECT_EQ(first.status, protocol::PushStatus::Accepted);
    auto size = live.store().ledger().ledgerSize();
    auto again = sendAs(d, a.body);
    EXPECT_EQ(again.status, protocol::PushStatus::Duplicate);
    EXPECT_EQ(again.receipt, first.receipt);
    EXPECT_EQ(live.store().ledger().ledgerSize(), size);
    // Attaching the same photo on the tablet twice is the same attachment.
    EXPECT_EQ(d.store->attachments().attach(r.id, sha).body, a.body);
    // The photo a revision carried already is no new attachment either.
    sync::Capture::FinalizeOptions o;
    o.photo = sha;
    auto withPhoto = d.store->capture().finalize(validPdprSheet(), "Siti", o);
    d.client->sync();
    auto same = sendAs(d, d.store->attachments().attach(withPhoto.id, sha).body);
    EXPECT_EQ(same.status, protocol::PushStatus::Duplicate);
    EXPECT_EQ(live.store().ledger().ledgerSize(), size + 1); // the second revision's entry only
}

TEST_F(PhotoLater, OnlyTheRevisionsOwnDeviceAttachesItsPhotoSignedWithItsKey) {
    auto a = device();
    auto b = device(); // another tablet of the same TPS
    auto r = record(a, validPpwpSheet());
    a.client->sync();
    auto sha = b.store->photos().add(writePhoto(1000, 3));
    a.store->photos().add(writePhoto(1000, 3));
    auto genuine = a.store->attachments().attach(r.id, sha).body;

    // B cannot attach to A's revision: its store does not hold it, and the receiver checks too.
    EXPECT_THROW(b.store->attachments().attach(r.id, sha), std::invalid_argument);
    auto asB = genuine;
    asB["device"] = b.store->identity().enrolment()->device;
    auto theirs = sendAs(b, asB);
    EXPECT_EQ(theirs.status, protocol::PushStatus::Refused);
    EXPECT_EQ(theirs.error->code, protocol::error::kNotFound) << theirs.error->message;
    // A's attachment carried by B: named A, sent by B.
    auto carried = sendAs(b, genuine);
    EXPECT_EQ(carried.status, protocol::PushStatus::Refused);
    EXPECT_EQ(carried.error->code, protocol::error::kForbidden);
    EXPECT_EQ(carried.error->path, "$.attachments[0].device");
    // Changed after signing: another photo, another contest.
    auto otherPhoto = genuine;
    otherPhoto["photo"] = std::string(64, 'a');
    auto changed = sendAs(a, otherPhoto);
    EXPECT_EQ(changed.status, protocol::PushStatus::Refused);
    EXPECT_EQ(changed.error->code, protocol::error::kSignature);
    auto otherContest = genuine;
    otherContest["contest"] = "dpr";
    auto moved = sendAs(a, otherContest);
    EXPECT_EQ(moved.status, protocol::PushStatus::Refused);
    EXPECT_EQ(moved.error->code, protocol::error::kForbidden) << moved.error->message;
    // Unsigned, or signed with another key.
    auto unsigned_ = genuine;
    unsigned_.erase("signature");
    EXPECT_EQ(sendAs(a, unsigned_).error->code, protocol::error::kSignature);
    auto forged = decodePhotoAttachment(genuine);
    signPhotoAttachment(forged, signing::generateKeyPair().privateKey);
    EXPECT_EQ(sendAs(a, encode(forged)).error->code, protocol::error::kSignature);
    // A revision not received (yet).
    auto unknown = decodePhotoAttachment(genuine);
    unknown.revision = "00000000-0000-4000-8000-000000000001";
    EXPECT_EQ(sendAs(a, encode(unknown)).error->code, protocol::error::kNotFound);
    // A malformed one names its field.
    auto bad = genuine;
    bad["photo"] = "not-a-hash";
    auto malformed = sendAs(a, bad);
    EXPECT_EQ(malformed.error->code, protocol::error::kBadRequest);
    EXPECT_EQ(malformed.error->path, "$.attachments[0].photo");
    // None of it reached the ledger; the genuine one does.
    auto size = live.store().ledger().ledgerSize();
    EXPECT_EQ(sendAs(a, genuine).status, protocol::PushStatus::Accepted);
    EXPECT_EQ(live.store().ledger().ledgerSize(), size + 1);
    EXPECT_TRUE(live.store().ledger().verify().ok);
}

TEST_F(PhotoLater, ACamatDeviceAttachesNothing) {
    sync::DeviceFile store(live.dir().file("camat.db"));
    sync::SyncClient(store, fastOptions())
        .enrol(live.url(), live.mint(protocol::Role::Camat, "990101"), "camat");
    auto me = live.store().registry().authenticate(store.identity().enrolment()->token);
    try {
        live.store().intake().attachPhotos(me, nlohmann::json::array());
        FAIL() << "a camat device attached a photo";
    } catch (const central::ApiError& e) {
        EXPECT_EQ(e.status(), 403);
    }
}

TEST_F(PhotoLater, AnAttachmentNotYetReceivedWaitsForItsRevision) {
    auto d = device();
    auto r = record(d, validPpwpSheet());
    auto sha = d.store->photos().add(writePhoto(1000, 4));
    d.store->attachments().attach(r.id, sha); // before the revision was ever sent
    auto report = d.client->sync();           // pushed first, then attached
    EXPECT_EQ(report.accepted, 1);
    EXPECT_EQ(report.attached, 1);
    EXPECT_EQ(d.store->attachments().of(r.id).at(0).state, SheetState::Accepted);
}

TEST_F(PhotoLater, VerifyNamesAnAttachmentRowChangedOrRemovedByHand) {
    auto d = device();
    auto r = record(d, validPpwpSheet());
    d.client->sync();
    auto sha = d.store->photos().add(writePhoto(1000, 5));
    d.store->attachments().attach(r.id, sha);
    d.client->sync();
    ASSERT_TRUE(live.store().ledger().verify().ok);
    auto db = live.store().location();
    editWithSqlite3(live.dir(), db,
                    "UPDATE photo_attachments SET photo = '" + std::string(64, 'b') + "';");
    auto changed = live.store().ledger().verify();
    EXPECT_FALSE(changed.ok);
    EXPECT_NE(changed.failure.find("photo_attachments"), std::string::npos) << changed.failure;
    editWithSqlite3(live.dir(), db, "DELETE FROM photo_attachments;");
    auto removed = live.store().ledger().verify();
    EXPECT_FALSE(removed.ok);
    EXPECT_NE(removed.failure.find("photo_attachments"), std::string::npos) << removed.failure;
}

TEST_F(PhotoLater, TheReplayChecksTheAttachmentsSignatureAndItsRevisionsDevice) {
    auto d = device();
    auto r = record(d, validPpwpSheet());
    d.client->sync();
    auto sha = d.store->photos().add(writePhoto(1000, 6));
    d.store->attachments().attach(r.id, sha);
    d.client->sync();
    std::vector<std::string> entries;
    for (std::int64_t i = 0; i < live.store().ledger().ledgerSize(); ++i)
        entries.push_back(live.store().ledger().ledgerEntry(i));
    auto replayAll = [&](const std::vector<std::string>& all) {
        ledger::Replay replay;
        for (const auto& e : all)
            replay.apply(e);
        return replay.attachedPhotos().size();
    };
    EXPECT_EQ(replayAll(entries), 1u);
    auto last = nlohmann::json::parse(entries.back());
    ASSERT_EQ(last["kind"], "photo_attached");
    auto edit = [&](const std::function<void(nlohmann::json&)>& change) {
        auto copy = entries;
        auto e = last;
        change(e);
        copy.back() = e.dump();
        return copy;
    };
    auto fails = [&](const std::vector<std::string>& all, const std::string& words) {
        try {
            replayAll(all);
            ADD_FAILURE() << "replayed: " << all.back();
        } catch (const ledger::ReplayError& e) {
            EXPECT_EQ(e.index(), static_cast<std::int64_t>(all.size()) - 1);
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    fails(edit([](auto& e) { e["attachment"]["photo"] = std::string(64, 'c'); }), "not signed");
    fails(edit([](auto& e) { e["revision"] = "00000000-0000-4000-8000-000000000002"; }),
          "does not hold");
    // A second tablet's attachment to this revision, however it is signed.
    auto other = device();
    auto otherId = other.store->identity().enrolment()->device;
    std::vector<std::string> withOther;
    for (std::int64_t i = 0; i < live.store().ledger().ledgerSize(); ++i)
        withOther.push_back(live.store().ledger().ledgerEntry(i));
    auto e = last;
    e["index"] = withOther.size();
    e["attachment"]["device"] = otherId;
    withOther.push_back(e.dump());
    fails(withOther, "only a revision's own device");
}

TEST_F(PhotoLater, AReceiverWithoutTheRouteKeepsTheAttachmentQueuedAndThePhotoStillGoesUp) {
    FaultProxy proxy(live.port());
    auto d = device("9901011001001", proxy.url());
    auto r = record(d, validPpwpSheet());
    d.client->sync();
    auto sha = d.store->photos().add(writePhoto(2000, 7));
    d.store->attachments().attach(r.id, sha);
    // A receiver older than the tablet has no such route: 404, as it answers any unknown path.
    proxy.addRequestFault(RequestFault::answer("photo-attachments", 404, 1));
    auto old = d.client->sync();
    EXPECT_TRUE(old.attachmentsUnsupported);
    EXPECT_EQ(old.attached, 0);
    EXPECT_EQ(d.store->attachments().of(r.id).at(0).state, SheetState::Queued);
    EXPECT_TRUE(photoArrived(sha)) << "the photo's bytes go up meanwhile";
    // Once the receiver knows the route, the attachment goes.
    auto updated = d.client->sync();
    EXPECT_FALSE(updated.attachmentsUnsupported);
    EXPECT_EQ(updated.attached, 1);
    EXPECT_EQ(d.store->attachments().of(r.id).at(0).state, SheetState::Accepted);
}
