// Enrolment and desk login are limited per client address: the 21st failure within a minute
// gets 429 (and is logged); another address is not affected; behind a proxy the address comes
// from X-Forwarded-For only when the proxy is trusted. Enrolment failures count by address and
// the code's first group, so wrong codes do not lock out a right one behind the same address
// (issue 26); attempts sent at once cannot pass the check more often than the limit.

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "central_process.h"
#include "raw_http.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

#include <iostream>
#include <map>

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

std::string enrolBody(const std::string& code) {
    return json{{"code", code},
                {"enrolment_id", newUuid()},
                {"device_name", "x"},
                {"public_key", signing::generateKeyPair().publicKey}}
        .dump();
}

std::string wrongCode() {
    return enrolBody("AAAA-BBBB-CCCC");
}

/// `n` requests sent at once on their own connections; their statuses. Every head goes first,
/// then, once the receiver waits for them all, every body: the requests arrive whole together.
std::map<int, int> atOnce(int port, int n, const std::string& head, const std::string& body,
                          const char* source) {
    std::vector<int> fds;
    for (int i = 0; i < n; ++i)
        fds.push_back(connectLoopback(port, source));
    for (int fd : fds)
        ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    for (int fd : fds)
        ::send(fd, body.data(), body.size(), MSG_NOSIGNAL);
    std::map<int, int> statuses;
    for (int fd : fds) {
        pollfd p{fd, POLLIN, 0};
        char buf[16] = {};
        int status = 0;
        if (::poll(&p, 1, 60000) == 1 && ::recv(fd, buf, 12, MSG_WAITALL) == 12)
            status = std::atoi(buf + 9);
        ++statuses[status];
        ::close(fd);
    }
    return statuses;
}

} // namespace

TEST(RateLimit, TheTwentyFirstWrongEnrolmentInAMinuteGets429) {
    CentralProcess central;
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(attempt(central.port(), "/api/v1/enrol", wrongCode()), 401) << "attempt " << i;
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", wrongCode()), 429);
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", enrolBody("aaaa bbbb dddd")), 429)
        << "the same first group, however written";
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", wrongCode(), "", "127.0.0.2"), 401);
    EXPECT_NE(central.log().find("refused (429)"), std::string::npos) << central.log();
}

TEST(RateLimit, WrongCodesFromOneAddressDoNotLockOutARightCode) {
    CentralProcess central;
    // Tablets behind one carrier's NAT: twenty wrong codes, then a right one.
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(attempt(central.port(), "/api/v1/enrol", enrolBody(newReadableCode())), 401)
            << "attempt " << i;
    auto good = central.mint(protocol::Role::Operator, "9901011001001");
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", enrolBody(good)), 200);
    // Guessing the rest of one code stays limited to 20 a minute...
    auto target = newReadableCode().substr(0, 5);
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(attempt(central.port(), "/api/v1/enrol", enrolBody(target + newReadableCode(2))),
                  401);
    EXPECT_EQ(attempt(central.port(), "/api/v1/enrol", enrolBody(target + newReadableCode(2))),
              429);
    // ...and one address to ten times that in all.
    int refused = 0;
    for (int i = 0; i < 200 && refused == 0; ++i)
        refused += attempt(central.port(), "/api/v1/enrol", enrolBody(newReadableCode())) == 429;
    EXPECT_EQ(refused, 1) << "an address trying every first group was never refused";
}

TEST(RateLimit, WrongDeskTokensSentAtOnceAreCheckedAtMostTwentyTimes) {
    CentralProcess central;
    central.deskToken("Desk");
    auto body = json{{"token", "nope"}}.dump();
    auto head = "POST /desk/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                "application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n";
    // A few rounds, each from an address of its own: how far past the limit a race gets varies.
    for (int round = 0; round < 5; ++round) {
        auto source = "127.0.1." + std::to_string(round + 1);
        auto statuses = atOnce(central.port(), 150, head, body, source.c_str());
        std::cout << "150 wrong desk tokens at once from " << source << ": " << statuses[401]
                  << " checked (401), " << statuses[429] << " refused (429)\n";
        EXPECT_LE(statuses[401], 20);
        EXPECT_EQ(statuses[401] + statuses[429], 150);
    }
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
