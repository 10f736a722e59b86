// Issue 26, the HTTP layer: a body is read only after the header's token was checked, and
// bodies share a budget of buffered bytes (and one tablet a part of it). Memory is measured as
// the issue measured it: the receiver's peak resident size against its idle size.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "central_process.h"
#include "fixtures.h"
#include "raw_http.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;

namespace {

constexpr long kAllowedGrowthKb = 100 * 1024;

std::string pushHead(const std::string& token, std::size_t length) {
    return "POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
           (token.empty() ? std::string() : "Authorization: Bearer " + token + "\r\n") +
           "Content-Type: application/json\r\nContent-Length: " + std::to_string(length) +
           "\r\n\r\n";
}

/// An honest push of one sheet by `device`, waiting as long as a tablet would: its status.
int honestPush(const CentralProcess& central, const protocol::EnrolResponse& device) {
    httplib::Client c("127.0.0.1", central.port());
    c.set_connection_timeout(60, 0);
    c.set_read_timeout(60, 0);
    auto body = nlohmann::json{{"revisions",
                                {encodeRevision(makeRevision(device.device, validPpwpSheet()))}}}
                    .dump();
    auto res = c.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + device.token}}, body,
                      "application/json");
    return res ? res->status : 0;
}

/// The receiver's resident size at rest, its peak started again from there.
long settledRss(const CentralProcess& central) {
    httplib::Client warm("127.0.0.1", central.port());
    warm.Get("/api/v1/health");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    central.resetPeak();
    return central.memoryKb("VmRSS");
}

std::string statuses(const FloodResult& r) {
    std::string out;
    for (const auto& [status, n] : r.statuses)
        out += std::to_string(n) + " x " + std::to_string(status) + "; ";
    return out;
}

} // namespace

TEST(TokenBeforeBody, AnonymousUnfinishedPushBodiesAreRefusedUnread) {
    CentralProcess central;
    auto honest = central.enrol(protocol::Role::Operator, "9901011001001");
    auto idle = settledRss(central);
    std::atomic<int> pushed{0};
    // 150 strangers announce 8 MiB pushes and send all of it but the last byte.
    constexpr std::size_t kBody = 8u << 20;
    auto r = flood(central.port(), 150, pushHead("", kBody), kBody - 1, 40,
                   [&] { pushed = honestPush(central, honest); });
    auto peak = central.memoryKb("VmHWM");
    std::cout << "receiver: idle " << idle / 1024 << " MB, peak " << peak / 1024
              << " MB under 150 anonymous 8 MiB pushes; " << r.sent / (1 << 20)
              << " MiB sent; answers: " << statuses(r) << "\n";
    EXPECT_EQ(r.statuses[401], 150) << statuses(r);
    EXPECT_LT(peak - idle, kAllowedGrowthKb) << "grew by " << (peak - idle) / 1024 << " MB";
    EXPECT_EQ(pushed, 200) << "the honest push meanwhile";
}

TEST(TokenBeforeBody, OneTabletsUnfinishedBodiesStayWithinItsShareOfTheBudget) {
    CentralProcess central;
    auto attacker = central.enrol(protocol::Role::Operator, "9901011001001");
    auto honest = central.enrol(protocol::Role::Operator, "9901011001001");
    auto idle = settledRss(central);
    std::atomic<int> pushed{0};
    // An enrolled tablet's 150 unfinished 8 MiB pushes: past its share they get 503.
    constexpr std::size_t kBody = 8u << 20;
    auto r = flood(central.port(), 150, pushHead(attacker.token, kBody), kBody - 1, 20,
                   [&] { pushed = honestPush(central, honest); });
    auto peak = central.memoryKb("VmHWM");
    std::cout << "receiver: idle " << idle / 1024 << " MB, peak " << peak / 1024
              << " MB under one tablet's 150 unfinished 8 MiB pushes; " << r.sent / (1 << 20)
              << " MiB sent; answers: " << statuses(r) << "\n";
    EXPECT_GE(r.statuses[503], 140) << statuses(r);
    EXPECT_FALSE(r.retryAfter.empty()) << "a 503 says when to come back";
    EXPECT_LT(peak - idle, kAllowedGrowthKb) << "grew by " << (peak - idle) / 1024 << " MB";
    EXPECT_EQ(pushed, 200) << "the honest push meanwhile";
    // Nothing was lost: the attacker's own honest push goes through once its sockets are gone.
    EXPECT_EQ(honestPush(central, attacker), 200);
}

TEST(TokenBeforeBody, BodiesOfManyTabletsShareOneBudget) {
    CentralProcess central({"--max-buffered", std::to_string(24u << 20)});
    std::vector<protocol::EnrolResponse> tablets;
    for (int i = 0; i < 4; ++i)
        tablets.push_back(central.enrol(protocol::Role::Operator, "9901011001001"));
    auto idle = settledRss(central);
    // Four tablets, each within its own share (16 MiB), together over the budget (24 MiB).
    std::vector<std::thread> floods;
    std::vector<FloodResult> results(tablets.size());
    constexpr std::size_t kBody = 4u << 20;
    for (std::size_t i = 0; i < tablets.size(); ++i)
        floods.emplace_back([&, i] {
            results[i] = flood(central.port(), 3, pushHead(tablets[i].token, kBody), kBody - 1, 15);
        });
    for (auto& t : floods)
        t.join();
    int refused = 0;
    std::string retry;
    for (auto& r : results) {
        refused += r.statuses[503];
        if (!r.retryAfter.empty())
            retry = r.retryAfter;
    }
    auto peak = central.memoryKb("VmHWM");
    std::cout << "receiver: idle " << idle / 1024 << " MB, peak " << peak / 1024 << " MB; "
              << refused << " of 12 bodies refused over a budget of 24 MiB\n";
    EXPECT_GE(refused, 6);
    EXPECT_FALSE(retry.empty());
    EXPECT_LT(peak - idle, 60 * 1024) << "grew by " << (peak - idle) / 1024 << " MB";
    EXPECT_EQ(honestPush(central, tablets[0]), 200);
}
