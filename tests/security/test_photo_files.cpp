// Issue 25: a photo's hash is checked when its last byte arrives, and the file is never changed
// after: it is made read-only, so the receiver can stream it without hashing it again and a slip
// of an operator's hand (or another process of the receiver's user) cannot rewrite the evidence.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>

#include "central_process.h"
#include "rekap/sha256.h"

using namespace rekap;
using namespace rekap::test;
namespace fs = std::filesystem;

namespace {

httplib::Result upload(int port, const std::string& token, const std::string& photo,
                       std::size_t from, std::size_t length) {
    httplib::Client c("127.0.0.1", port);
    return c.Patch(("/api/v1/photos/" + sha256Hex(photo)).c_str(),
                   {{"Authorization", "Bearer " + token},
                    {"Upload-Offset", std::to_string(from)},
                    {"Upload-Length", std::to_string(photo.size())}},
                   photo.substr(from, length), "application/octet-stream");
}

} // namespace

TEST(PhotoFiles, AStoredPhotoIsReadOnlyAndAnUploadAgainLeavesItAlone) {
    CentralProcess central;
    auto tablet = central.enrol(protocol::Role::Operator, "9901011001001");
    std::string photo(3000, 'q');
    const auto file =
        fs::path(central.dir().file("central.db.photos")) / (sha256Hex(photo) + ".jpg");

    auto half = upload(central.port(), tablet.token, photo, 0, 1000);
    ASSERT_TRUE(half);
    ASSERT_EQ(half->status, 200) << half->body;
    EXPECT_FALSE(fs::exists(file)) << "a partial upload is not yet the photo";

    auto rest = upload(central.port(), tablet.token, photo, 1000, 2000);
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->status, 200) << rest->body;
    ASSERT_TRUE(fs::exists(file));
    constexpr auto writable =
        fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
    EXPECT_EQ(fs::status(file).permissions() & writable, fs::perms::none)
        << "the stored photo can still be written";
    const auto written = fs::last_write_time(file);

    // The same bytes again, from the start: the receiver answers from the file it has.
    auto again = upload(central.port(), tablet.token, photo, 0, photo.size());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200) << again->body;
    EXPECT_EQ(fs::last_write_time(file), written);
    EXPECT_EQ(fs::file_size(file), photo.size());
}
