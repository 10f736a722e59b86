// What sync/ gives the camat's view: an authenticated read of the kecamatan's status with the
// same retries as a sync (an answer cut on the way is read again, never half-used), and a place
// in the device's file to keep the last answer for offline use. The view itself, which shows the
// kept answer with its time when the receiver cannot be reached, is the tablet app's
// (mobile/src/app_controller.cpp) and tested with it.

#include <gtest/gtest.h>

#include "revisions.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using sync::SyncError;

TEST_F(SyncFixture, ACamatReadsItsKecamatanEvenThroughACutAnswerAndKeepsItOffline) {
    FaultProxy proxy(live.port());
    auto op = device();
    record(op, validPpwpSheet());
    op.client->sync();

    auto file = live.dir().file("camat.db");
    std::string body;
    {
        sync::DeviceFile store(file);
        sync::SyncClient client(store, fastOptions());
        client.enrol(proxy.url(), live.mint(protocol::Role::Camat, "990101"), "camat");
        // The answer is cut inside its headers, then inside its body: both read again.
        proxy.addRequestFault(RequestFault::cutResponse("GET /api/v1/status", 20));
        proxy.addRequestFault(RequestFault::cutResponse("GET /api/v1/status", 200));
        body = client.get("/api/v1/status?area=990101");
        auto status = nlohmann::json::parse(body);
        EXPECT_EQ(status["desa"][0]["tps"][0]["status"], "partial");
        EXPECT_EQ(status["totals"]["partial"], 1);
        int cut = 0;
        for (const auto& r : proxy.requests())
            cut += r.has("GET /api/v1/status") && !r.fault.empty();
        EXPECT_EQ(cut, 2);
        store.preferences().set("camat_status", body);
    }
    live.stop(); // no signal
    sync::DeviceFile store(file);
    EXPECT_EQ(store.preferences().get("camat_status"), body);
    auto opts = fastOptions();
    opts.maxAttempts = 2;
    try {
        sync::SyncClient(store, opts).get("/api/v1/status?area=990101");
        FAIL() << "read the status with the receiver down";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Transient);
    }
}
