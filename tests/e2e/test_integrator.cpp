// Sequencing apart from integration (issue 30): real `rekap-central serve` processes over real
// HTTP on 127.0.0.1, on SQLite and on PostgreSQL. A push answered when stored (`Prefer:
// respond-async`) gets `queued` and later its receipt; a tablet of protocol version 2 still gets
// its whole answer; nothing acknowledged is lost when the receiver dies between storing a push
// and integrating it, or when the integrator dies inside a batch; on PostgreSQL two receivers
// race for the integrator's role, one holds it, and the other takes it over when it dies.

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include "child_process.h"
#include "fixtures.h"
#include "live_central.h"
#include "revisions.h"
#include "store_location.h"
#include "store_sql.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::vector<std::string> kTps = {"9901011001001", "9901011001002"};

Sheet sheetFor(const std::string& tps, const std::string& contest) {
    auto s = contest == "ppwp"   ? validPpwpSheet()
             : contest == "pdpr" ? validPdprSheet()
                                 : validPdpdSheet();
    s.tps = AreaCode::parse(tps);
    return s;
}

struct Answer {
    int status = 0;
    json body;
    httplib::Headers headers;
};

class Integrator : public ::testing::TestWithParam<StoreKind> {
protected:
    void SetUp() override {
        if (GetParam() == StoreKind::PostgreSQL && postgresAdminUrl().empty())
            REKAP_WITHOUT_POSTGRES();
        location = std::make_unique<StoreLocation>(GetParam(), dir);
        ASSERT_FALSE(location->unavailable());
        db = location->location();
        ASSERT_EQ(cli({"init", "--regency", writeTinyRegency(dir)}).first, 0);
        admin = std::make_unique<central::CentralStore>(db, location->options());
    }
    void TearDown() override {
        for (auto& [port, r] : receivers)
            r->kill9();
        unsetenv("REKAP_FAULT_INTEGRATOR_STALL_MS");
    }

    std::vector<std::string> withStore(std::vector<std::string> args) const {
        return receiverArgs(*location, dir.file("photos"), std::move(args));
    }
    std::pair<int, std::string> cli(std::vector<std::string> args) {
        return runProgram(REKAP_CENTRAL_BIN, withStore(std::move(args)));
    }
    /// Starts a receiver; returns its port.
    int serve(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"serve", "--port", "0", "--no-access-log"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto child = std::make_unique<ChildProcess>(REKAP_CENTRAL_BIN, withStore(args));
        auto line = child->readLine(30s);
        EXPECT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0)
            << line.value_or("no output");
        if (!line)
            return 0;
        int port = std::stoi(line->substr(line->rfind(':') + 1));
        receivers[port] = std::move(child);
        return port;
    }
    void kill(int port) {
        receivers.at(port)->kill9();
        receivers.at(port)->wait();
        receivers.erase(port);
    }
    protocol::EnrolResponse enrol(const std::string& tps) {
        auto code = admin->registry().mintCodes(protocol::Role::Operator, AreaCode::parse(tps), 1,
                                                24h, "Tablet " + tps);
        return enrolSigned(*admin, code[0], "Tablet " + tps);
    }

    static Answer post(int port, const std::string& path, const std::string& token,
                       const json& body, bool async) {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(60s);
        httplib::Headers h{{"Authorization", "Bearer " + token}};
        if (async)
            h.emplace("Prefer", "respond-async");
        auto res = c.Post(path, h, body.dump(), "application/json");
        if (!res)
            return {};
        return {res->status, json::parse(res->body, nullptr, false), res->headers};
    }
    static Answer push(int port, const protocol::EnrolResponse& who,
                       const std::vector<Revision>& revisions, bool async,
                       const std::vector<std::string>& awaiting = {}) {
        json body = {{"revisions", json::array()}};
        for (const auto& r : revisions)
            body["revisions"].push_back(encodeRevision(r));
        if (!awaiting.empty())
            body["awaiting"] = awaiting;
        return post(port, "/api/v1/sync/push", who.token, body, async);
    }
    /// The receipts of `ids`, asked until none is `queued` (or `limit` passes).
    static json receipts(int port, const protocol::EnrolResponse& who,
                         const std::vector<std::string>& ids,
                         std::chrono::milliseconds limit = 10s) {
        auto until = std::chrono::steady_clock::now() + limit;
        json last;
        while (std::chrono::steady_clock::now() < until) {
            auto a = post(port, "/api/v1/sync/receipts", who.token, {{"awaiting", ids}}, false);
            EXPECT_EQ(a.status, 200) << a.body.dump();
            last = a.body;
            bool waiting = last["receipts"].size() < ids.size();
            for (const auto& r : last["receipts"])
                waiting = waiting || r["status"] == "queued";
            if (!waiting)
                return last;
            std::this_thread::sleep_for(50ms);
        }
        return last;
    }
    /// This receiver's `rekap_integrator` gauge.
    static int integratorGauge(int port) {
        httplib::Client c("127.0.0.1", port);
        auto res = c.Get("/metrics");
        if (!res || res->status != 200)
            return -1;
        auto at = res->body.find("\nrekap_integrator ");
        return at == std::string::npos ? -1 : res->body[at + 18] - '0';
    }

    /// Each of `ids` is one revision row and one ledger entry; verify passes; the tally a fresh
    /// process counts equals the live one at `port`.
    void expectStoredOnce(const std::vector<std::string>& ids) {
        std::map<std::string, int> rows, entries;
        {
            auto sql = test::sqlOf(*admin);
            auto st = sql->prepare("SELECT id FROM revisions");
            while (st.step())
                ++rows[st.text(0)];
            auto e = sql->prepare("SELECT entry FROM ledger WHERE kind = 'revision'");
            while (e.step())
                ++entries[json::parse(e.text(0))["revision"]["id"].get<std::string>()];
        }
        for (const auto& id : ids) {
            EXPECT_EQ(rows[id], 1) << id;
            EXPECT_EQ(entries[id], 1) << id;
        }
        auto verify = cli({"verify"});
        EXPECT_EQ(verify.first, 0) << verify.second;
    }

    /// Each revision of `byId` (id -> its tablet) has its receipt `accepted` at `port`, and is
    /// stored once.
    void expectEachAcceptedOnce(int port,
                                const std::map<std::string, protocol::EnrolResponse>& byId) {
        std::vector<std::string> ids;
        for (const auto& [id, who] : byId) {
            auto got = receipts(port, who, {id});
            ASSERT_EQ(got["receipts"].size(), 1u) << got.dump();
            EXPECT_EQ(got["receipts"][0]["status"], "accepted") << got.dump();
            ids.push_back(id);
        }
        expectStoredOnce(ids);
    }

    /// One revision of every contest of every TPS of kTps, each by its TPS's tablet.
    std::vector<std::pair<protocol::EnrolResponse, Revision>> sheets() {
        std::vector<std::pair<protocol::EnrolResponse, Revision>> out;
        for (const auto& tps : kTps) {
            auto who = enrol(tps);
            for (const auto* contest : {"ppwp", "pdpr", "pdpd"})
                out.emplace_back(who, makeRevision(who.device, sheetFor(tps, contest)));
        }
        return out;
    }

    TempDir dir;
    std::unique_ptr<StoreLocation> location;
    std::string db;
    std::map<int, std::unique_ptr<ChildProcess>> receivers;
    std::unique_ptr<central::CentralStore> admin;
};

TEST_P(Integrator, AnAsyncPushIsAnsweredQueuedAndItsReceiptComesWithTheNextAnswer) {
    int port = serve();
    auto who = enrol(kTps[0]);
    auto r = makeRevision(who.device, sheetFor(kTps[0], "ppwp"));
    auto a = push(port, who, {r}, true);
    ASSERT_EQ(a.status, 200) << a.body.dump();
    EXPECT_EQ(a.body["results"][0]["status"], "queued") << a.body.dump();
    EXPECT_FALSE(a.body["results"][0].contains("ledger_index"));
    EXPECT_TRUE(a.body.contains("tree_head"));
    EXPECT_EQ(a.headers.count("Preference-Applied"), 1u);

    // The next push (of another sheet) carries the receipt of the first.
    auto next = makeRevision(who.device, sheetFor(kTps[0], "pdpr"));
    json got;
    for (int i = 0; i < 100 && got.is_null(); ++i) {
        auto b = push(port, who, i == 0 ? std::vector<Revision>{next} : std::vector<Revision>{},
                      true, {r.id});
        ASSERT_EQ(b.status, 200) << b.body.dump();
        if (b.body["receipts"][0]["status"] != "queued")
            got = b.body;
        else
            std::this_thread::sleep_for(20ms);
    }
    ASSERT_FALSE(got.is_null());
    const auto& receipt = got["receipts"][0];
    EXPECT_EQ(receipt["id"], r.id);
    EXPECT_EQ(receipt["status"], "accepted") << got.dump();
    ASSERT_TRUE(receipt.contains("ledger_index"));
    EXPECT_LT(receipt["ledger_index"].get<std::int64_t>(),
              got["tree_head"]["size"].get<std::int64_t>());
    // A tablet of protocol version 2 re-sending it gets the same entry, as a duplicate.
    auto old = push(port, who, {r}, false);
    ASSERT_EQ(old.status, 200);
    EXPECT_EQ(old.body["results"][0]["status"], "duplicate");
    EXPECT_EQ(old.body["results"][0]["receipt"], receipt["receipt"]);
    expectStoredOnce({r.id, next.id});
}

TEST_P(Integrator, ATabletOfProtocolVersionTwoGetsItsWholeAnswer) {
    int port = serve();
    auto who = enrol(kTps[1]);
    auto r = makeRevision(who.device, sheetFor(kTps[1], "ppwp"));
    auto a = push(port, who, {r}, false);
    ASSERT_EQ(a.status, 200) << a.body.dump();
    const auto& result = a.body["results"][0];
    EXPECT_EQ(result["status"], "accepted");
    ASSERT_TRUE(result.contains("ledger_index")) << a.body.dump();
    EXPECT_FALSE(result["receipt"].get<std::string>().empty());
    EXPECT_LT(result["ledger_index"].get<std::int64_t>(),
              a.body["tree_head"]["size"].get<std::int64_t>());
    EXPECT_EQ(a.headers.count("Preference-Applied"), 0u);
}

TEST_P(Integrator, ReceiptsAreTheDevicesOwnAndTheirListIsBoundedAndChecked) {
    int port = serve();
    auto a = enrol(kTps[0]), b = enrol(kTps[1]);
    auto r = makeRevision(a.device, sheetFor(kTps[0], "ppwp"));
    ASSERT_EQ(push(port, a, {r}, false).status, 200);
    // Another tablet asking for a's revision learns nothing of it.
    auto other = post(port, "/api/v1/sync/receipts", b.token, {{"awaiting", {r.id}}}, false);
    ASSERT_EQ(other.status, 200) << other.body.dump();
    EXPECT_TRUE(other.body["receipts"].empty()) << other.body.dump();
    auto own = receipts(port, a, {r.id});
    ASSERT_EQ(own["receipts"].size(), 1u);
    EXPECT_EQ(own["receipts"][0]["status"], "accepted");
    // Bad lists are refused by their path; no token, no answer.
    auto notString = post(port, "/api/v1/sync/receipts", a.token, {{"awaiting", {1}}}, false);
    EXPECT_EQ(notString.status, 400);
    EXPECT_EQ(notString.body["error"]["path"], "$.awaiting[0]") << notString.body.dump();
    auto many = post(port, "/api/v1/sync/receipts", a.token,
                     {{"awaiting", std::vector<std::string>(501, r.id)}}, false);
    EXPECT_EQ(many.status, 413) << many.body.dump();
    auto stranger = post(port, "/api/v1/sync/receipts", "", {{"awaiting", {r.id}}}, false);
    EXPECT_EQ(stranger.status, 401);
}

TEST_P(Integrator, AReceiverKilledBetweenStoringAndIntegratingLosesNothing) {
    // This receiver only stores: what it acknowledged waits in the intake when it dies.
    int storing = serve({"--no-integrate"});
    std::map<std::string, protocol::EnrolResponse> byId;
    for (auto& [who, r] : sheets()) {
        auto a = push(storing, who, {r}, true);
        ASSERT_EQ(a.status, 200) << a.body.dump();
        ASSERT_EQ(a.body["results"][0]["status"], "queued") << a.body.dump();
        byId[r.id] = who;
    }
    kill(storing);
    EXPECT_EQ(admin->sheets().revisionCount(), 0); // nothing integrated yet

    int port = serve();
    expectEachAcceptedOnce(port, byId);
}

TEST_P(Integrator, TheIntegratorKilledInsideABatchLosesNothing) {
    // Every batch sleeps inside its transaction, after its entries are appended and before the
    // commit: the kill lands there.
    setenv("REKAP_FAULT_INTEGRATOR_STALL_MS", "20000", 1);
    int stalled = serve();
    unsetenv("REKAP_FAULT_INTEGRATOR_STALL_MS");
    // One tablet's three sheets in one push: one batch (on SQLite, the integrator's batch holds
    // the file's one writer, and another push would wait for it).
    std::map<std::string, protocol::EnrolResponse> byId;
    auto all = sheets();
    std::vector<Revision> one;
    for (auto& [who, r] : all)
        if (who.device == all[0].first.device) {
            one.push_back(r);
            byId[r.id] = who;
        }
    auto a = push(stalled, all[0].first, one, true);
    ASSERT_EQ(a.status, 200) << a.body.dump();
    std::this_thread::sleep_for(500ms); // the batch is under way, asleep before its commit
    kill(stalled);
    EXPECT_EQ(admin->sheets().revisionCount(), 0);

    int port = serve();
    expectEachAcceptedOnce(port, byId);
}

TEST_P(Integrator, TwoReceiversRaceForTheIntegratorsRoleAndTheSurvivorTakesItOver) {
    if (GetParam() == StoreKind::SQLite)
        GTEST_SKIP() << "one serve per SQLite file: the role is PostgreSQL's";
    int a = serve(), b = serve();
    int first = -1;
    for (int i = 0; i < 100 && first < 0; ++i) {
        int ga = integratorGauge(a), gb = integratorGauge(b);
        ASSERT_LE(ga + gb, 1) << "two integrators at once";
        if (ga == 1)
            first = a;
        else if (gb == 1)
            first = b;
        else
            std::this_thread::sleep_for(50ms);
    }
    ASSERT_GT(first, 0) << "no receiver took the integrator's role";
    int other = first == a ? b : a;
    auto all = sheets();
    // Pushed to the receiver that does not integrate, as a version 2 tablet: it waits for the
    // other's integration and answers with its outcome.
    auto answered = push(other, all[0].first, {all[0].second}, false);
    ASSERT_EQ(answered.status, 200) << answered.body.dump();
    EXPECT_EQ(answered.body["results"][0]["status"], "accepted") << answered.body.dump();
    EXPECT_TRUE(answered.body["results"][0].contains("ledger_index"));

    // Stored by the survivor-to-be, then the integrator dies: the survivor takes the role over
    // and integrates what waits.
    auto queued = push(other, all[1].first, {all[1].second}, true);
    ASSERT_EQ(queued.status, 200);
    kill(first);
    int taken = 0;
    for (int i = 0; i < 200 && taken != 1; ++i) {
        taken = integratorGauge(other);
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(taken, 1) << "the survivor did not take the role over";
    auto got = receipts(other, all[1].first, {all[1].second.id});
    EXPECT_EQ(got["receipts"][0]["status"], "accepted") << got.dump();
    auto later = push(other, all[2].first, {all[2].second}, false);
    EXPECT_EQ(later.body["results"][0]["status"], "accepted") << later.body.dump();
    expectStoredOnce({all[0].second.id, all[1].second.id, all[2].second.id});
}

INSTANTIATE_TEST_SUITE_P(Engines, Integrator,
                         ::testing::Values(StoreKind::SQLite, StoreKind::PostgreSQL),
                         storeKindName);

} // namespace
