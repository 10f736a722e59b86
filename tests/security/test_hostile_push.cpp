// What one enrolled tablet can make a real receiver allocate, store or sign with pushes and
// relays (issue 26): bodies that inflate to nested arrays, an id of 30 MB, 100,000 empty items,
// and malformed items relayed in another tablet's name. Memory is the receiver's own
// (/proc/PID/status).

#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <future>
#include <iostream>
#include <thread>

#include "central_process.h"
#include "fixtures.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;

namespace {

std::string gzip(const std::string& text) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    std::string out;
    std::vector<char> buf(1 << 16);
    int rc;
    do {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        rc = deflate(&z, Z_FINISH);
        out.append(buf.data(), buf.size() - z.avail_out);
    } while (rc != Z_STREAM_END);
    deflateEnd(&z);
    return out;
}

httplib::Result post(int port, const std::string& path, const std::string& token,
                     const std::string& body, bool gzipped) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    httplib::Headers h = {{"Authorization", "Bearer " + token}};
    if (gzipped)
        h.emplace("Content-Encoding", "gzip");
    return c.Post(path.c_str(), h, body, "application/json");
}

std::int64_t ledgerSize(int port) {
    httplib::Client c("127.0.0.1", port);
    auto res = c.Get("/api/v1/ledger/head");
    if (!res || res->status != 200)
        return -1;
    return nlohmann::json::parse(res->body)["tree_head"]["size"].get<std::int64_t>();
}

/// An honest push answered while the attack goes on.
void expectHonestPushAnswered(int port, const std::string& token, const std::string& device) {
    auto body =
        nlohmann::json{{"revisions", {encodeRevision(makeRevision(device, validPpwpSheet()))}}};
    auto res = post(port, "/api/v1/sync/push", token, body.dump(), false);
    ASSERT_TRUE(res) << "no answer to an honest push";
    EXPECT_EQ(res->status, 200) << res->body;
}

struct Memory {
    long idleRss, peakBefore;
};
Memory idle(CentralProcess& central) {
    httplib::Client warm("127.0.0.1", central.port());
    warm.Get("/api/v1/health");
    return {central.memoryKb("VmRSS"), central.memoryKb("VmHWM")};
}
void expectWithin100MbOfIdle(CentralProcess& central, const Memory& m, const char* what) {
    auto peak = central.memoryKb("VmHWM");
    std::cout << what << ": receiver resident " << m.idleRss / 1024 << " MB idle, peak "
              << m.peakBefore / 1024 << " MB before and " << peak / 1024 << " MB after, "
              << central.memoryKb("VmRSS") / 1024 << " MB now\n";
    EXPECT_LT(peak - m.idleRss, 100 * 1024)
        << what << ": peak resident memory " << (peak - m.idleRss) / 1024 << " MB over idle";
}

std::string nestedArrays(std::size_t bytes) {
    std::string body = R"({"revisions":[)";
    body.append(bytes / 2, '[');
    body.append(bytes / 2, ']');
    body += "]}";
    return body;
}

} // namespace

TEST(HostilePush, NestedArraysInflatedTo32MiBAreRefusedWithoutMemory) {
    CentralProcess central;
    auto device = central.enrol(protocol::Role::Operator, "9901011001001");
    static const std::string bomb = gzip(nestedArrays((32u << 20) - 64));
    static const std::string smaller = gzip(nestedArrays(4u << 20));
    ASSERT_LT(bomb.size(), 64u * 1024);
    auto m = idle(central);
    auto before = ledgerSize(central.port());
    // Within the caller's share, the nesting is what is refused, by its path.
    auto nested = post(central.port(), "/api/v1/sync/push", device.token, smaller, true);
    ASSERT_TRUE(nested);
    EXPECT_EQ(nested->status, 400) << nested->body.substr(0, 300);
    EXPECT_NE(nested->body.find("nested deeper than"), std::string::npos)
        << nested->body.substr(0, 300);
    EXPECT_NE(nested->body.find("$.revisions[0]"), std::string::npos);
    // Past it, the inflation stops at the share: 413, nothing held past it.
    for (int i = 0; i < 2; ++i) {
        auto res = post(central.port(), "/api/v1/sync/push", device.token, bomb, true);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 413) << res->body.substr(0, 300);
        EXPECT_NE(res->body.find("inflates to over"), std::string::npos)
            << res->body.substr(0, 300);
    }
    expectWithin100MbOfIdle(central, m, "one 32 MiB nested push at a time");
    // Three at once from one tablet (the issue's row: 96 KiB on the wire, 96 MiB inflated), and
    // an honest push answered meanwhile: the inflated bytes are held to the tablet's share of
    // the receiver's budget, so each is refused (413 past the share, 503 while the others hold
    // it) and the memory stays put.
    std::vector<std::future<int>> attacks;
    for (int i = 0; i < 3; ++i)
        attacks.push_back(std::async(std::launch::async, [&] {
            auto res = post(central.port(), "/api/v1/sync/push", device.token, bomb, true);
            return res ? res->status : 0;
        }));
    auto other = central.enrol(protocol::Role::Operator, "9901011001001"); // its own share
    expectHonestPushAnswered(central.port(), other.token, other.device);
    for (auto& a : attacks) {
        auto status = a.get();
        EXPECT_TRUE(status == 413 || status == 503) << status;
    }
    expectWithin100MbOfIdle(central, m, "three 32 MiB nested pushes at once");
    EXPECT_EQ(ledgerSize(central.port()), before + 2) << "only the honest revision is recorded";
}

TEST(HostilePush, AThirtyMegabyteIdIsRefusedByItsPathNeverEchoedNorStored) {
    CentralProcess central;
    auto device = central.enrol(protocol::Role::Operator, "9901011001001");
    auto withId = [&](std::size_t bytes) {
        auto item = encodeRevision(makeRevision(device.device, validPpwpSheet()));
        item["id"] = std::string(bytes, '7');
        return gzip(nlohmann::json{{"revisions", {item}}}.dump());
    };
    auto m = idle(central);
    auto before = ledgerSize(central.port());
    // 30 MB: past what one body may inflate to (half the tablet's share of the receiver's
    // budget), the inflation stops (413). 6 MB: within it, the id itself is refused by its path.
    // Neither is echoed nor stored, pushed or relayed.
    for (auto [bytes, status] :
         {std::pair{std::size_t{30} << 20, 413}, {std::size_t{6} << 20, 400}})
        for (const char* route : {"/api/v1/sync/push", "/api/v1/sync/relay"}) {
            SCOPED_TRACE(std::string(route) + " " + std::to_string(bytes >> 20) + " MB");
            auto res = post(central.port(), route, device.token, withId(bytes), true);
            ASSERT_TRUE(res);
            EXPECT_EQ(res->status, status) << res->body.substr(0, 300);
            EXPECT_LT(res->body.size(), 1024u) << "the answer echoes the id";
            if (status == 400) {
                EXPECT_NE(res->body.find("$.revisions[0].id"), std::string::npos) << res->body;
            }
            EXPECT_EQ(ledgerSize(central.port()), before) << "the refusal was recorded";
        }
    expectWithin100MbOfIdle(central, m, "a 30 MB id");
}

TEST(HostilePush, AHundredThousandEmptyItemsAreRefusedWholeAndRecordedNowhere) {
    CentralProcess central;
    auto device = central.enrol(protocol::Role::Operator, "9901011001001");
    std::string items = "{}";
    for (int i = 1; i < 100000; ++i)
        items += ",{}";
    auto body = gzip(R"({"revisions":[)" + items + "]}");
    ASSERT_LT(body.size(), 1024u);
    auto before = ledgerSize(central.port());
    auto res = post(central.port(), "/api/v1/sync/push", device.token, body, true);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413) << res->body;
    EXPECT_NE(res->body.find("payload_too_large"), std::string::npos);
    EXPECT_EQ(ledgerSize(central.port()), before);
    // 500, the most one push may hold, are answered one by one and cost one ledger entry.
    std::string most = "{}";
    for (int i = 1; i < 500; ++i)
        most += ",{}";
    res = post(central.port(), "/api/v1/sync/push", device.token, R"({"revisions":[)" + most + "]}",
               false);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
    EXPECT_EQ(nlohmann::json::parse(res->body)["results"].size(), 500u);
    EXPECT_EQ(ledgerSize(central.port()), before + 1);
}

TEST(HostilePush, MalformedItemsRelayedInAnotherTabletsNameAreTheCarriers) {
    CentralProcess central;
    auto victim = central.enrol(protocol::Role::Operator, "9901011001001");
    auto carrier = central.enrol(protocol::Role::Operator, "9901021001001");
    auto desk = central.deskToken("Desk Uji");
    auto items = nlohmann::json::array();
    for (int i = 0; i < 50; ++i) {
        auto j = encodeRevision(makeRevision(victim.device, validPpwpSheet()));
        j["sheet"]["votes"] = "rusak";
        items.push_back(j);
    }
    auto before = ledgerSize(central.port());
    auto res = post(central.port(), "/api/v1/sync/relay", carrier.token,
                    nlohmann::json{{"revisions", items}}.dump(), false);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
    EXPECT_EQ(ledgerSize(central.port()), before + 1);
    httplib::Client c("127.0.0.1", central.port());
    auto entry = c.Get(("/api/v1/ledger/entries/" + std::to_string(before)).c_str(),
                       {{"Authorization", "Bearer " + desk}});
    ASSERT_TRUE(entry);
    ASSERT_EQ(entry->status, 200) << entry->body;
    auto e = nlohmann::json::parse(entry->body);
    EXPECT_EQ(e["kind"], "refusal");
    EXPECT_EQ(e["device"], carrier.device);
    EXPECT_EQ(e["claimed_device"], victim.device);
    EXPECT_EQ(e["count"], 50);
}
