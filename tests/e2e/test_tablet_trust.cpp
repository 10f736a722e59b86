// Tablets trust nothing unsigned (issue 25, rows 6 and 7): a desk decision in the pull feed that
// the receiver did not sign is refused, the page left unapplied and the ledger alarm raised; and
// every sync, also one with nothing to send, holds the receiver to the signed head the tablet
// kept, so that a receiver rolled back is noticed by a tablet that saw the later head. Real
// devices, a real receiver on 127.0.0.1.

#include <gtest/gtest.h>

#include "ledger_edit.h"
#include "revisions.h"
#include "store_sql.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using sync::SyncError;

namespace {

/// Expects `sync` to stop with the ledger alarm, and returns its message.
std::string alarmOf(Device& d) {
    try {
        d.client->sync();
        ADD_FAILURE() << "the sync went through";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Fatal);
        EXPECT_EQ(e.code(), "ledger_inconsistent");
        // Kept on the tablet, with the time it was raised.
        EXPECT_NE(d.store->receipts().ledgerAlarm().find(e.what()), std::string::npos)
            << d.store->receipts().ledgerAlarm();
        return e.what();
    }
    return {};
}

} // namespace

TEST_F(SyncFixture, ADecisionTheReceiverDidNotSignIsRefusedAndRaisesTheAlarm) {
    auto d = device();
    auto mine = record(d, validPpwpSheet());
    d.client->sync();
    auto checkpoint = d.store->feed().checkpoint();
    // Forged into the pull feed: a "decision" for other numbers, signed with another key.
    auto forged = makeRevision("desk", moveOneVote(validPpwpSheet()), mine.id, "plano dicek");
    forged.operatorName = "Desk";
    forged.signature = signing::sign(signing::generateKeyPair().privateKey,
                                     revisionSigningText(forged, forged.hash()));
    test::sqlOf(live.store())
        ->prepare("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES "
                  "('resolution', ?, ?, NULL, ?, '2024-02-14T12:00:00Z')")
        .bindAll(forged.sheet.key(), forged.sheet.tps.str(),
                 nlohmann::json{{"revision", encodeRevision(forged)},
                                {"chosen", mine.id},
                                {"superseded", nlohmann::json::array({mine.id})}}
                     .dump())
        .run();
    auto why = alarmOf(d);
    EXPECT_NE(why.find("not signed by the receiver's key"), std::string::npos) << why;
    // Nothing of it taken: the tablet's own revision stands, its head and checkpoint too.
    EXPECT_EQ(stateOf(d, mine.id), SheetState::Accepted);
    EXPECT_EQ(d.store->outbox().head("9901011001001/ppwp"), mine.id);
    EXPECT_FALSE(d.store->outbox().entry(forged.id));
    EXPECT_EQ(d.store->feed().checkpoint(), checkpoint);
}

TEST_F(SyncFixture, AGenuineDecisionIsTakenAfterItsSignatureIsChecked) {
    auto a = device();
    auto b = device();
    record(a, validPpwpSheet());
    a.client->sync();
    auto rb = record(b, moveOneVote(validPpwpSheet()));
    b.client->sync();
    auto decision =
        live.store().sheets().resolve("9901011001001/ppwp", rb.id, "plano dicek", "Desk");
    a.client->sync();
    EXPECT_EQ(a.store->outbox().head("9901011001001/ppwp"), decision);
    EXPECT_TRUE(a.store->receipts().ledgerAlarm().empty());
}

TEST_F(SyncFixture, ASyncWithNothingToSendHoldsTheReceiverToTheHeadItKept) {
    auto d = device();
    auto other = device();
    record(d, validPpwpSheet());
    d.client->sync();
    auto kept = d.store->receipts().lastTreeHead();
    ASSERT_TRUE(kept);
    // The ledger grows by another tablet's sheet: a plain sync checks the proof and keeps the
    // larger head.
    record(other, validPdprSheet());
    other.client->sync();
    auto plain = d.client->sync();
    EXPECT_EQ(plain.batches, 0);
    ASSERT_TRUE(d.store->receipts().lastTreeHead());
    EXPECT_GT(d.store->receipts().lastTreeHead()->size, kept->size);
    EXPECT_TRUE(d.store->receipts().ledgerAlarm().empty());

    // Rolled back: the receiver's latest signed heads gone (as with a restored backup). The
    // tablet has nothing to send, and notices anyway.
    auto later = d.store->receipts().lastTreeHead()->size;
    editWithSqlite3(live.dir(), live.store().location(),
                    "DELETE FROM tree_heads WHERE size > " + std::to_string(kept->size) + ";");
    auto why = alarmOf(d);
    EXPECT_NE(why.find("does not extend the one of " + std::to_string(later)), std::string::npos)
        << why;
}
