#pragma once
// A GoogleTest fixture with a receiver's store (no HTTP) holding the tiny regency, and enrolled
// operator devices on demand.

#include <gtest/gtest.h>

#include "live_central.h"
#include "rekap/central/store.h"
#include "rekap/support/random.h"
#include "revisions.h"
#include "store_location.h"

namespace rekap::test {

/// On SQLite; a suite that derives from StoreSuite instead runs on both engines.
class StoreTest : public ::testing::Test {
protected:
    virtual StoreKind storeKind() const { return StoreKind::SQLite; }
    /// Derived fixtures' SetUp must return when IsSkipped() || HasFatalFailure() after calling
    /// this.
    void SetUp() override {
        location = std::make_unique<StoreLocation>(storeKind(), dir);
        if (location->unavailable())
            REKAP_WITHOUT_POSTGRES();
        store = std::make_unique<central::CentralStore>(location->location(), location->options());
        store->masterData().loadRegency(writeTinyRegency(dir));
    }
    /// The store again, as another process (or another receiver) would open it.
    std::unique_ptr<central::CentralStore> openAgain() const {
        return std::make_unique<central::CentralStore>(location->location(), location->options());
    }
    /// A device enrolled with a fresh code for `area` (a TPS: operator; a kecamatan: camat).
    central::DeviceRecord enrol(const std::string& area, const std::string& name = "t") {
        auto role = area.size() == 6 ? protocol::Role::Camat : protocol::Role::Operator;
        auto code = store->registry().mintCodes(role, AreaCode::parse(area), 1,
                                                std::chrono::hours(1), name)[0];
        return store->registry().authenticate(enrolSigned(*store, code, name).token);
    }
    TempDir dir;
    std::unique_ptr<StoreLocation> location;
    std::unique_ptr<central::CentralStore> store;
};

/// StoreTest on each engine in turn: TEST_P(Suite, ...) and INSTANTIATE_STORE_SUITE(Suite).
class StoreSuite : public StoreTest, public ::testing::WithParamInterface<StoreKind> {
protected:
    StoreKind storeKind() const override { return GetParam(); }
};

} // namespace rekap::test
