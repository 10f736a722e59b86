// Tampering with central.db by hand, as a database administrator or an intruder with the file
// would, with the sqlite3 command-line tool: a number changed, a revision deleted, two entries
// swapped, a signature replaced, a device key swapped. `rekap-central verify` (here: the store's
// verify()) and the outsider's rekap-verify on an audit export each name what was done.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "child_process.h"
#include "fixtures.h"
#include "ledger_edit.h"
#include "rekap/central/api_error.h"
#include "rekap/ledger.h"
#include "rekap/merkle.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "rekap/support/sqlite.h"
#include "revisions.h"
#include "store_test.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;

namespace {

/// A valid PPWP sheet of the other desa's TPS.
Sheet otherTps() {
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse("9901011002001");
    return s;
}

class Tamper : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        a = enrol("9901011001001", "a");
        b = enrol("9901011001001", "b");
        c = enrol("9901011002001", "c");
        first = push(a, makeRevision(a.id, validPpwpSheet()));
        push(b, makeRevision(b.id, moveOneVote(validPpwpSheet())));
        push(a, makeRevision(a.id, validPdprSheet()));
        push(c, makeRevision(c.id, otherTps()));
        store->sheets().resolve("9901011001001/ppwp",
                                store->sheets().sheet("9901011001001/ppwp")->winner.value(),
                                "plano", "Desk");
        ASSERT_TRUE(store->ledger().verify().ok);
        store.reset(); // closed, as the file would be when someone edits it
    }
    std::int64_t push(const central::DeviceRecord& d, const Revision& r) {
        return *store->intake()
                    .ingest(d, nlohmann::json::array({encodeRevision(r)}))
                    .results.at(0)
                    .ledgerIndex;
    }
    /// Runs SQL through the sqlite3 command-line tool, dropping the append-only guards first as
    /// anyone editing the ledger must.
    void edit(const std::string& sql) { editWithSqlite3(dir, dir.file("central.db"), sql); }
    std::string entry(std::int64_t idx) {
        sqlite::Database db(dir.file("central.db"), false);
        auto st = db.prepare("SELECT entry FROM ledger WHERE idx = ?");
        st.bindAll(idx);
        EXPECT_TRUE(st.step());
        return st.text(0);
    }
    static std::string quoted(const std::string& s) { return sqlQuoted(s); }
    /// A thorough intruder also rewrites the stored leaf hash.
    void setEntry(std::int64_t idx, const std::string& text) {
        edit("UPDATE ledger SET entry = " + quoted(text) +
             ", leaf_hash = " + quoted(merkle::toHex(merkle::leafHash(text))) +
             " WHERE idx = " + std::to_string(idx) + ";");
    }
    /// verify() and rekap-verify both fail, naming `entryIdx` and saying `what` (rekap-verify,
    /// which reads an export rather than the table, says `exportWhat` when given).
    void expectNamed(std::int64_t entryIdx, const std::string& what, bool inExport = true,
                     const std::string& exportWhat = {}) {
        store = std::make_unique<central::CentralStore>(dir.file("central.db"));
        auto rep = store->ledger().verify();
        EXPECT_FALSE(rep.ok);
        EXPECT_EQ(rep.failedEntry, entryIdx) << rep.failure;
        EXPECT_NE(rep.failure.find(what), std::string::npos) << rep.failure;
        if (!inExport)
            return;
        auto file = dir.file("audit.jsonl");
        {
            std::ofstream out(file);
            store->ledger().exportAudit(out);
        }
        auto [code, out] = runProgram(REKAP_VERIFY_BIN, {file});
        EXPECT_EQ(code, 1) << out;
        EXPECT_NE(out.find("ledger entry " + std::to_string(entryIdx)), std::string::npos) << out;
        EXPECT_NE(out.find(exportWhat.empty() ? what : exportWhat), std::string::npos) << out;
    }
    central::DeviceRecord a, b, c;
    std::int64_t first = 0;
};

std::string replaceFirst(std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return pos == std::string::npos ? s : s.replace(pos, from.size(), to);
}

} // namespace

TEST_F(Tamper, UntouchedTheExportVerifiesAndGivesTheSameTally) {
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    auto file = dir.file("audit.jsonl");
    {
        std::ofstream out(file);
        store->ledger().exportAudit(out);
    }
    auto [code, out] = runProgram(
        REKAP_VERIFY_BIN, {file, "--json", "--receiver-key", store->masterData().receiverKey()});
    ASSERT_EQ(code, 0) << out;
    auto j = nlohmann::json::parse(out);
    auto t = store->live().tally()->area("ppwp", AreaCode::parse("9901"));
    const auto& ppwp = j["tally"][0];
    EXPECT_EQ(ppwp["votes"]["valid"], t->valid);
    EXPECT_EQ(ppwp["candidates"][0]["votes"],
              t->votes.at(VoteKey{VoteKey::Candidate, 0, 0, 1}.packed()));
    EXPECT_EQ(ppwp["tps"]["verified"], 1);
    // Pinned to another key, the same export fails.
    auto [code2, out2] = runProgram(REKAP_VERIFY_BIN,
                                    {file, "--receiver-key", signing::generateKeyPair().publicKey});
    EXPECT_EQ(code2, 1) << out2;
    EXPECT_NE(out2.find("not the pinned"), std::string::npos) << out2;
}

TEST_F(Tamper, ANumberChangedIsNamed) {
    setEntry(first, replaceFirst(entry(first), R"({"number":1,"votes":70})",
                                 R"({"number":1,"votes":80})"));
    expectNamed(first, "does not match the content");
}

TEST_F(Tamper, ANumberChangedWithItsHashRecomputedBreaksTheSignature) {
    auto e = nlohmann::json::parse(entry(first));
    auto rev = decodeRevision(e["revision"], tinyRegency());
    rev.sheet.candidates[0].votes = 80;
    rev.sheet.candidates[1].votes = 80;
    e["revision"] = encodeRevision(rev); // a consistent hash, the old signature
    setEntry(first, e.dump());
    expectNamed(first, "the signature is not device");
}

TEST_F(Tamper, ARevisionDeletedIsNamed) {
    edit("DELETE FROM ledger WHERE idx = " + std::to_string(first) +
         "; DELETE FROM revisions WHERE ledger_idx = " + std::to_string(first) + ";");
    // The receiver sees the hole in the table's numbering; the export has no hole, so its next
    // entry stands where the deleted one stood and says which it really is.
    auto at = "ledger entry " + std::to_string(first) + ": ";
    expectNamed(first, at + "is missing (the next entry is " + std::to_string(first + 1) + ")",
                true,
                at + "says it is entry " + std::to_string(first + 1) +
                    ": entries were removed, inserted or moved");
}

TEST_F(Tamper, TwoEntriesSwappedAreNamed) {
    auto x = entry(first), y = entry(first + 1);
    setEntry(first, y);
    setEntry(first + 1, x);
    expectNamed(first, "says it is entry " + std::to_string(first + 1));
}

TEST_F(Tamper, TwoEntriesSwappedWithTheirPlacesRewrittenBreakTheSignedRoot) {
    auto x = nlohmann::json::parse(entry(first)), y = nlohmann::json::parse(entry(first + 1));
    std::swap(x["index"], y["index"]);
    setEntry(first, y.dump());
    setEntry(first + 1, x.dump());
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    auto rep = store->ledger().verify();
    EXPECT_FALSE(rep.ok);
    EXPECT_NE(rep.failure.find("do not hash to the signed root"), std::string::npos) << rep.failure;
}

TEST_F(Tamper, ASignatureReplacedIsNamed) {
    auto victim = nlohmann::json::parse(entry(first));
    auto donor = nlohmann::json::parse(entry(first + 1)); // b's revision, b's signature
    victim["revision"]["signature"] = donor["revision"]["signature"];
    setEntry(first, victim.dump());
    expectNamed(first, "the signature is not device");
}

TEST_F(Tamper, ADeviceKeySwappedInTheLedgerIsNamed) {
    sqlite::Database db(dir.file("central.db"), false);
    auto st = db.prepare("SELECT idx, entry FROM ledger WHERE kind = 'device_enrolled' AND "
                         "device = ?");
    st.bindAll(a.id);
    ASSERT_TRUE(st.step());
    auto idx = st.int64(0);
    auto e = nlohmann::json::parse(st.text(1));
    e["public_key"] = signing::generateKeyPair().publicKey;
    setEntry(idx, e.dump());
    // The first revision the device signed no longer checks against the key on record.
    expectNamed(first, "the signature is not device");
}

TEST_F(Tamper, ADeviceKeySwappedInTheDevicesTableIsNamed) {
    // What an intruder would do to have the receiver accept their own signatures as a's.
    edit("UPDATE devices SET public_key = " + quoted(signing::generateKeyPair().publicKey) +
         " WHERE id = " + quoted(a.id) + ";");
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    auto rep = store->ledger().verify();
    EXPECT_FALSE(rep.ok);
    EXPECT_NE(rep.failure.find("device " + a.id), std::string::npos) << rep.failure;
}

// An entry appended by hand that replays cleanly (its index, time, kind and leaf hash all right,
// written as ingest writes a refusal) is caught by the one check it cannot pass without the
// receiver's key: no signed head covers it.
TEST_F(Tamper, EntriesAddedWithoutTheKeyAreNamed) {
    std::int64_t next = 0;
    {
        sqlite::Database db(dir.file("central.db"), false);
        auto st = db.prepare("SELECT MAX(idx) + 1 FROM ledger");
        ASSERT_TRUE(st.step());
        next = st.int64(0);
    }
    auto text = ledger::entryText(ledger::Kind::Refusal, next, "2024-02-14T10:00:00Z",
                                  {{"device", a.id},
                                   {"revision_id", "forged"},
                                   {"code", "forbidden"},
                                   {"message", "added by hand"}});
    edit("INSERT INTO ledger (idx, kind, sheet, device, entry, leaf_hash, created_at) VALUES (" +
         std::to_string(next) + ", 'refusal', '', " + quoted(a.id) + ", " + quoted(text) + ", " +
         quoted(merkle::toHex(merkle::leafHash(text))) + ", '2024-02-14T10:00:00Z');");
    expectNamed(next, "covered by no signed head");
}

// A receiver whose ledger fails verification at start keeps serving reads but takes no more
// writes: a new signed head would vouch for the damage. Devices are answered 503 and keep what
// they hold.
TEST_F(Tamper, AfterAFailedStartupVerificationWritesAreRefusedAndReadsGoOn) {
    setEntry(first, replaceFirst(entry(first), R"({"number":1,"votes":70})",
                                 R"({"number":1,"votes":80})"));
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    store->ledger().runStartupVerification();
    ASSERT_FALSE(store->ledger().startupVerification()->ok);
    auto sizeBefore = store->ledger().verify().entries;
    try {
        push(c, makeRevision(c.id, moveOneVote(otherTps())));
        ADD_FAILURE() << "a push was taken by a receiver whose ledger failed verification";
    } catch (const central::ApiError& e) {
        EXPECT_EQ(e.status(), 503);
        EXPECT_EQ(e.body().code, protocol::error::kLedgerUnverified);
        EXPECT_NE(std::string(e.what()).find("ledger entry"), std::string::npos) << e.what();
    }
    EXPECT_THROW(store->sheets().resolve(
                     "9901011001001/pdpr",
                     store->sheets().sheet("9901011001001/pdpr")->winner.value(), "x", "Desk"),
                 central::ApiError);
    EXPECT_EQ(store->ledger().verify().entries, sizeBefore);
    EXPECT_TRUE(store->live().tally()->area("ppwp", AreaCode::parse("9901")));
    EXPECT_TRUE(store->sheets().sheet("9901011002001/ppwp"));
}

// Whoever holds the receiver's key could re-sign heads over an entry stripped of its device's
// signature and marked as carried over from an older store. Migration only ever writes a
// ledger's start, and only for devices without keys: such an entry is named.
TEST_F(Tamper, AnUnsignedRevisionPassedOffAsMigratedIsNamed) {
    auto e = nlohmann::json::parse(entry(first));
    e["revision"].erase("signature");
    e["migrated"] = true;
    setEntry(first, e.dump());
    expectNamed(first, "migrated");
}

// Whoever holds the receiver's key can re-sign a decision, but a decision only chooses: one whose
// numbers differ from the head it chose is named.
TEST_F(Tamper, ADecisionReSignedWithOtherNumbersIsNamed) {
    sqlite::Database db(dir.file("central.db"), false);
    auto st = db.prepare("SELECT idx, entry FROM ledger WHERE kind = 'decision'");
    ASSERT_TRUE(st.step());
    auto idx = st.int64(0);
    auto e = nlohmann::json::parse(st.text(1));
    auto rev = decodeRevision(e["revision"], tinyRegency());
    rev.sheet = moveOneVote(rev.sheet);
    std::ifstream keyFile(dir.file("central.db.key"));
    std::string privateKey;
    keyFile >> privateKey;
    signRevision(rev, privateKey);
    e["revision"] = encodeRevision(rev);
    setEntry(idx, e.dump());
    expectNamed(idx, "changes the numbers");
}

// A revoked tablet's revision slipped into the ledger after its revocation (signed with its own,
// stolen key) is named, whatever the heads say.
TEST_F(Tamper, ARevisionAfterItsDevicesRevocationIsNamed) {
    sqlite::Database db(dir.file("central.db"), false);
    auto st = db.prepare("SELECT MAX(idx) FROM ledger");
    ASSERT_TRUE(st.step());
    auto next = st.int64(0) + 1;
    auto revoked = ledger::entryText(ledger::Kind::DeviceRevoked, next, "2024-02-14T11:00:00Z",
                                     {{"device", c.id}});
    auto late = makeRevision(c.id, moveOneVote(otherTps()));
    auto revision = ledger::entryText(ledger::Kind::Revision, next + 1, "2024-02-14T11:00:01Z",
                                      {{"revision", encodeRevision(late)},
                                       {"outcome", "accepted"},
                                       {"findings", nlohmann::json::array()}});
    for (const auto& [i, text] : {std::pair{next, revoked}, std::pair{next + 1, revision}})
        edit(
            "INSERT INTO ledger (idx, kind, sheet, device, entry, leaf_hash, created_at) VALUES (" +
            std::to_string(i) + ", 'refusal', '', NULL, " + quoted(text) + ", " +
            quoted(merkle::toHex(merkle::leafHash(text))) + ", '2024-02-14T11:00:00Z');");
    expectNamed(next + 1, "after it was revoked");
}

// The signed heads (table tree_heads, and the heads of an audit export): each is checked whole,
// its signature, its size, its root and its regency, and every entry lies under one. Each test
// asserts the check it is named after, so that removing that check alone fails it
// (tests/mutants: replay-head-*, verify-*-covered-by-head).
namespace {

struct StoredHead {
    std::int64_t size = 0;
    std::string root, timestamp, signature;
};

std::vector<StoredHead> storedHeads(const std::string& file) {
    sqlite::Database db(file, false);
    auto st = db.prepare("SELECT size, root, timestamp, signature FROM tree_heads ORDER BY size");
    std::vector<StoredHead> out;
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3)});
    return out;
}

} // namespace

TEST_F(Tamper, AHeadSignedWithAnotherKeyIsNamed) {
    // An intruder without the receiver's key signs the true head with a key of their own.
    auto last = storedHeads(dir.file("central.db")).back();
    ledger::TreeHead head{tinyRegency().code.str(), static_cast<std::uint64_t>(last.size),
                          last.root, last.timestamp, ""};
    auto forged = signing::sign(signing::generateKeyPair().privateKey, ledger::signingText(head));
    edit("UPDATE tree_heads SET signature = " + quoted(forged) +
         " WHERE size = " + std::to_string(last.size) + ";");
    expectNamed(last.size, "is not signed by the receiver's key");
}

TEST_F(Tamper, AHeadWithAnotherRootIsNamed) {
    auto heads = storedHeads(dir.file("central.db"));
    ASSERT_GE(heads.size(), 2u);
    // The root of an earlier head: well-formed, signed once, but not this size's root.
    edit("UPDATE tree_heads SET root = " + quoted(heads.front().root) +
         " WHERE size = " + std::to_string(heads.back().size) + ";");
    expectNamed(heads.back().size, "do not hash to the signed root");
}

// `verify` checks each head when its replay reaches the head's size, against the root of that
// moment (rekap/merkle.h, Keep::LeavesAndFrontier): a head in the middle is checked there.
TEST_F(Tamper, AHeadInTheMiddleWithAnotherRootIsNamed) {
    auto heads = storedHeads(dir.file("central.db"));
    ASSERT_GE(heads.size(), 3u);
    const auto& middle = heads[heads.size() / 2];
    edit("UPDATE tree_heads SET root = " + quoted(heads.front().root) +
         " WHERE size = " + std::to_string(middle.size) + ";");
    expectNamed(middle.size, "do not hash to the signed root");
}

// A head of a size before the master data names the regency (none is signed there: the first
// covers the receiver's key and the master data) is checked all the same, once it does.
TEST_F(Tamper, AHeadBeforeTheMasterDataIsNamed) {
    std::string first;
    {
        sqlite::Database db(dir.file("central.db"), false);
        auto st = db.prepare("SELECT entry FROM ledger WHERE idx = 0");
        ASSERT_TRUE(st.step());
        first = st.text(0);
    }
    // The true root of the first entry, signed with a key of the intruder's own.
    ledger::TreeHead head{tinyRegency().code.str(), 1, merkle::toHex(merkle::leafHash(first)),
                          "2024-02-14T08:00:00Z", ""};
    auto forged = signing::sign(signing::generateKeyPair().privateKey, ledger::signingText(head));
    ASSERT_GT(storedHeads(dir.file("central.db")).front().size, 1);
    edit("INSERT INTO tree_heads (size, root, timestamp, signature) VALUES (1, " +
         quoted(head.root) + ", " + quoted(head.timestamp) + ", " + quoted(forged) + ");");
    expectNamed(1, "is not signed by the receiver's key");
}

TEST_F(Tamper, AHeadLargerThanTheLedgerIsNamed) {
    auto last = storedHeads(dir.file("central.db")).back();
    edit("UPDATE tree_heads SET size = " + std::to_string(last.size + 3) +
         " WHERE size = " + std::to_string(last.size) + ";");
    expectNamed(last.size + 3, "a signed head of " + std::to_string(last.size + 3) +
                                   " entries, but the ledger holds " + std::to_string(last.size));
}

TEST_F(Tamper, TheLastHeadRemovedLeavesEntriesUncoveredAndIsNamed) {
    // A rollback of the heads alone: the entries after the head before it vouch for nothing.
    auto heads = storedHeads(dir.file("central.db"));
    ASSERT_GE(heads.size(), 2u);
    edit("DELETE FROM tree_heads WHERE size = " + std::to_string(heads.back().size) + ";");
    expectNamed(heads[heads.size() - 2].size, "covered by no signed head");
}

TEST_F(Tamper, AWellFormedEntryAppendedWithoutAHeadIsNamed) {
    // A valid entry with its true leaf hash, appended by someone without the receiver's key: it
    // replays, and only the missing head gives it away.
    auto size = storedHeads(dir.file("central.db")).back().size;
    auto text = ledger::entryText(ledger::Kind::DeviceRevoked, size, "2024-02-14T11:00:00Z",
                                  {{"device", c.id}});
    edit("INSERT INTO ledger (idx, kind, sheet, device, entry, leaf_hash, created_at) VALUES (" +
         std::to_string(size) + ", 'device_revoked', '', NULL, " + quoted(text) + ", " +
         quoted(merkle::toHex(merkle::leafHash(text))) + ", '2024-02-14T11:00:00Z');");
    expectNamed(size, "covered by no signed head");
}

TEST_F(Tamper, AHeadOfAnotherRegencyInTheExportIsNamed) {
    store = std::make_unique<central::CentralStore>(dir.file("central.db"));
    std::stringstream exported;
    store->ledger().exportAudit(exported);
    std::string line, edited;
    while (std::getline(exported, line)) {
        if (line.find("\"tree_head\"") != std::string::npos &&
            exported.peek() == std::char_traits<char>::eof()) {
            auto j = nlohmann::json::parse(line);
            j["tree_head"]["regency"] = "9902";
            line = j.dump();
        }
        edited += line + "\n";
    }
    auto file = dir.file("audit.jsonl");
    std::ofstream(file) << edited;
    auto [code, out] = runProgram(REKAP_VERIFY_BIN, {file});
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("a signed head of regency 9902"), std::string::npos) << out;
}

TEST_F(Tamper, AStoredLeafHashChangedIsNamed) {
    // The receiver serves inclusion proofs from the stored leaf hashes: one that is not the hash
    // of its entry would prove something the ledger does not hold.
    edit("UPDATE ledger SET leaf_hash = " + quoted(std::string(64, '0')) +
         " WHERE idx = " + std::to_string(first) + ";");
    expectNamed(first, "its stored leaf hash is not the hash of its text", false);
}
