// Issue 26: a photo is streamed from disk as the client reads it, and one device has at most
// four downloads in progress. A tablet asking for its own 20 MiB photo on 100 connections
// without reading held 2,027 MiB before.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <iostream>
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

TEST(PhotoDownloads, AreStreamedAndAtMostFourPerDevice) {
    CentralProcess central;
    auto tablet = central.enrol(protocol::Role::Operator, "9901011001001");
    auto honest = central.enrol(protocol::Role::Operator, "9901011001001");
    httplib::Client c("127.0.0.1", central.port());
    c.set_read_timeout(60, 0);
    std::string photo(20u << 20, '\0');
    for (std::size_t i = 0; i < photo.size(); ++i)
        photo[i] = static_cast<char>((i * 2654435761u) >> 13);
    auto sha = sha256Hex(photo);
    constexpr std::size_t kChunk = 4u << 20;
    for (std::size_t at = 0; at < photo.size(); at += kChunk) {
        auto res = c.Patch(("/api/v1/photos/" + sha).c_str(),
                           {{"Authorization", "Bearer " + tablet.token},
                            {"Upload-Offset", std::to_string(at)},
                            {"Upload-Length", std::to_string(photo.size())}},
                           photo.substr(at, kChunk), "application/octet-stream");
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << res->body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    central.resetPeak(); // the upload's own peak is not what is measured
    auto idle = central.memoryKb("VmRSS");

    // 100 connections ask for it and read nothing but the status line.
    std::vector<int> fds;
    auto request = "GET /api/v1/photos/" + sha + "/content HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                   "Authorization: Bearer " + tablet.token + "\r\n\r\n";
    for (int i = 0; i < 100; ++i) {
        int fd = connectLoopback(central.port());
        int small = 4096;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        fds.push_back(fd);
    }
    std::map<int, int> statuses;
    auto until = Clock::now() + std::chrono::seconds(60);
    for (std::size_t answered = 0; answered < fds.size() && Clock::now() < until;) {
        statuses.clear();
        answered = 0;
        for (int fd : fds) {
            int s = peekStatus(fd);
            ++statuses[s];
            answered += s != 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Meanwhile another tablet's push is answered.
    httplib::Client p("127.0.0.1", central.port());
    p.set_read_timeout(60, 0);
    auto push =
        p.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + honest.token}},
               nlohmann::json{
                   {"revisions", {encodeRevision(makeRevision(honest.device, validPpwpSheet()))}}}
                   .dump(),
               "application/json");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto peak = central.memoryKb("VmHWM");
    std::cout << "receiver: idle " << idle / 1024 << " MB, peak " << peak / 1024
              << " MB with 100 unread downloads of a 20 MiB photo: " << statuses[200] << " x 200, "
              << statuses[429] << " x 429, " << statuses[0] << " unanswered\n";
    EXPECT_EQ(statuses[200], 4);
    EXPECT_EQ(statuses[429], 96);
    EXPECT_LT(peak - idle, 100 * 1024) << "grew by " << (peak - idle) / 1024 << " MB";
    ASSERT_TRUE(push);
    EXPECT_EQ(push->status, 200) << push->body;
    for (int fd : fds)
        ::close(fd);

    // Once they are gone the slots are free again, and the photo arrives whole.
    int status = 0;
    until = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < until) {
        auto res = c.Get(("/api/v1/photos/" + sha + "/content").c_str(),
                         {{"Authorization", "Bearer " + tablet.token}});
        ASSERT_TRUE(res);
        status = res->status;
        if (status == 200) {
            EXPECT_EQ(res->body.size(), photo.size());
            EXPECT_TRUE(res->body == photo);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(status, 200);
}
