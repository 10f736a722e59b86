// The desk's and the camat's API over HTTP: tally and status with scoped tokens, the conflict
// resolution only the desk may make, the CSV export and the dashboard's cookie login.

#include <gtest/gtest.h>
#include <httplib.h>

#include "fixtures.h"
#include "live_central.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class DeskApi : public ::testing::Test {
protected:
    void SetUp() override {
        client = std::make_unique<httplib::Client>("127.0.0.1", live.port());
        desk = live.store().createDeskToken("Desk Uji");
        camat = enrol(protocol::Role::Camat, "990101").token;
        operatorA = enrol(protocol::Role::Operator, "9901011001001");
        operatorB = enrol(protocol::Role::Operator, "9901011001001");
    }
    protocol::EnrolResponse enrol(protocol::Role role, const std::string& area) {
        return enrolSigned(live.store(), live.mint(role, area));
    }
    httplib::Result get(const std::string& path, const std::string& token,
                        httplib::Headers extra = {}) {
        extra.emplace("Authorization", "Bearer " + token);
        return client->Get(path.c_str(), extra);
    }
    void push(const protocol::EnrolResponse& who, const Sheet& s, int queueDepth = 0) {
        auto res =
            client->Post("/api/v1/sync/push",
                         {{"Authorization", "Bearer " + who.token},
                          {protocol::kHeaderQueueDepth, std::to_string(queueDepth)}},
                         json{{"revisions", {encodeRevision(makeRevision(who.device, s))}}}.dump(),
                         "application/json");
        ASSERT_EQ(res->status, 200) << res->body;
    }
    LiveCentral live;
    std::unique_ptr<httplib::Client> client;
    std::string desk, camat;
    protocol::EnrolResponse operatorA, operatorB;
};

} // namespace

TEST_F(DeskApi, DeskSeesTheRegencyAndCamatOnlyTheirKecamatan) {
    push(operatorA, validPpwpSheet());
    auto all = get("/api/v1/tally?contest=ppwp&area=9901", desk);
    ASSERT_EQ(all->status, 200) << all->body;
    EXPECT_EQ(json::parse(all->body)["tps"]["reported"], 1);

    auto own = get("/api/v1/tally?contest=ppwp", camat); // default: the login's own area
    ASSERT_EQ(own->status, 200);
    EXPECT_EQ(json::parse(own->body)["area"]["code"], "990101");
    auto other = get("/api/v1/tally?contest=ppwp&area=990102", camat);
    EXPECT_EQ(other->status, 403);
    EXPECT_NE(protocol::decodeError(other->body).message.find("sees 990101 only"),
              std::string::npos);
    EXPECT_EQ(get("/api/v1/tally?area=9901", camat)->status, 403);
    EXPECT_EQ(get("/api/v1/status?area=990102", camat)->status, 403);
    EXPECT_EQ(get("/api/v1/sheets/9901021001001/ppwp", camat)->status, 403);
    EXPECT_EQ(get("/api/v1/tally", "nonsense")->status, 401);
    EXPECT_EQ(client->Get("/api/v1/tally")->status, 401);
}

TEST_F(DeskApi, StatusShowsWhatSitsOnDevices) {
    // The depth a push reports counts the revisions it sends: each answered leaves the queue.
    push(operatorA, validPpwpSheet(), /*queueDepth=*/3); // sends one, two more still on it
    auto bad = validPdpdSheet();
    bad.summary.invalid += 1;
    push(operatorA, bad, 3); // one more recorded meanwhile
    auto res = get("/api/v1/status?area=990101", camat);
    ASSERT_EQ(res->status, 200) << res->body;
    auto s = json::parse(res->body);
    ASSERT_EQ(s["desa"].size(), 2u);
    const auto& tps = s["desa"][0]["tps"][0];
    EXPECT_EQ(tps["tps"], "9901011001001");
    EXPECT_EQ(tps["status"], "rejected"); // what needs attention first
    EXPECT_EQ(tps["contests"]["ppwp"], "accepted");
    EXPECT_EQ(tps["contests"]["pdpd"], "rejected");
    EXPECT_EQ(tps["expected_contests"], 3);
    ASSERT_EQ(tps["devices"].size(), 2u);
    for (const auto& d : tps["devices"])
        EXPECT_EQ(d["queue_depth"], d["device"] == operatorA.device ? 2 : 0);
    EXPECT_EQ(s["desa"][0]["tps"][1]["status"], "not_received");
    EXPECT_EQ(s["totals"]["not_received"], 2);
}

TEST_F(DeskApi, OnlyTheDeskResolvesConflicts) {
    push(operatorA, validPpwpSheet());
    push(operatorB, moveOneVote(validPpwpSheet()));
    auto list = get("/api/v1/conflicts", camat);
    ASSERT_EQ(list->status, 200);
    auto conflicts = json::parse(list->body)["conflicts"];
    ASSERT_EQ(conflicts.size(), 1u);
    auto head = conflicts[0]["heads"][1]["id"].get<std::string>();
    json body = {{"sheet", "9901011001001/ppwp"}, {"revision", head}, {"reason", "plano dicek"}};
    auto byCamat = client->Post("/api/v1/conflicts/resolve", {{"Authorization", "Bearer " + camat}},
                                body.dump(), "application/json");
    EXPECT_EQ(byCamat->status, 403);
    body["reason"] = "";
    auto noReason = client->Post("/api/v1/conflicts/resolve", {{"Authorization", "Bearer " + desk}},
                                 body.dump(), "application/json");
    EXPECT_EQ(noReason->status, 400);
    EXPECT_EQ(protocol::decodeError(noReason->body).path, "$.reason");
    body["reason"] = "plano dicek";
    auto ok = client->Post("/api/v1/conflicts/resolve", {{"Authorization", "Bearer " + desk}},
                           body.dump(), "application/json");
    ASSERT_EQ(ok->status, 200) << ok->body;
    auto sheet = json::parse(get("/api/v1/sheets/9901011001001/ppwp", desk)->body);
    EXPECT_EQ(sheet["state"], "accepted");
    EXPECT_EQ(sheet["history"].back()["operator"], "Desk Uji");
    EXPECT_EQ(sheet["history"].back()["reason"], "plano dicek");
    EXPECT_TRUE(sheet["history"].back()["from_desk"].get<bool>());
}

TEST_F(DeskApi, CookieLoginCsvAndRejectedList) {
    auto bad = client->Post("/desk/login", json{{"token", "nope"}}.dump(), "application/json");
    EXPECT_EQ(bad->status, 401);
    auto login = client->Post("/desk/login", json{{"token", desk}}.dump(), "application/json");
    ASSERT_EQ(login->status, 200);
    auto cookie = login->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    auto me = client->Get("/api/v1/me", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
    ASSERT_EQ(me->status, 200);
    EXPECT_TRUE(json::parse(me->body)["desk"].get<bool>());

    push(operatorA, validPpwpSheet());
    auto csv = get("/api/v1/tally.csv?contest=ppwp&area=990101", desk);
    ASSERT_EQ(csv->status, 200);
    EXPECT_NE(csv->get_header_value("Content-Disposition").find("rekap-ppwp-990101.csv"),
              std::string::npos);
    EXPECT_EQ(csv->body.substr(0, 5), "kode,");

    auto misread = validPpwpSheet();
    misread.candidates[1].votes = 190;
    push(operatorB, misread);
    auto rejected = json::parse(get("/api/v1/rejected", desk)->body)["rejected"];
    ASSERT_EQ(rejected.size(), 0u) << "the sheet has an accepted revision: not a rejected sheet";
    auto deskVersion = json::parse(get("/api/v1/version", desk)->body)["version"];
    EXPECT_GT(deskVersion.get<int>(), 0);
}

TEST_F(DeskApi, DashboardIsServedWithItsChartLibrary) {
    auto page = client->Get("/");
    ASSERT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("/vendor/chart.js/chart.umd.js"), std::string::npos);
    auto chart = client->Get("/vendor/chart.js/chart.umd.js");
    ASSERT_EQ(chart->status, 200) << "run npm ci in server-stub/web (scripts/setup does)";
    EXPECT_GT(chart->body.size(), 100000u);
    EXPECT_EQ(client->Get("/assets/app.js")->status, 200);
}
