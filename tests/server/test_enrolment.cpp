// One-time enrolment codes, tokens and revocation.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/error.h"
#include "rekap/support/random.h"
#include "store_sql.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;

namespace {
class Enrolment : public StoreSuite {
protected:
    std::string mint(const std::string& area, std::chrono::hours validity = std::chrono::hours(1)) {
        auto role = area.size() == 6 ? protocol::Role::Camat : protocol::Role::Operator;
        return store->registry().mintCodes(role, AreaCode::parse(area), 1, validity, "")[0];
    }
    int statusOf(const std::function<void()>& f) {
        try {
            f();
        } catch (const central::ApiError& e) {
            lastError = e.body();
            return e.status();
        }
        return 200;
    }
    protocol::ErrorBody lastError;
};
/// An enrolment request with a fresh device key.
protocol::EnrolRequest request(const std::string& code, const std::string& id,
                               const std::string& name) {
    return {code, id, name, signing::generateKeyPair().publicKey};
}
} // namespace

TEST_P(Enrolment, CodeGivesADeviceBoundToItsScope) {
    auto e = store->registry().enrol(request(mint("9901011001001"), newUuid(), "tablet"));
    EXPECT_EQ(e.role, protocol::Role::Operator);
    EXPECT_EQ(e.scope, "9901011001001");
    EXPECT_EQ(e.regency, "9901");
    auto d = store->registry().authenticate(e.token);
    EXPECT_EQ(d.id, e.device);
    auto camat = store->registry().enrol(request(mint("990101"), newUuid(), "camat"));
    EXPECT_EQ(camat.role, protocol::Role::Camat);
    EXPECT_EQ(camat.scope, "990101");
}

TEST_P(Enrolment, CodesAreOneTimeAndIgnoreCaseAndDashes) {
    auto code = mint("9901011001001");
    std::string typed;
    for (char c : code)
        if (c != '-')
            typed += static_cast<char>(std::tolower(c));
    store->registry().enrol(request(typed, newUuid(), "first"));
    EXPECT_EQ(statusOf([&] { store->registry().enrol(request(code, newUuid(), "second")); }), 401);
    EXPECT_EQ(lastError.code, "enrolment_code_invalid");
    EXPECT_NE(lastError.message.find("already used"), std::string::npos);
    EXPECT_EQ(lastError.reason, "used") << "so that a tablet can say what to do";
}

TEST_P(Enrolment, RetryWithTheSameEnrolmentIdGetsTheSameDeviceAndANewToken) {
    auto code = mint("9901011001001");
    auto id = newUuid();
    auto req = request(code, id, "tablet");
    auto first = store->registry().enrol(req);
    store->registry().authenticate(first.token); // remembered: the new token must still end it
    auto again = store->registry().enrol(req);
    EXPECT_EQ(first.device, again.device);
    EXPECT_NE(first.token, again.token);
    EXPECT_EQ(statusOf([&] { store->registry().authenticate(first.token); }),
              401); // the lost one is dead
    EXPECT_EQ(store->registry().authenticate(again.token).id, first.device);
    EXPECT_EQ(store->registry().devices().size(), 1u);
}

TEST_P(Enrolment, UnknownAndExpiredCodes) {
    EXPECT_EQ(statusOf([&] { store->registry().enrol(request("AAAA-BBBB-CCCC", newUuid(), "x")); }),
              401);
    EXPECT_EQ(lastError.path, "$.code");
    EXPECT_EQ(lastError.reason, "unknown");
    auto expired = mint("9901011001001", std::chrono::hours(-1));
    EXPECT_EQ(statusOf([&] { store->registry().enrol(request(expired, newUuid(), "x")); }), 401);
    EXPECT_NE(lastError.message.find("expired"), std::string::npos);
    EXPECT_EQ(lastError.reason, "expired");
}

TEST(ErrorBody, ReasonTravelsAndIsOptional) {
    auto body = protocol::encodeError({"enrolment_code_invalid", "m", "$.code", "used"}).dump();
    EXPECT_EQ(protocol::decodeError(body).reason, "used");
    auto old = protocol::decodeError(R"({"error": {"code": "unauthorized", "message": "m"}})");
    EXPECT_EQ(old.code, "unauthorized");
    EXPECT_EQ(old.reason, "") << "an older receiver sends none";
    EXPECT_EQ(protocol::decodeError("<html>502</html>").code, "unknown");
}

TEST_P(Enrolment, RevokedDeviceIsRefused) {
    auto e = store->registry().enrol(request(mint("9901011001001"), newUuid(), "tablet"));
    EXPECT_EQ(store->registry().authenticate(e.token).id,
              e.device); // remembered: revoking must end it
    store->registry().revokeDevice(e.device);
    EXPECT_EQ(statusOf([&] { store->registry().authenticate(e.token); }), 403);
    EXPECT_EQ(statusOf([&] { store->registry().authenticate(e.token); }),
              403); // and keeps it ended
    EXPECT_EQ(lastError.code, "device_revoked");
    EXPECT_THROW(store->registry().revokeDevice(e.device), std::invalid_argument);
}

TEST_P(Enrolment, TokensAreStoredHashed) {
    auto e = store->registry().enrol(request(mint("9901011001001"), newUuid(), "tablet"));
    auto sql = test::sqlOf(*store);
    auto st = sql->prepare("SELECT token_hash FROM devices");
    ASSERT_TRUE(st.step());
    EXPECT_NE(st.text(0), e.token);
    EXPECT_EQ(st.text(0).size(), 64u);
}

TEST_P(Enrolment, MintingChecksTheArea) {
    EXPECT_THROW(mint("9901011009001"), std::invalid_argument);
    EXPECT_THROW(store->registry().mintCodes(protocol::Role::Camat, AreaCode::parse("990199"), 1,
                                             std::chrono::hours(1), ""),
                 std::invalid_argument);
}

TEST_P(Enrolment, RegencyPersistsAndAnotherRegencyIsRefused) {
    store.reset();
    store = openAgain();
    EXPECT_TRUE(store->masterData().initialized());
    EXPECT_EQ(store->masterData().regency().code.str(), "9901");
    EXPECT_THROW(store->masterData().loadRegency(dataDir() + "/regencies/hss-6306.json"),
                 DecodeError);
}

INSTANTIATE_STORE_SUITE(Enrolment);
