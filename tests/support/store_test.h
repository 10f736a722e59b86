#pragma once
// A GoogleTest fixture with a receiver's store (no HTTP) holding the tiny regency, and enrolled
// operator devices on demand.

#include <gtest/gtest.h>

#include "live_central.h"
#include "rekap/central/store.h"
#include "rekap/support/random.h"
#include "revisions.h"

namespace rekap::test {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        store = std::make_unique<central::CentralStore>(dir.file("central.db"));
        store->loadRegency(writeTinyRegency(dir));
    }
    /// A device enrolled with a fresh code for `area` (a TPS: operator; a kecamatan: camat).
    central::DeviceRecord enrol(const std::string& area, const std::string& name = "t") {
        auto role = area.size() == 6 ? protocol::Role::Camat : protocol::Role::Operator;
        auto code =
            store->mintCodes(role, AreaCode::parse(area), 1, std::chrono::hours(1), name)[0];
        return store->authenticate(enrolSigned(*store, code, name).token);
    }
    TempDir dir;
    std::unique_ptr<central::CentralStore> store;
};

} // namespace rekap::test
