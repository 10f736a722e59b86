// What one enrolled tablet can do with names that are not its own, at the store (both engines):
// a relay carrier that pushes a revision of its own TPS under the id of a sheet it was shown
// as QR codes, and a carrier or a tablet whose items are refused, which must not fill the
// signed ledger in proportion nor be recorded as another device's act.

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"
#include "rekap/central/store.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/storage_error.h"
#include "revisions.h"
#include "store_sql.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using protocol::PushStatus;

namespace {

class Names : public StoreSuite {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped())
            return;
        victim = enrol("9901011001001", "victim");
        carrier = enrol("9901021001001", "carrier"); // another kecamatan's tablet
    }
    /// The carrier's own sheet, under the id of `shown` (seen in the victim's QR codes).
    Revision squat(const Revision& shown) {
        auto own = validPpwpSheet();
        own.tps = AreaCode::parse("9901021001001");
        auto r = makeRevision(carrier.id, own);
        r.id = shown.id;
        return sign(r);
    }
    std::vector<protocol::PushResult> push(const central::DeviceRecord& d,
                                           const nlohmann::json& items) {
        return store->intake().ingest(d, items).results;
    }
    std::vector<protocol::PushResult> relay(const nlohmann::json& items) {
        return store->intake().relay(carrier, items).results;
    }
    /// Ledger entries from `from` on, parsed.
    std::vector<nlohmann::json> entriesFrom(std::int64_t from) {
        std::vector<nlohmann::json> out;
        for (auto i = from; i < store->ledger().ledgerSize(); ++i)
            out.push_back(nlohmann::json::parse(store->ledger().ledgerEntry(i)));
        return out;
    }
    central::DeviceRecord victim, carrier;
};

} // namespace

TEST_P(Names, ARevisionIdTakenFirstByACarrierDoesNotKeepTheGenuineSheetOut) {
    auto genuine = makeRevision(victim.id, validPpwpSheet());
    auto first = push(carrier, nlohmann::json::array({encodeRevision(squat(genuine))}));
    ASSERT_NE(first[0].status, PushStatus::Refused); // stored, under the id it shows
    // Relayed by the carrier: it gets in, under the id its tablet chose.
    auto relayed = relay(nlohmann::json::array({encodeRevision(genuine)}));
    ASSERT_EQ(relayed.size(), 1u);
    EXPECT_EQ(relayed[0].status, PushStatus::Accepted)
        << (relayed[0].error ? relayed[0].error->message : "");
    EXPECT_EQ(relayed[0].id, genuine.id);
    ASSERT_FALSE(relayed[0].receipt.empty());
    // Pushed by its own tablet afterwards: the same revision, the same receipt.
    auto direct = push(victim, nlohmann::json::array({encodeRevision(genuine)}));
    EXPECT_EQ(direct[0].status, PushStatus::Duplicate);
    EXPECT_EQ(direct[0].receipt, relayed[0].receipt);
    auto sheet = store->sheets().sheet("9901011001001/ppwp");
    ASSERT_TRUE(sheet);
    EXPECT_EQ(sheet->state, SheetState::Accepted);
    // Its tablet's correction builds on it, not on the carrier's revision of the same id.
    auto fix = makeRevision(victim.id, moveOneVote(genuine.sheet), genuine.id, "salah baca");
    auto fixed = push(victim, nlohmann::json::array({encodeRevision(fix)}));
    EXPECT_EQ(fixed[0].status, PushStatus::Accepted);
    EXPECT_EQ(store->sheets().sheet("9901011001001/ppwp")->heads.size(), 1u);
    EXPECT_EQ(store->sheets().sheet("9901011001001/ppwp")->winner, fix.id);
    // The tablet hears of its sheet by the ids it chose.
    auto feed = store->intake().pull(victim, 0, 100);
    bool told = false;
    for (const auto& c : feed.changes)
        if (c.kind == "sheet_state" && c.sheet == "9901011001001/ppwp")
            told = told || c.data.at("winner") == genuine.id;
    EXPECT_TRUE(told);
    // The carrier's own revision is still its own; the same device cannot reuse its id.
    auto again = squat(genuine);
    again.sheet = moveOneVote(again.sheet);
    sign(again);
    EXPECT_EQ(push(carrier, nlohmann::json::array({encodeRevision(again)}))[0].error->code,
              "hash_mismatch");
    auto verified = store->ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;
}

TEST_P(Names, TheSquattedSheetGetsInPushedDirectlyToo) {
    auto genuine = makeRevision(victim.id, validPpwpSheet());
    push(carrier, nlohmann::json::array({encodeRevision(squat(genuine))}));
    auto direct = push(victim, nlohmann::json::array({encodeRevision(genuine)}));
    EXPECT_EQ(direct[0].status, PushStatus::Accepted)
        << (direct[0].error ? direct[0].error->message : "");
    auto relayed = relay(nlohmann::json::array({encodeRevision(genuine)}));
    EXPECT_EQ(relayed[0].status, PushStatus::Duplicate);
    EXPECT_EQ(relayed[0].receipt, direct[0].receipt);
    // The desk can decide the sheet and a clerk read it; the ledger checks.
    auto second = enrol("9901011001001", "second");
    auto other = makeRevision(second.id, moveOneVote(genuine.sheet));
    push(second, nlohmann::json::array({encodeRevision(other)}));
    auto s = store->sheets().sheet("9901011001001/ppwp");
    ASSERT_EQ(s->state, SheetState::Conflict);
    store->sheets().resolve(s->key, s->winner.value(), "plano dicek", "Desk Uji");
    EXPECT_EQ(store->sheets().sheet(s->key)->state, SheetState::Accepted);
    auto verified = store->ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;
    // The id a key stands for is derived too: changed, verify names the row.
    {
        auto edited = openAgain();
        test::execOn(*edited, "UPDATE revisions SET name = '" + newUuid() + "' WHERE device = '" +
                                  victim.id + "'");
        auto broken = edited->ledger().verify();
        EXPECT_FALSE(broken.ok);
        EXPECT_NE(broken.failure.find("in column name"), std::string::npos) << broken.failure;
        test::execOn(*edited, "UPDATE revisions SET name = '" + genuine.id + "' WHERE device = '" +
                                  victim.id + "'");
    }
    // A copy of a device's revision under a new key is refused by the database itself.
    try {
        test::execOn(
            *store,
            "INSERT INTO revisions (id, hash, numbers_hash, sheet, tps, contest, parent, device, "
            "operator, captured_at, received_at, status, findings, body, name) SELECT id || "
            "'@copy', hash, numbers_hash, sheet, tps, contest, parent, device, operator, "
            "captured_at, received_at, status, findings, body, name FROM revisions WHERE device "
            "= '" +
                victim.id + "'");
        FAIL() << "a second revision of one device and id was stored";
    } catch (const StorageError& e) {
        std::string what = e.what();
        EXPECT_TRUE(what.find("UNIQUE") != std::string::npos ||
                    what.find("unique constraint") != std::string::npos)
            << what;
    }
}

TEST_P(Names, ACorrectionBuildsOnItsOwnDevicesRevisionOfTheIdItNames) {
    // Another tablet of the same TPS took the id first, on the same sheet.
    auto second = enrol("9901011001001", "second");
    auto genuine = makeRevision(victim.id, validPpwpSheet());
    auto other = makeRevision(second.id, moveOneVote(validPpwpSheet()));
    other.id = genuine.id;
    sign(other);
    ASSERT_EQ(push(second, nlohmann::json::array({encodeRevision(other)}))[0].status,
              PushStatus::Accepted);
    ASSERT_EQ(push(victim, nlohmann::json::array({encodeRevision(genuine)}))[0].status,
              PushStatus::Conflict);
    // The victim's correction of its own revision fast-forwards its own head, not the other's.
    auto fix = makeRevision(victim.id, moveOneVote(moveOneVote(validPpwpSheet())), genuine.id,
                            "salah baca");
    push(victim, nlohmann::json::array({encodeRevision(fix)}));
    auto heads = store->sheets().sheet("9901011001001/ppwp")->heads;
    EXPECT_EQ(heads.size(), 2u);
    EXPECT_NE(std::find(heads.begin(), heads.end(), fix.id), heads.end());
    EXPECT_NE(std::find(heads.begin(), heads.end(), genuine.id), heads.end()) << "the other's";
    auto verified = store->ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;
}

TEST_P(Names, ManyRefusedItemsCostOneLedgerEntryNamingTheSender) {
    auto before = store->ledger().ledgerSize();
    auto items = nlohmann::json::array();
    for (int i = 0; i < 500; ++i)
        items.push_back(nlohmann::json::object());
    auto results = push(victim, items);
    ASSERT_EQ(results.size(), 500u);
    for (const auto& r : results)
        EXPECT_EQ(r.status, PushStatus::Refused);
    auto entries = entriesFrom(before);
    ASSERT_EQ(entries.size(), 1u) << "one push of 500 refused items";
    EXPECT_EQ(entries[0]["kind"], "refusal");
    EXPECT_EQ(entries[0]["device"], victim.id);
    EXPECT_EQ(entries[0]["count"], 500);
    EXPECT_EQ(results[499].receipt, results[0].receipt);
    EXPECT_EQ(store->ledger().ledgerEntryDevice(before), victim.id);
    // A push of good and bad items: the good ones stored, the bad ones one entry.
    before = store->ledger().ledgerSize();
    auto good = makeRevision(victim.id, validPpwpSheet());
    auto forged = makeRevision(victim.id, validPdprSheet());
    forged.signature = makeRevision(victim.id, validPdpdSheet()).signature;
    results =
        push(victim, nlohmann::json::array({nlohmann::json::object(), encodeRevision(good),
                                            encodeRevision(forged), nlohmann::json::object()}));
    EXPECT_EQ(results[1].status, PushStatus::Accepted);
    EXPECT_EQ(results[2].status, PushStatus::Refused);
    entries = entriesFrom(before);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1]["kind"], "refusal");
    EXPECT_EQ(entries[1]["count"], 3);
    EXPECT_EQ(entries[1]["items"][1]["code"], "signature_invalid");
    EXPECT_EQ(entries[1]["items"][1]["revision_id"], forged.id);
    EXPECT_TRUE(store->ledger().verify().ok);
}

TEST_P(Names, ARelayedItemThatIsRefusedIsTheCarriersNotTheDeviceItNames) {
    auto before = store->ledger().ledgerSize();
    auto items = nlohmann::json::array();
    for (int i = 0; i < 50; ++i) {
        auto r = makeRevision(victim.id, validPpwpSheet());
        auto j = encodeRevision(r);
        j["sheet"]["votes"] = "rusak"; // malformed, naming the victim's tablet
        items.push_back(j);
    }
    auto results = relay(items);
    ASSERT_EQ(results.size(), 50u);
    for (const auto& r : results)
        EXPECT_EQ(r.status, PushStatus::Refused);
    auto entries = entriesFrom(before);
    ASSERT_EQ(entries.size(), 1u) << "one relay of 50 refused items";
    EXPECT_EQ(entries[0]["device"], carrier.id);
    EXPECT_EQ(entries[0]["claimed_device"], victim.id);
    EXPECT_EQ(entries[0]["relayed"], true);
    EXPECT_EQ(store->ledger().ledgerEntryDevice(before), carrier.id);
    // Nothing in the ledger is recorded as the victim's act.
    for (std::int64_t i = 0; i < store->ledger().ledgerSize(); ++i) {
        auto kind = nlohmann::json::parse(store->ledger().ledgerEntry(i))["kind"];
        if (kind != "device_enrolled" && kind != "device_key") {
            EXPECT_NE(store->ledger().ledgerEntryDevice(i), victim.id) << "entry " << i;
        }
    }
    EXPECT_TRUE(store->ledger().verify().ok);
}

INSTANTIATE_STORE_SUITE(Names);
