// Tampering around the ledger (issue 25): edits to central.db's derived tables, to the receiver's
// key and to the photo files that leave every ledger entry intact, so that only a comparison of
// what the receiver serves with the ledger names them. As in test_tamper.cpp, each edit is made
// with the sqlite3 command-line tool (or on disk) after the store is closed.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "child_process.h"
#include "fixtures.h"
#include "ledger_edit.h"
#include "rekap/central/api_error.h"
#include "rekap/ledger.h"
#include "rekap/merkle.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "rekap/support/sqlite.h"
#include "revisions.h"
#include "store_test.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;

namespace {

class TamperServed : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        a = enrol("9901011001001", "a");
        b = enrol("9901011001001", "b");
        first = push(a, makeRevision(a.id, validPpwpSheet()));
        // b's PDPR sheet differs from a's: a conflict the desk has not decided; b's head loses.
        push(a, makeRevision(a.id, validPdprSheet()));
        auto pdpr = validPdprSheet();
        pdpr.parties[0].candidates[0].votes -= 1;
        pdpr.parties[0].candidates[1].votes += 1;
        losing = makeRevision(b.id, pdpr);
        losingIdx = push(b, losing);
        // A decided conflict, so that superseded has a row.
        push(b, makeRevision(b.id, moveOneVote(validPpwpSheet())));
        store->sheets().resolve("9901011001001/ppwp",
                                store->sheets().sheet("9901011001001/ppwp")->winner.value(),
                                "plano", "Desk");
        ASSERT_EQ(store->sheets().sheet("9901011001001/pdpr")->state, SheetState::Conflict);
        ASSERT_TRUE(store->ledger().verify().ok) << store->ledger().verify().failure;
        store.reset(); // closed, as the file would be when someone edits it
    }
    std::int64_t push(const central::DeviceRecord& d, const Revision& r) {
        return *store->intake()
                    .ingest(d, nlohmann::json::array({encodeRevision(r)}))
                    .results.at(0)
                    .ledgerIndex;
    }
    void edit(const std::string& sql) { editWithSqlite3(dir, dir.file("central.db"), sql); }
    static std::string quoted(const std::string& s) { return sqlQuoted(s); }
    std::string regencyDocument() {
        sqlite::Database db(dir.file("central.db"), false);
        auto st = db.prepare("SELECT document FROM regency WHERE id = 1");
        EXPECT_TRUE(st.step());
        return st.text(0);
    }
    void setRegencyDocument(const nlohmann::json& doc) {
        edit("UPDATE regency SET document = " + quoted(doc.dump()) + " WHERE id = 1;");
    }
    std::int64_t ledgerSize() {
        sqlite::Database db(dir.file("central.db"), false);
        auto st = db.prepare("SELECT COUNT(*) FROM ledger");
        st.step();
        return st.int64(0);
    }
    void appendEntry(ledger::Kind kind, const std::string& text) {
        edit("INSERT INTO ledger (idx, kind, sheet, device, entry, leaf_hash, created_at) SELECT "
             "MAX(idx) + 1, " +
             quoted(std::string(ledger::kindName(kind))) + ", '', NULL, " + quoted(text) + ", " +
             quoted(merkle::toHex(merkle::leafHash(text))) +
             ", '2024-02-14T11:00:00Z' FROM ledger;");
    }
    /// verify() fails saying `what` (about entry `entryIdx`, unless -2).
    central::VerifyReport expectFailure(const std::string& what, std::int64_t entryIdx = -2) {
        store = std::make_unique<central::CentralStore>(dir.file("central.db"));
        auto rep = store->ledger().verify();
        EXPECT_FALSE(rep.ok);
        EXPECT_NE(rep.failure.find(what), std::string::npos) << rep.failure;
        if (entryIdx != -2) {
            EXPECT_EQ(rep.failedEntry, entryIdx) << rep.failure;
        }
        return rep;
    }
    /// rekap-verify on an export of the store fails naming `entryIdx` and saying `what`.
    void expectExportFails(std::int64_t entryIdx, const std::string& what) {
        auto file = dir.file("audit.jsonl");
        {
            std::ofstream out(file);
            store->ledger().exportAudit(out);
        }
        auto [code, out] = runProgram(REKAP_VERIFY_BIN, {file});
        EXPECT_EQ(code, 1) << out;
        EXPECT_NE(out.find("ledger entry " + std::to_string(entryIdx)), std::string::npos) << out;
        EXPECT_NE(out.find(what), std::string::npos) << out;
    }
    central::DeviceRecord a, b;
    Revision losing;
    std::int64_t first = 0, losingIdx = 0;
};

} // namespace

// Issue 25, row 1: paslon 1's votes shown under paslon 2's name.
TEST_F(TamperServed, PaslonNamesSwappedInTheRegencyTableAreNeitherServedNorMissed) {
    auto original = regencyDocument();
    auto doc = nlohmann::json::parse(original);
    auto& candidates = doc["contests"][0]["candidates"];
    ASSERT_EQ(candidates[0]["name"], "Satu");
    std::swap(candidates[0]["name"], candidates[1]["name"]);
    setRegencyDocument(doc); // content_hash left alone
    expectFailure("the regency table's document is not the ledger's latest master data");
    // What the receiver serves (tablets, dashboard, CSV) is the ledger's master data.
    EXPECT_EQ(store->masterData().regencyDocument(), original);
    EXPECT_EQ(nlohmann::json::parse(
                  store->masterData().regencyDocument())["contests"][0]["candidates"][0]["name"],
              "Satu");
}

// Issue 25, row 2: the rules and "data masuk" would use a false DPT.
TEST_F(TamperServed, ALoweredDptInTheRegencyTableIsNeitherUsedNorMissed) {
    auto doc = nlohmann::json::parse(regencyDocument());
    ASSERT_EQ(doc["tps"][0]["dpt_l"], 100);
    doc["tps"][0]["dpt_l"] = 40;
    setRegencyDocument(doc);
    expectFailure("the regency table's document is not the ledger's latest master data");
    const auto* tps = store->masterData().regency().findTps(AreaCode::parse("9901011001001"));
    ASSERT_TRUE(tps);
    EXPECT_EQ(tps->dptL, 100);
}

// The regency's code or version column changed alone (heads are signed for the code read there).
TEST_F(TamperServed, TheRegencyTablesVersionChangedIsNamed) {
    edit("UPDATE regency SET content_hash = " + quoted(std::string(64, 'a')) + " WHERE id = 1;");
    expectFailure("code or content_hash is not the ledger's latest master data's");
}

// Issue 25, row 3: an attacker's receiver key appended, and the key file replaced by theirs.
TEST_F(TamperServed, ASecondReceiverKeyIsNamedAndTheReceiverRefusesToWriteWithIt) {
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    auto receiverKey = store->masterData().receiverKey();
    store.reset();
    auto attacker = signing::generateKeyPair();
    auto idx = ledgerSize();
    appendEntry(ledger::Kind::ReceiverKey,
                ledger::entryText(ledger::Kind::ReceiverKey, idx, "2024-02-14T11:00:00Z",
                                  {{"public_key", attacker.publicKey}}));
    // With the true key file still in place, nothing more is signed on top of the damage.
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    EXPECT_EQ(store->masterData().receiverKey(), receiverKey);
    EXPECT_ANY_THROW(store->registry().revokeDevice(b.id));
    store.reset();
    std::ofstream(dir.file("central.db.key"), std::ios::trunc) << attacker.privateKey << "\n";
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    // The CLI's writes (a decision, a revocation) are refused, not signed with the new key.
    EXPECT_ANY_THROW(store->sheets().resolve("9901011001001/pdpr", losing.id, "plano", "Desk"));
    EXPECT_ANY_THROW(store->registry().revokeDevice(a.id));
    EXPECT_EQ(store->masterData().receiverKey(), receiverKey);
    EXPECT_EQ(ledgerSize(), idx + 1);
    expectFailure("a second receiver key", idx);
    expectExportFails(idx, "a second receiver key");
}

// The key file holds another key than the ledger's: what the receiver signs next is not the
// ledger's receiver's.
TEST_F(TamperServed, AKeyFileWithAnotherKeyIsNamed) {
    std::ofstream(dir.file("central.db.key"), std::ios::trunc)
        << signing::generateKeyPair().privateKey << "\n";
    expectFailure("the receiver's signing key");
}

// Issue 25, row 4: a losing conflict head moved to the oldest line would win on its device's
// next correction.
TEST_F(TamperServed, ALosingHeadsLineChangedIsNamed) {
    edit("UPDATE revisions SET line = 0 WHERE id = " + quoted(losing.id) + ";");
    expectFailure("differs from its ledger entry " + std::to_string(losingIdx) + " in column line",
                  losingIdx);
}

TEST_F(TamperServed, ARevisionsOperatorChangedIsNamed) {
    edit("UPDATE revisions SET operator = 'Someone else' WHERE id = " + quoted(losing.id) + ";");
    expectFailure("in column operator", losingIdx);
}

TEST_F(TamperServed, ASupersededRowRemovedIsNamed) {
    edit("DELETE FROM superseded;");
    expectFailure("the superseded table");
}

TEST_F(TamperServed, AHeadAddedToSheetHeadsIsNamed) {
    edit("INSERT INTO sheet_heads (sheet, revision) VALUES ('9901011002001/ppwp', " +
         quoted(losing.id) + ");");
    expectFailure("sheet_heads holds heads of sheet 9901011002001/ppwp");
}

TEST_F(TamperServed, ASheetsUpdatedSeqChangedIsNamed) {
    edit("UPDATE sheets SET updated_seq = 0 WHERE sheet = '9901011001001/pdpr';");
    expectFailure("sheet 9901011001001/pdpr's row (tps, contest or updated_seq)");
}

TEST_F(TamperServed, ADevicesNameChangedIsNamed) {
    edit("UPDATE devices SET name = 'x' WHERE id = " + quoted(a.id) + ";");
    expectFailure("device " + a.id + "'s row (name, role, scope, enrolment, revocation or key)");
}

// Issue 25, row 5: the plano photo whose hash a counted revision carries, replaced on disk.
TEST_F(TamperServed, APhotoFileReplacedOnDiskIsNamed) {
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    std::string photo = "the plano photo of 9901011001001";
    auto sha = sha256Hex(photo);
    auto c = store->registry().authenticate(
        enrolSigned(*store,
                    store->registry().mintCodes(protocol::Role::Operator,
                                                AreaCode::parse("9901011002001"), 1,
                                                std::chrono::hours(1), "c")[0],
                    "c")
            .token);
    auto sheet = validPpwpSheet();
    sheet.tps = AreaCode::parse("9901011002001");
    auto rev = makeRevision(c.id, sheet);
    rev.photo = sha;
    sign(rev);
    auto idx = push(c, rev);
    auto photos = std::filesystem::path(dir.file("central.db.photos"));
    std::filesystem::create_directories(photos);
    std::ofstream(photos / (sha + ".jpg"), std::ios::binary) << photo;
    auto rep = store->ledger().verify();
    ASSERT_TRUE(rep.ok) << rep.failure;
    EXPECT_EQ(rep.photos, 1);
    store.reset();
    std::filesystem::remove(photos /
                            (sha + ".jpg")); // stored photos are read-only: replaced, not rewritten
    std::ofstream(photos / (sha + ".jpg"), std::ios::binary | std::ios::trunc) << "another picture";
    expectFailure("the photo of revision " + rev.id, idx);
}

// Issue 25, row 7 (the receiver's half): a decision forged into the pull feed, which tablets
// adopt, is named; so is a feed row changed or removed.
TEST_F(TamperServed, ADecisionForgedIntoThePullFeedIsNamed) {
    edit("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES ('resolution', "
         "'9901011001001/pdpr', '9901011001001', NULL, " +
         quoted(nlohmann::json{{"chosen", losing.id},
                               {"superseded", nlohmann::json::array()},
                               {"revision", encodeRevision(losing)}}
                    .dump()) +
         ", '2024-02-14T11:00:00Z');");
    expectFailure("the pull feed (changes) holds row");
}

TEST_F(TamperServed, APullFeedRowChangedIsNamed) {
    edit("UPDATE changes SET data = replace(data, 'conflict', 'accepted') WHERE kind = "
         "'sheet_state' AND data LIKE '%conflict%';");
    expectFailure("the pull feed (changes)'s row", losingIdx);
}

// rekap-verify says which receiver key it trusted, for the reader to hold against the recap.
TEST_F(TamperServed, RekapVerifyPrintsTheKeyItTrusted) {
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    auto file = dir.file("audit.jsonl");
    {
        std::ofstream out(file);
        store->ledger().exportAudit(out);
    }
    auto key = store->masterData().receiverKey();
    auto [code, out] = runProgram(REKAP_VERIFY_BIN, {file});
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("trusted receiver key " + signing::fingerprint(key) + " (" + key +
                       "), taken from the export itself: compare it with the key printed on "
                       "the recap"),
              std::string::npos)
        << out;
    auto [code2, out2] = runProgram(REKAP_VERIFY_BIN, {file, "--receiver-key", key});
    EXPECT_EQ(code2, 0) << out2;
    EXPECT_NE(out2.find("as pinned with --receiver-key"), std::string::npos) << out2;
}

// Every column of every derived row is compared: each edit below, alone, is named, with the
// column (revisions) or the row (sheets, devices, the pull feed) it touched.
TEST_F(TamperServed, EveryDerivedColumnIsCompared) {
    auto file = dir.file("central.db");
    auto kept = dir.file("central.db.untouched");
    std::filesystem::copy_file(file, kept);
    auto row = " WHERE id = " + quoted(losing.id) + ";";
    const std::vector<std::pair<std::string, std::string>> edits = {
        {"UPDATE revisions SET seq = 0" + row, "in column seq"},
        {"UPDATE revisions SET hash = 'x'" + row, "in column hash"},
        {"UPDATE revisions SET numbers_hash = 'x'" + row, "in column numbers_hash"},
        {"UPDATE revisions SET sheet = '9901011001001/ppwp'" + row, "in column sheet"},
        {"UPDATE revisions SET tps = '9901011002001'" + row, "in column tps"},
        {"UPDATE revisions SET contest = 'ppwp'" + row, "in column contest"},
        {"UPDATE revisions SET parent = " + quoted(losing.id) + row, "in column parent"},
        {"UPDATE revisions SET device = " + quoted(a.id) + row, "in column device"},
        {"UPDATE revisions SET operator = 'x'" + row, "in column operator"},
        {"UPDATE revisions SET captured_at = '2024-02-14T08:00:00Z'" + row,
         "in column captured_at"},
        {"UPDATE revisions SET received_at = '2024-02-14T08:00:00Z'" + row,
         "in column received_at"},
        {"UPDATE revisions SET status = 'rejected'" + row, "in column status"},
        {"UPDATE revisions SET findings = '[{\"rule\":\"R1\"}]'" + row, "in column findings"},
        {"UPDATE revisions SET body = '{}'" + row, "in column body"},
        {"UPDATE revisions SET line = 0" + row, "in column line"},
        {"UPDATE revisions SET signature = NULL" + row, "in column signature"},
        {"UPDATE revisions SET reading = 2" + row, "in column reading"},
        {"UPDATE revisions SET name = 'x'" + row, "in column name"},
        {"UPDATE revisions SET ledger_idx = NULL" + row, "rows were added, removed or moved"},
        {"UPDATE sheets SET tps = '9901011002001' WHERE sheet = '9901011001001/pdpr';",
         "(tps, contest or updated_seq)"},
        {"UPDATE sheets SET contest = 'ppwp' WHERE sheet = '9901011001001/pdpr';",
         "(tps, contest or updated_seq)"},
        {"UPDATE sheets SET state = 'accepted' WHERE sheet = '9901011001001/pdpr';",
         "is recorded accepted"},
        {"UPDATE sheets SET winner = " + quoted(losing.id) + " WHERE sheet = '9901011001001/pdpr';",
         "with winner"},
        {"DELETE FROM sheet_heads WHERE revision = " + quoted(losing.id) + ";",
         "heads in sheet_heads differ"},
        {"UPDATE devices SET role = 'camat' WHERE id = " + quoted(a.id) + ";",
         "device " + a.id + "'s row"},
        {"UPDATE devices SET scope = '9901011001002' WHERE id = " + quoted(a.id) + ";",
         "device " + a.id + "'s row"},
        {"UPDATE devices SET enrolled_at = '2024-01-01T00:00:00Z' WHERE id = " + quoted(a.id) + ";",
         "device " + a.id + "'s row"},
        {"UPDATE devices SET revoked_at = '2024-01-01T00:00:00Z' WHERE id = " + quoted(a.id) + ";",
         "device " + a.id + "'s row"},
        {"UPDATE devices SET public_key = NULL WHERE id = " + quoted(a.id) + ";",
         "device " + a.id + "'s row"},
        {"UPDATE changes SET kind = 'rejection' WHERE seq = (SELECT MAX(seq) FROM changes);",
         "the pull feed (changes)'s row"},
        {"UPDATE changes SET sheet = 'x' WHERE seq = (SELECT MAX(seq) FROM changes);",
         "the pull feed (changes)'s row"},
        {"UPDATE changes SET tps = 'x' WHERE seq = (SELECT MAX(seq) FROM changes);",
         "the pull feed (changes)'s row"},
        {"UPDATE changes SET device = 'x' WHERE seq = (SELECT MAX(seq) FROM changes);",
         "the pull feed (changes)'s row"},
        {"UPDATE changes SET created_at = 'x' WHERE seq = (SELECT MAX(seq) FROM changes);",
         "the pull feed (changes)'s row"},
        {"DELETE FROM changes WHERE seq = (SELECT MAX(seq) FROM changes);",
         "the pull feed (changes) lacks"},
    };
    for (const auto& [sql, what] : edits) {
        SCOPED_TRACE(sql);
        std::filesystem::copy_file(kept, file, std::filesystem::copy_options::overwrite_existing);
        edit(sql);
        expectFailure(what);
        store.reset();
    }
}

// A serving receiver takes a new master-data version from its ledger entry too: the regency table
// edited by hand between the load and its next look changes nothing it serves.
TEST_F(TamperServed, ARunningReceiverTakesNewMasterDataFromTheLedger) {
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    store->masterData().regencyDocument();
    auto v2 = tinyRegencyJson();
    v2["version"] = "test-2";
    v2["tps"][0]["dpt_l"] = 101;
    auto file = dir.file("tiny-regency-2.json");
    std::ofstream(file) << v2.dump();
    openAgain()->masterData().loadRegency(
        file); // another process: rekap-central init with a new version
    auto forged = v2;
    forged["tps"][0]["dpt_l"] = 40;
    setRegencyDocument(forged);
    store->live().follow();
    EXPECT_EQ(store->masterData().regencyDocument(), v2.dump());
    EXPECT_EQ(store->masterData().regency().findTps(AreaCode::parse("9901011001001"))->dptL, 101);
}
