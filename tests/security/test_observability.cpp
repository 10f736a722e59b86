// What an operator watches: one access-log line per request, /healthz, and /metrics in the
// Prometheus text format with requests by route and status, ingest outcomes, reported queue
// depths and group-commit sizes.

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "central_process.h"
#include "fixtures.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;

TEST(Observability, AccessLogHealthAndMetrics) {
    CentralProcess central;
    auto dev = central.enrol(protocol::Role::Operator, "9901011001001");
    httplib::Client c("127.0.0.1", central.port());
    auto push = c.Post(
        "/api/v1/sync/push",
        {{"Authorization", "Bearer " + dev.token}, {protocol::kHeaderQueueDepth, "3"}},
        nlohmann::json{{"revisions", {encodeRevision(makeRevision(dev.device, validPpwpSheet()))}}}
            .dump(),
        "application/json");
    ASSERT_EQ(push->status, 200) << push->body;

    auto health = c.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_NE(health->body.find("\"ok\""), std::string::npos);

    // A request is counted once its answer is out, as its access-log line is written: the
    // push's may land after this client already asked for /metrics (seen once under load), so
    // it is waited for (deadline 20 s).
    auto metrics = c.Get("/metrics");
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
         metrics &&
         metrics->body.find("route=\"/api/v1/sync/push\",method=\"POST\"") == std::string::npos &&
         std::chrono::steady_clock::now() < until;
         metrics = c.Get("/metrics"))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->status, 200) << metrics->body;
    EXPECT_EQ(metrics->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
    const auto& m = metrics->body;
    for (const auto* want :
         {"rekap_http_requests_total{route=\"/api/v1/sync/push\",method=\"POST\",status=\"200\"} 1",
          "rekap_http_request_duration_seconds_bucket{route=\"/api/v1/sync/push\"",
          "rekap_ingest_revisions_total{outcome=\"accepted\"} 1",
          "rekap_device_reported_queue_depth_count 1", "rekap_devices_queued_revisions 2",
          "rekap_group_commit_pushes_count 1", "rekap_group_commit_revisions_sum 1",
          "rekap_http_open_connections"})
        EXPECT_NE(m.find(want), std::string::npos) << "missing: " << want << "\n" << m;

    // One line per request: who, what, status, bytes, time. Written once the answer is out:
    // waited for (deadline 20 s), not given 200 ms.
    auto log = central.log();
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
         log.find("\"POST /api/v1/sync/push\"") == std::string::npos &&
         std::chrono::steady_clock::now() < until;
         log = central.log())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto line = log.find("\"POST /api/v1/sync/push\"");
    ASSERT_NE(line, std::string::npos) << log;
    auto end = log.find('\n', line);
    auto text = log.substr(log.rfind('\n', line) + 1, end - log.rfind('\n', line) - 1);
    EXPECT_NE(text.find(dev.device), std::string::npos) << text;
    EXPECT_NE(text.find(" 200 "), std::string::npos) << text;
    EXPECT_NE(text.find("in="), std::string::npos) << text;
    EXPECT_NE(text.find("ms"), std::string::npos) << text;
}
