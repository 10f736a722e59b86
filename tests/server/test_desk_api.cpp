// The desk's and the camat's API over HTTP: tally and status with scoped tokens, the conflict
// resolution only the desk may make (which version wins, what the tally then counts, what is
// refused), the data version the dashboard polls, the rejected list, the CSV export and the
// dashboard's cookie login.

#include <gtest/gtest.h>
#include <httplib.h>

#include <set>

#include "fixtures.h"
#include "live_central.h"
#include "revisions.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class DeskApi : public ::testing::TestWithParam<StoreKind> {
protected:
    void SetUp() override {
        if (GetParam() == StoreKind::PostgreSQL && postgresAdminUrl().empty())
            REKAP_WITHOUT_POSTGRES();
        live = std::make_unique<LiveCentral>(central::ServerOptions{}, "", GetParam());
        client = std::make_unique<httplib::Client>("127.0.0.1", live->port());
        desk = live->store().deskTokens().createDeskToken("Desk Uji");
        camat = enrol(protocol::Role::Camat, "990101").token;
        operatorA = enrol(protocol::Role::Operator, "9901011001001");
        operatorB = enrol(protocol::Role::Operator, "9901011001001");
    }
    protocol::EnrolResponse enrol(protocol::Role role, const std::string& area) {
        return enrolSigned(live->store(), live->mint(role, area));
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
    json tally(const std::string& area) {
        auto res = get("/api/v1/tally?contest=ppwp&area=" + area, desk);
        EXPECT_EQ(res->status, 200) << res->body;
        return json::parse(res->body);
    }
    httplib::Result resolve(const std::string& token, const json& body) {
        return client->Post("/api/v1/conflicts/resolve", {{"Authorization", "Bearer " + token}},
                            body.dump(), "application/json");
    }
    std::unique_ptr<LiveCentral> live;
    std::unique_ptr<httplib::Client> client;
    std::string desk, camat;
    protocol::EnrolResponse operatorA, operatorB;
};

} // namespace

TEST_P(DeskApi, DeskSeesTheRegencyAndCamatOnlyTheirKecamatan) {
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

TEST_P(DeskApi, StatusShowsWhatSitsOnDevices) {
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

TEST_P(DeskApi, OnlyTheDeskResolvesConflicts) {
    push(operatorA, validPpwpSheet());              // 70 / 90 / 10, the provisional winner
    push(operatorB, moveOneVote(validPpwpSheet())); // 69 / 91 / 10
    auto list = get("/api/v1/conflicts", camat);
    ASSERT_EQ(list->status, 200);
    auto conflicts = json::parse(list->body)["conflicts"];
    ASSERT_EQ(conflicts.size(), 1u);
    ASSERT_EQ(conflicts[0]["heads"].size(), 2u);
    EXPECT_TRUE(conflicts[0]["heads"][0]["provisional_winner"].get<bool>());
    auto loser = conflicts[0]["heads"][0]["id"].get<std::string>();
    auto head = conflicts[0]["heads"][1]["id"].get<std::string>();
    EXPECT_EQ(conflicts[0]["heads"][1]["sheet"]["votes"]["candidates"][0]["votes"], 69);
    EXPECT_EQ(tally("9901")["candidates"][0]["votes"], 70) << "before: the provisional winner";
    json body = {{"sheet", "9901011001001/ppwp"}, {"revision", head}, {"reason", "plano dicek"}};
    EXPECT_EQ(resolve(camat, body)->status, 403);
    body["reason"] = "";
    auto noReason = resolve(desk, body);
    EXPECT_EQ(noReason->status, 400);
    EXPECT_EQ(protocol::decodeError(noReason->body).path, "$.reason");
    body["reason"] = "plano dicek";
    auto ok = resolve(desk, body);
    ASSERT_EQ(ok->status, 200) << ok->body;
    auto resolution = json::parse(ok->body)["resolution"].get<std::string>();

    // The chosen head's numbers won, and the tally counts them, verified, at every level.
    auto sheet = json::parse(get("/api/v1/sheets/9901011001001/ppwp", desk)->body);
    EXPECT_EQ(sheet["state"], "accepted");
    EXPECT_EQ(sheet["winner"], resolution);
    EXPECT_EQ(sheet["heads"], json::array({resolution}));
    const auto& decision = sheet["history"].back();
    EXPECT_EQ(decision["id"], resolution);
    EXPECT_EQ(decision["parent"], head);
    EXPECT_EQ(decision["operator"], "Desk Uji");
    EXPECT_EQ(decision["reason"], "plano dicek");
    EXPECT_TRUE(decision["decision"].get<bool>());
    EXPECT_TRUE(decision["from_desk"].get<bool>()) << "the name old scripts read";
    EXPECT_EQ(decision["sheet"]["votes"]["candidates"],
              json::parse(R"([{"number":1,"votes":69},{"number":2,"votes":91},)"
                          R"({"number":3,"votes":10}])"));
    for (const auto& h : sheet["history"]) {
        if (h["id"] == loser) {
            EXPECT_EQ(h["state"], "superseded");
        }
    }
    for (const auto& area : {"9901", "990101", "9901011001", "9901011001001"}) {
        auto t = tally(area);
        SCOPED_TRACE(area);
        EXPECT_EQ(t["candidates"][0]["votes"], 69);
        EXPECT_EQ(t["candidates"][1]["votes"], 91);
        EXPECT_EQ(t["tps"]["reported"], 1);
        EXPECT_EQ(t["tps"]["conflict"], 0);
        EXPECT_EQ(t["tps"]["verified"], 1);
    }
    EXPECT_EQ(json::parse(get("/api/v1/conflicts", desk)->body)["conflicts"].size(), 0u);

    // Refused, and nothing changes: the same decision again (a double click), a revision that
    // is not a head (the one set aside), a sheet nobody sent, a revision that does not exist.
    auto before = get("/api/v1/sheets/9901011001001/ppwp", desk)->body;
    auto versionBefore = json::parse(get("/api/v1/version", desk)->body)["version"];
    struct Refused {
        std::string what, sheet, revision, mention;
    };
    for (const auto& r : std::vector<Refused>{
             {"the same decision again", "9901011001001/ppwp", head, head},
             {"a superseded revision", "9901011001001/ppwp", loser, loser},
             {"a sheet nobody sent", "9901011001002/ppwp", head, "9901011001002/ppwp"},
             {"an unknown revision", "9901011001001/ppwp", newUuid(), "not a head"}}) {
        SCOPED_TRACE(r.what);
        auto res = resolve(desk, {{"sheet", r.sheet}, {"revision", r.revision}, {"reason", "x"}});
        EXPECT_GE(res->status, 400);
        EXPECT_LT(res->status, 500) << res->body;
        EXPECT_NE(protocol::decodeError(res->body).message.find(r.mention), std::string::npos)
            << res->body;
    }
    EXPECT_EQ(get("/api/v1/sheets/9901011001001/ppwp", desk)->body, before);
    EXPECT_EQ(json::parse(get("/api/v1/version", desk)->body)["version"], versionBefore);
    EXPECT_EQ(tally("9901")["candidates"][0]["votes"], 69);
    EXPECT_EQ(tally("9901")["tps"]["verified"], 1);
}

TEST_P(DeskApi, TheDataVersionMovesWithEveryChangeOfTheTallyAndOnlyThen) {
    auto version = [&] { return json::parse(get("/api/v1/version", desk)->body)["version"]; };
    auto v0 = version().get<std::uint64_t>();
    auto rev = makeRevision(operatorA.device, validPpwpSheet());
    auto send = [&](const Revision& r) {
        auto res =
            client->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + operatorA.token}},
                         json{{"revisions", {encodeRevision(r)}}}.dump(), "application/json");
        ASSERT_EQ(res->status, 200);
    };
    send(rev);
    auto v1 = version().get<std::uint64_t>();
    EXPECT_GT(v1, v0) << "a new sheet counted: the dashboard must refresh";
    send(rev); // a retry: nothing changes
    EXPECT_EQ(version().get<std::uint64_t>(), v1) << "a duplicate needs no refresh";
    send(makeRevision(operatorA.device, moveOneVote(validPpwpSheet()), rev.id, "koreksi"));
    auto v2 = version().get<std::uint64_t>();
    EXPECT_GT(v2, v1) << "a correction changes the tally";
    push(operatorB, moveOneVote(moveOneVote(validPpwpSheet()))); // a conflict
    auto v3 = version().get<std::uint64_t>();
    EXPECT_GT(v3, v2);
    auto c = json::parse(get("/api/v1/conflicts", desk)->body)["conflicts"][0];
    resolve(desk, {{"sheet", c["sheet"]}, {"revision", c["heads"][1]["id"]}, {"reason", "dicek"}});
    EXPECT_GT(version().get<std::uint64_t>(), v3) << "a decision changes the tally";
}

TEST_P(DeskApi, TheRejectedListHoldsSheetsWhoseOnlyRevisionsWereRejected) {
    auto misread = validPpwpSheet();
    misread.candidates[1].votes = 190; // R2
    push(operatorA, misread);
    auto bad = validPdpdSheet();
    bad.summary.invalid += 1; // R3
    push(operatorA, bad);
    auto rejected = json::parse(get("/api/v1/rejected", desk)->body)["rejected"];
    ASSERT_EQ(rejected.size(), 2u) << rejected;
    EXPECT_EQ(rejected[0]["sheet"], "9901011001001/pdpd");
    EXPECT_EQ(rejected[1]["sheet"], "9901011001001/ppwp");
    EXPECT_EQ(rejected[1]["device"], operatorA.device);
    EXPECT_EQ(rejected[1]["sheet_numbers"]["votes"]["candidates"][1]["votes"], 190);
    std::set<std::string> rules;
    for (const auto& f : rejected[1]["findings"])
        rules.insert(f["rule"]);
    EXPECT_TRUE(rules.count("R2")) << rejected[1]["findings"];
    // The camat sees its kecamatan's; another kecamatan's list is empty.
    EXPECT_EQ(json::parse(get("/api/v1/rejected", camat)->body)["rejected"].size(), 2u);
    EXPECT_EQ(json::parse(get("/api/v1/rejected?area=990102", desk)->body)["rejected"].size(), 0u);
    // Once an accepted revision arrives for the PPWP sheet, it leaves the list.
    push(operatorB, validPpwpSheet());
    rejected = json::parse(get("/api/v1/rejected", desk)->body)["rejected"];
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_EQ(rejected[0]["sheet"], "9901011001001/pdpd");
}

TEST_P(DeskApi, CookieLoginCsvAndARejectedRevisionBesideAnAcceptedOne) {
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
    EXPECT_EQ(rejected.size(), 0u) << "the sheet has an accepted revision: not a rejected sheet";
}

TEST_P(DeskApi, DashboardIsServedWithItsChartLibrary) {
    auto page = client->Get("/");
    ASSERT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("/vendor/chart.js/chart.umd.js"), std::string::npos);
    auto chart = client->Get("/vendor/chart.js/chart.umd.js");
    ASSERT_EQ(chart->status, 200) << "run npm ci in server-stub/web (scripts/setup does)";
    EXPECT_GT(chart->body.size(), 100000u);
    EXPECT_EQ(client->Get("/assets/app.js")->status, 200);
}

INSTANTIATE_STORE_SUITE(DeskApi);
