// Enrolment and desk login are limited per client address: the 21st failure within a minute
// gets 429 (and is logged); another address is not affected; behind a proxy the address comes
// from X-Forwarded-For only when the proxy is trusted.

#include <gtest/gtest.h>

#include "central_process.h"
#include "raw_http.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

int attempt(int port, const std::string& path, const std::string& body,
            const std::string& extraHeaders = "", const char* source = nullptr) {
    auto a = rawExchange(port,
                         "POST " + path +
                             " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                             "application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n" + extraHeaders + "\r\n" + body,
                         {}, 10000, source);
    return a.status;
}

std::string wrongCode() {
    return json{{"code", "AAAA-BBBB-CCCC"},
                {"enrolment_id", newUuid()},
                {"device_name", "x"},
                {"public_key", signing::generateKeyPair().publicKey}}
        .dump();
}

} // namespace

TEST(RateLimit, TheTwentyFirstWrongEnrolmentInAMinuteGets429) {
    CentralProcess central;
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(attempt(central.port(), "/api/v1/enrol", wrongCode()), 401) << "attempt " << i;
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", wrongCode()), 429);
    // Even a right code waits now; another address does not.
    auto good = json{{"code", central.mint(protocol::Role::Operator, "9901011001001")},
                     {"enrolment_id", newUuid()},
                     {"device_name", "x"},
                     {"public_key", signing::generateKeyPair().publicKey}}
                    .dump();
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", good), 429);
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", good, "", "127.0.0.2"), 200);
    EXPECT_NE(central.log().find("refused (429)"), std::string::npos) << central.log();
}

TEST(RateLimit, TheTwentyFirstWrongDeskLoginInAMinuteGets429) {
    CentralProcess central;
    auto token = central.deskToken("Desk");
    auto wrong = json{{"token", "nope"}}.dump();
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(attempt(central.port(), "/desk/login", wrong), 401) << "attempt " << i;
    EXPECT_EQ(attempt(central.port(), "/desk/login", wrong), 429);
    EXPECT_EQ(attempt(central.port(), "/desk/login", json{{"token", token}}.dump()), 429);
    EXPECT_EQ(
        attempt(central.port(), "/desk/login", json{{"token", token}}.dump(), "", "127.0.0.3"),
        200);
}

TEST(RateLimit, ForwardedForCountsOnlyFromATrustedProxy) {
    CentralProcess proxied({"--trust-proxy", "127.0.0.1"});
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(
            attempt(proxied.port(), "/api/v1/enrol", wrongCode(), "X-Forwarded-For: 10.0.0.1\r\n"),
            401);
    EXPECT_EQ(
        attempt(proxied.port(), "/api/v1/enrol", wrongCode(), "X-Forwarded-For: 10.0.0.1\r\n"),
        429);
    EXPECT_EQ(
        attempt(proxied.port(), "/api/v1/enrol", wrongCode(), "X-Forwarded-For: 10.0.0.2\r\n"),
        401);
    // Without --trust-proxy the header is a client's claim: the peer's address counts.
    CentralProcess direct;
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(attempt(direct.port(), "/api/v1/enrol", wrongCode(),
                          "X-Forwarded-For: 10.0.0." + std::to_string(i) + "\r\n"),
                  401);
    EXPECT_EQ(attempt(direct.port(), "/api/v1/enrol", wrongCode(), "X-Forwarded-For: 10.9.9.9\r\n"),
              429);
}
