// Second reading over HTTP (/api/v1/reading/*): who may claim and submit (a desk login only),
// what the camat may read, a blank box refused by name, a sheet without its photo never handed
// out, and a reading from another origin refused.

#include <gtest/gtest.h>
#include <httplib.h>

#include "fixtures.h"
#include "live_central.h"
#include "rekap/sheet_form.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class ReadingHttp : public ::testing::Test {
protected:
    void SetUp() override {
        client = std::make_unique<httplib::Client>("127.0.0.1", live.port());
        desk = live.store().createDeskToken("Rina");
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

TEST_F(ReadingHttp, OnlyADeskLoginClaimsOrSubmitsAndTheCamatReadsItsQueue) {
    for (const auto& token : {camat, op.token}) {
        EXPECT_EQ(post("/api/v1/reading/next", token, json::object())->status, 403);
        EXPECT_EQ(post("/api/v1/reading/submit", token,
                       {{"sheet", key}, {"parent", first.id}, {"values", values(first.sheet)}})
                      ->status,
                  403);
    }
    auto own = client->Get("/api/v1/reading/queue", {{"Authorization", "Bearer " + camat}});
    ASSERT_EQ(own->status, 200) << own->body;
    EXPECT_EQ(json::parse(own->body)["totals"]["sheets"], 1);
    EXPECT_EQ(
        client->Get("/api/v1/reading/queue?area=990102", {{"Authorization", "Bearer " + camat}})
            ->status,
        403);
}

TEST_F(ReadingHttp, ASheetWithoutItsPhotoWaitsAndIsNeverHandedOut) {
    auto next = post("/api/v1/reading/next", desk, {{"area", "9901"}});
    ASSERT_EQ(next->status, 200) << next->body;
    EXPECT_TRUE(json::parse(next->body)["claim"].is_null());
    auto q = client->Get("/api/v1/reading/queue", {{"Authorization", "Bearer " + desk}});
    EXPECT_EQ(json::parse(q->body)["totals"]["no_photo"], 1);
}

TEST_F(ReadingHttp, ABlankBoxIsRefusedByNameAndAWholeEqualReadingVerifies) {
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
    auto tally =
        client->Get("/api/v1/tally?contest=ppwp&area=9901", {{"Authorization", "Bearer " + desk}});
    EXPECT_EQ(json::parse(tally->body)["tps"]["verified"], 1);
    EXPECT_EQ(live.store().counted(key).sheet, first.sheet); // the first entry still counts
}

TEST_F(ReadingHttp, AReadingFromAnotherOriginIsRefused) {
    auto res = post("/api/v1/reading/submit", desk,
                    {{"sheet", key}, {"parent", first.id}, {"values", values(first.sheet)}},
                    {{"Origin", "http://evil.example"}});
    EXPECT_EQ(res->status, 403);
    EXPECT_FALSE(live.store().counted(key).verified);
}
