// A photo belongs to its sheet's TPS (issue 26): a tablet that carried another kecamatan's
// sheet through the QR relay knows its photo's hash and begins a 1-byte upload under it; the
// sheet's own tablet takes the upload over instead of waiting 24 h for a hold that renews.

#include <gtest/gtest.h>
#include <httplib.h>

#include "central_process.h"
#include "fixtures.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;

namespace {

httplib::Result relay(int port, const std::string& token, const Revision& r) {
    httplib::Client c("127.0.0.1", port);
    return c.Post("/api/v1/sync/relay", {{"Authorization", "Bearer " + token}},
                  nlohmann::json{{"revisions", {encodeRevision(r)}}}.dump(), "application/json");
}

} // namespace

TEST(PhotoOwner, APhotoSquattedByItsCarrierIsTakenOverByTheSheetsOwnTablet) {
    CentralProcess central;
    auto owner = central.enrol(protocol::Role::Operator, "9901011001001");
    auto carrier = central.enrol(protocol::Role::Operator, "9901021001001");
    std::string photo(5000, 'p');
    auto sha = sha256Hex(photo);
    auto rev = makeRevision(owner.device, validPpwpSheet());
    rev.photo = sha;
    sign(rev);
    // The carrier relays the sheet, so it knows the photo's hash, and begins a 1-byte upload.
    auto relayed = relay(central.port(), carrier.token, rev);
    ASSERT_TRUE(relayed);
    ASSERT_EQ(relayed->status, 200);
    httplib::Client c("127.0.0.1", central.port());
    auto patch = [&](const std::string& token, std::size_t offset, const std::string& chunk) {
        return c.Patch(("/api/v1/photos/" + sha).c_str(),
                       {{"Authorization", "Bearer " + token},
                        {"Upload-Offset", std::to_string(offset)},
                        {"Upload-Length", std::to_string(photo.size())}},
                       chunk, "application/octet-stream");
    };
    auto squat = patch(carrier.token, 0, photo.substr(0, 1));
    ASSERT_TRUE(squat);
    ASSERT_EQ(squat->status, 200) << squat->body;
    // The owner asks where its upload stands, as its tablet does, and uploads from there.
    auto where =
        c.Get(("/api/v1/photos/" + sha).c_str(), {{"Authorization", "Bearer " + owner.token}});
    ASSERT_TRUE(where);
    ASSERT_EQ(where->status, 200) << where->body;
    auto offset = nlohmann::json::parse(where->body)["offset"].get<std::size_t>();
    EXPECT_EQ(offset, 0u);
    auto up = patch(owner.token, offset, photo.substr(offset));
    ASSERT_TRUE(up);
    EXPECT_EQ(up->status, 200) << up->body;
    EXPECT_NE(up->body.find("\"complete\":true"), std::string::npos) << up->body;
    // The carrier's hold is gone: it neither adds to the photo nor reads it.
    auto again = patch(carrier.token, 1, photo.substr(1, 1));
    ASSERT_TRUE(again);
    EXPECT_NE(again->status, 200);
    auto read = c.Get(("/api/v1/photos/" + sha + "/content").c_str(),
                      {{"Authorization", "Bearer " + carrier.token}});
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 403);
    read = c.Get(("/api/v1/photos/" + sha + "/content").c_str(),
                 {{"Authorization", "Bearer " + owner.token}});
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 200);
    EXPECT_EQ(read->body, photo);
}

TEST(PhotoOwner, APhotoNoRevisionNamesStaysWithWhoeverBeganIt) {
    CentralProcess central;
    auto first = central.enrol(protocol::Role::Operator, "9901011001001");
    auto other = central.enrol(protocol::Role::Operator, "9901021001001");
    std::string photo(3000, 'q');
    auto sha = sha256Hex(photo);
    httplib::Client c("127.0.0.1", central.port());
    auto patch = [&](const std::string& token, std::size_t offset, const std::string& chunk) {
        return c.Patch(("/api/v1/photos/" + sha).c_str(),
                       {{"Authorization", "Bearer " + token},
                        {"Upload-Offset", std::to_string(offset)},
                        {"Upload-Length", std::to_string(photo.size())}},
                       chunk, "application/octet-stream");
    };
    ASSERT_EQ(patch(first.token, 0, photo.substr(0, 10))->status, 200);
    EXPECT_EQ(patch(other.token, 0, photo)->status, 403);
    EXPECT_EQ(c.Get(("/api/v1/photos/" + sha).c_str(), {{"Authorization", "Bearer " + other.token}})
                  ->status,
              403);
}
