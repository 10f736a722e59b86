// Second reading over HTTP (/api/v1/reading/*): who may claim (a desk login, a camat device in
// its kecamatan) and submit (a desk login only; a camat pushes its signed reading), what the
// camat may read, a blank box refused by name, a sheet without its photo never handed out, and
// a reading from another origin refused.

#include <gtest/gtest.h>
#include <httplib.h>

#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/sha256.h"
#include "rekap/sheet_form.h"
#include "revisions.h"
#include "store_sql.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class ReadingHttp : public ::testing::Test {
protected:
    void SetUp() override {
        client = std::make_unique<httplib::Client>("127.0.0.1", live.port());
        central::desk_accounts::add(live.store(), "Rina", central::DeskRole::Reader, "");
        desk = live.store().deskTokens().createDeskToken("Rina");
        camat = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990101")).token;
        op = enrolSigned(live.store(), live.mint(protocol::Role::Operator, "9901011001001"));
        first = makeRevision(op.device, validPpwpSheet());
        auto res =
            client->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + op.token}},
                         json{{"revisions", {encodeRevision(first)}}}.dump(), "application/json");
        ASSERT_EQ(res->status, 200) << res->body;
    }
    httplib::Result post(const std::string& path, const std::string& token, const json& body,
                         httplib::Headers extra = {}) {
        extra.emplace("Authorization", "Bearer " + token);
        return client->Post(path.c_str(), extra, body.dump(), "application/json");
    }
    /// Every entered box of the form, as typed from `sheet`.
    json values(const Sheet& sheet) {
        auto form = SheetForm::filled(sheet);
        json v = json::object();
        for (const auto& f : form.fields())
            if (!form.isComputed(f))
                v[f] = *form.value(f);
        return v;
    }
    LiveCentral live;
    std::unique_ptr<httplib::Client> client;
    std::string desk, camat;
    protocol::EnrolResponse op;
    Revision first;
    const std::string key = "9901011001001/ppwp";
};

} // namespace

TEST_F(ReadingHttp, OnlyADeskLoginSubmitsOnlyDeskAndCamatClaimAndTheCamatReadsItsQueue) {
    for (const auto& token : {camat, op.token})
        EXPECT_EQ(post("/api/v1/reading/submit", token,
                       {{"sheet", key}, {"parent", first.id}, {"values", values(first.sheet)}})
                      ->status,
                  403);
    EXPECT_EQ(post("/api/v1/reading/next", op.token, json::object())->status, 403);
    EXPECT_EQ(post("/api/v1/reading/next", camat, json::object())->status, 200);
    auto own = client->Get("/api/v1/reading/queue", {{"Authorization", "Bearer " + camat}});
    ASSERT_EQ(own->status, 200) << own->body;
    EXPECT_EQ(json::parse(own->body)["totals"]["sheets"], 1);
    EXPECT_EQ(
        client->Get("/api/v1/reading/queue?area=990102", {{"Authorization", "Bearer " + camat}})
            ->status,
        403);
}

TEST_F(ReadingHttp, ACamatClaimsInItsKecamatanOnlyNeverWhatAnotherHoldsAndItsPushEndsTheClaim) {
    // The sheet's photo, uploaded by the operator, and a correction naming it: counted, photo in.
    std::string photo(1000, 'p');
    auto sha = sha256Hex(photo);
    auto up = client->Patch(("/api/v1/photos/" + sha).c_str(),
                            {{"Authorization", "Bearer " + op.token},
                             {"Upload-Offset", "0"},
                             {"Upload-Length", "1000"}},
                            photo, "application/octet-stream");
    ASSERT_EQ(up->status, 200) << up->body;
    auto counted = makeRevision(op.device, first.sheet, first.id, "foto");
    counted.photo = sha;
    sign(counted);
    ASSERT_EQ(
        post("/api/v1/sync/push", op.token, {{"revisions", {encodeRevision(counted)}}})->status,
        200);
    auto other = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990102")).token;
    auto twin = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990101"));
    auto camatDevice = live.store().registry().authenticate(camat);

    // Another kecamatan's camat gets nothing and may not ask for this one.
    auto none = post("/api/v1/reading/next", other, json::object());
    ASSERT_EQ(none->status, 200) << none->body;
    EXPECT_TRUE(json::parse(none->body)["claim"].is_null());
    EXPECT_EQ(post("/api/v1/reading/next", other, {{"area", "990101"}})->status, 400);

    // The camat gets the sheet: its place, the counted revision's id and photo, no numbers.
    auto next = post("/api/v1/reading/next", camat, {{"operator", "Pak Camat"}});
    ASSERT_EQ(next->status, 200) << next->body;
    auto claim = json::parse(next->body)["claim"];
    ASSERT_TRUE(claim.is_object()) << next->body;
    EXPECT_EQ(claim["sheet"], key);
    EXPECT_EQ(claim["parent"], counted.id);
    EXPECT_EQ(claim["photo"], "/api/v1/photos/" + sha + "/content");
    EXPECT_EQ(next->body.find("\"votes\""), std::string::npos);
    EXPECT_EQ(next->body.find("\"values\""), std::string::npos);
    auto pic = client->Get(claim["photo"].get<std::string>().c_str(),
                           {{"Authorization", "Bearer " + camat}});
    ASSERT_EQ(pic->status, 200);
    EXPECT_EQ(pic->body, photo);
    EXPECT_EQ(
        client
            ->Get(claim["photo"].get<std::string>().c_str(), {{"Authorization", "Bearer " + other}})
            ->status,
        403);
    // Asked again, the same sheet; a second camat device and a desk clerk get nothing meanwhile.
    EXPECT_EQ(
        json::parse(post("/api/v1/reading/next", camat, json::object())->body)["claim"]["sheet"],
        key);
    EXPECT_TRUE(json::parse(post("/api/v1/reading/next", twin.token, json::object())->body)["claim"]
                    .is_null());
    EXPECT_TRUE(
        json::parse(post("/api/v1/reading/next", desk, json::object())->body)["claim"].is_null());

    // The camat's reading, signed by its device and pushed: equal, so verified; the claim ends.
    auto reading = makeRevision(camatDevice.id, first.sheet, counted.id, "bacaan kedua");
    reading.operatorName = "Pak Camat";
    reading.photo = sha;
    sign(reading);
    auto pushed = post("/api/v1/sync/push", camat, {{"revisions", {encodeRevision(reading)}}});
    ASSERT_EQ(pushed->status, 200) << pushed->body;
    EXPECT_EQ(json::parse(pushed->body)["results"][0]["state"], "accepted") << pushed->body;
    EXPECT_TRUE(live.store().live().counted(key).verified);
    auto q = json::parse(
        client->Get("/api/v1/reading/queue", {{"Authorization", "Bearer " + camat}})->body);
    EXPECT_EQ(q["totals"]["verified"], 1);
    long claims = -1;
    {
        auto db = test::sqlOf(live.store());
        auto st = db->prepare("SELECT count(*) FROM reading_claims");
        st.step();
        claims = st.int64(0);
    }
    EXPECT_EQ(claims, 0);
    EXPECT_TRUE(
        json::parse(post("/api/v1/reading/next", camat, json::object())->body)["claim"].is_null());
}

TEST_F(ReadingHttp, ASheetWithoutItsPhotoWaitsAndIsNeverHandedOut) {
    auto next = post("/api/v1/reading/next", desk, {{"area", "9901"}});
    ASSERT_EQ(next->status, 200) << next->body;
    EXPECT_TRUE(json::parse(next->body)["claim"].is_null());
    auto q = client->Get("/api/v1/reading/queue", {{"Authorization", "Bearer " + desk}});
    EXPECT_EQ(json::parse(q->body)["totals"]["no_photo"], 1);
}

TEST_F(ReadingHttp, ABlankBoxIsRefusedByNameAndAWholeEqualReadingVerifies) {
    // The sheet's photo arrives and is named by a correction; the reader claims it.
    std::string photo(1000, 'p');
    auto sha = sha256Hex(photo);
    ASSERT_EQ(client
                  ->Patch(("/api/v1/photos/" + sha).c_str(),
                          {{"Authorization", "Bearer " + op.token},
                           {"Upload-Offset", "0"},
                           {"Upload-Length", "1000"}},
                          photo, "application/octet-stream")
                  ->status,
              200);
    auto counted = makeRevision(op.device, first.sheet, first.id, "foto");
    counted.photo = sha;
    sign(counted);
    ASSERT_EQ(
        post("/api/v1/sync/push", op.token, {{"revisions", {encodeRevision(counted)}}})->status,
        200);
    first = counted;
    ASSERT_EQ(
        json::parse(post("/api/v1/reading/next", desk, json::object())->body)["claim"]["sheet"],
        key);
    auto v = values(first.sheet);
    v.erase("summary.invalid");
    auto blank =
        post("/api/v1/reading/submit", desk, {{"sheet", key}, {"parent", first.id}, {"values", v}});
    EXPECT_EQ(blank->status, 400);
    EXPECT_EQ(protocol::decodeError(blank->body).path, "summary.invalid");
    auto ok = post("/api/v1/reading/submit", desk,
                   {{"sheet", key}, {"parent", first.id}, {"values", values(first.sheet)}});
    ASSERT_EQ(ok->status, 200) << ok->body;
    EXPECT_EQ(json::parse(ok->body)["outcome"], "verified");
    EXPECT_EQ(live.store().live().tally()->area("ppwp", AreaCode::parse("9901"))->tpsVerified, 1);
    EXPECT_EQ(live.store().live().counted(key).sheet, first.sheet); // the first entry still counts
}

TEST_F(ReadingHttp, AReadingFromAnotherOriginIsRefused) {
    auto res = post("/api/v1/reading/submit", desk,
                    {{"sheet", key}, {"parent", first.id}, {"values", values(first.sheet)}},
                    {{"Origin", "http://evil.example"}});
    EXPECT_EQ(res->status, 403);
    EXPECT_FALSE(live.store().live().counted(key).verified);
}
