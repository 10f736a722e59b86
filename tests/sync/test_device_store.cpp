// The device store: durable finalize, corrections, outbox states, and recovery after a crash.

#include <gtest/gtest.h>

#include <fstream>

#include "fixtures.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/device_store.h"
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
        store = std::make_unique<DeviceStore>(dir.file("device.db"));
        if (!store->enrolment()) {
            store->saveEnrolment({"http://127.0.0.1:1", "dev-1", "token", protocol::Role::Operator,
                                  "9901011001001", "9901", ""});
            store->saveMasterData(tinyRegencyJson().dump());
        }
    }
    Revision finalize(const Sheet& s, std::string reason = {}) {
        DeviceStore::FinalizeOptions o;
        o.reason = std::move(reason);
        return store->finalize(s, "Siti", o);
    }
    TempDir dir;
    std::unique_ptr<DeviceStore> store;
};
} // namespace

TEST_F(Store, FinalizeQueuesADurableRevision) {
    auto rev = finalize(validPpwpSheet());
    EXPECT_EQ(rev.device, "dev-1");
    EXPECT_FALSE(rev.parent.has_value());
    EXPECT_TRUE(isUuid(rev.id));
    EXPECT_TRUE(isUtcTimestamp(rev.capturedAt));
    open(); // as after a restart
    auto entries = store->outbox();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].revision, rev);
    EXPECT_EQ(entries[0].hash, rev.hash());
    EXPECT_EQ(entries[0].state, SheetState::Queued);
    EXPECT_EQ(store->queueDepth(), 1);
    EXPECT_EQ(store->head("9901011001001/ppwp"), rev.id);
    EXPECT_EQ(store->lastCaptureAt(), rev.capturedAt);
}

TEST_F(Store, SynchronousFullAndWal) {
    auto mode = store->database().prepare("PRAGMA journal_mode");
    mode.step();
    EXPECT_EQ(mode.text(0), "wal");
    auto sync = store->database().prepare("PRAGMA synchronous");
    sync.step();
    EXPECT_EQ(sync.integer(0), 2);                 // FULL
    EXPECT_EQ(store->database().userVersion(), 5); // sheets sent back
}

TEST_F(Store, CorrectionNamesItsParentAndNeedsAReason) {
    auto r1 = finalize(validPpwpSheet());
    EXPECT_THROW(finalize(moveOneVote(validPpwpSheet())), std::invalid_argument);
    auto r2 = finalize(moveOneVote(validPpwpSheet()), "salah baca");
    EXPECT_EQ(r2.parent, r1.id);
    EXPECT_EQ(r2.reason, "salah baca");
    EXPECT_EQ(store->head("9901011001001/ppwp"), r2.id);
    EXPECT_EQ(store->queueDepth(), 2);
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
    EXPECT_EQ(store->queueDepth(), 0);
    DeviceStore::FinalizeOptions o;
    o.allowRuleErrors = true;
    store->finalize(bad, "Siti", o);
    EXPECT_EQ(store->queueDepth(), 1);
}

TEST_F(Store, FinalizeOnlyForThisDevicesTps) {
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse("9901011002001");
    EXPECT_THROW(finalize(s), std::invalid_argument);
}

TEST_F(Store, DraftsSurviveARestartAndFinalizeDropsThem) {
    store->saveDraft("9901011001001/ppwp", {{"votes", {{"1", 70}}}});
    open();
    ASSERT_TRUE(store->draft("9901011001001/ppwp"));
    EXPECT_EQ((*store->draft("9901011001001/ppwp"))["votes"]["1"], 70);
    finalize(validPpwpSheet());
    EXPECT_FALSE(store->draft("9901011001001/ppwp"));
}

TEST_F(Store, BatchesAreBoundedAndSendingGoesBackToQueuedAfterACrash) {
    finalize(validPpwpSheet());
    finalize(validPdprSheet());
    finalize(validPdpdSheet());
    auto one = store->takeBatch(10, 10); // a byte bound below one revision still takes one
    ASSERT_EQ(one.size(), 1u);
    auto two = store->takeBatch(2, 1 << 20);
    EXPECT_EQ(two.size(), 2u);
    EXPECT_TRUE(store->takeBatch(10, 1 << 20).empty());
    EXPECT_EQ(store->queueDepth(), 3); // sending still counts as on the device
    open();                            // a kill during the sync
    auto again = store->takeBatch(10, 1 << 20);
    EXPECT_EQ(again.size(), 3u);
    EXPECT_EQ(again[0].revision.sheet.contest, "ppwp"); // oldest first
}

TEST_F(Store, PushResultsSetTheSheetState) {
    auto a = finalize(validPpwpSheet());
    auto b = finalize(validPdprSheet());
    auto c = finalize(validPdpdSheet());
    store->takeBatch(10, 1 << 20);
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
    store->applyResults({ra, rb, rc});
    EXPECT_EQ(store->entry(a.id)->state, SheetState::Conflict);
    EXPECT_EQ(store->entry(b.id)->state, SheetState::Rejected);
    EXPECT_EQ(store->entry(c.id)->state, SheetState::Rejected);
    EXPECT_EQ(store->entry(c.id)->error, "forbidden: not yours ($.x)");
    EXPECT_EQ(store->queueDepth(), 0);
}

TEST_F(Store, PhotosAreCopiedInAndNamedByTheirHash) {
    auto src = dir.file("plano.jpg");
    std::ofstream(src, std::ios::binary) << std::string(5000, 'p');
    auto sha = store->addPhoto(src);
    EXPECT_EQ(sha.size(), 64u);
    std::filesystem::remove(src);
    EXPECT_TRUE(std::filesystem::exists(store->photoPath(sha)));
    EXPECT_EQ(store->pendingPhotos(), std::vector<std::string>{sha});
    store->markPhotoUploaded(sha);
    EXPECT_TRUE(store->pendingPhotos().empty());
}

TEST_F(Store, NewerSchemaIsRefused) {
    store->database().exec("PRAGMA user_version = 99");
    store.reset();
    EXPECT_THROW(DeviceStore(dir.file("device.db")), sqlite::Error);
}
