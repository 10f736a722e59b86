// Scale-out (issue 15), concurrency: several `rekap-central serve` processes on one PostgreSQL
// database, real processes over real HTTP on 127.0.0.1. The same revision pushed to two
// receivers at the same moment is stored once (one answer `accepted`, the other `duplicate` with
// the same receipt); two conflicting revisions pushed to two receivers at the same moment end as
// one conflict with both as heads; the tally on every receiver equals a recount by a fresh
// process; a change accepted by one receiver shows on another within a second, and a revocation
// made elsewhere stops the device's next push at every receiver. PostgreSQL only: without
// REKAP_TEST_POSTGRES every test skips with one line.

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <latch>
#include <map>
#include <set>
#include <stop_token>
#include <thread>

#include "child_process.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/startup_verification.h"
#include "revisions.h"
#include "store_location.h"
#include "store_sql.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// The tiny regency's TPS whose sheets pass the rules (TPS 002 has no DPT, so R6 never fires),
/// and the one whose DPT of 100 makes the fixture's 176 votes an R6 error: rejected.
const std::vector<std::string> kTps = {"9901011001001", "9901011001002", "9901011002001"};
const std::string kRejectingTps = "9901021001001";

/// A valid sheet of `contest` for `tps`.
Sheet sheetFor(const std::string& tps, const std::string& contest) {
    auto s = contest == "ppwp"   ? validPpwpSheet()
             : contest == "pdpr" ? validPdprSheet()
                                 : validPdpdSheet();
    s.tps = AreaCode::parse(tps);
    return s;
}

/// The contests `tps` holds in the tiny regency.
std::vector<std::string> contestsOf(const std::string& tps) {
    if (tps == "9901011001001" || tps == "9901011001002")
        return {"ppwp", "pdpr", "pdpd"};
    return {"ppwp"};
}

/// `sheet` with one vote moved from the first paslon, candidate or party to the second:
/// different numbers, still valid (moveOneVote() for every ballot kind).
Sheet otherNumbers(Sheet sheet) {
    if (sheet.candidates.empty()) {
        sheet.parties[0].partyOnly -= 1;
        sheet.parties[0].total -= 1;
        sheet.parties[1].partyOnly += 1;
        sheet.parties[1].total += 1;
        return sheet;
    }
    return moveOneVote(std::move(sheet));
}

std::string sheetKey(const Revision& r) {
    return r.sheet.tps.str() + "/" + r.sheet.contest;
}

/// What a push got back: the HTTP status and the body (null when there was no answer).
struct Answer {
    int status = 0;
    json body;
    /// The one result of a single-revision push.
    const json& result() const { return body["results"][0]; }
};

/// The report without what legitimately differs between two processes that count the same
/// sheets: when each built it, its own count of changes taken in (the dashboard's version), and
/// whether it ran the startup verification (a receiver did, a one-shot `tally` does not).
json comparable(json report) {
    report.erase("as_of");
    report.erase("version");
    if (report.contains("seal"))
        report["seal"].erase("verification");
    return report;
}

class ScaleOut : public ::testing::Test {
protected:
    static constexpr int kReceivers = 3;

    void SetUp() override {
        if (postgresAdminUrl().empty())
            REKAP_WITHOUT_POSTGRES();
        location = std::make_unique<StoreLocation>(StoreKind::PostgreSQL, dir);
        ASSERT_FALSE(location->unavailable());
        db = location->location();
        ASSERT_EQ(cli({"init", "--regency", writeTinyRegency(dir)}).first, 0);
        auto token = cli({"desk-token", "--name", "Desk Uji"});
        ASSERT_EQ(token.first, 0);
        desk = token.second.substr(0, token.second.find('\n'));
        for (int i = 0; i < kReceivers; ++i) {
            receivers.push_back(std::make_unique<ChildProcess>(
                REKAP_CENTRAL_BIN, withStore({"serve", "--port", "0"})));
            auto line = receivers.back()->readLine(20s);
            ASSERT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0)
                << "receiver " << i << ": " << line.value_or("no output");
            ports.push_back(std::stoi(line->substr(line->rfind(':') + 1)));
        }
        // One more receiver on the same database, in this process: it mints codes and enrols
        // the test devices (their keys enter the shared ledger).
        admin = std::make_unique<central::CentralStore>(db, location->options());
    }
    void TearDown() override {
        for (auto& r : receivers)
            r->kill9();
    }

    std::vector<std::string> withStore(std::vector<std::string> args) const {
        return receiverArgs(*location, dir.file("photos"), std::move(args));
    }
    std::pair<int, std::string> cli(std::vector<std::string> args) {
        return runProgram(REKAP_CENTRAL_BIN, withStore(std::move(args)));
    }
    protocol::EnrolResponse enrol(const std::string& tps, const std::string& name) {
        auto code = admin->registry().mintCodes(protocol::Role::Operator, AreaCode::parse(tps), 1,
                                                24h, name);
        return enrolSigned(*admin, code[0], name);
    }

    static std::unique_ptr<httplib::Client> client(int port) {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
        c->set_keep_alive(true);
        c->set_read_timeout(60s);
        return c;
    }
    static Answer post(httplib::Client& c, const std::string& token,
                       const std::vector<Revision>& revisions) {
        json body = {{"revisions", json::array()}};
        for (const auto& r : revisions)
            body["revisions"].push_back(encodeRevision(r));
        auto res = c.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + token}}, body.dump(),
                          "application/json");
        if (!res)
            return {};
        return {res->status, json::parse(res->body, nullptr, false)};
    }
    Answer push(int port, const protocol::EnrolResponse& who, const Revision& r) {
        return post(*client(port), who.token, {r});
    }

    /// One push to be made at the same moment as the others.
    struct Shot {
        int port;
        protocol::EnrolResponse who;
        Revision revision;
        Answer answer;
    };
    /// Each shot on a connection of its own, opened beforehand (a health probe on a kept-alive
    /// connection), then all released at once.
    static void fireTogether(std::vector<Shot>& shots) {
        std::promise<void> go;
        std::shared_future<void> released = go.get_future().share();
        std::latch ready(static_cast<std::ptrdiff_t>(shots.size()));
        std::vector<std::thread> threads;
        for (auto& shot : shots)
            threads.emplace_back([&shot, &ready, released] {
                auto c = client(shot.port);
                auto probe = c->Get("/api/v1/health");
                ready.count_down();
                released.wait();
                if (probe)
                    shot.answer = post(*c, shot.who.token, {shot.revision});
            });
        ready.wait();
        go.set_value();
        for (auto& t : threads)
            t.join();
    }

    json get(int port, const std::string& path) {
        auto res = client(port)->Get(path.c_str(), {{"Authorization", "Bearer " + desk}});
        EXPECT_TRUE(res && res->status == 200)
            << path << " at " << port << ": " << (res ? res->body : "no answer");
        return res && res->status == 200 ? json::parse(res->body) : json();
    }
    json tally(int port, const std::string& contest, const std::string& area) {
        return get(port, "/api/v1/tally?contest=" + contest + "&area=" + area);
    }
    /// Polls `until` on `port`'s answer to `path` for up to `limit`; returns the last answer.
    json pollUntil(int port, const std::string& path, const std::function<bool(const json&)>& until,
                   std::chrono::milliseconds limit = 2s) {
        auto start = std::chrono::steady_clock::now();
        json now = get(port, path);
        while (!until(now) && std::chrono::steady_clock::now() - start < limit) {
            std::this_thread::sleep_for(20ms);
            now = get(port, path);
        }
        return now;
    }

    using TabletPair = std::pair<protocol::EnrolResponse, protocol::EnrolResponse>;
    /// Tablets A and B enrolled for each TPS of kTps.
    std::map<std::string, TabletPair> twoTabletsPerTps() {
        std::map<std::string, TabletPair> out;
        for (const auto& tps : kTps)
            out[tps] = {enrol(tps, "Tablet A " + tps), enrol(tps, "Tablet B " + tps)};
        return out;
    }
    /// `key` is in conflict with exactly `heads`, counting `winner` when one is given: in the
    /// database, and at every receiver once it has followed.
    void expectConflictEverywhere(const std::string& key, std::vector<std::string> heads,
                                  const std::optional<std::string>& winner = std::nullopt) {
        std::sort(heads.begin(), heads.end());
        auto sorted = [](std::vector<std::string> v) {
            std::sort(v.begin(), v.end());
            return v;
        };
        auto sheet = admin->sheets().sheet(key);
        ASSERT_TRUE(sheet) << key;
        EXPECT_EQ(sheet->state, SheetState::Conflict) << key;
        EXPECT_EQ(sorted(sheet->heads), heads) << key;
        if (winner) {
            EXPECT_EQ(sheet->winner, *winner) << key;
        }
        for (int port : ports) {
            auto seen = pollUntil(port, "/api/v1/sheets/" + key,
                                  [](const json& j) { return j.value("state", "") == "conflict"; });
            EXPECT_EQ(seen["state"], "conflict") << key << " at " << port;
            EXPECT_EQ(sorted(seen.value("heads", std::vector<std::string>{})), heads)
                << key << " at " << port;
            if (winner) {
                EXPECT_EQ(seen["winner"], *winner) << key << " at " << port;
            }
        }
    }

    /// How many `revisions` rows and `revision` ledger entries each revision id has, and the
    /// ledger index of each entry.
    struct Stored {
        std::map<std::string, int> rows, entries;
        std::map<std::string, std::int64_t> entryIndex;
    };
    Stored stored() {
        Stored out;
        {
            auto sql = test::sqlOf(*admin);
            auto& d = *sql;
            auto rows = d.prepare("SELECT id FROM revisions");
            while (rows.step())
                ++out.rows[rows.text(0)];
            auto entries = d.prepare("SELECT idx, entry FROM ledger WHERE kind = 'revision'");
            while (entries.step()) {
                auto id = json::parse(entries.text(1))["revision"]["id"].get<std::string>();
                ++out.entries[id];
                out.entryIndex[id] = entries.int64(0);
            }
        }
        return out;
    }

    TempDir dir;
    std::unique_ptr<StoreLocation> location;
    std::string db, desk;
    std::vector<std::unique_ptr<ChildProcess>> receivers;
    std::vector<int> ports;
    std::unique_ptr<central::CentralStore> admin;
};

} // namespace

TEST_F(ScaleOut, TheSameRevisionPushedToTwoReceiversAtOnceIsStoredOnce) {
    // One operator per TPS; each of its sheets a chain of corrections (each builds on the last,
    // same device: a fast-forward), 5 rounds x 7 sheets = 35 revisions. In each round all 7 are
    // pushed, each to two receivers (the pair turns round), 14 pushes released together.
    std::map<std::string, protocol::EnrolResponse> devices;
    for (const auto& tps : kTps)
        devices[tps] = enrol(tps, "Tablet " + tps);
    std::map<std::string, std::optional<std::string>> last; // sheet key -> its latest revision
    std::vector<std::string> ids;
    for (int round = 0; round < 5; ++round) {
        std::vector<Shot> shots;
        int turn = round;
        for (const auto& tps : kTps)
            for (const auto& contest : contestsOf(tps)) {
                auto sheet = sheetFor(tps, contest);
                if (round % 2 == 1)
                    sheet = otherNumbers(sheet);
                auto key = tps + "/" + contest;
                auto r = makeRevision(devices[tps].device, sheet, last[key]);
                last[key] = r.id;
                ids.push_back(r.id);
                ++turn;
                shots.push_back({ports[turn % kReceivers], devices[tps], r, {}});
                shots.push_back({ports[(turn + 1) % kReceivers], devices[tps], r, {}});
            }
        fireTogether(shots);
        for (std::size_t i = 0; i < shots.size(); i += 2) {
            const auto& a = shots[i].answer;
            const auto& b = shots[i + 1].answer;
            const auto& id = shots[i].revision.id;
            ASSERT_EQ(a.status, 200) << "round " << round << " " << id << ": " << a.body.dump();
            ASSERT_EQ(b.status, 200) << "round " << round << " " << id << ": " << b.body.dump();
            ASSERT_EQ(a.result()["id"], id);
            ASSERT_EQ(b.result()["id"], id);
            std::multiset<std::string> statuses = {a.result()["status"], b.result()["status"]};
            EXPECT_EQ(statuses, (std::multiset<std::string>{"accepted", "duplicate"}))
                << "round " << round << " " << id << ":\n"
                << a.body.dump() << "\n"
                << b.body.dump();
            // The duplicate points to the first copy's entry: the same receipt comes back.
            EXPECT_EQ(a.result()["ledger_index"], b.result()["ledger_index"]) << id;
            EXPECT_EQ(a.result()["receipt"], b.result()["receipt"]) << id;
            EXPECT_EQ(a.result()["state"], "accepted") << id;
            EXPECT_EQ(b.result()["state"], "accepted") << id;
        }
    }

    auto s = stored();
    EXPECT_EQ(s.rows.size(), ids.size());
    EXPECT_EQ(s.entries.size(), ids.size());
    for (const auto& id : ids) {
        EXPECT_EQ(s.rows[id], 1) << id;
        EXPECT_EQ(s.entries[id], 1) << id;
    }
    // Every sheet counts its chain's last revision, on every receiver.
    for (const auto& entry : last) {
        // Not a structured binding: clang 14 cannot capture one in the lambda below.
        const auto& key = entry.first;
        const auto& id = entry.second;
        auto sheet = admin->sheets().sheet(key);
        ASSERT_TRUE(sheet) << key;
        EXPECT_EQ(sheet->state, SheetState::Accepted) << key;
        EXPECT_EQ(sheet->winner, id) << key;
        EXPECT_EQ(sheet->heads, std::vector<std::string>{*id}) << key;
        for (int port : ports) {
            auto seen = pollUntil(port, "/api/v1/sheets/" + key,
                                  [&](const json& j) { return j.value("winner", json()) == *id; });
            EXPECT_EQ(seen["state"], "accepted") << key << " at " << port;
            EXPECT_EQ(seen["winner"], *id) << key << " at " << port;
        }
    }
    auto report = admin->ledger().verify();
    EXPECT_TRUE(report.ok) << report.failure << " (entry " << report.failedEntry << ")";
    EXPECT_EQ(report.revisions, static_cast<std::int64_t>(ids.size()));
    EXPECT_EQ(cli({"verify"}).first, 0);
}

TEST_F(ScaleOut, TwoConflictingRevisionsPushedToTwoReceiversAtOnceEndAsOneConflict) {
    // Two operators per TPS, each with its own numbers for every sheet and no parent: whichever
    // is stored first is accepted, the other makes the conflict. 7 sheets, 14 pushes at once,
    // each sheet's two versions at two different receivers.
    auto devices = twoTabletsPerTps();
    std::vector<Shot> shots;
    int turn = 0;
    for (const auto& tps : kTps)
        for (const auto& contest : contestsOf(tps)) {
            auto& [one, two] = devices[tps];
            auto sheet = sheetFor(tps, contest);
            ++turn;
            shots.push_back({ports[turn % kReceivers], one, makeRevision(one.device, sheet), {}});
            shots.push_back({ports[(turn + 1) % kReceivers],
                             two,
                             makeRevision(two.device, otherNumbers(sheet)),
                             {}});
        }
    fireTogether(shots);

    for (std::size_t i = 0; i < shots.size(); i += 2) {
        const auto& a = shots[i];
        const auto& b = shots[i + 1];
        auto key = sheetKey(a.revision);
        ASSERT_EQ(a.answer.status, 200) << key << ": " << a.answer.body.dump();
        ASSERT_EQ(b.answer.status, 200) << key << ": " << b.answer.body.dump();
        std::multiset<std::string> statuses = {a.answer.result()["status"],
                                               b.answer.result()["status"]};
        EXPECT_EQ(statuses, (std::multiset<std::string>{"accepted", "conflict"}))
            << key << ":\n"
            << a.answer.body.dump() << "\n"
            << b.answer.body.dump();
        expectConflictEverywhere(key, {a.revision.id, b.revision.id});
    }
    auto conflicts = admin->sheets().conflicts();
    EXPECT_EQ(conflicts.size(), shots.size() / 2);
    // Every receiver counts each TPS once, as in conflict.
    for (int port : ports) {
        auto all = pollUntil(port, "/api/v1/tally?contest=ppwp&area=9901",
                             [](const json& j) { return j["tps"]["conflict"] == 3; });
        EXPECT_EQ(all["tps"]["conflict"], 3) << "at " << port << ": " << all["tps"].dump();
    }
    auto report = admin->ledger().verify();
    EXPECT_TRUE(report.ok) << report.failure << " (entry " << report.failedEntry << ")";
    EXPECT_EQ(cli({"verify"}).first, 0);
}

TEST_F(ScaleOut, TheAuthorsCorrectionAndASecondTabletAtOnceKeepTheAuthorshipRules) {
    // Every sheet first accepted from tablet A. Then, at the same moment at two receivers, A
    // corrects it (parent: its own head, a fast-forward) and tablet B of the same TPS sends
    // other numbers on top of A's first version (another device's head, or by then a stale
    // parent: a line of its own either way). In whichever order the two are stored, the sheet
    // ends with both as heads, in conflict, and A's correction counts (the oldest line's head):
    // B can never replace A's numbers, and A's correction is never lost.
    auto devices = twoTabletsPerTps();
    std::vector<Shot> shots;
    int turn = 0;
    for (const auto& tps : kTps)
        for (const auto& contest : contestsOf(tps)) {
            auto& [one, two] = devices[tps];
            auto sheet = sheetFor(tps, contest);
            auto first = makeRevision(one.device, sheet);
            ++turn;
            auto answer = push(ports[turn % kReceivers], one, first);
            ASSERT_EQ(answer.status, 200) << answer.body.dump();
            ASSERT_EQ(answer.result()["status"], "accepted") << answer.body.dump();
            auto correction = makeRevision(one.device, otherNumbers(sheet), first.id, "salah baca");
            // B's numbers differ from both of A's: one more vote moved.
            auto other = makeRevision(two.device, otherNumbers(otherNumbers(sheet)), first.id);
            shots.push_back({ports[(turn + 1) % kReceivers], one, correction, {}});
            shots.push_back({ports[(turn + 2) % kReceivers], two, other, {}});
        }
    fireTogether(shots);

    for (std::size_t i = 0; i < shots.size(); i += 2) {
        const auto& correction = shots[i];
        const auto& other = shots[i + 1];
        auto key = sheetKey(correction.revision);
        ASSERT_EQ(correction.answer.status, 200) << key << ": " << correction.answer.body.dump();
        ASSERT_EQ(other.answer.status, 200) << key << ": " << other.answer.body.dump();
        // Both stored and both heads: which of them is answered `conflict` depends on the order.
        const std::set<std::string> stored = {"accepted", "conflict"};
        EXPECT_TRUE(stored.count(correction.answer.result()["status"]))
            << key << ": " << correction.answer.body.dump();
        EXPECT_TRUE(stored.count(other.answer.result()["status"]))
            << key << ": " << other.answer.body.dump();
        // A's first version replaced by its correction, which counts (the author's line); B's
        // version on a line of its own.
        expectConflictEverywhere(key, {correction.revision.id, other.revision.id},
                                 correction.revision.id);
    }
    EXPECT_EQ(admin->sheets().conflicts().size(), shots.size() / 2);
    auto report = admin->ledger().verify();
    EXPECT_TRUE(report.ok) << report.failure << " (entry " << report.failedEntry << ")";
    EXPECT_EQ(cli({"verify"}).first, 0);
}

TEST_F(ScaleOut, TheTallyOnEveryReceiverEqualsARecount) {
    // A mixed morning at three receivers at once: first versions, their retries at another
    // receiver, second tablets' different numbers (conflicts), and a sheet the rules reject.
    auto devices = twoTabletsPerTps();
    auto rejecting = enrol(kRejectingTps, "Tablet " + kRejectingTps);
    std::vector<Shot> first, second;
    int turn = 0;
    for (const auto& tps : kTps)
        for (const auto& contest : contestsOf(tps)) {
            auto& [one, two] = devices[tps];
            auto sheet = sheetFor(tps, contest);
            auto mine = makeRevision(one.device, sheet);
            ++turn;
            first.push_back({ports[turn % kReceivers], one, mine, {}});
            first.push_back({ports[(turn + 1) % kReceivers], one, mine, {}}); // a retry elsewhere
            if (contest == "ppwp") // every TPS's ppwp sheet in conflict; the others not
                first.push_back({ports[(turn + 2) % kReceivers],
                                 two,
                                 makeRevision(two.device, otherNumbers(sheet)),
                                 {}});
            else // a correction by the same tablet, just after
                second.push_back({ports[(turn + 2) % kReceivers],
                                  one,
                                  makeRevision(one.device, otherNumbers(sheet), mine.id),
                                  {}});
        }
    first.push_back(
        {ports[0], rejecting, makeRevision(rejecting.device, sheetFor(kRejectingTps, "ppwp")), {}});
    fireTogether(first);
    fireTogether(second);
    for (const auto& shot : first)
        ASSERT_EQ(shot.answer.status, 200) << shot.answer.body.dump();
    for (const auto& shot : second) {
        ASSERT_EQ(shot.answer.status, 200) << shot.answer.body.dump();
        EXPECT_EQ(shot.answer.result()["status"], "accepted") << shot.answer.body.dump();
    }
    EXPECT_EQ(first.back().answer.result()["status"], "rejected")
        << first.back().answer.body.dump();

    // A fresh process recounts from the database alone; every receiver's live tally, at every
    // level and for every contest, must come to the same report.
    const std::vector<std::string> areas = {"9901",       "990101",     "990102", "9901011001",
                                            "9901011002", "9901021001", kTps[0],  kTps[1],
                                            kTps[2],      kRejectingTps};
    int compared = 0;
    for (const std::string contest : {"ppwp", "pdpr", "pdpd"})
        for (const auto& area : areas) {
            auto [code, out] = cli({"tally", "--contest", contest, "--area", area, "--json"});
            if (code != 0) // an area that does not hold this contest: every receiver says so too
                continue;
            auto recount = comparable(json::parse(out));
            if (area == "9901" && std::string(contest) == "ppwp") {
                // The workload is what we meant it to be: something of each kind to count.
                EXPECT_EQ(recount["tps"]["conflict"], 3) << recount["tps"].dump();
                EXPECT_EQ(recount["tps"]["rejected"], 1) << recount["tps"].dump();
            }
            for (int port : ports) {
                auto path = "/api/v1/tally?contest=" + std::string(contest) + "&area=" + area;
                auto live =
                    pollUntil(port, path, [&](const json& j) { return comparable(j) == recount; });
                EXPECT_EQ(comparable(live), recount)
                    << contest << " " << area << " at " << port
                    << ", what differs (recount -> live): "
                    << json::diff(recount, comparable(live)).dump();
                ++compared;
            }
        }
    EXPECT_GE(compared, 3 * 12);
    auto report = admin->ledger().verify();
    EXPECT_TRUE(report.ok) << report.failure << " (entry " << report.failedEntry << ")";
}

TEST_F(ScaleOut, APullWhileAnotherReceiverCommitsMissesNoChange) {
    // A device's pull answers the changes after its position and the position to ask from next
    // time. Read in two statements, another receiver's commit between them was counted in the
    // position but never sent: the device would not hear of a conflict or a decision on its
    // sheet. The pulls are made in this process, back to back, to give the commits as many
    // chances as possible to fall between two statements; the receiver code is the same.
    central::CentralStore reader(db, location->options());
    auto writer = admin->registry().authenticate(enrol(kTps[0], "Penulis").token);
    auto puller = reader.registry().authenticate(enrol(kTps[0], "Pembaca").token);
    constexpr int kCorrections = 300;
    std::atomic<bool> written{false};
    std::thread corrections([&] {
        auto sheet = sheetFor(kTps[0], "ppwp");
        auto last = makeRevision(writer.id, sheet);
        EXPECT_EQ(
            admin->intake().ingest(writer, json::array({encodeRevision(last)})).results[0].status,
            protocol::PushStatus::Accepted);
        for (int i = 1; i < kCorrections; ++i) {
            last = makeRevision(writer.id, i % 2 ? otherNumbers(sheet) : sheet, last.id);
            auto status =
                admin->intake().ingest(writer, json::array({encodeRevision(last)})).results[0];
            EXPECT_EQ(status.status, protocol::PushStatus::Accepted) << "correction " << i;
        }
        written = true;
    });
    std::set<std::int64_t> seen;
    std::int64_t since = 0;
    int pulls = 0;
    for (bool last = false; !last;) {
        last = written; // one more pull after the writer is done
        for (bool more = true; more; ++pulls) {
            auto page = reader.intake().pull(puller, since, 1000);
            for (const auto& c : page.changes)
                seen.insert(c.seq);
            since = page.next;
            more = page.more;
        }
    }
    corrections.join();
    // Everything in the device's area, read again from the start.
    std::set<std::int64_t> all;
    for (std::int64_t from = 0;;) {
        auto page = reader.intake().pull(puller, from, 1000);
        for (const auto& c : page.changes)
            all.insert(c.seq);
        from = page.next;
        if (!page.more)
            break;
    }
    ASSERT_GE(all.size(), static_cast<std::size_t>(kCorrections));
    std::vector<std::int64_t> missed;
    std::set_difference(all.begin(), all.end(), seen.begin(), seen.end(),
                        std::back_inserter(missed));
    EXPECT_TRUE(missed.empty()) << missed.size() << " of " << all.size()
                                << " changes never pulled, in " << pulls << " pulls";
}

// The receivers' promise (docs/scale-out.md): a dashboard read looks at the ledger when its last
// look is 50 ms old, and a look begun before a commit is older than the commit. So the other
// receiver's first read begun 50 ms after the push was answered counts the change, however
// loaded the machine: that is asserted, not a stopwatch (its follower thread, looking every
// 200 ms, is not what makes this read right).
TEST_F(ScaleOut, AChangeAcceptedByOneReceiverShowsInAnothersFirstRead50msLater) {
    // Each change pushed to one receiver; the next receiver's tally read once 50 ms after the
    // answer must count it as the receiver that took it does: a first sheet of a TPS (one more
    // reported) or a correction (paslon 1's votes move).
    auto tablet = enrol(kTps[0], "Tablet");
    auto other = enrol(kTps[2], "Tablet lain");
    std::optional<std::string> parent;
    int corrections = 0;
    for (int i = 0; i < 6; ++i) {
        int from = ports[i % kReceivers], to = ports[(i + 1) % kReceivers];
        auto before = tally(to, "ppwp", "9901");
        bool elsewhere = i == 2;
        auto r = elsewhere
                     ? makeRevision(other.device, sheetFor(kTps[2], "ppwp"))
                     : makeRevision(tablet.device,
                                    corrections++ % 2 ? otherNumbers(sheetFor(kTps[0], "ppwp"))
                                                      : sheetFor(kTps[0], "ppwp"),
                                    parent);
        if (!elsewhere)
            parent = r.id;
        auto answer = push(from, elsewhere ? other : tablet, r);
        auto acceptedAt = std::chrono::steady_clock::now();
        ASSERT_EQ(answer.status, 200) << answer.body.dump();
        ASSERT_EQ(answer.result()["status"], "accepted") << answer.body.dump();
        auto expected = tally(from, "ppwp", "9901");
        auto counts = [&](const json& j) {
            return j["tps"] == expected["tps"] && j["candidates"] == expected["candidates"];
        };
        ASSERT_FALSE(counts(before)) << "the change must change what the tally shows";
        std::this_thread::sleep_until(acceptedAt + 50ms);
        auto first = tally(to, "ppwp", "9901");
        EXPECT_TRUE(counts(first))
            << "receiver " << to << "'s first read 50 ms after the push to " << from << ": "
            << first["tps"].dump() << " " << first["candidates"].dump();
        if (!counts(first)) { // late or never: which one, for whoever reads the failure
            auto seen = pollUntil(to, "/api/v1/tally?contest=ppwp&area=9901", counts, 30s);
            ADD_FAILURE() << "receiver " << to << (counts(seen) ? " showed it later" : " never");
        }
    }

    // A revocation made by another process (the command line; then the in-process receiver)
    // stops the device's next push at every receiver, though every one of them knows its token.
    auto third = enrol(kTps[1], "Tablet ketiga");
    const std::vector<std::string> contests = contestsOf(kTps[1]);
    for (int k = 0; k < kReceivers; ++k) {
        auto seen =
            push(ports[k], third, makeRevision(third.device, sheetFor(kTps[1], contests[k])));
        ASSERT_EQ(seen.status, 200) << seen.body.dump();
        ASSERT_EQ(seen.result()["status"], "accepted") << seen.body.dump();
    }
    auto revoked = [&](const protocol::EnrolResponse& who, const std::string& tps,
                       const std::string& how) {
        auto key = tps + "/ppwp";
        auto heads = admin->sheets().sheet(key)->heads;
        auto stored = admin->sheets().revisionsOf(key).size();
        // Every write looks at the ledger first: the very next push, at every receiver.
        for (int port : ports) {
            auto next = push(
                port, who, makeRevision(who.device, otherNumbers(sheetFor(tps, "ppwp")), heads[0]));
            EXPECT_EQ(next.status, 403) << how << ", at " << port << ": " << next.body.dump();
            EXPECT_EQ(protocol::decodeError(next.body.dump()).code, protocol::error::kDeviceRevoked)
                << how << ", at " << port << ": " << next.body.dump();
        }
        EXPECT_EQ(admin->sheets().revisionsOf(key).size(), stored)
            << how << ": nothing of it is stored";
    };
    ASSERT_EQ(cli({"revoke", tablet.device}).first, 0);
    revoked(tablet, kTps[0], "rekap-central revoke");
    admin->registry().revokeDevice(third.device);
    revoked(third, kTps[1], "revoked by another receiver");
    auto report = admin->ledger().verify();
    EXPECT_TRUE(report.ok) << report.failure << " (entry " << report.failedEntry << ")";
}

// The ledger check a receiver makes when it starts, on a database that is briefly out of reach
// (the fault run saw a receiver restarted during PostgreSQL's restart abort, and a check cut
// by the restart would have been recorded as a failed check: the ledger held, the alarm red on
// the dashboard, for nothing). Out of reach is no finding about the ledger: the receiver serves,
// reports the check as not run, and runs it once the database lets it.

namespace {

/// The database's name in a PostgreSQL URL.
std::string databaseName(const std::string& url) {
    return url.substr(url.rfind('/') + 1);
}

} // namespace

TEST(ScaleOutStartup, AReceiverWithNoConnectionLeftForItsCheckServesAndChecksWhenItCan) {
    if (postgresAdminUrl().empty())
        REKAP_WITHOUT_POSTGRES();
    TempDir dir;
    StoreLocation location(StoreKind::PostgreSQL, dir);
    ASSERT_FALSE(location.unavailable());
    const auto& db = location.location();
    auto with = [&](std::vector<std::string> args) {
        return receiverArgs(location, dir.file("photos"), std::move(args));
    };
    ASSERT_EQ(
        runProgram(REKAP_CENTRAL_BIN, with({"init", "--regency", writeTinyRegency(dir)})).first, 0);
    auto desk = runProgram(REKAP_CENTRAL_BIN, with({"desk-token", "--name", "Desk Uji"})).second;
    desk = desk.substr(0, desk.find('\n'));
    protocol::EnrolResponse tablet;
    {
        central::CentralStore store(db, location.options());
        auto code = store.registry().mintCodes(protocol::Role::Operator, AreaCode::parse(kTps[0]),
                                               1, 24h, "t");
        tablet = enrolSigned(store, code[0], "Tablet");
    }
    // Four connections to this database: the receiver's own, its side connection (the intake),
    // its LISTEN connection and its desk sessions'. The check's own connection (a fifth) is
    // refused, as while PostgreSQL restarts.
    auto admin = central::db::open(postgresAdminUrl());
    admin->exec("ALTER DATABASE " + databaseName(db) + " CONNECTION LIMIT 4");
    ChildProcess receiver(REKAP_CENTRAL_BIN, with({"serve", "--port", "0"}));
    auto line = receiver.readLine(20s);
    ASSERT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0)
        << line.value_or("no output");
    httplib::Client http("127.0.0.1", std::stoi(line->substr(line->rfind(':') + 1)));
    http.set_read_timeout(30s);
    auto seal = [&] {
        auto res = http.Get("/api/v1/ledger/head", {{"Authorization", "Bearer " + desk}});
        return res && res->status == 200 ? json::parse(res->body)["seal"]["verification"]
                                         : json{{"state", "no answer"}};
    };
    std::this_thread::sleep_for(1500ms); // the check has tried, and waits to try again
    EXPECT_EQ(seal()["state"], "not_run") << "still serving, and no failed check";
    // Nothing held: a sheet is accepted meanwhile.
    json body = {
        {"revisions", {encodeRevision(makeRevision(tablet.device, sheetFor(kTps[0], "ppwp")))}}};
    auto pushed = http.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + tablet.token}},
                            body.dump(), "application/json");
    ASSERT_TRUE(pushed);
    EXPECT_EQ(pushed->status, 200) << pushed->body;

    admin->exec("ALTER DATABASE " + databaseName(db) + " CONNECTION LIMIT -1");
    auto until = std::chrono::steady_clock::now() + 40s;
    json state = seal();
    while (state["state"] == "not_run" && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(200ms);
        state = seal();
    }
    EXPECT_EQ(state["state"], "ok") << state.dump();
}

TEST(ScaleOutStartup, ReceiversStartedTogetherOnANewPhotoFolderAllServe) {
    // systemd or a container orchestrator starts every receiver at once, the first time on an
    // empty shared photo folder: each opens its photos.db and applies its schema step. The
    // benchmark saw the loser of that race exit with "table uploads already exists".
    if (postgresAdminUrl().empty())
        REKAP_WITHOUT_POSTGRES();
    TempDir dir;
    StoreLocation location(StoreKind::PostgreSQL, dir);
    ASSERT_FALSE(location.unavailable());
    auto with = [&](const std::string& photos, std::vector<std::string> args) {
        return receiverArgs(location, photos, std::move(args));
    };
    ASSERT_EQ(runProgram(REKAP_CENTRAL_BIN,
                         with(dir.file("photos"), {"init", "--regency", writeTinyRegency(dir)}))
                  .first,
              0);
    constexpr int kRounds = 5;
    constexpr int kTogether = 4;
    for (int round = 0; round < kRounds; ++round) {
        const auto photos = dir.file("photos-" + std::to_string(round));
        std::vector<std::unique_ptr<ChildProcess>> started;
        for (int i = 0; i < kTogether; ++i)
            started.push_back(std::make_unique<ChildProcess>(
                REKAP_CENTRAL_BIN, with(photos, {"serve", "--port", "0", "--no-access-log"})));
        for (int i = 0; i < kTogether; ++i) {
            auto line = started[i]->readLine(20s);
            EXPECT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0)
                << "round " << round << ", receiver " << i << ": "
                << line.value_or("exited without listening (its error is above)");
        }
        for (auto& r : started)
            r->kill9();
        if (::testing::Test::HasFailure())
            break;
    }
}

TEST(ScaleOutStartup, ADatabaseLostDuringTheCheckIsNoFailedCheck) {
    if (postgresAdminUrl().empty())
        REKAP_WITHOUT_POSTGRES();
    TempDir dir;
    StoreLocation location(StoreKind::PostgreSQL, dir);
    ASSERT_FALSE(location.unavailable());
    const auto& db = location.location();
    central::CentralStore store(db, location.options());
    store.masterData().loadRegency(writeTinyRegency(dir));
    auto code = store.registry().mintCodes(protocol::Role::Operator, AreaCode::parse(kTps[0]), 1,
                                           24h, "t")[0];
    auto tablet = store.registry().authenticate(enrolSigned(store, code, "Tablet").token);
    auto push = [&](const Revision& r) {
        return store.intake().ingest(tablet, json::array({encodeRevision(r)})).results[0].status;
    };
    auto first = makeRevision(tablet.id, sheetFor(kTps[0], "ppwp"));
    ASSERT_EQ(push(first), protocol::PushStatus::Accepted);
    ASSERT_TRUE(store.ledger().verify().ok);

    // The check's read of the ledger waits behind a lock; then its connection is ended, as a
    // restart or a failover ends it.
    auto locker = central::db::open(db);
    locker->exec("BEGIN");
    locker->exec("LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE");
    std::atomic<bool> ran{false};
    std::jthread verifier([&](std::stop_token stop) {
        ran = central::verifyAtStartup(store, std::move(stop), 100ms);
    });
    auto admin = central::db::open(postgresAdminUrl());
    auto waiting = [&]() -> std::int64_t {
        auto st =
            admin->prepare("SELECT pid FROM pg_stat_activity WHERE datname = ? AND "
                           "wait_event_type = 'Lock' AND query LIKE '%FROM ledger ORDER BY%'");
        st.bindAll(databaseName(db));
        return st.step() ? st.int64(0) : 0;
    };
    std::int64_t pid = 0;
    for (int i = 0; i < 200 && !pid; ++i) {
        std::this_thread::sleep_for(50ms);
        pid = waiting();
    }
    ASSERT_NE(pid, 0) << "the check never read the ledger";
    auto kill = admin->prepare("SELECT pg_terminate_backend(?)");
    kill.bindAll(pid);
    ASSERT_TRUE(kill.step());
    std::this_thread::sleep_for(300ms);
    EXPECT_FALSE(store.ledger().startupVerification())
        << "no result yet: the check waits to run again";
    locker->exec("ROLLBACK");
    verifier.join();
    EXPECT_TRUE(ran);
    auto v = store.ledger().startupVerification();
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->ok) << v->failure;
    // Nothing held: the tablet's correction is accepted.
    EXPECT_EQ(push(makeRevision(tablet.id, otherNumbers(sheetFor(kTps[0], "ppwp")), first.id)),
              protocol::PushStatus::Accepted);
}

TEST(ScaleOutDatabase, ALostDatabaseIsA503ThatNamesNeitherItsAddressNorTheStatement) {
    // The receiver's connections ended (a restart, a failover) and no new one allowed: the push
    // is answered 503, which the tablet retries, in words for the tablet. The database's
    // address, name and the statement that failed stay in the receiver's log.
    if (postgresAdminUrl().empty())
        REKAP_WITHOUT_POSTGRES();
    TempDir dir;
    StoreLocation location(StoreKind::PostgreSQL, dir);
    ASSERT_FALSE(location.unavailable());
    const auto& db = location.location();
    std::vector<std::string> args{"--db",          db,
                                  "--photos",      dir.file("photos"),
                                  "--signing-key", location.options().signingKeyFile.string()};
    protocol::EnrolResponse tablet;
    {
        central::CentralStore store(db, location.options());
        store.masterData().loadRegency(writeTinyRegency(dir));
        auto code = store.registry().mintCodes(protocol::Role::Operator, AreaCode::parse(kTps[0]),
                                               1, 24h, "t")[0];
        tablet = enrolSigned(store, code, "Tablet");
    }
    args.insert(args.end(), {"serve", "--port", "0"});
    ChildProcess receiver(REKAP_CENTRAL_BIN, args);
    auto line = receiver.readLine(20s);
    ASSERT_TRUE(line && line->find("listening on http://127.0.0.1:") == 0)
        << line.value_or("no output");
    httplib::Client http("127.0.0.1", std::stoi(line->substr(line->rfind(':') + 1)));
    http.set_read_timeout(30s);
    auto push = [&](const Revision& r) {
        json body = {{"revisions", {encodeRevision(r)}}};
        return http.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + tablet.token}},
                         body.dump(), "application/json");
    };
    auto first = makeRevision(tablet.device, sheetFor(kTps[0], "ppwp"));
    auto answer = push(first);
    ASSERT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "no answer");

    auto admin = central::db::open(postgresAdminUrl());
    auto name = databaseName(db);
    admin->exec("ALTER DATABASE " + name + " CONNECTION LIMIT 0");
    auto end = admin->prepare("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = ?");
    end.bindAll(name);
    ASSERT_TRUE(end.step());
    auto correction =
        makeRevision(tablet.device, otherNumbers(sheetFor(kTps[0], "ppwp")), first.id);
    answer = push(correction);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 503) << answer->body;
    auto error = protocol::decodeError(answer->body);
    EXPECT_EQ(error.code, protocol::error::kStorage) << answer->body;
    EXPECT_NE(error.message.find("try again"), std::string::npos) << answer->body;
    auto port = postgresAdminUrl().substr(postgresAdminUrl().rfind(':') + 1);
    port = port.substr(0, port.find('/'));
    for (const std::string& secret :
         std::vector<std::string>{name, "postgresql", port, "SELECT", "INSERT", "FATAL"})
        EXPECT_EQ(answer->body.find(secret), std::string::npos)
            << "the answer names " << secret << ": " << answer->body;

    // The database back: the tablet's retry is stored, once.
    admin->exec("ALTER DATABASE " + name + " CONNECTION LIMIT -1");
    answer = push(correction);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200) << answer->body;
    EXPECT_EQ(json::parse(answer->body)["results"][0]["status"], "accepted") << answer->body;
}
