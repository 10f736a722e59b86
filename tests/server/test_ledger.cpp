// The ledger at the store: signed revisions (a missing or wrong signature stores nothing but the
// refusal), the authorship rules as an insider tried them, signed heads that extend each other,
// verify after a mixed history, and caches that follow what another process appends.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/api_error.h"
#include "rekap/ledger.h"
#include "rekap/ledger_replay.h"
#include "rekap/merkle.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "revisions.h"
#include "store_sql.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using protocol::PushStatus;

namespace {

class Ledger : public StoreSuite {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        a = enrol("9901011001001", "a");
        b = enrol("9901011001001", "b");
    }
    protocol::PushResult push(const central::DeviceRecord& d, const Revision& r) {
        return store->intake().ingest(d, nlohmann::json::array({encodeRevision(r)})).results.at(0);
    }
    int entriesOfKind(const std::string& kind) {
        auto sql = test::sqlOf(*store);
        auto st = sql->prepare("SELECT COUNT(*) FROM ledger WHERE kind = ?");
        st.bindAll(kind);
        st.step();
        return st.integer(0);
    }
    central::DeviceRecord a, b;
    const std::string key = "9901011001001/ppwp";
};

Sheet votes(int one, int two, int three) {
    auto s = validPpwpSheet();
    s.candidates[0].votes = one;
    s.candidates[1].votes = two;
    s.candidates[2].votes = three;
    return s;
}

/// A valid PPWP sheet of the other desa's TPS.
Sheet otherTps() {
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse("9901011002001");
    return s;
}

} // namespace

TEST_P(Ledger, AnUnsignedRevisionIsRefusedAndOnlyTheRefusalIsRecorded) {
    auto r = makeRevision(a.id, validPpwpSheet());
    r.signature.reset();
    auto res = push(a, r);
    EXPECT_EQ(res.status, PushStatus::Refused);
    EXPECT_EQ(res.error->code, "signature_invalid");
    EXPECT_EQ(res.error->path, "$.revisions[0].signature");
    EXPECT_EQ(store->sheets().revisionCount(), 0);
    EXPECT_FALSE(store->sheets().sheet(key));
    EXPECT_EQ(entriesOfKind("refusal"), 1);
    EXPECT_EQ(entriesOfKind("revision"), 0);
}

TEST_P(Ledger, ASignatureByAnotherKeyOrOverOtherNumbersIsRefused) {
    // Another device's key (a stolen token without the tablet's key).
    auto r = makeRevision(a.id, validPpwpSheet());
    signRevision(r, signing::generateKeyPair().privateKey);
    EXPECT_EQ(push(a, r).error->code, "signature_invalid");
    // The tablet's own signature, over other numbers (changed in transit, hash recomputed).
    auto honest = makeRevision(a.id, validPpwpSheet());
    auto changed = honest;
    changed.sheet = votes(70, 89, 11);
    changed.sheet.summary.valid = 170;
    auto j = encodeRevision(changed); // a fresh hash over the new numbers, the old signature
    auto out = store->intake().ingest(a, nlohmann::json::array({j})).results.at(0);
    EXPECT_EQ(out.status, PushStatus::Refused);
    EXPECT_EQ(out.error->code, "signature_invalid");
    EXPECT_EQ(store->sheets().revisionCount(), 0);
    EXPECT_EQ(push(a, honest).status, PushStatus::Accepted);
}

TEST_P(Ledger, TheInsidersTwoPushesBecomeConflictsNotOverwrites) {
    // Issue 13: a second operator tablet of the TPS pushed a revision whose parent was the
    // other device's head, then one whose parent was the desk's resolution. Both used to
    // fast-forward; the counted numbers went from 119/105/9 to 9/105/119.
    auto honest = makeRevision(a.id, votes(70, 90, 10));
    ASSERT_EQ(push(a, honest).status, PushStatus::Accepted);
    auto first = makeRevision(b.id, votes(10, 90, 70), honest.id, "koreksi");
    auto res = push(b, first);
    EXPECT_EQ(res.status, PushStatus::Conflict);
    EXPECT_EQ(store->sheets().sheet(key)->winner, honest.id);
    EXPECT_EQ(store->live().counted(key).sheet->candidates[0].votes, 70);

    auto decision = store->sheets().resolve(key, honest.id, "dicocokkan dengan plano", "Desk Uji");
    EXPECT_EQ(store->sheets().sheet(key)->state, SheetState::Accepted);
    auto second = makeRevision(b.id, votes(10, 90, 70), decision, "koreksi lagi");
    EXPECT_EQ(push(b, second).status, PushStatus::Conflict);
    EXPECT_EQ(store->sheets().sheet(key)->winner, decision);
    EXPECT_EQ(store->live().counted(key).sheet->candidates[0].votes, 70);
    EXPECT_TRUE(store->live().counted(key).verified);
    // Not even the first device replaces the desk's decision silently.
    auto own = makeRevision(a.id, votes(71, 89, 10), decision, "salah ketik");
    EXPECT_EQ(push(a, own).status, PushStatus::Conflict);
    EXPECT_EQ(store->live().counted(key).sheet->candidates[0].votes, 70);
    // Its own corrections still fast-forward before any decision.
    auto other = "9901011001001/pdpd";
    auto d1 = makeRevision(a.id, validPdpdSheet());
    push(a, d1);
    auto d2 = makeRevision(a.id, validPdpdSheet(), d1.id, "koreksi"); // a new revision
    EXPECT_EQ(push(a, d2).status, PushStatus::Accepted);
    EXPECT_EQ(store->sheets().sheet(other)->heads, std::vector<std::string>{d2.id});
}

TEST_P(Ledger, EveryCommitIsSealedByASignedHeadThatExtendsTheLastOne) {
    auto key0 = store->masterData().receiverKey();
    ASSERT_TRUE(signing::isPublicKey(key0));
    std::vector<ledger::TreeHead> heads;
    for (int i = 0; i < 4; ++i) {
        auto res = store->intake().ingest(
            a, nlohmann::json::array({encodeRevision(makeRevision(
                   a.id, i % 2 ? validPdpdSheet() : validPpwpSheet(), std::nullopt))}));
        ASSERT_TRUE(res.treeHead);
        const auto& h = *res.treeHead;
        EXPECT_EQ(h.size, static_cast<std::uint64_t>(store->ledger().ledgerSize()));
        EXPECT_TRUE(signing::verify(key0, ledger::signingText(h), h.signature));
        // The receipt's entry is included in the head.
        auto idx = *res.results[0].ledgerIndex;
        auto leaf = merkle::leafHash(store->ledger().ledgerEntry(idx));
        EXPECT_TRUE(merkle::verifyInclusion(leaf, idx, h.size,
                                            store->ledger().inclusionProof(idx, h.size),
                                            *merkle::fromHex(h.root)));
        EXPECT_EQ(res.results[0].receipt, ledger::receiptCode(idx, merkle::toHex(leaf)));
        heads.push_back(h);
    }
    for (std::size_t i = 1; i < heads.size(); ++i)
        EXPECT_TRUE(merkle::verifyConsistency(
            heads[i - 1].size, heads[i].size, *merkle::fromHex(heads[i - 1].root),
            *merkle::fromHex(heads[i].root),
            store->ledger().consistencyProof(heads[i - 1].size, heads[i].size)));
}

namespace {
/// Accepted, conflicting, rejected and decided sheets, a revoked device and the same master data
/// loaded again.
void mixedHistory(
    central::CentralStore& store, const TempDir& dir,
    const std::function<protocol::PushResult(const central::DeviceRecord&, const Revision&)>& push,
    const central::DeviceRecord& a, const central::DeviceRecord& b, const central::DeviceRecord& c,
    const std::string& key) {
    auto r1 = makeRevision(a.id, validPpwpSheet());
    push(a, r1);
    push(b, makeRevision(b.id, votes(69, 91, 10)));
    auto bad = validPdpdSheet();
    bad.summary.invalid += 5; // R3
    push(a, makeRevision(a.id, bad));
    push(a, makeRevision(a.id, validPdprSheet()));
    push(c, makeRevision(c.id, otherTps()));
    store.sheets().resolve(key, r1.id, "plano", "Desk");
    store.registry().revokeDevice(b.id);
    store.masterData().loadRegency(
        writeTinyRegency(dir)); // the same file: no new version, no entry
}
} // namespace

TEST_P(Ledger, VerifyHoldsAfterAMixedHistoryAndTheReplayCountsTheSame) {
    auto c = enrol("9901011002001", "c");
    mixedHistory(
        *store, dir, [&](auto& d, auto& r) { return push(d, r); }, a, b, c, key);
    auto rep = store->ledger().verify();
    EXPECT_TRUE(rep.ok) << rep.failure;
    EXPECT_EQ(rep.entries, store->ledger().ledgerSize());
    EXPECT_EQ(rep.revisions, store->sheets().revisionCount());
    EXPECT_EQ(rep.revisions, 6); // five pushed, one decision

    ledger::Replay replay(store->masterData().receiverKey());
    for (std::int64_t i = 0; i < store->ledger().ledgerSize(); ++i)
        replay.apply(store->ledger().ledgerEntry(i));
    EXPECT_TRUE(*replay.tally() == *store->live().tally());
    EXPECT_EQ(replay.counted(key), store->live().counted(key));
}

TEST_P(Ledger, AReplayThatReadsTheHeadsSheetsBackCountsAsOneThatHoldsThem) {
    // What a receiver's verification does (Replay::readSheetsFrom): it keeps each head's entry
    // index, not its sheet, and reads the winners back a page at a time.
    auto c = enrol("9901011002001", "c");
    mixedHistory(
        *store, dir, [&](auto& d, auto& r) { return push(d, r); }, a, b, c, key);
    std::vector<std::int64_t> asked;
    ledger::Replay replay(store->masterData().receiverKey());
    std::optional<std::string> swapped; // what an intruder writes between replay and read-back
    replay.readSheetsFrom([&](const std::vector<std::int64_t>& idxs) {
        std::vector<std::string> out;
        for (auto idx : idxs) {
            asked.push_back(idx);
            out.push_back(swapped ? *swapped : store->ledger().ledgerEntry(idx));
        }
        return out;
    });
    for (std::int64_t i = 0; i < store->ledger().ledgerSize(); ++i)
        replay.apply(store->ledger().ledgerEntry(i));
    EXPECT_TRUE(asked.empty()) << "a sheet was read back while the ledger was replayed";
    EXPECT_TRUE(*replay.tally() == *store->live().tally());
    // The winners of the three sheets counted (the conflict's is the desk's decision; the DPD
    // sheet was rejected), each read once.
    EXPECT_EQ(asked.size(), 3u);
    asked.clear();
    EXPECT_EQ(replay.counted(key), store->live().counted(key));
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(store->ledger().ledgerEntry(asked[0])).at("kind"), "decision");

    // Read back, an entry is taken only as it was replayed: its numbers changed since (one vote
    // moved, the entry otherwise as it was) are refused, naming the entry.
    auto e = nlohmann::json::parse(store->ledger().ledgerEntry(asked[0]));
    e["revision"]["sheet"]["votes"]["candidates"][0]["votes"] =
        e["revision"]["sheet"]["votes"]["candidates"][0]["votes"].get<int>() + 1;
    swapped = e.dump();
    try {
        replay.counted(key);
        ADD_FAILURE() << "a changed entry was read back";
    } catch (const ledger::ReplayError& err) {
        EXPECT_EQ(err.index(), asked[0]);
        EXPECT_NE(std::string(err.what()).find("not the entry that was replayed"),
                  std::string::npos)
            << err.what();
    }
    EXPECT_THROW(replay.tally(), ledger::ReplayError);
}

TEST_P(Ledger, AnotherProcessesRevocationAndDecisionReachThisOnesCaches) {
    // Two stores on one file stand for `serve` and an admin command run beside it.
    auto tally = store->live().tally();
    auto code =
        store->registry().mintCodes(protocol::Role::Operator, AreaCode::parse("9901011001001"), 1,
                                    std::chrono::hours(1), "d")[0];
    auto token = enrolSigned(*store, code, "d").token;
    auto d = store->registry().authenticate(token); // remembered by the serving process
    auto ra = makeRevision(a.id, validPpwpSheet());
    push(a, ra);
    auto rd = makeRevision(d.id, votes(69, 91, 10));
    push(d, rd);
    auto admin = openAgain();
    admin->registry().revokeDevice(d.id);
    admin->sheets().resolve(key, rd.id, "plano says so", "Desk");
    store->live().follow();
    try {
        store->registry().authenticate(token);
        FAIL() << "a revoked device authenticated";
    } catch (const central::ApiError& e) {
        EXPECT_EQ(e.status(), 403);
    }
    // The decision moved every level of the serving process's tally.
    EXPECT_TRUE(*store->live().tally() == *store->live().recount());
    auto kab = store->live().tally()->area("ppwp", AreaCode::parse("9901"));
    EXPECT_EQ(kab->votes.at(VoteKey{VoteKey::Candidate, 0, 0, 1}.packed()), 69);
    EXPECT_EQ(kab->tpsVerified, 1);
    // A push authenticated before the revocation reached the serving process is refused whole.
    auto admin2 = openAgain();
    auto e = enrol("9901011001001", "e");
    admin2->registry().revokeDevice(e.id);
    EXPECT_THROW(push(e, makeRevision(e.id, validPdpdSheet())), central::ApiError);
    EXPECT_TRUE(store->ledger().verify().ok);
}

TEST_P(Ledger, TheSigningKeyLivesOutsideTheDatabase) {
    auto keyFile = location->options().signingKeyFile.empty()
                       ? dir.file("central.db") + ".key"
                       : location->options().signingKeyFile.string();
    ASSERT_TRUE(std::filesystem::exists(keyFile));
    EXPECT_EQ(std::filesystem::status(keyFile).permissions() & std::filesystem::perms::group_all,
              std::filesystem::perms::none);
    store.reset();
    std::filesystem::remove(keyFile);
    store = openAgain();
    // Reads go on; anything that must be signed says what is missing.
    EXPECT_TRUE(store->masterData().initialized());
    try {
        store->registry().revokeDevice(a.id);
        FAIL() << "wrote without the signing key";
    } catch (const std::exception& ex) {
        EXPECT_NE(std::string(ex.what()).find("is missing"), std::string::npos) << ex.what();
    }
    EXPECT_FALSE(store->registry().devices().front().revoked);
}

INSTANTIATE_STORE_SUITE(Ledger);
