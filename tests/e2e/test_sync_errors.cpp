// What a failed sync or enrolment says about itself: enough for an app to tell a person what to
// do (no connection, a used code, a revoked tablet), not only a line of text.

#include <gtest/gtest.h>

#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using sync::SyncError;
using sync::TransportFailure;

namespace {
SyncError failureOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const SyncError& e) {
        return e;
    }
    ADD_FAILURE() << "no SyncError";
    return SyncError(SyncError::Kind::Fatal, "none");
}
} // namespace

TEST_F(SyncFixture, NoReceiverIsANoConnectionFailure) {
    auto d = device();
    record(d, validPpwpSheet());
    live.stop();
    auto e = failureOf([&] { d.client->sync(); });
    EXPECT_EQ(e.kind(), SyncError::Kind::Transient);
    EXPECT_EQ(e.detail().httpStatus, 0);
    EXPECT_EQ(e.detail().transport, TransportFailure::NoConnection);
    live.start();
}

TEST_F(SyncFixture, AUsedCodeSaysSo) {
    auto code = live.mint(protocol::Role::Operator, "9901011001001");
    sync::DeviceFile first(live.dir().file("first.db")), second(live.dir().file("second.db"));
    sync::SyncClient(first, fastOptions()).enrol(live.url(), code, "first");
    auto e =
        failureOf([&] { sync::SyncClient(second, fastOptions()).enrol(live.url(), code, "b"); });
    EXPECT_EQ(e.kind(), SyncError::Kind::Fatal);
    EXPECT_EQ(e.code(), "enrolment_code_invalid");
    EXPECT_EQ(e.detail().httpStatus, 401);
    EXPECT_EQ(e.detail().reason, "used");
    auto unknown = failureOf(
        [&] { sync::SyncClient(second, fastOptions()).enrol(live.url(), "ZZZZ-9", "b"); });
    EXPECT_EQ(unknown.detail().reason, "unknown");
}

TEST_F(SyncFixture, ARevokedDeviceSaysSo) {
    auto d = device();
    live.store().registry().revokeDevice(d.store->identity().enrolment()->device);
    auto e = failureOf([&] { d.client->sync(); });
    EXPECT_EQ(e.code(), "device_revoked");
    EXPECT_EQ(e.detail().httpStatus, 403);
    EXPECT_EQ(e.detail().transport, TransportFailure::None);
}
