// A camat's second reading on the device (docs/second-reading.md): claim the next sheet of the
// kecamatan, download its photo, finalize the numbers typed blind as a signed revision on top of
// the counted one (reason "bacaan kedua"), queued in the outbox, kept across a restart, synced
// with a receipt; equal numbers verify the sheet, different ones make a conflict.

#include <gtest/gtest.h>

#include "rekap/sha256.h"
#include "revisions.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;

namespace {

class CamatReading : public SyncFixture {
protected:
    /// The operator's sheet with a photo, synced; a camat device of its kecamatan.
    void SetUp() override {
        op = device();
        sync::Capture::FinalizeOptions o;
        o.photo = op.store->photos().add(writePhoto(5000, 1));
        first = op.store->capture().finalize(validPpwpSheet(), "Siti", o);
        op.client->sync();
        file = live.dir().file("camat.db");
        camat = std::make_unique<sync::DeviceFile>(file);
        sync::SyncClient(*camat, fastOptions())
            .enrol(live.url(), live.mint(protocol::Role::Camat, "990101"), "camat");
        client = std::make_unique<sync::SyncClient>(*camat, fastOptions());
    }
    Device op;
    Revision first;
    std::string file;
    std::unique_ptr<sync::DeviceFile> camat;
    std::unique_ptr<sync::SyncClient> client;
};

} // namespace

TEST_F(CamatReading, AClaimedSheetReadEquallyIsQueuedKeptSignedAndVerifies) {
    auto claim = client->claimReading("Pak Camat");
    ASSERT_TRUE(claim);
    EXPECT_EQ(claim->sheet, "9901011001001/ppwp");
    EXPECT_EQ(claim->parent, first.id);
    EXPECT_EQ(claim->photo, *first.photo);
    auto to = live.dir().file("reading.jpg");
    client->downloadPhoto(claim->photo, to);
    std::ifstream in(to, std::ios::binary);
    EXPECT_EQ(sha256Hex(std::string(std::istreambuf_iterator<char>(in), {})), claim->photo);

    // Outside the rules, or by an operator device, or outside the kecamatan: refused.
    auto broken = validPpwpSheet();
    broken.candidates[0].votes += 50;
    EXPECT_THROW(camat->capture().finalizeReading(broken, claim->parent, claim->photo, "Pak Camat"),
                 sync::FinalizeRefused);
    EXPECT_THROW(op.store->capture().finalizeReading(validPpwpSheet(), first.id, {}, "Siti"),
                 std::invalid_argument);
    auto elsewhere = validPpwpSheet();
    elsewhere.tps = AreaCode::parse("9901021001001");
    EXPECT_THROW(camat->capture().finalizeReading(elsewhere, first.id, {}, "Pak Camat"),
                 std::invalid_argument);

    auto rev = camat->capture().finalizeReading(validPpwpSheet(), claim->parent, claim->photo,
                                                "Pak Camat");
    EXPECT_EQ(rev.reason, "bacaan kedua");
    EXPECT_EQ(*rev.parent, first.id);
    EXPECT_EQ(rev.operatorName, "Pak Camat");
    EXPECT_EQ(rev.device, camat->identity().enrolment()->device);
    EXPECT_TRUE(revisionSignatureValid(rev, rev.hash(), camat->identity().deviceKey().publicKey));
    // Durable: a restart finds it queued.
    client.reset();
    camat.reset();
    camat = std::make_unique<sync::DeviceFile>(file);
    client = std::make_unique<sync::SyncClient>(*camat, fastOptions());
    ASSERT_TRUE(camat->outbox().entry(rev.id));
    EXPECT_EQ(camat->outbox().entry(rev.id)->state, SheetState::Queued);
    EXPECT_EQ(camat->outbox().queueDepth(), 1);

    auto report = client->sync();
    EXPECT_EQ(report.accepted, 1);
    EXPECT_EQ(camat->outbox().entry(rev.id)->state, SheetState::Accepted);
    EXPECT_TRUE(camat->receipts().of(rev.id));
    EXPECT_TRUE(live.store().live().counted(claim->sheet).verified);
    EXPECT_FALSE(client->claimReading("Pak Camat")); // nothing else waits
}

TEST_F(CamatReading, ADifferentReadingIsAConflictAndTheFirstEntryStillCounts) {
    auto claim = client->claimReading("Pak Camat");
    ASSERT_TRUE(claim);
    auto rev = camat->capture().finalizeReading(moveOneVote(validPpwpSheet()), claim->parent,
                                                claim->photo, "Bu");
    client->sync();
    EXPECT_EQ(camat->outbox().entry(rev.id)->state, SheetState::Conflict);
    EXPECT_FALSE(live.store().live().counted(claim->sheet).verified);
    EXPECT_EQ(live.store().live().counted(claim->sheet).sheet, validPpwpSheet());
}
