// Entries forged into the ledger of a closed store, one rule of the ledger replay broken by each:
// a device's key replaced, a camat's sheet, a decision or a desk reading signed with another key,
// master data that is not its own version... Each is appended (or edited in place) with its true
// leaf hash, as a careful intruder would, and `rekap-central verify` (the store's verify()) and
// the outsider's rekap-verify on an export both name the entry and the rule. Each test guards
// one check: removing that check alone fails it (tests/mutants: replay-*).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "child_process.h"
#include "fixtures.h"
#include "ledger_edit.h"
#include "rekap/ledger.h"
#include "rekap/master_data.h"
#include "rekap/merge.h"
#include "rekap/merkle.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "rekap/support/sqlite.h"
#include "revisions.h"
#include "store_test.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

constexpr const char* kAt = "2024-02-14T11:00:00Z";
constexpr const char* kTps = "9901011001001";

class ForgedEntry : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        a = enrol(kTps, "a");
        b = enrol(kTps, "b");
        firstRevision = makeRevision(a.id, validPpwpSheet());
        first = push(a, firstRevision);
        push(b, makeRevision(b.id, moveOneVote(validPpwpSheet())));
        auto bad = validPdprSheet();
        bad.summary.valid += 1; // the rules reject it
        rejected = push(a, makeRevision(a.id, bad));
        store->sheets().resolve(std::string(kTps) + "/ppwp",
                                store->sheets().sheet(std::string(kTps) + "/ppwp")->winner.value(),
                                "plano", "Desk");
        ASSERT_TRUE(store->ledger().verify().ok);
        store.reset(); // closed, as the file would be when someone edits it
        std::ifstream(dir.file("central.db.key")) >> receiverPrivateKey;
    }
    std::int64_t push(const central::DeviceRecord& d, const Revision& r) {
        return *store->intake()
                    .ingest(d, json::array({encodeRevision(r)}))
                    .results.at(0)
                    .ledgerIndex;
    }
    std::string db() const { return dir.file("central.db"); }
    std::string entry(std::int64_t idx) const {
        sqlite::Database file(db(), false);
        auto st = file.prepare("SELECT entry FROM ledger WHERE idx = ?");
        st.bindAll(idx);
        EXPECT_TRUE(st.step());
        return st.text(0);
    }
    std::int64_t next() const {
        sqlite::Database file(db(), false);
        auto st = file.prepare("SELECT MAX(idx) + 1 FROM ledger");
        EXPECT_TRUE(st.step());
        return st.int64(0);
    }
    std::int64_t entryOfKind(const std::string& kind) const {
        sqlite::Database file(db(), false);
        auto st = file.prepare("SELECT idx FROM ledger WHERE kind = ? ORDER BY idx");
        st.bindAll(kind);
        EXPECT_TRUE(st.step()) << kind;
        return st.int64(0);
    }
    /// Appends `text` as entry `idx` (next()), its leaf hash true, no signed head over it.
    void append(std::int64_t idx, const std::string& text) {
        editWithSqlite3(dir, db(),
                        "INSERT INTO ledger (idx, kind, sheet, device, entry, leaf_hash, "
                        "created_at) VALUES (" +
                            std::to_string(idx) + ", 'forged', '', NULL, " + sqlQuoted(text) +
                            ", " + sqlQuoted(merkle::toHex(merkle::leafHash(text))) + ", " +
                            sqlQuoted(kAt) + ");");
    }
    std::int64_t appendEntry(ledger::Kind kind, json fields) {
        auto idx = next();
        append(idx, ledger::entryText(kind, idx, kAt, std::move(fields)));
        return idx;
    }
    std::int64_t appendRevision(const Revision& r, const std::string& outcome = "accepted") {
        return appendEntry(
            ledger::Kind::Revision,
            {{"revision", encodeRevision(r)}, {"outcome", outcome}, {"findings", json::array()}});
    }
    /// A device enrolled in the ledger with a key whose private half the test holds.
    std::string appendDevice(const std::string& id, const std::string& role,
                             const std::string& scope) {
        auto key = signing::generateKeyPair();
        Keyring::instance().remember(id, key.privateKey);
        appendEntry(ledger::Kind::DeviceEnrolled, {{"device", id},
                                                   {"name", id},
                                                   {"role", role},
                                                   {"scope", scope},
                                                   {"public_key", key.publicKey}});
        return id;
    }
    /// Replaces entry `idx` in place with its true leaf hash.
    void replace(std::int64_t idx, const std::string& text) {
        editWithSqlite3(dir, db(),
                        "UPDATE ledger SET entry = " + sqlQuoted(text) +
                            ", leaf_hash = " + sqlQuoted(merkle::toHex(merkle::leafHash(text))) +
                            " WHERE idx = " + std::to_string(idx) + ";");
    }
    /// verify() and rekap-verify both fail, naming entry `idx` and saying `what`.
    void expectNamed(std::int64_t idx, const std::string& what) {
        store = std::make_unique<central::CentralStore>(db());
        auto rep = store->ledger().verify();
        EXPECT_FALSE(rep.ok);
        EXPECT_EQ(rep.failedEntry, idx) << rep.failure;
        EXPECT_NE(rep.failure.find(what), std::string::npos) << rep.failure;
        auto file = dir.file("audit.jsonl");
        {
            std::ofstream out(file);
            store->ledger().exportAudit(out);
        }
        auto [code, out] = runProgram(REKAP_VERIFY_BIN, {file});
        EXPECT_EQ(code, 1) << out;
        EXPECT_NE(out.find("ledger entry " + std::to_string(idx)), std::string::npos) << out;
        EXPECT_NE(out.find(what), std::string::npos) << out;
    }
    Revision reading(const std::string& device, std::optional<std::string> parent,
                     Sheet sheet = validPpwpSheet()) {
        auto r = makeRevision(device, sheet, std::move(parent), std::string(merge::kSecondReading));
        r.operatorName = "Reader " + device;
        return sign(r);
    }
    central::DeviceRecord a, b;
    Revision firstRevision;
    std::int64_t first = 0, rejected = 0;
    std::string receiverPrivateKey;
};

} // namespace

TEST_F(ForgedEntry, ACamatsSheetThatIsNotASecondReadingIsNamed) {
    auto camat = appendDevice("forged-camat", "camat", "990101");
    auto idx = appendRevision(makeRevision(camat, moveOneVote(validPpwpSheet()), firstRevision.id));
    expectNamed(idx, "a camat sends only second readings of its kecamatan");
}

TEST_F(ForgedEntry, ACamatsReadingOutsideItsKecamatanIsNamed) {
    auto camat = appendDevice("forged-camat", "camat", "990102");
    auto idx = appendRevision(reading(camat, firstRevision.id));
    expectNamed(idx, "a camat sends only second readings of its kecamatan");
}

TEST_F(ForgedEntry, AnOperatorsSheetForAnotherTpsIsNamed) {
    auto other = appendDevice("forged-operator", "operator", "9901011001002");
    auto idx = appendRevision(makeRevision(other, validPdpdSheet()));
    expectNamed(idx, "which records 9901011001002");
}

TEST_F(ForgedEntry, AnOperatorsSheetMarkedAsASecondReadingIsNamed) {
    auto idx = appendRevision(reading(b.id, firstRevision.id));
    expectNamed(idx, "is marked a second reading");
}

TEST_F(ForgedEntry, ASheetFromADeviceThatNeverEnrolledIsNamed) {
    auto key = signing::generateKeyPair();
    Keyring::instance().remember("ghost", key.privateKey);
    auto idx = appendRevision(makeRevision("ghost", validPdpdSheet()));
    expectNamed(idx, "names device ghost, which never enrolled");
}

TEST_F(ForgedEntry, ASheetWhoseSignatureIsNotItsDevicesIsNamed) {
    auto r = makeRevision(a.id, validPdpdSheet());
    signRevision(r, signing::generateKeyPair().privateKey);
    auto idx = appendRevision(r);
    expectNamed(idx, "the signature is not device " + a.id);
}

TEST_F(ForgedEntry, ARevisionIdThatAppearsTwiceIsNamed) {
    auto idx = appendRevision(firstRevision);
    expectNamed(idx, "revision " + firstRevision.id + " appears twice");
}

TEST_F(ForgedEntry, ASheetRecordedAcceptedThatTheRulesRejectIsNamed) {
    auto bad = validPdpdSheet();
    bad.summary.valid += 1;
    auto idx = appendRevision(makeRevision(a.id, bad), "accepted");
    expectNamed(idx, "is recorded accepted but the rules make it rejected");
}

TEST_F(ForgedEntry, RecordedFindingsOtherThanTheRulesFindAreNamed) {
    auto e = json::parse(entry(rejected));
    ASSERT_EQ(e["outcome"], "rejected");
    ASSERT_FALSE(e["findings"].empty());
    e["findings"] = json::array(); // the reasons hidden, the outcome kept
    replace(rejected, e.dump());
    expectNamed(rejected, "the recorded findings are not what the rules find");
}

TEST_F(ForgedEntry, AReadingThatBuildsOnNoAcceptedRevisionIsNamed) {
    auto camat = appendDevice("forged-camat", "camat", "990101");
    auto idx = appendRevision(reading(camat, newUuid())); // a revision the ledger never held
    expectNamed(idx, "does not build on an accepted revision of its sheet");
}

TEST_F(ForgedEntry, AReadingByTheDeviceThatWroteWhatItReadsIsNamed) {
    auto camat = appendDevice("forged-camat", "camat", "990101");
    auto once = reading(camat, firstRevision.id);
    appendRevision(once);
    auto again = reading(camat, once.id); // the camat reads its own reading, under another name
    again.operatorName = "Another Reader";
    auto idx = appendRevision(sign(again));
    expectNamed(idx, "who wrote the revision it reads");
}

TEST_F(ForgedEntry, AReadingByThePersonWhoWroteWhatItReadsIsNamed) {
    auto camat = appendDevice("forged-camat", "camat", "990101");
    auto r = reading(camat, firstRevision.id);
    r.operatorName = " " + firstRevision.operatorName; // a's operator, on the camat's tablet
    auto idx = appendRevision(sign(r));
    expectNamed(idx, "who wrote the revision it reads");
}

TEST_F(ForgedEntry, AReadingUnderANameMixingScriptsIsNamed) {
    auto camat = appendDevice("forged-camat", "camat", "990101");
    auto r = reading(camat, firstRevision.id);
    r.operatorName = "\xD0\x85"
                     "iti"; // "Siti" with a Cyrillic S
    auto idx = appendRevision(sign(r));
    expectNamed(idx, "mixes letters of different scripts");
}

TEST_F(ForgedEntry, ADeskReadingNotSignedByTheReceiverIsNamed) {
    auto r = reading(std::string(merge::kDeskReaderPrefix) + "Clerk", firstRevision.id);
    signRevision(r, signing::generateKeyPair().privateKey);
    auto idx = appendRevision(r);
    expectNamed(idx, "is not signed by the receiver's key");
}

TEST_F(ForgedEntry, ADecisionSignedWithAnotherKeyIsNamed) {
    auto idx = entryOfKind("decision");
    auto e = json::parse(entry(idx));
    auto rev = decodeRevision(e["revision"], tinyRegency());
    signRevision(rev, signing::generateKeyPair().privateKey);
    e["revision"] = encodeRevision(rev);
    replace(idx, e.dump());
    expectNamed(idx, "decision " + rev.id + " is not signed by the receiver's key");
}

TEST_F(ForgedEntry, ADecisionThatHidesTheHeadsItSetAsideIsNamed) {
    auto idx = entryOfKind("decision");
    auto e = json::parse(entry(idx));
    ASSERT_EQ(e["superseded"].size(), 1u);
    e["superseded"] = json::array();
    replace(idx, e.dump());
    expectNamed(idx, "records other superseded heads than the sheet had");
}

TEST_F(ForgedEntry, ADecisionThatChoseNoHeadIsNamed) {
    auto idx = entryOfKind("decision");
    auto e = json::parse(entry(idx));
    auto rev = decodeRevision(e["revision"], tinyRegency());
    auto nowhere = newUuid(); // a revision the ledger never held
    rev.parent = nowhere;
    signRevision(rev, receiverPrivateKey); // whoever holds the key re-signs it
    e["revision"] = encodeRevision(rev);
    e["chosen"] = nowhere;
    replace(idx, e.dump());
    expectNamed(idx, "chose " + nowhere + ", which is not a head");
}

TEST_F(ForgedEntry, AKeyThatReplacesADevicesKeyIsNamed) {
    auto idx =
        appendEntry(ledger::Kind::DeviceKey,
                    {{"device", a.id}, {"public_key", signing::generateKeyPair().publicKey}});
    expectNamed(idx, "already has a key: keys are never replaced");
}

TEST_F(ForgedEntry, ADeviceEnrolledTwiceIsNamed) {
    auto idx = appendEntry(ledger::Kind::DeviceEnrolled,
                           {{"device", a.id},
                            {"name", "a"},
                            {"role", "operator"},
                            {"scope", kTps},
                            {"public_key", signing::generateKeyPair().publicKey}});
    expectNamed(idx, "device " + a.id + " enrolled twice");
}

TEST_F(ForgedEntry, AnEnrolmentWithoutAKeyIsNamed) {
    auto idx = appendEntry(
        ledger::Kind::DeviceEnrolled,
        {{"device", "keyless"}, {"name", "keyless"}, {"role", "operator"}, {"scope", kTps}});
    expectNamed(idx, "device keyless enrolled without a key");
}

TEST_F(ForgedEntry, ASecondRevocationIsNamed) {
    appendEntry(ledger::Kind::DeviceRevoked, {{"device", b.id}});
    auto idx = appendEntry(ledger::Kind::DeviceRevoked, {{"device", b.id}});
    expectNamed(idx, "revokes unknown or revoked device " + b.id);
}

TEST_F(ForgedEntry, AnEntryMarkedMigratedAfterLiveEntriesIsNamed) {
    auto idx = appendEntry(ledger::Kind::DeviceRevoked, {{"device", b.id}, {"migrated", true}});
    expectNamed(idx, "marked \"migrated\" after entries written live");
}

TEST_F(ForgedEntry, AnEntryWithoutAUtcTimeIsNamed) {
    auto idx = next();
    auto e =
        json::parse(ledger::entryText(ledger::Kind::DeviceRevoked, idx, kAt, {{"device", b.id}}));
    e["at"] = "14/02/2024 11:00";
    append(idx, e.dump());
    expectNamed(idx, "\"at\" is not a UTC time");
}

TEST_F(ForgedEntry, MasterDataWhoseVersionIsNotItsDocumentIsNamed) {
    auto doc = tinyRegencyJson();
    auto version = decodeRegency(doc, "forged.json").contentHash;
    doc["kecamatan"][0]["name"] = "Renamed"; // the document changed, its version kept
    auto idx = appendEntry(ledger::Kind::MasterData, {{"document", doc}, {"version", version}});
    expectNamed(idx, "the master data's version does not match its document");
}

TEST_F(ForgedEntry, MasterDataOfAnotherRegencyIsNamed) {
    // The same regency with every code moved to 9902: valid on its own, but another regency.
    auto text = tinyRegencyJson().dump();
    for (auto at = text.find("9901"); at != std::string::npos; at = text.find("9901", at))
        text.replace(at, 4, "9902");
    auto doc = json::parse(text);
    auto reg = decodeRegency(doc, "forged.json");
    auto idx =
        appendEntry(ledger::Kind::MasterData, {{"document", doc}, {"version", reg.contentHash}});
    expectNamed(idx, "master data of another regency");
}

// A ledger whose start was carried over from a store older than signing: there, and only for a
// device that had no key then, a revision may be unsigned. A device with a key signs everything,
// even at the start (the rule apart from "migrated only at the start", which the forged entries
// above cannot reach: they come after live entries).
TEST(MigratedLedgerStart, AnUnsignedRevisionFromADeviceWithAKeyIsNamed) {
    TempDir dir;
    auto receiver = signing::generateKeyPair();
    auto doc = tinyRegencyJson();
    auto sheet = validPpwpSheet();
    auto r = makeRevision("carried-over", sheet); // no key in the keyring: unsigned
    ASSERT_FALSE(r.signature);
    std::vector<std::string> entries = {
        ledger::entryText(ledger::Kind::ReceiverKey, 0, kAt, {{"public_key", receiver.publicKey}}),
        ledger::entryText(ledger::Kind::MasterData, 1, kAt,
                          {{"document", doc},
                           {"version", decodeRegency(doc, "tiny.json").contentHash},
                           {"migrated", true}}),
        ledger::entryText(ledger::Kind::DeviceEnrolled, 2, kAt,
                          {{"device", "carried-over"},
                           {"name", "carried-over"},
                           {"role", "operator"},
                           {"scope", kTps},
                           {"public_key", signing::generateKeyPair().publicKey},
                           {"migrated", true}}),
        ledger::entryText(ledger::Kind::Revision, 3, kAt,
                          {{"revision", encodeRevision(r)},
                           {"outcome", "accepted"},
                           {"findings", json::array()},
                           {"migrated", true}})};
    auto file = dir.file("audit.jsonl");
    {
        std::ofstream out(file);
        out << json{{"rekap_audit", 1},   {"regency", "9901"},
                    {"name", "Uji"},      {"receiver_key", receiver.publicKey},
                    {"exported_at", kAt}, {"entries", entries.size()},
                    {"heads", 0}}
                   .dump()
            << "\n";
        for (const auto& e : entries)
            out << e << "\n";
    }
    auto [code, out] = runProgram(REKAP_VERIFY_BIN, {file});
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("ledger entry 3"), std::string::npos) << out;
    EXPECT_NE(out.find("the signature is not device carried-over"), std::string::npos) << out;
}
