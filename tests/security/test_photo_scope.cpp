// Photos by scope: an upload belongs to the device that began it; a photo is read by the desk,
// the camat of its kecamatan and the devices of its TPS; partial uploads expire; each device
// has a quota.

#include <gtest/gtest.h>
#include <httplib.h>

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
    CentralProcess central({"--photo-partial-ttl", "1", "--photo-quota", "5000"});
    httplib::Client c("127.0.0.1", central.port());
    auto dev = central.enrol(protocol::Role::Operator, "9901011001001");
    std::string photo(3000, 'q');
    auto sha = sha256Hex(photo);
    ASSERT_EQ(patch(c, dev.token, sha, 0, photo.size(), photo.substr(0, 1000))->status, 200);
    // Within the quota the device cannot start a second photo of 3000 bytes (3000 + 3000).
    std::string second(3000, 'r');
    auto over = patch(c, dev.token, sha256Hex(second), 0, second.size(), second.substr(0, 10));
    EXPECT_EQ(over->status, 413) << over->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    // The partial upload expired: it starts again from byte 0, and its bytes left the quota.
    auto restart = patch(c, dev.token, sha, 0, photo.size(), photo.substr(0, 1000));
    EXPECT_EQ(restart->status, 200) << restart->body;
    EXPECT_NE(restart->body.find("\"offset\":1000"), std::string::npos) << restart->body;
}
