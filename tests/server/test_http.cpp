// The HTTP API on a real rekap-central on 127.0.0.1, driven with cpp-httplib's own client: every
// way a request can be wrong is refused with a clear error and stores nothing.

#include <gtest/gtest.h>
#include <httplib.h>

#include <barrier>
#include <thread>

#include "fixtures.h"
#include "live_central.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;

namespace {

class Http : public ::testing::Test {
protected:
    void SetUp() override {
        central::ServerOptions o;
        o.maxBodyBytes = 64 * 1024;
        o.maxInflatedBytes = 256 * 1024;
        live = std::make_unique<LiveCentral>(o);
        client = std::make_unique<httplib::Client>("127.0.0.1", live->port());
        auto req = enrolmentRequest(live->mint(protocol::Role::Operator, "9901011001001"));
        auto res =
            client->Post("/api/v1/enrol", protocol::encode(req.request).dump(), "application/json");
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << res->body;
        enrolled = remember(protocol::decodeEnrolResponse(nlohmann::json::parse(res->body)), req);
    }
    httplib::Result push(const std::string& body, const std::string& token,
                         httplib::Headers extra = {}) {
        extra.emplace("Authorization", "Bearer " + token);
        return client->Post("/api/v1/sync/push", extra, body, "application/json");
    }
    std::string pushBody(const Revision& r) {
        return nlohmann::json{{"revisions", {encodeRevision(r)}}}.dump();
    }
    protocol::ErrorBody errorOf(const httplib::Result& res) {
        return protocol::decodeError(res->body);
    }
    std::unique_ptr<LiveCentral> live;
    std::unique_ptr<httplib::Client> client;
    protocol::EnrolResponse enrolled;
};

} // namespace

TEST_F(Http, HealthAnswersWithoutAToken) {
    auto res = client->Get("/api/v1/health");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(nlohmann::json::parse(res->body)["regency"], "9901");
}

TEST_F(Http, PushIsAcceptedAndAcknowledged) {
    auto res = push(pushBody(makeRevision(enrolled.device, validPpwpSheet())), enrolled.token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    auto results = protocol::decodePushResponse(nlohmann::json::parse(res->body));
    EXPECT_EQ(results[0].status, protocol::PushStatus::Accepted);
    EXPECT_EQ(live->store().sheets().revisionCount(), 1);
}

TEST_F(Http, WrongTokenIsRefused) {
    auto res = push(pushBody(makeRevision(enrolled.device, validPpwpSheet())), "not-a-token");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(errorOf(res).code, "unauthorized");
    auto none = client->Post("/api/v1/sync/push", "{}", "application/json");
    EXPECT_EQ(none->status, 401);
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, RevokedDeviceIsRefused) {
    live->store().registry().revokeDevice(enrolled.device);
    auto res = push(pushBody(makeRevision(enrolled.device, validPpwpSheet())), enrolled.token);
    EXPECT_EQ(res->status, 403);
    EXPECT_EQ(errorOf(res).code, "device_revoked");
    auto pull =
        client->Get("/api/v1/sync/pull?since=0", {{"Authorization", "Bearer " + enrolled.token}});
    EXPECT_EQ(pull->status, 403);
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, TpsOutsideTheDevicesScopeIsRefused) {
    auto sheet = validPpwpSheet();
    sheet.tps = AreaCode::parse("9901011002001");
    auto res = push(pushBody(makeRevision(enrolled.device, sheet)), enrolled.token);
    EXPECT_EQ(res->status, 200);
    auto r = protocol::decodePushResponse(nlohmann::json::parse(res->body))[0];
    EXPECT_EQ(r.status, protocol::PushStatus::Refused);
    EXPECT_EQ(r.error->code, "forbidden");
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, OversizedBodyIsRefused) {
    std::string big(100 * 1024, ' ');
    auto res = push("{\"revisions\": []" + big + "}", enrolled.token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    EXPECT_EQ(errorOf(res).code, "payload_too_large");
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, GzipBombIsRefused) {
    // 60 KiB of gzip that inflates to far more than the 256 KiB the receiver accepts.
    std::string json = "{\"revisions\": [] " + std::string(4 << 20, ' ') + "}";
    std::string gz;
    httplib::detail::gzip_compressor c;
    c.compress(json.data(), json.size(), true, [&](const char* d, std::size_t n) {
        gz.append(d, n);
        return true;
    });
    ASSERT_LT(gz.size(), 64u * 1024);
    auto res = push(gz, enrolled.token, {{"Content-Encoding", "gzip"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, MalformedJsonIsRefusedWithWhere) {
    auto res = push("{\"revisions\": [", enrolled.token);
    EXPECT_EQ(res->status, 400);
    auto e = errorOf(res);
    EXPECT_EQ(e.code, "bad_request");
    EXPECT_NE(e.message.find("not valid JSON at byte"), std::string::npos) << e.message;
    auto shape = push("{\"revisionz\": []}", enrolled.token);
    EXPECT_EQ(shape->status, 400);
    EXPECT_EQ(errorOf(shape).path, "$.revisionz");
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

// Both found by fuzz_push (tests/fuzz): each once answered 500 instead of a clear 400.
TEST_F(Http, FuzzFindingsAreRefusedWithA400) {
    auto huge = push("{\"revisions\": [3E4444]}", enrolled.token);
    EXPECT_EQ(huge->status, 400);
    EXPECT_EQ(errorOf(huge).code, "bad_request");
    // A malformed body whose error message quotes bytes that are not UTF-8.
    auto bytes = push("{\"revisions\": [{\"id\": \"0000-40\xd5"
                      "0-8000\"",
                      enrolled.token);
    EXPECT_EQ(bytes->status, 400);
    EXPECT_EQ(errorOf(bytes).code, "bad_request");
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, OldProtocolIsToldToUpdate) {
    auto res = push(pushBody(makeRevision(enrolled.device, validPpwpSheet())), enrolled.token,
                    {{protocol::kHeaderProtocol, "0"}});
    EXPECT_EQ(res->status, 426);
    EXPECT_EQ(errorOf(res).code, "protocol_too_old");
    EXPECT_EQ(live->store().sheets().revisionCount(), 0);
}

TEST_F(Http, EveryContactRecordsTheDevicesQueue) {
    client->Get("/api/v1/sync/pull?since=0",
                {{"Authorization", "Bearer " + enrolled.token},
                 {protocol::kHeaderQueueDepth, "7"},
                 {protocol::kHeaderLastCapture, "2024-02-14T09:30:00Z"}});
    auto d = live->store().registry().devices()[0];
    EXPECT_EQ(d.queueDepth, 7);
    EXPECT_EQ(d.lastCaptureAt, "2024-02-14T09:30:00Z");
    EXPECT_TRUE(d.lastSeenAt.has_value());
}

TEST_F(Http, MasterDataIsServedWithItsVersion) {
    auto res = client->Get("/api/v1/master-data", {{"Authorization", "Bearer " + enrolled.token}});
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("ETag"), "\"" + enrolled.masterDataVersion + "\"");
    EXPECT_EQ(decodeRegency(nlohmann::json::parse(res->body), "served").contentHash,
              enrolled.masterDataVersion);
}

TEST_F(Http, PhotoChunksMustContinueWhereTheUploadStands) {
    std::string photo(1000, 'x');
    auto sha = sha256Hex(photo);
    httplib::Headers h{{"Authorization", "Bearer " + enrolled.token},
                       {"Upload-Offset", "0"},
                       {"Upload-Length", "1000"}};
    auto first = client->Patch(("/api/v1/photos/" + sha).c_str(), h, photo.substr(0, 400),
                               "application/octet-stream");
    EXPECT_EQ(first->status, 200);
    auto wrong = client->Patch(("/api/v1/photos/" + sha).c_str(), h, photo.substr(400),
                               "application/octet-stream");
    EXPECT_EQ(wrong->status, 409);
    EXPECT_NE(errorOf(wrong).message.find("byte 400"), std::string::npos);
    // Bytes that do not hash to the name are discarded.
    auto other = sha256Hex("other");
    h = {{"Authorization", "Bearer " + enrolled.token},
         {"Upload-Offset", "0"},
         {"Upload-Length", "5"}};
    auto bad = client->Patch(("/api/v1/photos/" + other).c_str(), h, "abcde", "text/plain");
    EXPECT_EQ(bad->status, 422);
}

TEST_F(Http, ManyDevicesConnectedAtOnceAreAllServed) {
    // Devices keep their connection between a sync's requests. With cpp-httplib's default of
    // 8 workers, the ninth device waited for one of those to go idle for 2 s: here, each device
    // holds its connection open while all the others make their first request within 1 s.
    const int devices = 32;
    std::barrier connected(devices);
    std::atomic<int> served{0};
    std::vector<std::thread> pool;
    for (int i = 0; i < devices; ++i)
        pool.emplace_back([&] {
            httplib::Client c("127.0.0.1", live->port());
            c.set_keep_alive(true);
            c.set_read_timeout(1, 0);
            httplib::Headers auth{{"Authorization", "Bearer " + enrolled.token}};
            auto first = c.Get("/api/v1/master-data", auth);
            connected.arrive_and_wait(); // every connection is open and kept
            auto second = c.Get("/api/v1/master-data", auth);
            if (first && first->status == 200 && second && second->status == 200)
                ++served;
        });
    for (auto& t : pool)
        t.join();
    EXPECT_EQ(served, devices);
}

TEST_F(Http, APushCarriesThePullOnlyWhenAskedAndChecksWhere) {
    auto body = pushBody(makeRevision(enrolled.device, validPpwpSheet()));
    auto plain = push(body, enrolled.token); // as devices before the folded pull
    ASSERT_TRUE(plain);
    ASSERT_EQ(plain->status, 200) << plain->body;
    EXPECT_FALSE(nlohmann::json::parse(plain->body).contains("pull"));

    auto folded = push(pushBody(makeRevision(enrolled.device, validPdprSheet())), enrolled.token,
                       {{protocol::kHeaderSince, "0"}});
    ASSERT_TRUE(folded);
    ASSERT_EQ(folded->status, 200) << folded->body;
    auto page = protocol::decodeFoldedPull(nlohmann::json::parse(folded->body));
    ASSERT_TRUE(page);
    // Taken after the commit: both sheets' states are in it.
    int states = 0;
    for (const auto& c : page->changes)
        states += c.kind == "sheet_state";
    EXPECT_EQ(states, 2);
    EXPECT_FALSE(page->more);

    auto bad = push(pushBody(makeRevision(enrolled.device, validPdpdSheet())), enrolled.token,
                    {{protocol::kHeaderSince, "yesterday"}});
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(errorOf(bad).message.find(protocol::kHeaderSince), std::string::npos);
    EXPECT_EQ(live->store().sheets().revisionCount(), 2); // refused before anything was stored
}

// A version 1 app enrols without a public key: told to update, and its code is not used up.
TEST_F(Http, AnEnrolmentWithoutAKeyIsToldToUpdateAndKeepsTheCode) {
    auto code = live->mint(protocol::Role::Operator, "9901011001002");
    nlohmann::json old = {{"code", code}, {"enrolment_id", newUuid()}, {"device_name", "lama"}};
    auto res = client->Post("/api/v1/enrol", old.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(errorOf(res).code, protocol::error::kBadRequest);
    EXPECT_NE(errorOf(res).message.find("public_key is missing"), std::string::npos)
        << errorOf(res).message;
    auto req = enrolmentRequest(code);
    auto again =
        client->Post("/api/v1/enrol", protocol::encode(req.request).dump(), "application/json");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200) << again->body;
}
