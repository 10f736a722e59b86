// What one enrolled tablet can do with names that are not its own, at the store (both engines):
// a carrier or a tablet whose items are refused, which must not fill the signed ledger in
// proportion nor be recorded as another device's act.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/store.h"
#include "rekap/sheet_codec.h"
#include "revisions.h"
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
    std::vector<protocol::PushResult> push(const central::DeviceRecord& d,
                                           const nlohmann::json& items) {
        return store->ingest(d, items).results;
    }
    std::vector<protocol::PushResult> relay(const nlohmann::json& items) {
        return store->relay(carrier, items).results;
    }
    /// Ledger entries from `from` on, parsed.
    std::vector<nlohmann::json> entriesFrom(std::int64_t from) {
        std::vector<nlohmann::json> out;
        for (auto i = from; i < store->ledgerSize(); ++i)
            out.push_back(nlohmann::json::parse(store->ledgerEntry(i)));
        return out;
    }
    central::DeviceRecord victim, carrier;
};

} // namespace

TEST_P(Names, ManyRefusedItemsCostOneLedgerEntryNamingTheSender) {
    auto before = store->ledgerSize();
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
    EXPECT_EQ(store->ledgerEntryDevice(before), victim.id);
    // A push of good and bad items: the good ones stored, the bad ones one entry.
    before = store->ledgerSize();
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
    EXPECT_TRUE(store->verify().ok);
}

TEST_P(Names, ARelayedItemThatIsRefusedIsTheCarriersNotTheDeviceItNames) {
    auto before = store->ledgerSize();
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
    EXPECT_EQ(store->ledgerEntryDevice(before), carrier.id);
    // Nothing in the ledger is recorded as the victim's act.
    for (std::int64_t i = 0; i < store->ledgerSize(); ++i) {
        auto kind = nlohmann::json::parse(store->ledgerEntry(i))["kind"];
        if (kind != "device_enrolled" && kind != "device_key") {
            EXPECT_NE(store->ledgerEntryDevice(i), victim.id) << "entry " << i;
        }
    }
    EXPECT_TRUE(store->verify().ok);
}

INSTANTIATE_STORE_SUITE(Names);
