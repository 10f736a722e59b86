// Desk accounts and roles against a real receiver on 127.0.0.1 (docs/desk-accounts.md): every
// route of the authorisation matrix asked by every role, as a table written here independently
// of desk_access.cpp (a route of the matrix without its row here fails); password logins and
// sessions per account; a disabled account's session ends at once; each desk action named in
// the ledger by its account; and the blind reading enforced by person: a reader gets no first
// entry's numbers anywhere, submits only on its own live claim and from a photo the receiver
// holds.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "api/desk_access.h"
#include "child_process.h"
#include "desk/desk_sessions.h"
#include "desk/password_hash.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/api_error.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/sha256.h"
#include "rekap/sheet_form.h"
#include "revisions.h"
#include "temp_dir.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using central::DeskRole;
using nlohmann::json;

namespace {

const std::string kTps = "9901011001001";
const std::string kKey = kTps + "/ppwp";

class DeskRoles : public ::testing::Test {
protected:
    void SetUp() override {
        client = std::make_unique<httplib::Client>("127.0.0.1", live.port());
        for (auto [name, role] :
             {std::pair{"Admin", DeskRole::Administrator},
              std::pair{"Koordinator", DeskRole::Coordinator}, std::pair{"Rina", DeskRole::Reader},
              std::pair{"Dewi", DeskRole::Reader}, std::pair{"Pengamat", DeskRole::Observer}}) {
            central::desk_accounts::add(
                live.store(), name, role,
                central::hashPassword(std::string(name) + "-sandi-rahasia"));
            tokens[name] = live.store().deskTokens().createDeskToken(name);
        }
        camat = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990101"));
        op = enrolSigned(live.store(), live.mint(protocol::Role::Operator, kTps));
        tokens["op"] = op.token;
        tokens["camat"] = camat.token;
        tokens["-"] = "";
    }
    httplib::Headers auth(const std::string& who) {
        if (tokens[who].empty())
            return {};
        return {{"Authorization", "Bearer " + tokens[who]}};
    }
    httplib::Result post(const std::string& path, const std::string& who, const json& body) {
        return client->Post(path.c_str(), auth(who), body.dump(), "application/json");
    }
    httplib::Result get(const std::string& path, const std::string& who) {
        return client->Get(path.c_str(), auth(who));
    }
    /// The operator's sheet, pushed by its tablet; with its photo uploaded when `photo`.
    Revision pushSheet(bool photo, const std::string& operatorName = "Siti") {
        std::string bytes(1000, 'p');
        auto sha = sha256Hex(bytes);
        if (photo) {
            auto up = client->Patch(("/api/v1/photos/" + sha).c_str(),
                                    {{"Authorization", "Bearer " + op.token},
                                     {"Upload-Offset", "0"},
                                     {"Upload-Length", "1000"}},
                                    bytes, "application/octet-stream");
            EXPECT_EQ(up->status, 200) << up->body;
        }
        auto r = makeRevision(op.device, validPpwpSheet());
        r.operatorName = operatorName;
        r.photo = sha;
        sign(r);
        auto res = post("/api/v1/sync/push", "op", {{"revisions", {encodeRevision(r)}}});
        EXPECT_EQ(res->status, 200) << res->body;
        photoSha = sha;
        return r;
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
    std::map<std::string, std::string> tokens;
    protocol::EnrolResponse camat, op;
    std::string photoSha;
};

/// Each route of the matrix, how it is asked, and who gets past the authorisation: A(dmin)
/// C(oordinator) R(eader) O(bserver) o(perator device) c(amat device) -(nobody logged in); a
/// '.' is refused (401 or 403). Written from docs/desk-accounts.md, not from the code.
struct Row {
    const char* method;
    const char* route; ///< as the matrix names it
    std::string path;  ///< a request that reaches it ({sha}, {entry}: filled in)
    std::string who;   ///< "ACROoc-"
};

std::vector<Row> matrix() {
    return {
        {"GET", "/api/v1/health", "/api/v1/health", "ACROoc-"},
        {"GET", "/healthz", "/healthz", "ACROoc-"},
        {"GET", "/", "/", "ACROoc-"},
        {"GET", "/assets/*", "/assets/app.js", "ACROoc-"},
        {"GET", "/vendor/chart.js/*", "/vendor/chart.js/chart.umd.js", "ACROoc-"},
        // Anyone may ask; only a desk account's credentials (here its token) open a session.
        {"POST", "/desk/login", "/desk/login", "ACRO..."},
        {"POST", "/desk/logout", "/desk/logout", "ACROoc-"},
        {"POST", "/api/v1/enrol", "/api/v1/enrol", "ACROoc-"},
        {"GET", "/api/v1/ledger/head", "/api/v1/ledger/head", "ACROoc-"},
        {"GET", "/api/v1/ledger/proof", "/api/v1/ledger/proof?from=1&to=2", "ACROoc-"},
        // Served to the receiver's own host, which every request of this test comes from.
        {"GET", "/metrics", "/metrics", "ACROoc-"},
        {"GET", "/api/v1/master-data", "/api/v1/master-data", "....oc."},
        {"POST", "/api/v1/sync/push", "/api/v1/sync/push", "....oc."},
        {"POST", "/api/v1/sync/photo-attachments", "/api/v1/sync/photo-attachments", "....oc."},
        {"POST", "/api/v1/sync/relay", "/api/v1/sync/relay", "....oc."},
        {"GET", "/api/v1/sync/pull", "/api/v1/sync/pull", "....oc."},
        {"POST", "/api/v1/sync/receipts", "/api/v1/sync/receipts", "....oc."},
        {"POST", "/api/v1/device/key", "/api/v1/device/key", "....oc."},
        {"GET", R"(/api/v1/photos/([0-9a-f]{64}))", "/api/v1/photos/{sha}", "....oc."},
        {"PATCH", R"(/api/v1/photos/([0-9a-f]{64}))", "/api/v1/photos/{sha}", "....o.."},
        {"GET", "/api/v1/me", "/api/v1/me", "ACROoc."},
        {"GET", "/api/v1/version", "/api/v1/version", "ACROoc."},
        {"GET", "/api/v1/tally", "/api/v1/tally?contest=ppwp&area=" + kTps, "AC.Ooc."},
        {"GET", "/api/v1/tally.csv", "/api/v1/tally.csv?contest=ppwp&area=" + kTps, "AC.Ooc."},
        {"GET", "/api/v1/status", "/api/v1/status?area=" + kTps, "AC.Ooc."},
        {"GET", R"(/api/v1/sheets/(\d{13})/([a-z0-9]+))", "/api/v1/sheets/" + kKey, ".C.Ooc."},
        {"GET", "/api/v1/conflicts", "/api/v1/conflicts?area=" + kTps, ".C.Ooc."},
        {"GET", "/api/v1/rejected", "/api/v1/rejected?area=" + kTps, ".C.Ooc."},
        {"GET", "/api/v1/crosscheck", "/api/v1/crosscheck", ".C.O..."},
        {"GET", "/api/v1/crosscheck.csv", "/api/v1/crosscheck.csv", ".C.O..."},
        // The operator's own revision: its tablet reads it, the camat's device does not.
        {"GET", R"(/api/v1/ledger/entries/(\d{1,15}))", "/api/v1/ledger/entries/{entry}",
         ".C.Oo.."},
        {"GET", R"(/api/v1/photos/([0-9a-f]{64})/content)", "/api/v1/photos/{sha}/content",
         ".CROoc."},
        {"POST", "/api/v1/conflicts/resolve", "/api/v1/conflicts/resolve", ".C....."},
        {"POST", "/api/v1/sheets/send-back", "/api/v1/sheets/send-back", ".C....."},
        {"GET", "/api/v1/send-backs", "/api/v1/send-backs?area=" + kTps, ".C.Ooc."},
        {"POST", "/api/v1/enrolment/codes", "/api/v1/enrolment/codes", "A......"},
        {"GET", "/api/v1/accounts", "/api/v1/accounts", "A......"},
        {"POST", "/api/v1/accounts/disable", "/api/v1/accounts/disable", "A......"},
        {"GET", "/api/v1/reading/queue", "/api/v1/reading/queue?area=" + kTps, ".CROoc."},
        {"POST", "/api/v1/reading/next", "/api/v1/reading/next", "..R..c."},
        {"POST", "/api/v1/reading/release", "/api/v1/reading/release", "..R..c."},
        {"POST", "/api/v1/reading/submit", "/api/v1/reading/submit", "..R...."},
    };
}

const char* const kWho[] = {"Admin", "Koordinator", "Rina", "Pengamat", "op", "camat", "-"};

} // namespace

TEST_F(DeskRoles, EveryRouteOfTheMatrixHasItsRowHereAndEveryRowItsRoute) {
    for (const auto& rule : central::access::rules()) {
        auto rows = matrix();
        auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) {
            return rule.method == r.method && rule.route == r.route;
        });
        EXPECT_NE(it, rows.end()) << "no row for " << rule.method << " " << rule.route
                                  << ": add it to matrix() with who may call it";
    }
    for (const auto& row : matrix())
        EXPECT_TRUE(central::access::ruleOf(row.method, row.route))
            << row.method << " " << row.route << " is in no line of desk_access.cpp";
}

TEST_F(DeskRoles, EveryRouteAskedByEveryRoleAsTheMatrixSays) {
    auto sheet = pushSheet(true);
    auto entry = std::to_string(live.store().ledger().ledgerSize() - 1);
    ASSERT_EQ(live.store().ledger().ledgerEntryDevice(std::stoll(entry)), op.device);
    for (const auto& row : matrix()) {
        auto path = row.path;
        if (auto at = path.find("{sha}"); at != std::string::npos)
            path.replace(at, 5, photoSha);
        if (auto at = path.find("{entry}"); at != std::string::npos)
            path.replace(at, 7, entry);
        for (std::size_t i = 0; i < std::size(kWho); ++i) {
            std::string who = kWho[i];
            std::string m = row.method;
            auto body = path == "/desk/login" ? json{{"token", tokens[who]}} : json::object();
            auto res = m == "GET" ? get(path, who)
                       : m == "POST"
                           ? post(path, who, body)
                           : client->Patch(path.c_str(), auth(who), "", "application/octet-stream");
            ASSERT_TRUE(res) << m << " " << path << " as " << who;
            bool refused = res->status == 401 || res->status == 403;
            bool mayCall = row.who[i] != '.';
            EXPECT_EQ(!refused, mayCall)
                << m << " " << path << " as " << who << ": " << res->status << " " << res->body;
        }
    }
}

TEST_F(DeskRoles, APasswordOpensASessionOfItsAccountAndDisablingEndsItAtOnce) {
    auto login = [&](const std::string& name, const std::string& password) {
        return client->Post("/desk/login", json{{"name", name}, {"password", password}}.dump(),
                            "application/json");
    };
    EXPECT_EQ(login("Rina", "salah-sandi-sekali")->status, 401);
    EXPECT_EQ(login("Tidak Ada", "Rina-sandi-rahasia")->status, 401);
    auto ok = login("Rina", "Rina-sandi-rahasia");
    ASSERT_EQ(ok->status, 200) << ok->body;
    EXPECT_EQ(json::parse(ok->body)["role"], "reader");
    auto cookie = ok->get_header_value("Set-Cookie");
    httplib::Headers session = {{"Cookie", cookie.substr(0, cookie.find(';'))}};
    auto me = client->Get("/api/v1/me", session);
    ASSERT_EQ(me->status, 200) << me->body;
    EXPECT_EQ(json::parse(me->body)["name"], "Rina");
    EXPECT_EQ(json::parse(me->body)["role"], "reader");
    auto may = json::parse(me->body)["may"];
    EXPECT_NE(std::find(may.begin(), may.end(), "POST /api/v1/reading/submit"), may.end());
    EXPECT_EQ(std::find(may.begin(), may.end(), "GET /api/v1/tally"), may.end());
    // A reader's session reads no tally.
    EXPECT_EQ(client->Get("/api/v1/tally", session)->status, 403);
    // A second session of the same account, then the account is disabled: both end at once,
    // its token too, and no new login opens.
    auto other = login("Rina", "Rina-sandi-rahasia");
    auto cookie2 = other->get_header_value("Set-Cookie");
    central::desk_accounts::disable(live.store(), "Rina");
    EXPECT_EQ(client->Get("/api/v1/me", session)->status, 401);
    EXPECT_EQ(client->Get("/api/v1/me", {{"Cookie", cookie2.substr(0, cookie2.find(';'))}})->status,
              401);
    EXPECT_EQ(get("/api/v1/me", "Rina")->status, 401);
    EXPECT_EQ(login("Rina", "Rina-sandi-rahasia")->status, 401);
    // A new password ends the sessions of the old one.
    auto dewi = login("Dewi", "Dewi-sandi-rahasia");
    auto c3 = dewi->get_header_value("Set-Cookie");
    central::desk_accounts::setPassword(live.store(), "Dewi",
                                        central::hashPassword("sandi-baru-dewi"));
    EXPECT_EQ(client->Get("/api/v1/me", {{"Cookie", c3.substr(0, c3.find(';'))}})->status, 401);
    EXPECT_EQ(login("Dewi", "Dewi-sandi-rahasia")->status, 401);
    EXPECT_EQ(login("Dewi", "sandi-baru-dewi")->status, 200);
}

TEST_F(DeskRoles, ALookAlikeNameIsNoAccountAndLoginsWaitForAHashingSlot) {
    // A Cyrillic "Ѕ" among Latin letters.
    EXPECT_THROW(central::desk_accounts::add(live.store(), "\xD0\x85iti", DeskRole::Reader, ""),
                 std::invalid_argument);
    EXPECT_THROW(live.store().deskTokens().createDeskToken("\xD0\x85iti"), std::invalid_argument);
    central::HashingSlots slots(1);
    ASSERT_TRUE(slots.take(std::chrono::milliseconds(0)));
    EXPECT_FALSE(slots.take(std::chrono::milliseconds(50)));
    slots.give();
    EXPECT_TRUE(slots.take(std::chrono::milliseconds(0)));
}

TEST_F(DeskRoles, EachDeskActionIsNamedInTheLedgerByItsAccount) {
    // Two tablets of one TPS disagree: the coordinator decides.
    auto other = enrolSigned(live.store(), live.mint(protocol::Role::Operator, kTps));
    auto a = pushSheet(true);
    auto b = makeRevision(other.device, moveOneVote(validPpwpSheet()));
    auto res = client->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + other.token}},
                            json{{"revisions", {encodeRevision(b)}}}.dump(), "application/json");
    ASSERT_EQ(res->status, 200) << res->body;
    auto decided =
        post("/api/v1/conflicts/resolve", "Koordinator",
             {{"sheet", kKey}, {"revision", a.id}, {"reason", "dicek dengan foto plano"}});
    ASSERT_EQ(decided->status, 200) << decided->body;
    auto entry = live.store().ledger().ledgerEntry(live.store().ledger().ledgerSize() - 1);
    EXPECT_NE(entry.find("\"operator\":\"Koordinator\""), std::string::npos) << entry;
}

TEST_F(DeskRoles, AReaderGetsNoFirstEntrysNumbersAnywhere) {
    auto sheet = pushSheet(true);
    auto entry = std::to_string(live.store().ledger().ledgerSize() - 1);
    // The reader may read this sheet: the queue hands it out, with its photo and no numbers.
    auto next = post("/api/v1/reading/next", "Rina", json::object());
    ASSERT_EQ(next->status, 200) << next->body;
    ASSERT_EQ(json::parse(next->body)["claim"]["sheet"], kKey) << next->body;
    EXPECT_EQ(next->body.find("\"votes\""), std::string::npos);
    EXPECT_EQ(get("/api/v1/photos/" + photoSha + "/content", "Rina")->status, 200);
    for (const std::string& path : std::vector<std::string>{
             "/api/v1/sheets/" + kKey, "/api/v1/ledger/entries/" + entry,
             "/api/v1/tally?contest=ppwp&area=" + kTps,
             "/api/v1/tally?contest=ppwp&area=9901011001", "/api/v1/tally?contest=ppwp",
             "/api/v1/tally.csv?contest=ppwp&area=9901011001", "/api/v1/conflicts",
             "/api/v1/rejected", "/api/v1/crosscheck?contest=ppwp",
             "/api/v1/crosscheck.csv?contest=ppwp", "/api/v1/status?area=" + kTps}) {
        auto res = get(path, "Rina");
        EXPECT_EQ(res->status, 403) << path << ": " << res->body;
        EXPECT_EQ(res->body.find("119"), std::string::npos) << path; // candidate 1's votes
    }
}

TEST_F(DeskRoles, ClerkTwoCannotSubmitTheSheetClerkOneHolds) {
    auto sheet = pushSheet(true);
    auto next = post("/api/v1/reading/next", "Rina", json::object());
    ASSERT_EQ(json::parse(next->body)["claim"]["sheet"], kKey) << next->body;
    auto stolen = post("/api/v1/reading/submit", "Dewi",
                       {{"sheet", kKey}, {"parent", sheet.id}, {"values", values(sheet.sheet)}});
    EXPECT_EQ(stolen->status, 409) << stolen->body;
    EXPECT_EQ(protocol::decodeError(stolen->body).code, "no_claim");
    EXPECT_FALSE(live.store().live().counted(kKey).verified);
    // Its holder submits it, once: the claim ends with the reading.
    auto own = post("/api/v1/reading/submit", "Rina",
                    {{"sheet", kKey}, {"parent", sheet.id}, {"values", values(sheet.sheet)}});
    ASSERT_EQ(own->status, 200) << own->body;
    EXPECT_EQ(json::parse(own->body)["outcome"], "verified");
    auto entry = live.store().ledger().ledgerEntry(live.store().ledger().ledgerSize() - 1);
    EXPECT_NE(entry.find("desk:Rina"), std::string::npos) << entry;
}

TEST_F(DeskRoles, AReadingWithoutAClaimOrWhoseSheetsPhotoIsNotHeldIsRefused) {
    // No photo ever arrived: nothing to claim, and a reading sent anyway is refused.
    auto sheet = pushSheet(false);
    auto none = post("/api/v1/reading/next", "Rina", json::object());
    EXPECT_TRUE(json::parse(none->body)["claim"].is_null()) << none->body;
    auto blind = post("/api/v1/reading/submit", "Rina",
                      {{"sheet", kKey}, {"parent", sheet.id}, {"values", values(sheet.sheet)}});
    EXPECT_EQ(blind->status, 409) << blind->body;
    EXPECT_FALSE(live.store().live().counted(kKey).verified);
}

TEST_F(DeskRoles, APhotoGoneAfterTheClaimStopsTheReading) {
    auto sheet = pushSheet(true);
    auto next = post("/api/v1/reading/next", "Rina", json::object());
    ASSERT_EQ(json::parse(next->body)["claim"]["sheet"], kKey) << next->body;
    // The photo the claim was made on is no longer held (lost from the photo folder).
    std::filesystem::remove(live.dir().path() / "photos" / (photoSha + ".jpg"));
    auto res = post("/api/v1/reading/submit", "Rina",
                    {{"sheet", kKey}, {"parent", sheet.id}, {"values", values(sheet.sheet)}});
    EXPECT_EQ(res->status, 409) << res->body;
    EXPECT_EQ(protocol::decodeError(res->body).code, "no_photo");
    EXPECT_FALSE(live.store().live().counted(kKey).verified);
}

TEST_F(DeskRoles, AReaderIsNeverHandedNorAllowedASheetTheyTyped) {
    // Typed on the tablet by "RINA " (another case, a space): the same person as the account.
    pushSheet(true, "RINA ");
    auto next = post("/api/v1/reading/next", "Rina", json::object());
    EXPECT_TRUE(json::parse(next->body)["claim"].is_null()) << next->body;
    // Dewi holds the sheet; meanwhile its tablet sends a correction typed by "Dewi": her reading
    // of it, on her live claim, is still refused.
    auto next2 = post("/api/v1/reading/next", "Dewi", json::object());
    ASSERT_EQ(json::parse(next2->body)["claim"]["sheet"], kKey) << next2->body;
    auto first = live.store().sheets().revisionsOf(kKey).back().revision;
    auto fix = makeRevision(op.device, first.sheet, first.id, "salah ketik");
    fix.operatorName = "dewi";
    fix.photo = photoSha;
    sign(fix);
    ASSERT_EQ(post("/api/v1/sync/push", "op", {{"revisions", {encodeRevision(fix)}}})->status, 200);
    auto res = post("/api/v1/reading/submit", "Dewi",
                    {{"sheet", kKey}, {"parent", fix.id}, {"values", values(fix.sheet)}});
    EXPECT_EQ(res->status, 409) << res->body;
    EXPECT_NE(res->body.find("someone other than who wrote"), std::string::npos) << res->body;
    EXPECT_FALSE(live.store().live().counted(kKey).verified);
}

TEST_F(DeskRoles, ACamatsReadingUnderALookAlikeOrTheSameNameIsRefused) {
    auto sheet = pushSheet(true, "Aci");
    auto camatDevice = live.store().registry().authenticate(camat.token);
    auto next = post("/api/v1/reading/next", "camat", {{"operator", "Pak Camat"}});
    ASSERT_EQ(json::parse(next->body)["claim"]["sheet"], kKey) << next->body;
    // "Aci" with a Cyrillic "А" (mixing scripts), wholly in Cyrillic look-alikes (one script,
    // the same skeleton), and in full-width capitals: none is another person.
    for (const std::string name :
         {"\xD0\x90"
          "ci",
          "\xD0\x90\xD1\x81\xD1\x96", "\xEF\xBC\xA1\xEF\xBC\xA3\xEF\xBC\xA9"}) {
        auto reading = makeRevision(camatDevice.id, sheet.sheet, sheet.id, "bacaan kedua");
        reading.operatorName = name;
        reading.photo = photoSha;
        sign(reading);
        auto pushed =
            post("/api/v1/sync/push", "camat", {{"revisions", {encodeRevision(reading)}}});
        ASSERT_EQ(pushed->status, 200) << pushed->body;
        EXPECT_NE(json::parse(pushed->body)["results"][0]["state"], "accepted") << pushed->body;
        EXPECT_FALSE(live.store().live().counted(kKey).verified) << name;
    }
    // Typed under a name of its own, the reading verifies.
    auto reading = makeRevision(camatDevice.id, sheet.sheet, sheet.id, "bacaan kedua");
    reading.operatorName = "Pak Camat";
    reading.photo = photoSha;
    sign(reading);
    auto pushed = post("/api/v1/sync/push", "camat", {{"revisions", {encodeRevision(reading)}}});
    EXPECT_EQ(json::parse(pushed->body)["results"][0]["state"], "accepted") << pushed->body;
    EXPECT_TRUE(live.store().live().counted(kKey).verified);
}

TEST_F(DeskRoles, AReadingThatDiffersNamesTheBoxesNotTheFirstEntrysValues) {
    auto sheet = pushSheet(true);
    ASSERT_EQ(
        json::parse(post("/api/v1/reading/next", "Rina", json::object())->body)["claim"]["sheet"],
        kKey);
    auto misread = moveOneVote(sheet.sheet);
    auto res = post("/api/v1/reading/submit", "Rina",
                    {{"sheet", kKey}, {"parent", sheet.id}, {"values", values(misread)}});
    ASSERT_EQ(res->status, 200) << res->body;
    auto answer = json::parse(res->body);
    EXPECT_EQ(answer["outcome"], "differs");
    ASSERT_EQ(answer["differences"].size(), 2u) << res->body;
    for (const auto& d : answer["differences"]) {
        EXPECT_FALSE(d.contains("first")) << d.dump();
        EXPECT_TRUE(d.contains("second")) << d.dump();
    }
}

// rekap-central user add|passwd|disable|list, the passwords on standard input (never argv).
TEST(DeskAccountsCli, AccountsAreMadeChangedDisabledAndListedWithPasswordsFromStdin) {
    TempDir dir;
    auto db = dir.file("central.db");
    auto cli = [&](const std::string& args, const std::string& input = "") {
        return runProgram("/bin/sh",
                          {"-c", "printf '" + input + "' | " + std::string(REKAP_CENTRAL_BIN) +
                                     " --db '" + db + "' " + args + " 2>&1"});
    };
    ASSERT_EQ(cli("init --regency '" + writeTinyRegency(dir) + "'").first, 0);
    auto added = cli("user add --name Admin --role administrator", "sandi-admin-satu\\n");
    ASSERT_EQ(added.first, 0) << added.second;
    auto shortPw = cli("user add --name Budi --role reader", "pendek\\n");
    EXPECT_NE(shortPw.first, 0);
    EXPECT_NE(shortPw.second.find("at least 10"), std::string::npos) << shortPw.second;
    auto none = cli("user add --name Budi --role reader");
    EXPECT_NE(none.first, 0);
    EXPECT_NE(none.second.find("no password"), std::string::npos) << none.second;
    auto lookAlike = cli("user add --name '\xD0\x85"
                         "iti' --role reader",
                         "sandi-siti-palsu\\n");
    EXPECT_NE(lookAlike.first, 0);
    EXPECT_NE(lookAlike.second.find("one script"), std::string::npos) << lookAlike.second;
    EXPECT_NE(cli("user add --name Admin --role reader", "sandi-admin-dua\\n").first, 0);
    ASSERT_EQ(cli("user add --name Rina --role reader", "sandi-rina-satu\\n").first, 0);
    ASSERT_EQ(cli("user passwd --name Rina", "sandi-rina-dua\\n").first, 0);
    {
        central::CentralStore store(db);
        central::DeskSessions sessions(store, std::chrono::hours(1));
        EXPECT_EQ(sessions.openWithPassword("Rina", "sandi-rina-dua").login.role, DeskRole::Reader);
        EXPECT_THROW(sessions.openWithPassword("Rina", "sandi-rina-satu"), central::ApiError);
        EXPECT_EQ(sessions.openWithPassword("Admin", "sandi-admin-satu").login.role,
                  DeskRole::Administrator);
    }
    ASSERT_EQ(cli("user disable --name Rina").first, 0);
    EXPECT_NE(cli("user disable --name Rina").first, 0); // once
    auto list = cli("user list --json");
    ASSERT_EQ(list.first, 0) << list.second;
    auto all = json::parse(list.second);
    ASSERT_EQ(all.size(), 2u) << list.second;
    EXPECT_EQ(all[0]["name"], "Admin");
    EXPECT_EQ(all[0]["role"], "administrator");
    EXPECT_EQ(all[0]["disabled_at"], "");
    EXPECT_EQ(all[1]["name"], "Rina");
    EXPECT_NE(all[1]["disabled_at"], "");
    EXPECT_EQ(list.second.find("sandi"), std::string::npos);
    central::CentralStore store(db);
    central::DeskSessions sessions(store, std::chrono::hours(1));
    EXPECT_THROW(sessions.openWithPassword("Rina", "sandi-rina-dua"), central::ApiError);
}

TEST_F(DeskRoles, TheAdministratorListsAccountsAndDisablesOneWhoseSessionEndsAtOnce) {
    auto list = get("/api/v1/accounts", "Admin");
    ASSERT_EQ(list->status, 200) << list->body;
    auto accounts = json::parse(list->body)["accounts"];
    ASSERT_EQ(accounts.size(), 5u) << list->body;
    EXPECT_EQ(accounts[0]["name"], "Admin");
    EXPECT_EQ(accounts[0]["role"], "administrator");
    EXPECT_EQ(list->body.find("argon2"), std::string::npos) << "no hash is ever served";
    EXPECT_EQ(get("/api/v1/me", "Rina")->status, 200);
    EXPECT_EQ(post("/api/v1/accounts/disable", "Admin", {{"name", "Admin"}})->status, 400);
    EXPECT_EQ(post("/api/v1/accounts/disable", "Admin", {{"name", "Tidak Ada"}})->status, 404);
    auto off = post("/api/v1/accounts/disable", "Admin", {{"name", "Rina"}});
    ASSERT_EQ(off->status, 200) << off->body;
    EXPECT_EQ(get("/api/v1/me", "Rina")->status, 401);
    accounts = json::parse(get("/api/v1/accounts", "Admin")->body)["accounts"];
    auto rina = std::find_if(accounts.begin(), accounts.end(),
                             [](const json& a) { return a["name"] == "Rina"; });
    ASSERT_NE(rina, accounts.end());
    EXPECT_FALSE((*rina)["disabled_at"].is_null());
}

// docs/desk-accounts.md's matrix is the code's table, row for row: a line of desk_access.cpp
// changed, added or removed without the document (or the other way round) fails here.
TEST(DeskRolesDocs, TheDocumentedMatrixIsTheCodesTable) {
    std::ifstream in(std::string(REKAP_SOURCE_DIR) + "/docs/desk-accounts.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    std::regex row(
        R"(\n\| `([A-Z]+) ([^`]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|\n]+) \|)");
    std::vector<std::string> documented;
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
         ++it) {
        std::string line;
        for (std::size_t i = 1; i < it->size(); ++i)
            line += (*it)[i].str() + "|";
        documented.push_back(line);
    }
    namespace a = central::access;
    std::vector<std::string> code;
    for (const auto& r : a::rules()) {
        const bool anyone = r.who & a::Public;
        auto cell = [&](unsigned bit) { return anyone || (r.who & bit) ? "yes" : "—"; };
        std::string line = std::string(r.method) + "|" + std::string(r.route) + "|";
        for (unsigned bit :
             {a::Administrator, a::Coordinator, a::Reader, a::Observer, a::Operator, a::Camat})
            line += std::string(cell(bit)) + "|";
        line += std::string(anyone ? "yes" : (r.who & a::LocalHost) ? "own host" : "—") + "|";
        line += std::string(r.why) + "|";
        code.push_back(line);
    }
    EXPECT_EQ(documented, code);
}
