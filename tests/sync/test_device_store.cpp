// The device store: durable finalize, corrections, outbox states, and recovery after a crash.

#include <gtest/gtest.h>

#include <fstream>

#include "fixtures.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/store/file.h"
#include "revisions.h"
#include "temp_dir.h"

using namespace rekap;
using namespace rekap::sync;
using namespace rekap::test;

namespace {
class Store : public ::testing::Test {
protected:
    void SetUp() override { open(); }
    void open() {
        store.reset();
        store = std::make_unique<DeviceFile>(dir.file("device.db"));
        if (!store->identity().enrolment()) {
            store->identity().save({"http://127.0.0.1:1", "dev-1", "token",
                                    protocol::Role::Operator, "9901011001001", "9901", ""});
            store->masterData().save(tinyRegencyJson().dump());
        }
    }
    Revision finalize(const Sheet& s, std::string reason = {}) {
        Capture::FinalizeOptions o;
        o.reason = std::move(reason);
        return store->capture().finalize(s, "Siti", o);
    }
    TempDir dir;
    std::unique_ptr<DeviceFile> store;
};
} // namespace

TEST_F(Store, FinalizeQueuesADurableRevision) {
    auto rev = finalize(validPpwpSheet());
    EXPECT_EQ(rev.device, "dev-1");
    EXPECT_FALSE(rev.parent.has_value());
    EXPECT_TRUE(isUuid(rev.id));
    EXPECT_TRUE(isUtcTimestamp(rev.capturedAt));
    open(); // as after a restart
    auto entries = store->outbox().all();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].revision, rev);
    EXPECT_EQ(entries[0].hash, rev.hash());
    EXPECT_EQ(entries[0].state, SheetState::Queued);
    EXPECT_EQ(store->outbox().queueDepth(), 1);
    EXPECT_EQ(store->outbox().head("9901011001001/ppwp"), rev.id);
    EXPECT_EQ(store->outbox().lastCaptureAt(), rev.capturedAt);
}

TEST_F(Store, SynchronousFullAndWal) {
    auto d = store->durability();
    EXPECT_EQ(d.journalMode, "wal");
    EXPECT_EQ(d.synchronous, 2); // FULL
    sqlite::Database raw(store->path().string());
    EXPECT_EQ(raw.userVersion(), 6); // revisions stored by the receiver, receipt to come
}

TEST_F(Store, CorrectionNamesItsParentAndNeedsAReason) {
    auto r1 = finalize(validPpwpSheet());
    EXPECT_THROW(finalize(moveOneVote(validPpwpSheet())), std::invalid_argument);
    auto r2 = finalize(moveOneVote(validPpwpSheet()), "salah baca");
    EXPECT_EQ(r2.parent, r1.id);
    EXPECT_EQ(r2.reason, "salah baca");
    EXPECT_EQ(store->outbox().head("9901011001001/ppwp"), r2.id);
    EXPECT_EQ(store->outbox().queueDepth(), 2);
}

TEST_F(Store, FinalizeRefusesRuleErrorsUnlessAllowed) {
    auto bad = validPpwpSheet();
    bad.summary.invalid = 7; // R3
    try {
        finalize(bad);
        FAIL() << "finalize accepted a sheet that breaks R3";
    } catch (const FinalizeRefused& e) {
        ASSERT_FALSE(e.findings().empty());
        EXPECT_EQ(e.findings()[0].rule, "R3");
    }
    EXPECT_EQ(store->outbox().queueDepth(), 0);
    Capture::FinalizeOptions o;
    o.allowRuleErrors = true;
    store->capture().finalize(bad, "Siti", o);
    EXPECT_EQ(store->outbox().queueDepth(), 1);
}

TEST_F(Store, FinalizeOnlyForThisDevicesTps) {
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse("9901011002001");
    EXPECT_THROW(finalize(s), std::invalid_argument);
}

TEST_F(Store, DraftsSurviveARestartAndFinalizeDropsThem) {
    store->drafts().save("9901011001001/ppwp", {{"votes", {{"1", 70}}}});
    open();
    ASSERT_TRUE(store->drafts().of("9901011001001/ppwp"));
    EXPECT_EQ((*store->drafts().of("9901011001001/ppwp"))["votes"]["1"], 70);
    finalize(validPpwpSheet());
    EXPECT_FALSE(store->drafts().of("9901011001001/ppwp"));
}

TEST_F(Store, BatchesAreBoundedAndSendingGoesBackToQueuedAfterACrash) {
    finalize(validPpwpSheet());
    finalize(validPdprSheet());
    finalize(validPdpdSheet());
    auto one = store->outbox().takeBatch(10, 10); // a byte bound below one revision still takes one
    ASSERT_EQ(one.size(), 1u);
    auto two = store->outbox().takeBatch(2, 1 << 20);
    EXPECT_EQ(two.size(), 2u);
    EXPECT_TRUE(store->outbox().takeBatch(10, 1 << 20).empty());
    EXPECT_EQ(store->outbox().queueDepth(), 3); // sending still counts as on the device
    open();                                     // a kill during the sync
    auto again = store->outbox().takeBatch(10, 1 << 20);
    EXPECT_EQ(again.size(), 3u);
    EXPECT_EQ(again[0].revision.sheet.contest, "ppwp"); // oldest first
}

TEST_F(Store, PushResultsSetTheSheetState) {
    auto a = finalize(validPpwpSheet());
    auto b = finalize(validPdprSheet());
    auto c = finalize(validPdpdSheet());
    store->outbox().takeBatch(10, 1 << 20);
    protocol::PushResult ra{a.id, protocol::PushStatus::Duplicate, SheetState::Conflict, {}, {}, {},
                            {}};
    protocol::PushResult rb{b.id,
                            protocol::PushStatus::Rejected,
                            SheetState::Rejected,
                            validateSheet(moveOneVote(validPpwpSheet()), tinyRegency()),
                            {},
                            {},
                            {}};
    protocol::PushResult rc{c.id,
                            protocol::PushStatus::Refused,
                            std::nullopt,
                            {},
                            protocol::ErrorBody{"forbidden", "not yours", "$.x"},
                            {},
                            {}};
    store->outbox().applyResults({ra, rb, rc});
    EXPECT_EQ(store->outbox().entry(a.id)->state, SheetState::Conflict);
    EXPECT_EQ(store->outbox().entry(b.id)->state, SheetState::Rejected);
    EXPECT_EQ(store->outbox().entry(c.id)->state, SheetState::Rejected);
    EXPECT_EQ(store->outbox().entry(c.id)->error, "forbidden: not yours ($.x)");
    EXPECT_EQ(store->outbox().queueDepth(), 0);
}

TEST_F(Store, PhotosAreCopiedInAndNamedByTheirHash) {
    auto src = dir.file("plano.jpg");
    std::ofstream(src, std::ios::binary) << std::string(5000, 'p');
    auto sha = store->photos().add(src);
    EXPECT_EQ(sha.size(), 64u);
    std::filesystem::remove(src);
    EXPECT_TRUE(std::filesystem::exists(store->photos().path(sha)));
    EXPECT_EQ(store->photos().pending(), std::vector<std::string>{sha});
    store->photos().markUploaded(sha);
    EXPECT_TRUE(store->photos().pending().empty());
}

TEST_F(Store, NewerSchemaIsRefused) {
    auto path = store->path();
    store.reset();
    sqlite::Database(path.string()).exec("PRAGMA user_version = 99");
    EXPECT_THROW(DeviceFile(dir.file("device.db")), sqlite::Error);
}

// An answer given when stored (Preference-Applied: respond-async): `queued` keeps the revision
// sending, waiting for its receipt, also across a restart, never taken for another push; its
// receipt then sets the state like any push result.
TEST_F(Store, AnAnswerGivenWhenStoredKeepsTheRevisionWaitingForItsReceipt) {
    auto a = finalize(validPpwpSheet());
    auto b = finalize(validPdprSheet());
    store->outbox().takeBatch(10, 1 << 20);
    auto warnings = validateSheet(moveOneVote(validPpwpSheet()), tinyRegency());
    protocol::PushResult qa{
        a.id, protocol::PushStatus::Queued, SheetState::Queued, warnings, {}, {}, {}};
    protocol::PushResult rb{b.id, protocol::PushStatus::Accepted, SheetState::Accepted, {}, {}, {},
                            {}};
    store->outbox().applyResults({qa, rb}, std::nullopt, sync::AnsweredWhen::Stored);
    store->outbox().requeueSending(); // what every push does after its answer
    EXPECT_EQ(store->outbox().entry(a.id)->state, SheetState::Sending);
    EXPECT_NE(store->outbox().entry(a.id)->storedAt, "");
    EXPECT_EQ(store->outbox().entry(b.id)->state, SheetState::Accepted);
    EXPECT_EQ(store->outbox().awaiting(500), std::vector<std::string>{a.id});
    EXPECT_EQ(store->outbox().queueDepth(), 0) << "at the receiver, not on the device";
    open(); // a restart
    EXPECT_EQ(store->outbox().entry(a.id)->state, SheetState::Sending);
    EXPECT_TRUE(store->outbox().takeBatch(10, 1 << 20).empty()) << "not sent again";
    // A receipt still `queued` (not integrated yet) keeps it waiting, with its findings.
    protocol::PushResult still{a.id, protocol::PushStatus::Queued, SheetState::Queued, {}, {}, {},
                               {}};
    store->outbox().applyResults({still}, std::nullopt, sync::AnsweredWhen::Stored);
    EXPECT_EQ(store->outbox().awaiting(500), std::vector<std::string>{a.id});
    EXPECT_EQ(store->outbox().entry(a.id)->findings.size(), warnings.size());
    protocol::PushResult done{
        a.id, protocol::PushStatus::Accepted, SheetState::Accepted, warnings, {}, {}, {}};
    store->outbox().applyResults({done}, std::nullopt, sync::AnsweredWhen::Stored);
    EXPECT_EQ(store->outbox().entry(a.id)->state, SheetState::Accepted);
    EXPECT_EQ(store->outbox().entry(a.id)->storedAt, "");
    EXPECT_TRUE(store->outbox().awaiting(500).empty());
}

// A receiver that ignores Prefer answers as before: its results are final, and a `queued` in
// such an answer is no answer at all: the revision goes again rather than wait for a receipt
// that receiver cannot give.
TEST_F(Store, AFinalAnswerSayingQueuedSendsTheRevisionAgain) {
    auto a = finalize(validPpwpSheet());
    store->outbox().takeBatch(10, 1 << 20);
    protocol::PushResult qa{a.id, protocol::PushStatus::Queued, SheetState::Queued, {}, {}, {}, {}};
    store->outbox().applyResults({qa}, std::nullopt, sync::AnsweredWhen::Integrated);
    store->outbox().requeueSending();
    EXPECT_EQ(store->outbox().entry(a.id)->state, SheetState::Queued);
    EXPECT_TRUE(store->outbox().awaiting(500).empty());
    EXPECT_EQ(store->outbox().takeBatch(10, 1 << 20).size(), 1u);
}

// Stored revisions the receiver left out of its receipts (it no longer knows them) go again.
TEST_F(Store, AStoredRevisionTheReceiverForgotIsQueuedAgain) {
    auto a = finalize(validPpwpSheet());
    store->outbox().takeBatch(10, 1 << 20);
    protocol::PushResult qa{a.id, protocol::PushStatus::Queued, SheetState::Queued, {}, {}, {}, {}};
    store->outbox().applyResults({qa}, std::nullopt, sync::AnsweredWhen::Stored);
    store->outbox().resendForgotten({a.id});
    EXPECT_EQ(store->outbox().entry(a.id)->state, SheetState::Queued);
    EXPECT_EQ(store->outbox().entry(a.id)->storedAt, "");
    EXPECT_EQ(store->outbox().takeBatch(10, 1 << 20).size(), 1u);
}
