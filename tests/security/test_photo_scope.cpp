// Photos by scope: an upload belongs to the device that began it; a photo is read by the desk,
// the camat of its kecamatan and the devices of its TPS; partial uploads expire; each device
// has a quota.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <thread>

#include "central_process.h"
#include "rekap/sha256.h"

using namespace rekap;
using namespace rekap::test;

namespace {

httplib::Result patch(httplib::Client& c, const std::string& token, const std::string& sha,
                      std::size_t offset, std::size_t total, const std::string& chunk) {
    return c.Patch(("/api/v1/photos/" + sha).c_str(),
                   {{"Authorization", "Bearer " + token},
                    {"Upload-Offset", std::to_string(offset)},
                    {"Upload-Length", std::to_string(total)}},
                   chunk, "application/octet-stream");
}

int get(httplib::Client& c, const std::string& token, const std::string& path) {
    auto res = c.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
    return res ? res->status : 0;
}

} // namespace

TEST(PhotoScope, CrossScopeReadsAndWritesAreRefused) {
    CentralProcess central;
    httplib::Client c("127.0.0.1", central.port());
    auto owner = central.enrol(protocol::Role::Operator, "9901011001001");
    auto sameTps = central.enrol(protocol::Role::Operator, "9901011001001");
    auto otherKec = central.enrol(protocol::Role::Operator, "9901021001001");
    auto camat = central.enrol(protocol::Role::Camat, "990101");
    auto otherCamat = central.enrol(protocol::Role::Camat, "990102");
    auto desk = central.deskToken("Desk");

    std::string photo(3000, 'p');
    auto sha = sha256Hex(photo);
    ASSERT_EQ(patch(c, owner.token, sha, 0, photo.size(), photo.substr(0, 1000))->status, 200);
    // Another kecamatan's device writes junk into the upload in progress, or reads where it is.
    auto junk = patch(c, otherKec.token, sha, 1000, photo.size(), std::string(2000, 'x'));
    EXPECT_EQ(junk->status, 403) << junk->body;
    EXPECT_EQ(get(c, otherKec.token, "/api/v1/photos/" + sha), 403);
    // Even a device of the same TPS does not add to another device's upload.
    EXPECT_EQ(patch(c, sameTps.token, sha, 1000, photo.size(), photo.substr(1000))->status, 403);
    // The owner finishes it: nothing of the junk got in.
    auto done = patch(c, owner.token, sha, 1000, photo.size(), photo.substr(1000));
    ASSERT_EQ(done->status, 200) << done->body;
    EXPECT_NE(done->body.find("\"complete\":true"), std::string::npos);

    auto content = "/api/v1/photos/" + sha + "/content";
    EXPECT_EQ(get(c, otherKec.token, content), 403);
    EXPECT_EQ(get(c, otherCamat.token, content), 403);
    EXPECT_EQ(get(c, camat.token, content), 200);
    EXPECT_EQ(get(c, sameTps.token, content), 200);
    EXPECT_EQ(get(c, owner.token, content), 200);
    EXPECT_EQ(get(c, desk, content), 200);
}

TEST(PhotoScope, PartialUploadsExpireAndEachDeviceHasAQuota) {
    using Clock = std::chrono::steady_clock;
    const auto ttl = std::chrono::seconds(2);
    CentralProcess central({"--photo-partial-ttl", "2", "--photo-quota", "5000"});
    httplib::Client c("127.0.0.1", central.port());
    auto dev = central.enrol(protocol::Role::Operator, "9901011001001");
    std::string photo(3000, 'q'), second(3000, 'r');
    auto sha = sha256Hex(photo), sha2 = sha256Hex(second);
    // Polls `attempt` until it is answered 200 (a generous deadline: each attempt that is
    // refused changes nothing), and returns how long after `since` that was.
    auto until200 = [&](const std::function<httplib::Result()>& attempt, Clock::time_point since) {
        auto deadline = Clock::now() + std::chrono::seconds(30);
        auto res = attempt();
        while (res && res->status != 200 && Clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            res = attempt();
        }
        EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
        return Clock::now() - since;
    };

    auto begun = Clock::now();
    ASSERT_EQ(patch(c, dev.token, sha, 0, photo.size(), photo.substr(0, 1000))->status, 200);
    // Within the quota the device cannot start a second photo of 3000 bytes (3000 + 3000).
    auto over = patch(c, dev.token, sha2, 0, second.size(), second.substr(0, 10));
    EXPECT_EQ(over->status, 413) << over->body;
    // Once expired, the partial upload starts again from byte 0 (before, byte 0 is the wrong
    // offset: 409). Never before its time to live.
    auto expired = until200(
        [&] { return patch(c, dev.token, sha, 0, photo.size(), photo.substr(0, 1000)); }, begun);
    EXPECT_GE(expired, ttl);

    // Left again, its bytes leave the quota once it expires: the second photo then fits.
    begun = Clock::now();
    EXPECT_EQ(patch(c, dev.token, sha2, 0, second.size(), second.substr(0, 10))->status, 413);
    auto released = until200(
        [&] { return patch(c, dev.token, sha2, 0, second.size(), second.substr(0, 10)); }, begun);
    EXPECT_GE(released, ttl);
    auto first =
        c.Get(("/api/v1/photos/" + sha).c_str(), {{"Authorization", "Bearer " + dev.token}});
    ASSERT_TRUE(first);
    EXPECT_NE(first->body.find("\"offset\":0"), std::string::npos) << first->body;
    // And the second photo now holds the quota: the first cannot start again beside it.
    auto beside = patch(c, dev.token, sha, 0, photo.size(), photo.substr(0, 1000));
    EXPECT_EQ(beside->status, 413) << beside->body;
}
