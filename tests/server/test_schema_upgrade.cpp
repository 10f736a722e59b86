// Receiver store upgrades: a file written by each earlier schema step, with data (devices, a
// conflict, an adjudicated sheet, a rejected one, the change feed, desk logins), opened by the
// current code. Everything in it is still read the same way and still usable: devices
// authenticate and push, the conflict is resolved, the tally counts what the file says. And a step
// that fails halfway is rolled back whole: the file stays at the last good step with nothing of
// the failed one in it, and opens as before. (Step 4, desk sessions: the session the file holds
// still logs in, and the step's desk token opens new ones. Step 5, the ledger: the devices enrolled
// before signing register a key and push signed revisions; the whole history verifies. Step 6,
// KPU's numbers: an import made before is kept, and a new one cross-checks.)
//
// The data of each case is written with SQL as the code of that step wrote it (the migrations
// are append-only, so a step's tables never change afterwards). A new schema step adds one case.

#include <fstream>
#include <gtest/gtest.h>

#include "desk/desk_sessions.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/api_error.h"
#include "rekap/central/crosscheck.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/central/store.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/sqlite.h"
#include "revisions.h"
#include "schema/schema.h"
#include "schema_steps.h"
#include "store_sql.h"

using namespace rekap;
using namespace rekap::test;

namespace {

const std::string kTps = "9901011001001";
const std::string kTokenA = "token-of-device-a", kTokenB = "token-of-device-b";
const std::string kDeskToken = "desk-token-of-step-2";
const std::string kUnusedCode = "ABCD2345EFGH";

/// The revisions every case writes, fixed so that the checks know them.
struct History {
    Revision a1, b1;     ///< ppwp: two devices disagree: in conflict, a1 the provisional winner
    Revision a2, b2, d2; ///< pdpr: a conflict the desk decided for b2 (d2), a2 superseded
    Revision a3;         ///< pdpd: rejected (R3)
};

const History& history() {
    static const History h = [] {
        History h;
        h.a1 = makeRevision("dev-a", validPpwpSheet());
        h.b1 = makeRevision("dev-b", moveOneVote(validPpwpSheet()));
        h.a2 = makeRevision("dev-a", validPdprSheet());
        auto pdpr = validPdprSheet();
        pdpr.parties[0].partyOnly -= 1;
        pdpr.parties[0].total -= 1;
        pdpr.parties[1].partyOnly += 1;
        pdpr.parties[1].total += 1;
        h.b2 = makeRevision("dev-b", pdpr);
        h.d2 = makeRevision("desk", pdpr, h.b2.id, "plano dicek");
        h.d2.operatorName = "Desk Lama";
        auto bad = validPdpdSheet();
        bad.summary.invalid += 3;
        h.a3 = makeRevision("dev-a", bad);
        // Written before devices signed, whatever keys other tests gave these device ids.
        for (auto* r : {&h.a1, &h.b1, &h.a2, &h.b2, &h.d2, &h.a3})
            r->signature.reset();
        return h;
    }();
    return h;
}

void insertRevision(sqlite::Database& db, const Revision& r, const std::string& status,
                    const std::vector<Finding>& findings = {}) {
    db.prepare("INSERT INTO revisions (id, hash, content, sheet, tps, contest, parent, device, "
               "operator, captured_at, received_at, status, findings, body) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bindAll(r.id, r.hash(), sha256Hex(encodeSheet(r.sheet).dump()), r.sheet.key(),
                 r.sheet.tps.str(), r.sheet.contest, r.parent, r.device, r.operatorName,
                 r.capturedAt, "2024-02-14T10:00:00Z", status,
                 protocol::encodeFindings(findings).dump(), encodeRevision(r).dump())
        .run();
}

void insertChange(sqlite::Database& db, const std::string& kind, const std::string& sheet,
                  const std::optional<std::string>& device, const nlohmann::json& data) {
    db.prepare("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES "
               "(?, ?, ?, ?, ?, '2024-02-14T10:00:00Z')")
        .bindAll(kind, sheet, sheet.empty() ? std::string() : kTps, device, data.dump())
        .run();
}

/// Step 1: the regency, enrolment codes, two devices, revisions, sheets, heads, the feed.
void writeStep1(sqlite::Database& db) {
    const auto& h = history();
    db.prepare("INSERT INTO regency (id, code, document, content_hash, loaded_at) VALUES "
               "(1, '9901', ?, ?, '2024-02-01T00:00:00Z')")
        .bindAll(tinyRegencyJson().dump(), tinyRegency().contentHash)
        .run();
    auto code = db.prepare("INSERT INTO enrolment_codes (code_hash, role, scope, label, "
                           "created_at, expires_at, device, enrolment_id) VALUES "
                           "(?, 'operator', ?, 'lama', '2024-02-01T00:00:00Z', ?, ?, ?)");
    code.bindAll(sha256Hex("USEDCODEAAAA"), kTps, std::int64_t{4102444800}, "dev-a", "enrol-a");
    code.run();
    code.reset();
    code.bindAll(sha256Hex(kUnusedCode), kTps, std::int64_t{4102444800}, nullptr, nullptr);
    code.run();
    for (const auto& [id, token] : {std::pair{"dev-a", kTokenA}, std::pair{"dev-b", kTokenB}})
        db.prepare("INSERT INTO devices (id, name, role, scope, token_hash, enrolled_at, "
                   "last_seen_at, queue_depth, last_capture_at, app_version) VALUES "
                   "(?, ?, 'operator', ?, ?, '2024-02-01T00:00:00Z', '2024-02-14T10:00:00Z', "
                   "?, '2024-02-14T09:00:00Z', 'rekap-field/0.1')")
            .bindAll(id, std::string("Tablet ") + id, kTps, sha256Hex(token),
                     std::string(id) == "dev-a" ? 0 : 2)
            .run();
    insertChange(db, "master_data", "", std::nullopt, {{"version", tinyRegency().contentHash}});
    insertRevision(db, h.a1, "accepted");
    insertRevision(db, h.b1, "accepted");
    insertRevision(db, h.a2, "accepted");
    insertRevision(db, h.b2, "accepted");
    insertRevision(db, h.d2, "accepted");
    insertRevision(db, h.a3, "rejected", validateSheet(h.a3.sheet, tinyRegency()));
    auto sheet = db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, "
                            "updated_seq) VALUES (?, ?, ?, ?, ?, ?)");
    auto head = db.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)");
    auto addSheet = [&](const Revision& r, const char* state, const std::optional<std::string>& w,
                        std::int64_t seq, std::vector<std::string> heads) {
        sheet.bindAll(r.sheet.key(), kTps, r.sheet.contest, state, w, seq);
        sheet.run();
        sheet.reset();
        for (const auto& id : heads) {
            head.bindAll(r.sheet.key(), id);
            head.run();
            head.reset();
        }
    };
    addSheet(h.a1, "conflict", h.a1.id, 2, {h.a1.id, h.b1.id});
    addSheet(h.a2, "accepted", h.d2.id, 5, {h.d2.id});
    addSheet(h.a3, "rejected", std::nullopt, 6, {});
    db.prepare("INSERT INTO superseded (revision, resolution) VALUES (?, ?)")
        .bindAll(h.a2.id, h.d2.id)
        .run();
    insertChange(db, "sheet_state", h.a1.sheet.key(), std::nullopt,
                 {{"state", "conflict"}, {"winner", h.a1.id}, {"heads", {h.a1.id, h.b1.id}}});
    insertChange(
        db, "resolution", h.a2.sheet.key(), std::nullopt,
        {{"revision", encodeRevision(h.d2)}, {"chosen", h.b2.id}, {"superseded", {h.a2.id}}});
    insertChange(
        db, "rejection", h.a3.sheet.key(), "dev-a",
        {{"revision", h.a3.id},
         {"findings", protocol::encodeFindings(validateSheet(h.a3.sheet, tinyRegency()))}});
}

/// Step 2: desk logins.
void writeStep2(sqlite::Database& db) {
    db.prepare("INSERT INTO desk_tokens (token_hash, name, created_at) VALUES (?, 'Desk Lama', "
               "'2024-02-10T00:00:00Z')")
        .bindAll(sha256Hex(kDeskToken))
        .run();
}

/// Step 4: a dashboard session (its id stored hashed), still open.
void writeStep4(sqlite::Database& db) {
    db.prepare("INSERT INTO desk_sessions (session_hash, token_hash, name, created_at, "
               "expires_at) VALUES (?, ?, 'Desk Lama', '2024-02-14T10:00:00Z', ?)")
        .bindAll(sha256Hex("session-of-step-4"), sha256Hex(kDeskToken), std::int64_t{4102444800})
        .run();
}

// Step 3 added indexes only: its files hold what step 2 wrote.
const std::vector<SchemaCase>& cases() {
    static const std::vector<SchemaCase> all = {
        {1, writeStep1},
        {2,
         [](sqlite::Database& db) {
             writeStep1(db);
             writeStep2(db);
         }},
        {3,
         [](sqlite::Database& db) {
             writeStep1(db);
             writeStep2(db);
         }},
        {4,
         [](sqlite::Database& db) {
             writeStep1(db);
             writeStep2(db);
             writeStep4(db);
         }},
        // Step 5 (the ledger) is written by the code itself, never by hand: buildCase() opens
        // the file of step 4 once with this build, which moves every row into the ledger.
        {5, nullptr},
        // Step 6 (KPU's numbers): the file of step 5 with a KPU import in it.
        {6, nullptr},
        // Step 7 (second readings) only adds a column and a table: the file of step 6 as this
        // build leaves it.
        {7, nullptr},
        // Step 8 (revision ids by device) adds a column and two indexes: the file of step 7 as
        // this build leaves it, which the cases before take back.
        {8, nullptr},
        // Step 9 (photos attached later) adds a table: the file of step 8 as this build leaves
        // it, which the cases before take back.
        {9, nullptr},
        // Step 10 (desk accounts) adds a table filled from the desk tokens: the file of step 9
        // as this build leaves it, which the cases before take back.
        {10, nullptr},
        // Step 11 (sheets sent back to their operator) adds a table, likewise.
        {11, nullptr},
        // 12: the intake (pushes stored before their integration): a store of step 11 starts
        // with an empty one.
        {12, nullptr},
        // Step 13 (a checkpoint of derived state) adds a table, likewise.
        {13, nullptr},
        // Step 14 (a waiting push's items in a table of their own): the file of step 13 as this
        // build leaves it, which the cases before take back.
        {14, nullptr},
    };
    return all;
}

/// Builds the file of case `c` at `path`.
void buildCase(const std::string& path, const SchemaCase& c) {
    const auto& steps = central::schemaMigrations();
    if (c.write) {
        buildAtStep(path, steps, c);
        return;
    }
    ASSERT_GE(c.step, 5);
    buildAtStep(path, steps, cases()[3]);
    {
        central::CentralStore upgraded(path);
        ASSERT_EQ(test::sqlOf(upgraded)->userVersion(), static_cast<int>(steps.size()));
        if (c.step >= 6) {
            std::ofstream(path + ".kpu-1.csv") << "kode,c1,c2,c3\n" << kTps << ",70,90,10\n";
            central::importKpu(upgraded, "ppwp", path + ".kpu-1.csv");
        }
    }
    if (c.step <= 13) {
        // As the code of step 13 left it: a push's items on its intake row, blanked once
        // answered.
        sqlite::Database db(path);
        db.exec("DROP TABLE intake_items; ALTER TABLE intake ADD COLUMN items TEXT NOT NULL "
                "DEFAULT ''; PRAGMA user_version = 13;");
    }
    if (c.step <= 12) {
        // As the code of step 12 left it: no checkpoint of derived state.
        sqlite::Database db(path);
        db.exec("DROP TABLE derived_checkpoint; PRAGMA user_version = 12;");
    }
    if (c.step <= 11) {
        // As the code of step 11 left it: pushes went straight into the ledger, no intake.
        sqlite::Database db(path);
        db.exec("DROP TABLE intake; PRAGMA user_version = 11;");
    }
    if (c.step <= 10) {
        // As the code of step 10 left it: no sheet sent back to its operator.
        sqlite::Database db(path);
        db.exec("DROP TABLE send_backs; PRAGMA user_version = 10;");
    }
    if (c.step <= 9) {
        // As the code of step 9 left it: desk tokens, no accounts.
        sqlite::Database db(path);
        db.exec("DROP TABLE desk_accounts; DROP INDEX desk_sessions_name; PRAGMA user_version = "
                "9;");
    }
    if (c.step <= 8) {
        // As the code of step 8 left it: no photo attached after sending.
        sqlite::Database db(path);
        db.exec("DROP TABLE photo_attachments; PRAGMA user_version = 8;");
    }
    if (c.step <= 7) {
        // As the code of step 7 left it: every revision under its own id, no name column.
        sqlite::Database db(path);
        db.exec("DROP INDEX revisions_device_name; DROP INDEX revisions_name; ALTER TABLE "
                "revisions DROP COLUMN name; PRAGMA user_version = 7;");
    }
    if (c.step <= 6) {
        // As the code of step 6 left it: without what step 7 added (no reading was possible).
        sqlite::Database db(path);
        db.exec("DROP TABLE reading_claims; ALTER TABLE revisions DROP COLUMN reading; "
                "PRAGMA user_version = 6;");
    }
    if (c.step == 5) {
        // This build went on to step 6, which only adds the KPU tables: without them the file
        // is the one step 5 wrote.
        sqlite::Database db(path);
        db.exec("DROP TABLE kpu_numbers; DROP TABLE kpu_imports; PRAGMA user_version = 5;");
    }
}

long votesOfCandidate(central::CentralStore& store, int number) {
    auto kab = store.live().tally()->area("ppwp", AreaCode::parse("9901"));
    auto it = kab->votes.find(
        VoteKey{VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(number)}.packed());
    return it == kab->votes.end() ? 0 : it->second;
}

/// Everything a case wrote, read back through the current code, and still usable.
void checkUpgraded(central::CentralStore& store, const SchemaCase& c) {
    const auto& h = history();
    const int latest = static_cast<int>(central::schemaMigrations().size());
    EXPECT_EQ(test::sqlOf(store)->userVersion(), latest);
    EXPECT_EQ(test::sqlOf(store)->integrityCheck(), "ok");
    EXPECT_EQ(store.masterData().regency().code.str(), "9901");
    EXPECT_EQ(store.masterData().masterDataVersion(), tinyRegency().contentHash);

    // Devices: their tokens work, what they reported is kept.
    auto a = store.registry().authenticate(kTokenA);
    EXPECT_EQ(a.id, "dev-a");
    EXPECT_EQ(a.scope, kTps);
    auto devices = store.registry().devices();
    ASSERT_EQ(devices.size(), 2u);
    EXPECT_EQ(devices[1].queueDepth, 2);
    EXPECT_EQ(devices[1].lastCaptureAt, "2024-02-14T09:00:00Z");

    // Sheets and their revisions stand where they stood.
    auto ppwp = store.sheets().sheet(h.a1.sheet.key());
    ASSERT_TRUE(ppwp);
    EXPECT_EQ(ppwp->state, SheetState::Conflict);
    EXPECT_EQ(ppwp->winner, h.a1.id);
    auto pdpr = store.sheets().revisionsOf(h.a2.sheet.key());
    ASSERT_EQ(pdpr.size(), 3u);
    EXPECT_EQ(pdpr[0].state, SheetState::Superseded);
    EXPECT_EQ(pdpr[1].revision, h.b2);
    EXPECT_EQ(pdpr[2].revision.reason, "plano dicek");
    auto pdpd = store.sheets().revisionsOf(h.a3.sheet.key());
    ASSERT_EQ(pdpd.size(), 1u);
    EXPECT_EQ(pdpd[0].state, SheetState::Rejected);
    ASSERT_FALSE(pdpd[0].findings.empty());
    EXPECT_EQ(pdpd[0].findings[0].rule, "R3");
    EXPECT_EQ(store.sheets().conflicts().size(), 1u);

    // The tally, built from the file alone, counts what it says (hand-written figures).
    auto kab = store.live().tally()->area("ppwp", AreaCode::parse("9901"));
    ASSERT_TRUE(kab);
    EXPECT_EQ(kab->tpsReported, 1);
    EXPECT_EQ(kab->tpsConflict, 1);
    EXPECT_EQ(kab->valid, 170);
    auto dpr = store.live().tally()->area("pdpr", AreaCode::parse("9901"));
    EXPECT_EQ(dpr->tpsVerified, 1);
    EXPECT_EQ(dpr->valid, 160);
    EXPECT_EQ(store.live().tally()->area("pdpd", AreaCode::parse("9901"))->tpsRejected, 1);

    // The feed: a device that pulls from the start gets the old changes, its own rejection too.
    auto page = store.intake().pull(a, 0, 100);
    ASSERT_EQ(page.changes.size(), 4u);
    EXPECT_EQ(page.changes[0].kind, "master_data");
    EXPECT_EQ(page.changes[3].kind, "rejection");
    EXPECT_EQ(store.intake().pull(store.registry().authenticate(kTokenB), 0, 100).changes.size(),
              3u);

    // Step 8: every revision of the file is its own key, named by its id.
    {
        auto sql = test::sqlOf(store);
        auto st = sql->prepare("SELECT COUNT(*) FROM revisions WHERE name = id");
        st.step();
        EXPECT_EQ(st.int64(0), store.sheets().revisionCount());
    }

    // Usable: the device, enrolled before devices signed, registers its key; its signed
    // correction fast-forwards its own head, the desk decides the conflict, a new device enrols
    // with a code minted before the upgrade.
    auto key = signing::generateKeyPair();
    store.registry().registerDeviceKey("dev-a", key.publicKey);
    Keyring::instance().remember("dev-a", key.privateKey);
    a = store.registry().authenticate(kTokenA); // now with its key
    auto fix = makeRevision("dev-a", moveOneVote(moveOneVote(validPpwpSheet())), h.a1.id);
    auto res = store.intake().ingest(a, nlohmann::json::array({encodeRevision(fix)})).results;
    ASSERT_EQ(res.size(), 1u);
    EXPECT_EQ(res[0].status, protocol::PushStatus::Conflict); // still two heads that differ
    EXPECT_EQ(store.sheets().sheet(h.a1.sheet.key())->heads.size(), 2u);
    store.sheets().resolve(h.a1.sheet.key(), h.b1.id, "dicek", "Desk Baru");
    EXPECT_EQ(store.sheets().sheet(h.a1.sheet.key())->state, SheetState::Accepted);
    EXPECT_EQ(store.live().tally()->area("ppwp", AreaCode::parse("9901"))->valid, 170);
    EXPECT_EQ(votesOfCandidate(store, 1), 69);
    auto enrolled = enrolSigned(store, kUnusedCode, "baru");
    EXPECT_EQ(enrolled.scope, kTps);
    if (c.step >= 2) {
        EXPECT_EQ(store.deskTokens().authenticateDesk(kDeskToken), "Desk Lama");
        // Step 10: the token's name is a coordinator's account, without a password.
        auto account = central::desk_accounts::enabled(store, "Desk Lama");
        ASSERT_TRUE(account);
        EXPECT_EQ(account->role, central::DeskRole::Coordinator);
        EXPECT_FALSE(account->hasPassword);
        EXPECT_EQ(account->createdAt, "2024-02-10T00:00:00Z");
        // Its token opens a dashboard session after the upgrade; one from step 4 still works.
        central::DeskSessions sessions(store, std::chrono::hours(1));
        auto opened = sessions.open(kDeskToken);
        EXPECT_EQ(opened.login.role, central::DeskRole::Coordinator);
        EXPECT_EQ(sessions.user(opened.id)->name, "Desk Lama");
        sessions.close(opened.id);
        EXPECT_FALSE(sessions.user(opened.id));
        if (c.step >= 4) {
            auto old = sessions.user("session-of-step-4");
            ASSERT_TRUE(old);
            EXPECT_EQ(old->name, "Desk Lama");
            EXPECT_EQ(old->role, central::DeskRole::Coordinator);
        }
        // Disabling the account ends the old session and the token at once.
        central::desk_accounts::disable(store, "Desk Lama");
        EXPECT_FALSE(sessions.user("session-of-step-4"));
        EXPECT_THROW(store.deskTokens().authenticateDesk(kDeskToken), central::ApiError);
    }
    // KPU's numbers can be imported and cross-checked; an import of step 6 is still there.
    auto kpuFile = store.location() + ".kpu-2.csv";
    std::ofstream(kpuFile) << "kode,c1,c2,c3\n" << kTps << ",70,90,10\n";
    auto im = central::importKpu(store, "ppwp", kpuFile);
    EXPECT_EQ(central::kpuImports(store, "ppwp").size(), c.step >= 6 ? 2u : 1u);
    auto x = central::crosscheckReport(store, "ppwp", AreaCode::parse(kTps));
    EXPECT_EQ(x["import"]["id"], im.id);
    EXPECT_EQ(x["tps"][0]["category"], "different"); // the desk chose 69 / 91 / 10
    // A recount from the upgraded file equals the live tally after all that.
    EXPECT_TRUE(*store.live().recount() == *store.live().tally());
    // And every entry, signature and signed head of the upgraded file checks.
    auto verified = store.ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;

    // A sheet sent back to its operator ("perlu perbaikan", step 10): its rejected revision
    // is the one to correct; the mark is kept and checks.
    auto mark = store.sheets().sendBack(h.a3.sheet.key(), "foto buram", "Desk Baru");
    EXPECT_EQ(mark.revision, h.a3.id);
    EXPECT_FALSE(mark.answeredBy);
    EXPECT_EQ(store.sheets().sendBacksOf(h.a3.sheet.key()).size(), 1u);

    // Ids by device: another TPS's tablet that pushes a revision under the id of one in the
    // file keeps nobody out; the file's device still retries its own.
    auto code =
        store.registry().mintCodes(protocol::Role::Operator, AreaCode::parse("9901021001001"), 1,
                                   std::chrono::hours(1), "lain")[0];
    auto other = store.registry().authenticate(enrolSigned(store, code, "lain").token);
    auto own = validPpwpSheet();
    own.tps = AreaCode::parse("9901021001001");
    auto squat = makeRevision(other.id, own);
    squat.id = fix.id;
    sign(squat);
    EXPECT_NE(store.intake()
                  .ingest(other, nlohmann::json::array({encodeRevision(squat)}))
                  .results[0]
                  .status,
              protocol::PushStatus::Refused);
    EXPECT_EQ(
        store.intake().ingest(a, nlohmann::json::array({encodeRevision(fix)})).results[0].status,
        protocol::PushStatus::Duplicate);
    verified = store.ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;

    // Step 12: the upgraded store keeps a checkpoint of its tally; a store opened on it counts
    // what a recount counts, and verify holds the checkpoint against its rebuild.
    auto checkpoint = store.live().writeCheckpoint();
    ASSERT_TRUE(checkpoint);
    EXPECT_EQ(checkpoint->size, store.ledger().ledgerSize());
    central::CentralStore reopened(store.location());
    EXPECT_TRUE(*reopened.live().tally() == *store.live().recount());
    verified = reopened.ledger().verify();
    EXPECT_TRUE(verified.ok) << verified.failure;
}

class ReceiverSchema : public ::testing::TestWithParam<SchemaCase> {
protected:
    TempDir dir;
    std::string file = dir.file("central.db");
};

} // namespace

TEST(ReceiverSchemaCases, EveryStepHasACase) {
    const auto& steps = central::schemaMigrations();
    ASSERT_EQ(cases().size(), steps.size())
        << "schema step " << steps.size() << " has no upgrade case: add one to cases()";
    for (std::size_t i = 0; i < cases().size(); ++i)
        EXPECT_EQ(cases()[i].step, static_cast<int>(i) + 1);
}

TEST_P(ReceiverSchema, AFileFromThisStepUpgradesWithItsData) {
    const auto& c = GetParam();
    buildCase(file, c);
    central::CentralStore store(file);
    checkUpgraded(store, c);
    // And opening it again (nothing left to migrate) changes nothing.
    auto revisions = store.sheets().revisionCount();
    central::CentralStore again(file);
    EXPECT_EQ(again.sheets().revisionCount(), revisions);
}

TEST_P(ReceiverSchema, AStepThatFailsHalfwayIsRolledBackWhole) {
    const auto& c = GetParam();
    const auto& steps = central::schemaMigrations();
    buildCase(file, c);
    std::vector<std::string> before;
    {
        sqlite::Database db(file);
        auto withFailing = steps;
        withFailing.push_back(failingStep());
        EXPECT_THROW(db.migrate(withFailing), sqlite::Error);
        // The good steps are in, each whole; of the failed one, nothing.
        EXPECT_EQ(db.userVersion(), static_cast<int>(steps.size()));
        auto objects = schemaObjects(db);
        for (const auto& o : objects)
            EXPECT_EQ(o.find("half_applied"), std::string::npos) << o;
        before = objects;
    }
    central::CentralStore store(file);
    EXPECT_EQ(schemaObjects(*test::sqlOf(store)), before);
    checkUpgraded(store, c);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, ReceiverSchema, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<SchemaCase>& info) {
                             return "Step" + std::to_string(info.param.step);
                         });
