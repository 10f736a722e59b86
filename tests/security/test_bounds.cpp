// Every request bounded: compressed and chunked bombs on every route are refused with 413
// without the receiver's memory growing, and sockets that trickle their headers a byte at a
// time neither starve a device's push nor the health check, and are cut at the deadline.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <mutex>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "central_process.h"
#include "fixtures.h"
#include "raw_http.h"
#include "rekap/sha256.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;
using Clock = std::chrono::steady_clock;

namespace {

struct Route {
    std::string method, path, headers;
};

std::vector<Route> everyRoute(const std::string& device, const std::string& desk) {
    auto dev = "Authorization: Bearer " + device + "\r\n";
    auto dsk = "Authorization: Bearer " + desk + "\r\n";
    auto sha = sha256Hex("photo");
    return {
        {"POST", "/api/v1/enrol", "Content-Type: application/json\r\n"},
        {"POST", "/desk/login", "Content-Type: application/json\r\n"},
        {"POST", "/desk/logout", "Content-Type: application/json\r\n"},
        {"POST", "/api/v1/sync/push", dev + "Content-Type: application/json\r\n"},
        {"PATCH", "/api/v1/photos/" + sha,
         dev + "Upload-Offset: 0\r\nUpload-Length: 1000\r\nContent-Type: image/jpeg\r\n"},
        {"POST", "/api/v1/conflicts/resolve", dsk + "Content-Type: application/json\r\n"},
        {"POST", "/api/v1/sheets/send-back", dsk + "Content-Type: application/json\r\n"},
        {"GET", "/api/v1/health", ""},
        {"GET", "/healthz", ""},
        {"GET", "/api/v1/master-data", dev},
        {"GET", "/api/v1/sync/pull?since=0", dev},
        {"GET", "/api/v1/photos/" + sha, dev},
        {"GET", "/api/v1/tally", dsk},
        {"GET", "/api/v1/me", dsk},
        {"GET", "/", ""},
    };
}

} // namespace

TEST(Bounds, GzipAndChunkedBombsOnEveryRouteAreRefusedAndMemoryStaysFlat) {
    CentralProcess central;
    auto device = central.enrol(protocol::Role::Operator, "9901011001001");
    auto desk = central.deskToken("Desk Uji");
    // 512 MiB of zeros in about 0.5 MB: what was sent to /api/v1/enrol in the attack.
    static const std::string bomb = gzipOfZeros(512u << 20);
    ASSERT_LT(bomb.size(), 600u * 1024);
    httplib::Client warm("127.0.0.1", central.port());
    ASSERT_TRUE(warm.Get("/api/v1/health"));
    auto peakBefore = central.memoryKb("VmHWM");
    for (const auto& r : everyRoute(device.token, desk)) {
        SCOPED_TRACE(r.method + " " + r.path);
        auto head = r.method + " " + r.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + r.headers;
        // The compressed bomb, its length announced.
        auto gz = rawExchange(central.port(),
                              head + "Content-Encoding: gzip\r\nContent-Length: " +
                                  std::to_string(bomb.size()) + "\r\n\r\n",
                              [sent = false]() mutable {
                                  if (sent)
                                      return std::string();
                                  sent = true;
                                  return bomb;
                              });
        EXPECT_EQ(gz.status, 413) << gz.head << "\n" << gz.body;
        EXPECT_NE(gz.body.find("payload_too_large"), std::string::npos) << gz.body;
        // A chunked body that would go on for 256 MiB.
        std::size_t chunks = 0;
        const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
        auto chunked = rawExchange(central.port(), head + "Transfer-Encoding: chunked\r\n\r\n",
                                   [&]() { return ++chunks <= 4096 ? chunk : std::string(); });
        EXPECT_EQ(chunked.status, 413) << chunked.head << "\n" << chunked.body;
        EXPECT_LT(chunked.sent, 64u << 20) << "the receiver read far past its limit";
    }
    auto peakAfter = central.memoryKb("VmHWM");
    std::cout << "receiver peak memory: " << peakBefore / 1024 << " MB before, " << peakAfter / 1024
              << " MB after the bombs\n";
    EXPECT_LT(peakAfter - peakBefore, 50 * 1024)
        << "peak resident memory grew by " << (peakAfter - peakBefore) / 1024 << " MB";
    // And it still answers.
    auto ok = warm.Get("/api/v1/health");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
}

// Starved, a push or /healthz would be answered only once the header deadline (10 s after a slow
// socket's first byte) had cut slow sockets to make room. So the oracle is an event, not a
// stopwatch: each is answered while every one of the 100 slow sockets is still held open. No
// time is asserted but the deadline's own.
TEST(Bounds, SlowSocketsStarveNeitherAPushNorTheHealthCheck) {
    CentralProcess central;
    auto device = central.enrol(protocol::Role::Operator, "9901011001001");
    // 100 connections from the same address, each sending a request's header a byte at a time.
    std::mutex slowMu; // the trickle thread closes what was cut; the test looks at the rest
    std::vector<int> slow;
    for (int i = 0; i < 100; ++i) {
        slow.push_back(connectLoopback(central.port()));
        std::string start = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        ::send(slow.back(), start.data(), start.size(), MSG_NOSIGNAL);
    }
    std::atomic<bool> stop{false};
    std::atomic<int> cut{0};
    std::thread trickle([&] {
        for (int round = 0; !stop && round < 60; ++round) {
            {
                std::lock_guard lock(slowMu);
                for (int& fd : slow) {
                    if (fd < 0)
                        continue;
                    if (::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                        ::close(fd);
                        fd = -1;
                        ++cut;
                        continue;
                    }
                    char c;
                    if (::recv(fd, &c, 1, MSG_DONTWAIT) == 0) { // the receiver closed it
                        ::close(fd);
                        fd = -1;
                        ++cut;
                    }
                }
            }
            for (int i = 0; i < 20 && !stop; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    struct Joiner { // stops the trickle however the test ends (an ASSERT returns early)
        std::atomic<bool>& stop;
        std::thread& thread;
        ~Joiner() {
            stop = true;
            if (thread.joinable())
                thread.join();
        }
    } joiner{stop, trickle};
    /// How many slow sockets the receiver still holds open: nothing to read and not closed.
    auto stillOpen = [&] {
        std::lock_guard lock(slowMu);
        int open = 0;
        for (int fd : slow) {
            char c;
            open += fd >= 0 && ::recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) < 0 &&
                    (errno == EAGAIN || errno == EWOULDBLOCK);
        }
        return open;
    };
    httplib::Client c("127.0.0.1", central.port());
    // A starved receiver shows up as an answer after the slow sockets were cut, not as a
    // client's timeout.
    c.set_connection_timeout(30, 0);
    c.set_read_timeout(30, 0);
    // Every slow socket is in: the receiver counts them open (and this request's own).
    auto inAt = Clock::now() + std::chrono::seconds(30);
    auto openNow = [&] {
        const std::string gauge = "\nrekap_http_open_connections ";
        auto m = c.Get("/metrics");
        auto at = m ? m->body.find(gauge) : std::string::npos;
        return at == std::string::npos ? 0 : std::stoi(m->body.substr(at + gauge.size()));
    };
    while (openNow() < 101 && Clock::now() < inAt)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_GE(openNow(), 101);

    const std::vector<Sheet> sheets = {validPpwpSheet(), validPdprSheet(), validPdpdSheet()};
    for (const auto& sheet : sheets) {
        auto t0 = Clock::now();
        auto push = c.Post(
            "/api/v1/sync/push", {{"Authorization", "Bearer " + device.token}},
            nlohmann::json{{"revisions", {encodeRevision(makeRevision(device.device, sheet))}}}
                .dump(),
            "application/json");
        auto pushed = std::chrono::duration<double>(Clock::now() - t0).count();
        ASSERT_TRUE(push) << "no answer to the push: " << httplib::to_string(push.error());
        EXPECT_EQ(push->status, 200) << push->body;
        EXPECT_EQ(stillOpen(), 100) << "the push (" << pushed << " s) was answered only after "
                                    << "slow sockets were cut";
        t0 = Clock::now();
        auto health = c.Get("/healthz");
        auto answered = std::chrono::duration<double>(Clock::now() - t0).count();
        ASSERT_TRUE(health) << "no answer to /healthz";
        EXPECT_EQ(health->status, 200);
        EXPECT_EQ(stillOpen(), 100) << "/healthz (" << answered << " s) was answered only after "
                                    << "slow sockets were cut";
        std::cout << "[ measure  ] beside 100 slow sockets: push answered in " << pushed * 1000
                  << " ms, /healthz in " << answered * 1000 << " ms\n";
    }
    // The header deadline (10 s from a request's first byte) cuts every trickling socket.
    auto until = Clock::now() + std::chrono::seconds(60);
    while (cut < 100 && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    if (trickle.joinable())
        trickle.join();
    EXPECT_EQ(cut, 100) << "sockets still trickling after 60 s: " << 100 - cut;
    for (int fd : slow)
        if (fd >= 0)
            ::close(fd);
}
