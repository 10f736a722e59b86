// Device store upgrades: a file written by each earlier schema step, with what a tablet holds on
// election day (its enrolment, the master data, a draft, revisions queued, sending, accepted and
// rejected, a desk decision it pulled, a photo still to send, the checkpoint, the app's
// preferences), opened by the current code: everything reads back the same and the tablet can go
// on (a correction builds on its head, the outbox sends what was queued). And a step that fails
// halfway leaves the file at its last good step with nothing of the failed one in it.
//
// A new step adds a case to cases() (the test fails until it does). Step 2 (issue 13) added the
// receipts of the receiver's ledger; a file of step 1 was written before devices signed, so its
// waiting revisions are signed with a new device key when it opens. Step 6 (issue 30) keeps,
// for a revision the receiver answered early, when it said it stored it: such a revision waits
// for its receipt across a restart instead of going again.

#include <gtest/gtest.h>

#include <fstream>

#include "device_schema.h"
#include "fixtures.h"
#include "rekap/sha256.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/store/file.h"
#include "revisions.h"
#include "schema_steps.h"
#include "temp_dir.h"

using namespace rekap;
using namespace rekap::sync;
using namespace rekap::test;

namespace {

const std::string kTps = "9901011001001";
const std::string kPhoto = "foto plano TPS 001, halaman 1";

struct History {
    Revision accepted, rejected, queued, sending, desk, stored;
};

const History& history() {
    static const History h = [] {
        History h;
        h.accepted = makeRevision("dev-1", validPpwpSheet());
        auto bad = validPdprSheet();
        bad.summary.invalid += 1;
        h.rejected = makeRevision("dev-1", bad);
        h.queued = makeRevision("dev-1", validPdprSheet(), h.rejected.id, "salah tulis");
        h.sending = makeRevision("dev-1", validPdpdSheet());
        h.desk = makeRevision("desk", moveOneVote(validPpwpSheet()), h.accepted.id, "dicek");
        h.stored = makeRevision("dev-1", moveOneVote(validPdpdSheet()), h.sending.id, "koreksi");
        h.queued.photo = sha256Hex(kPhoto);
        // Written before devices signed, whatever keys other tests gave "dev-1".
        for (auto* r : {&h.accepted, &h.rejected, &h.queued, &h.sending, &h.desk})
            r->signature.reset();
        return h;
    }();
    return h;
}

void insertRevision(sqlite::Database& db, const Revision& r, const std::string& state,
                    const std::string& findings = "[]", const std::string& origin = "device") {
    db.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, origin, state, "
               "findings, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)")
        .bindAll(r.id, r.sheet.key(), r.parent, encodeRevision(r).dump(), r.hash(), r.capturedAt,
                 origin, state, findings, "2024-02-14T10:00:00Z")
        .run();
}

void writeStep1(sqlite::Database& db, const std::string& photoDir) {
    const auto& h = history();
    auto set = db.prepare("INSERT INTO settings (key, value) VALUES (?, ?)");
    for (const auto& [k, v] :
         std::vector<std::pair<std::string, std::string>>{{"server", "https://rekap.example.go.id"},
                                                          {"device", "dev-1"},
                                                          {"token", "token-lama"},
                                                          {"role", "operator"},
                                                          {"scope", kTps},
                                                          {"regency", "9901"},
                                                          {"enrolment_id", "enrol-1"},
                                                          {"checkpoint", "42"},
                                                          {"pref.operator", "Siti"},
                                                          {"pref.language", "id"}}) {
        set.bindAll(k, v);
        set.run();
        set.reset();
    }
    db.prepare("INSERT INTO master_data (id, document, version) VALUES (1, ?, ?)")
        .bindAll(tinyRegencyJson().dump(), tinyRegency().contentHash)
        .run();
    db.prepare("INSERT INTO drafts (sheet, body, updated_at) VALUES (?, ?, ?)")
        .bindAll("9901011002001/ppwp", R"({"votes":{"1":12}})", "2024-02-14T10:00:00Z")
        .run();
    insertRevision(db, h.accepted, "superseded");
    auto findings = protocol::encodeFindings(validateSheet(h.rejected.sheet, tinyRegency()));
    insertRevision(db, h.rejected, "rejected", findings.dump());
    insertRevision(db, h.queued, "queued");
    insertRevision(db, h.sending, "sending"); // the app died mid-sync
    insertRevision(db, h.desk, "accepted", "[]", "desk");
    auto head = db.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)");
    for (const auto* r : {&h.desk, &h.queued, &h.sending}) {
        head.bindAll(r->sheet.key(), r->id);
        head.run();
        head.reset();
    }
    db.prepare("INSERT INTO photos (sha256, size, uploaded) VALUES (?, ?, 0)")
        .bindAll(sha256Hex(kPhoto), static_cast<std::int64_t>(kPhoto.size()))
        .run();
    std::filesystem::create_directories(photoDir);
    std::ofstream(photoDir + "/" + sha256Hex(kPhoto) + ".jpg", std::ios::binary) << kPhoto;
}

const signing::KeyPair& stepTwoKey() {
    static const auto key = signing::generateKeyPair();
    return key;
}

/// A head of the receiver's ledger as the device kept it (not checked by the upgrade).
ledger::TreeHead stepTwoHead() {
    return {"9901", 7, std::string(64, 'a'), "2024-02-14T10:00:00Z", "c2lnbmF0dXJl"};
}

/// Step 2: the device's key, registered; the receiver's key and last head; the receipt of the
/// accepted revision.
void writeStep2(sqlite::Database& db, const std::string& photoDir) {
    writeStep1(db, photoDir);
    auto set = db.prepare("INSERT INTO settings (key, value) VALUES (?, ?)");
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"device_private_key", stepTwoKey().privateKey},
             {"device_public_key", stepTwoKey().publicKey},
             {"key_registered", "1"},
             {"receiver_key", "cmVjZWl2ZXIta2V5"},
             {"tree_head", ledger::encode(stepTwoHead()).dump()}}) {
        set.bindAll(k, v);
        set.run();
        set.reset();
    }
    const auto head = stepTwoHead();
    db.prepare(
          "INSERT INTO receipts (revision, ledger_index, code, tree_size, root, "
          "head_timestamp, head_signature, checked) VALUES (?, 3, '3-0a1b2c3d', ?, ?, ?, ?, 1)")
        .bindAll(history().accepted.id, static_cast<std::int64_t>(head.size), head.root,
                 head.timestamp, head.signature)
        .run();
}

/// Step 3: a camat's tablet half-way through the QR relay: one code of a series kept, and one
/// revision carried that still waits to be forwarded.
void writeStep3(sqlite::Database& db, const std::string& photoDir) {
    writeStep2(db, photoDir);
    db.exec("INSERT INTO relay_codes (series, number, count, group_start, group_size, data, "
            "scanned_at) VALUES ('0123abcd', 2, 3, 2, 2, 'QUJD', '2024-02-14T09:30:00Z')");
    db.prepare("INSERT INTO relayed (id, origin, sheet, body, state, received_at, updated_at) "
               "VALUES (?, 'dev-2', ?, ?, 'queued', '2024-02-14T09:31:00Z', "
               "'2024-02-14T09:31:00Z')")
        .bindAll(history().queued.id, history().queued.sheet.key(),
                 encodeRevision(history().queued).dump())
        .run();
}

/// Step 4: an operator's tablet with a photo attached to a sent sheet ("foto menyusul"), not
/// sent yet.
void writeStep4(sqlite::Database& db, const std::string& photoDir) {
    writeStep3(db, photoDir);
    db.prepare("INSERT INTO photo_attachments (revision, photo, sheet, body, state, created_at, "
               "updated_at) VALUES (?, ?, ?, ?, 'queued', '2024-02-14T11:00:00Z', "
               "'2024-02-14T11:00:00Z')")
        .bindAll(history().accepted.id, sha256Hex(kPhoto), history().accepted.sheet.key(),
                 nlohmann::json{{"revision", history().accepted.id}}.dump())
        .run();
}

/// Step 5: a sheet the desk sent back ("perlu perbaikan"), its correction not made yet.
void writeStep5(sqlite::Database& db, const std::string& photoDir) {
    writeStep4(db, photoDir);
    db.prepare("INSERT INTO send_backs (sheet, sent_at, revision, device, reason, sent_by, body, "
               "after_seq, received_at) VALUES (?, '2024-02-14T12:00:00Z', ?, 'dev-1', "
               "'foto buram', 'Desk', '{}', (SELECT seq FROM revisions WHERE id = ?), "
               "'2024-02-14T12:01:00Z')")
        .bindAll(history().queued.sheet.key(), history().queued.id, history().queued.id)
        .run();
}

/// Step 6: a revision the receiver stored and answered early (`queued`), its receipt not in
/// yet when the app was closed.
void writeStep6(sqlite::Database& db, const std::string& photoDir) {
    writeStep5(db, photoDir);
    insertRevision(db, history().stored, "sending");
    db.prepare("UPDATE revisions SET stored_at = '2024-02-14T12:30:00Z' WHERE id = ?")
        .bindAll(history().stored.id)
        .run();
}

struct DeviceCase {
    int step;
    std::function<void(sqlite::Database&, const std::string& photoDir)> write;
};

void PrintTo(const DeviceCase& c, std::ostream* os) {
    *os << "step " << c.step;
}

const std::vector<DeviceCase>& cases() {
    static const std::vector<DeviceCase> all = {{1, writeStep1}, {2, writeStep2}, {3, writeStep3},
                                                {4, writeStep4}, {5, writeStep5}, {6, writeStep6}};
    return all;
}

void checkUpgraded(DeviceFile& store, const DeviceCase& c) {
    const auto& h = history();
    sqlite::Database raw(store.path().string()); // the file as found, with its own connection
    EXPECT_EQ(raw.userVersion(), static_cast<int>(deviceMigrations().size()));
    EXPECT_EQ(raw.integrityCheck(), "ok");
    auto e = store.identity().enrolment();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->device, "dev-1");
    EXPECT_EQ(e->token, "token-lama");
    EXPECT_EQ(e->scope, kTps);
    EXPECT_EQ(store.identity().pendingEnrolmentId(), "enrol-1");
    ASSERT_TRUE(store.masterData().regency());
    EXPECT_EQ(store.masterData().version(), tinyRegency().contentHash);
    EXPECT_EQ(store.feed().checkpoint(), 42);
    EXPECT_EQ(store.preferences().get("operator"), "Siti");
    ASSERT_TRUE(store.drafts().of("9901011002001/ppwp"));
    EXPECT_EQ((*store.drafts().of("9901011002001/ppwp"))["votes"]["1"], 12);

    auto outbox = store.outbox().all();
    ASSERT_EQ(outbox.size(), c.step >= 6 ? 6u : 5u);
    EXPECT_EQ(outbox[0].revision, h.accepted);
    EXPECT_EQ(outbox[0].state, SheetState::Superseded);
    EXPECT_EQ(outbox[1].state, SheetState::Rejected);
    ASSERT_FALSE(outbox[1].findings.empty());
    EXPECT_EQ(outbox[1].findings[0].rule, "R3");
    // The waiting revision, signed on opening by the device's key and otherwise unchanged.
    auto queued = outbox[2].revision;
    ASSERT_TRUE(queued.signature);
    EXPECT_TRUE(
        revisionSignatureValid(queued, queued.hash(), store.identity().deviceKey().publicKey));
    queued.signature.reset();
    EXPECT_EQ(queued, h.queued);
    EXPECT_EQ(outbox[2].revision.photo, sha256Hex(kPhoto));
    EXPECT_EQ(outbox[3].state, SheetState::Queued) << "sending at the crash: goes again";
    EXPECT_TRUE(outbox[4].decision);
    EXPECT_EQ(store.outbox().queueDepth(), 2);
    EXPECT_EQ(store.outbox().lastCaptureAt(), "2024-02-14T09:00:00Z");
    EXPECT_EQ(store.outbox().head("9901011001001/ppwp"), h.desk.id);
    EXPECT_EQ(store.photos().pending(), std::vector<std::string>{sha256Hex(kPhoto)});
    std::ifstream photo(store.photos().path(sha256Hex(kPhoto)), std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(photo), {}), kPhoto);

    if (c.step == 1) {
        EXPECT_FALSE(store.identity().keyRegistered()) << "registered on the next sync";
        EXPECT_TRUE(store.receipts().all().empty());
        EXPECT_FALSE(store.receipts().lastTreeHead());
    } else {
        EXPECT_TRUE(store.identity().keyRegistered());
        EXPECT_EQ(store.identity().deviceKey().publicKey, stepTwoKey().publicKey);
        EXPECT_EQ(store.identity().enrolment()->receiverKey, "cmVjZWl2ZXIta2V5");
        EXPECT_EQ(store.receipts().lastTreeHead(), stepTwoHead());
        auto receipt = store.receipts().of(h.accepted.id);
        ASSERT_TRUE(receipt);
        EXPECT_EQ(receipt->code, "3-0a1b2c3d");
        EXPECT_EQ(receipt->head, stepTwoHead());
        EXPECT_TRUE(receipt->checked);
    }

    if (c.step >= 3) {
        auto relayed = store.relay().relayed();
        ASSERT_EQ(relayed.size(), 1u);
        EXPECT_EQ(relayed[0].origin, "dev-2");
        EXPECT_EQ(store.relay().queueDepth(), 1);
        auto batch = store.relay().batch(10, 1 << 20);
        ASSERT_EQ(batch.size(), 1u);
        EXPECT_EQ(batch[0], encodeRevision(history().queued));
    } else {
        EXPECT_TRUE(store.relay().relayed().empty());
        EXPECT_EQ(store.relay().queueDepth(), 0);
    }

    // A photo attached to a sent sheet: kept queued from step 4; attached now otherwise.
    EXPECT_EQ(store.attachments().queueDepth(), c.step >= 4 ? 1 : 0);
    auto attached = store.attachments().attach(h.accepted.id, sha256Hex(kPhoto));
    EXPECT_EQ(attached.state, SheetState::Queued);
    EXPECT_EQ(store.attachments().of(h.accepted.id).size(), 1u);
    EXPECT_EQ(store.attachments().batch(10).size(), 1u);

    // A sheet sent back: kept, waiting, from step 5; none before.
    auto marks = store.sendBacks().all();
    if (c.step >= 5) {
        ASSERT_EQ(marks.size(), 1u);
        EXPECT_EQ(marks[0].sheet, h.queued.sheet.key());
        EXPECT_EQ(marks[0].revision, h.queued.id);
        EXPECT_EQ(marks[0].reason, "foto buram");
        EXPECT_FALSE(marks[0].answered) << "its correction is not made yet";
    } else {
        EXPECT_TRUE(marks.empty());
    }

    // A revision the receiver stored: still waiting for its receipt after the restart, listed
    // in `awaiting`, never sent again (from step 6); nothing waits before.
    if (c.step >= 6) {
        EXPECT_EQ(outbox[5].revision.id, h.stored.id);
        EXPECT_EQ(outbox[5].state, SheetState::Sending) << "stored by the receiver: not resent";
        EXPECT_EQ(outbox[5].storedAt, "2024-02-14T12:30:00Z");
        EXPECT_EQ(store.outbox().awaiting(500), std::vector<std::string>{h.stored.id});
    } else {
        EXPECT_TRUE(store.outbox().awaiting(500).empty());
        for (const auto& e : outbox)
            EXPECT_EQ(e.storedAt, "");
    }

    // The tablet goes on: a correction builds on the desk's decision, the outbox sends the two
    // revisions that were waiting, oldest first.
    Capture::FinalizeOptions o;
    o.reason = "koreksi setelah putusan desk";
    auto next = store.capture().finalize(moveOneVote(moveOneVote(validPpwpSheet())), "Siti", o);
    EXPECT_EQ(next.parent, h.desk.id);
    auto batch = store.outbox().takeBatch(10, 1 << 20);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[0].revision.id, h.queued.id);
    EXPECT_EQ(batch[1].revision.id, h.sending.id);
    EXPECT_EQ(batch[2].revision.id, next.id);
}

class DeviceSchema : public ::testing::TestWithParam<DeviceCase> {
protected:
    void build(const DeviceCase& c) {
        SchemaCase sc{c.step, [&](sqlite::Database& db) { c.write(db, file + ".photos"); }};
        buildAtStep(file, deviceMigrations(), sc);
    }
    TempDir dir;
    std::string file = dir.file("device.db");
};

} // namespace

TEST(DeviceSchemaCases, EveryStepHasACase) {
    ASSERT_EQ(cases().size(), deviceMigrations().size())
        << "device schema step " << deviceMigrations().size()
        << " has no upgrade case: add one to cases()";
    for (std::size_t i = 0; i < cases().size(); ++i)
        EXPECT_EQ(cases()[i].step, static_cast<int>(i) + 1);
}

TEST_P(DeviceSchema, AFileFromThisStepOpensWithItsData) {
    build(GetParam());
    DeviceFile store(file);
    checkUpgraded(store, GetParam());
}

TEST_P(DeviceSchema, AStepThatFailsHalfwayIsRolledBackWhole) {
    build(GetParam());
    std::vector<std::string> before;
    {
        sqlite::Database db(file);
        auto withFailing = deviceMigrations();
        withFailing.push_back(failingStep());
        EXPECT_THROW(db.migrate(withFailing), sqlite::Error);
        EXPECT_EQ(db.userVersion(), static_cast<int>(deviceMigrations().size()));
        before = schemaObjects(db);
        for (const auto& o : before)
            EXPECT_EQ(o.find("half_applied"), std::string::npos) << o;
    }
    DeviceFile store(file);
    sqlite::Database raw(store.path().string());
    EXPECT_EQ(schemaObjects(raw), before);
    checkUpgraded(store, GetParam());
}

INSTANTIATE_TEST_SUITE_P(EveryStep, DeviceSchema, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<DeviceCase>& info) {
                             return "Step" + std::to_string(info.param.step);
                         });
