// A checkpoint of derived state (issue 30): the live tally and what each sheet counts, kept with
// the ledger size and root they cover. A receiver opened on the store loads it and takes in only
// the entries after it, and serves what a recount serves, also after more pushes. A checkpoint
// that does not fit the ledger (ahead of it, another ledger's root, unreadable) is ignored and
// the tally built from the first entry; `verify` rebuilds the state at the checkpoint's size and
// names the first area or sheet where the checkpoint differs. On both engines.

#include <gtest/gtest.h>
#include <zlib.h>

#include "checkpoint/derived_checkpoint.h"
#include "fixtures.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "revisions.h"
#include "sheets/counted.h"
#include "store_sql.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
namespace cp = rekap::central::derived_checkpoint;

namespace {

const std::string kTps = "9901011001001", kOtherTps = "9901011002001";
const std::string kDesa = "9901011001";

Sheet otherTps(Sheet s) {
    s.tps = AreaCode::parse(kOtherTps);
    return s;
}

long candidateVotes(const Tally& t, const std::string& area, int number) {
    auto a = t.area("ppwp", AreaCode::parse(area));
    auto it = a->votes.find(
        VoteKey{VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(number)}.packed());
    return it == a->votes.end() ? 0 : it->second;
}

class Checkpoint : public StoreSuite {
protected:
    void SetUp() override {
        StoreSuite::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        a = enrol(kTps, "a");
        b = enrol(kTps, "b");
        c = enrol(kOtherTps, "c");
        // A conflict the desk decides (verified), a party contest, another TPS, a rejected sheet.
        auto ra = makeRevision(a.id, validPpwpSheet());
        push(a, ra);
        push(b, makeRevision(b.id, moveOneVote(validPpwpSheet())));
        store->sheets().resolve(kTps + "/ppwp", ra.id, "plano", "Desk");
        pdpr = makeRevision(a.id, validPdprSheet());
        push(a, pdpr);
        push(c, makeRevision(c.id, otherTps(validPpwpSheet())));
        auto bad = validPdpdSheet();
        bad.summary.invalid += 3;
        push(a, makeRevision(a.id, bad));
        ASSERT_TRUE(store->live().tally());
    }
    void push(const central::DeviceRecord& d, const Revision& r,
              central::CentralStore* into = nullptr) {
        (into ? into : store.get())->intake().ingest(d, nlohmann::json::array({encodeRevision(r)}));
    }
    /// Pushes that change what the checkpoint's sheets count and add new ones.
    void pushMore(central::CentralStore* into = nullptr) {
        auto pdprFix = validPdprSheet();
        pdprFix.parties[0].partyOnly -= 1;
        pdprFix.parties[0].total -= 1;
        pdprFix.parties[1].partyOnly += 1;
        pdprFix.parties[1].total += 1;
        pdpr = makeRevision(a.id, pdprFix, pdpr.id);
        push(a, pdpr, into);                                           // a counted sheet moves
        push(c, makeRevision(c.id, otherTps(validPdprSheet())), into); // a new one
    }
    cp::Stored stored() {
        auto c = cp::read(*sqlOf(*store));
        EXPECT_TRUE(c);
        return c.value_or(cp::Stored{});
    }
    void setState(const std::string& text) {
        sqlOf(*store)->prepare("UPDATE derived_checkpoint SET state = ?").bindAll(text).run();
    }
    /// The checkpoint rewritten with `editArea` applied to every area and `editSheet` to every
    /// sheet, as someone with the database could.
    void editCheckpoint(
        const std::function<void(const std::string&, const std::string&, AreaTally&)>& editArea,
        const std::function<void(const std::string&, cp::SheetRef&)>& editSheet) {
        Tally t(store->masterData().regency());
        std::vector<std::pair<std::string, cp::SheetRef>> sheets;
        cp::decode(
            stored().state,
            [&](const std::string& contest, const std::string& area, const AreaTally& sums) {
                auto edited = sums;
                editArea(contest, area, edited);
                ASSERT_TRUE(t.restoreArea(contest, area, edited));
            },
            [&](std::string key, const cp::SheetRef& ref) {
                sheets.emplace_back(std::move(key), ref);
                editSheet(sheets.back().first, sheets.back().second);
            });
        setState(cp::encode(t, [&](const auto& emit) {
            for (const auto& [key, ref] : sheets)
                emit(key, ref);
        }));
    }
    static void anyArea(const std::string&, const std::string&, AreaTally&) {}
    static void anySheet(const std::string&, cp::SheetRef&) {}
    /// verify fails naming every one of `words`.
    void expectVerifyNames(const std::vector<std::string>& words) {
        auto rep = openAgain()->ledger().verify();
        EXPECT_FALSE(rep.ok);
        for (const auto& w : words)
            EXPECT_NE(rep.failure.find(w), std::string::npos) << rep.failure;
    }
    /// A store opened now builds a tally equal to a recount.
    void expectRebuilt() {
        auto again = openAgain();
        EXPECT_TRUE(*again->live().tally() == *again->live().recount());
    }

    central::DeviceRecord a, b, c;
    Revision pdpr;
};

} // namespace

TEST_P(Checkpoint, AReceiverStartedFromItServesTheRecountAlsoAfterMorePushes) {
    auto written = store->live().writeCheckpoint();
    ASSERT_TRUE(written);
    EXPECT_EQ(written->size, store->ledger().ledgerSize());
    EXPECT_GT(written->bytes, 0u);
    EXPECT_FALSE(store->live().writeCheckpoint()) << "nothing new since the last one";
    auto kept = stored();
    EXPECT_EQ(kept.size, written->size);
    EXPECT_TRUE(store->ledger().verify().ok) << store->ledger().verify().failure;

    pushMore(); // entries after the checkpoint, one of them moving a sheet it counts
    auto again = openAgain();
    EXPECT_TRUE(*again->live().tally() == *again->live().recount());
    EXPECT_TRUE(*again->live().tally() == *store->live().tally());
    // And it goes on following: a push through it, and one through the first receiver.
    push(c,
         makeRevision(c.id, otherTps(moveOneVote(validPpwpSheet())),
                      store->sheets().sheet(kOtherTps + "/ppwp")->winner),
         again.get());
    push(a, makeRevision(a.id, moveOneVote(validPpwpSheet()),
                         store->sheets().sheet(kTps + "/ppwp")->winner));
    again->live().follow();
    EXPECT_TRUE(*again->live().tally() == *again->live().recount());
    auto rep = again->ledger().verify();
    EXPECT_TRUE(rep.ok) << rep.failure;
    // A later checkpoint replaces it, and a store opened on that one counts the same.
    ASSERT_TRUE(again->live().writeCheckpoint());
    EXPECT_EQ(stored().size, again->ledger().ledgerSize());
    expectRebuilt();
}

TEST_P(Checkpoint, VerifyNamesTheAreaWhoseVotesItChanged) {
    ASSERT_TRUE(store->live().writeCheckpoint());
    const auto before = candidateVotes(*store->live().tally(), kDesa, 1);
    editCheckpoint(
        [](const std::string& contest, const std::string& area, AreaTally& t) {
            if (contest == "ppwp" && area == kDesa)
                t.votes[VoteKey{VoteKey::Candidate, 0, 0, 1}.packed()] += 1;
        },
        anySheet);
    // It is trusted at start (its root is the ledger's): the receiver serves the edited vote...
    EXPECT_EQ(candidateVotes(*openAgain()->live().tally(), kDesa, 1), before + 1);
    // ...and verify, which rebuilds everything from the first entry, names where.
    expectVerifyNames({"checkpoint", "contest ppwp area " + kDesa, "votes"});
}

TEST_P(Checkpoint, VerifyNamesTheSheetWhoseCountedRevisionItChanged) {
    ASSERT_TRUE(store->live().writeCheckpoint());
    editCheckpoint(anyArea, [](const std::string& key, cp::SheetRef& ref) {
        if (key == kOtherTps + "/ppwp")
            ref.winnerIdx -= 1;
    });
    expectVerifyNames({"checkpoint", "sheet " + kOtherTps + "/ppwp"});
}

TEST_P(Checkpoint, VerifyNamesASheetWhoseStateOrVerificationItChanged) {
    ASSERT_TRUE(store->live().writeCheckpoint());
    editCheckpoint(anyArea, [](const std::string& key, cp::SheetRef& ref) {
        if (key == kTps + "/ppwp")
            ref.verified = false;
    });
    expectVerifyNames({"sheet " + kTps + "/ppwp"});
}

TEST_P(Checkpoint, OneAheadOfTheLedgerIsIgnored) {
    ASSERT_TRUE(store->live().writeCheckpoint());
    // Edited sums, which a receiver would serve if it trusted the checkpoint.
    editCheckpoint(
        [](const std::string& contest, const std::string&, AreaTally& t) {
            if (contest == "ppwp")
                t.valid += 7;
        },
        anySheet);
    sqlOf(*store)->exec("UPDATE derived_checkpoint SET ledger_size = ledger_size + 10");
    expectRebuilt();
    expectVerifyNames(
        {"checkpoint", "covers " + std::to_string(store->ledger().ledgerSize() + 10)});
}

TEST_P(Checkpoint, OneOfAnotherLedgerIsIgnored) {
    ASSERT_TRUE(store->live().writeCheckpoint());
    const auto size = stored().size;
    // Another store's ledger, as long: its checkpoint copied into this one.
    TempDir otherDir;
    StoreLocation where(storeKind(), otherDir);
    std::string otherState, otherRoot;
    {
        central::CentralStore other(where.location(), where.options());
        other.masterData().loadRegency(writeTinyRegency(otherDir));
        auto code = other.registry().mintCodes(protocol::Role::Operator, AreaCode::parse(kTps), 1,
                                               std::chrono::hours(1), "x")[0];
        auto d = other.registry().authenticate(enrolSigned(other, code, "x").token);
        auto sheet = validPpwpSheet();
        std::optional<std::string> parent;
        for (int i = 0; i < 100 && other.ledger().ledgerSize() < size; ++i) {
            sheet = moveOneVote(sheet); // a chain of corrections: one entry each
            auto r = makeRevision(d.id, sheet, parent);
            other.intake().ingest(d, nlohmann::json::array({encodeRevision(r)}));
            parent = r.id;
        }
        ASSERT_GE(other.ledger().ledgerSize(), size);
        ASSERT_TRUE(other.live().tally());
        ASSERT_TRUE(other.live().writeCheckpoint());
        auto theirs = cp::read(*sqlOf(other));
        ASSERT_TRUE(theirs);
        otherState = theirs->state;
        otherRoot = theirs->root;
    }
    EXPECT_NE(otherRoot, stored().root);
    auto sql = sqlOf(*store);
    sql->prepare("UPDATE derived_checkpoint SET ledger_size = (SELECT MAX(idx) + 1 FROM ledger), "
                 "root_hash = ?, state = ?")
        .bindAll(otherRoot, otherState)
        .run();
    expectRebuilt();
    expectVerifyNames({"checkpoint", "root"});
}

TEST_P(Checkpoint, AnUnreadableOneIsIgnored) {
    ASSERT_TRUE(store->live().writeCheckpoint());
    auto text = stored().state;
    setState(text.substr(0, text.size() / 2));
    expectRebuilt();
    expectVerifyNames({"checkpoint", "unreadable"});
    setState("not a checkpoint");
    expectRebuilt();
}

TEST(CheckpointFormat, AListOfVotesWhoseLinesDoNotAscendIsUnreadable) {
    // An area's votes are read straight into a sorted array (rekap/vote_counts.h): a list that
    // repeats a line or goes back would break its order, so it makes the checkpoint unreadable.
    auto packed = [](int secondStep, std::string lines = "\x02") {
        std::string raw = "RKCP1";
        raw += '\x01'; // one area
        raw += "\x04ppwp\x04"
               "9901";                        // its contest and code
        raw += std::string(16, '\0');         // its sums, all 0
        raw += lines;                         // votes: two lines,
        raw += "\x05\x02";                    // the first 5 with 1 vote,
        raw += static_cast<char>(secondStep); // the next so many lines on,
        raw += '\x02';                        // with 1 vote
        raw += '\0';                          // no doubtful votes
        raw += '\xff';                        // no sheets
        uLongf n = compressBound(raw.size());
        std::string out(n, '\0');
        EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &n,
                            reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 1),
                  Z_OK);
        out.resize(n);
        return std::to_string(raw.size()) + ":" + signing::base64Encode(out);
    };
    VoteCounts read;
    auto area = [&](const std::string&, const std::string&, const AreaTally& t) { read = t.votes; };
    auto sheet = [](std::string, const cp::SheetRef&) {};
    cp::decode(packed(1), area, sheet);
    EXPECT_EQ(read.size(), 2u);
    EXPECT_EQ(read.at(6), 1);
    try {
        cp::decode(packed(0), area, sheet);
        FAIL() << "a line repeated was read";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("do not ascend"), std::string::npos) << e.what();
    }
    // A count of lines far beyond the bytes left is refused before anything is reserved for it.
    try {
        cp::decode(packed(1, "\xff\xff\xff\xff\xff\xff\xff\xff\x3f"), area, sheet);
        FAIL() << "a list of 2^62 lines was read";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("runs past the end"), std::string::npos) << e.what();
    }
}

TEST_P(Checkpoint, TheTallyBuiltFromTheSheetsReadsEachOncePageByPage) {
    // What a receiver without a checkpoint (and every recount) reads: a page of sheets per
    // statement. With more sheets than one page it read the first page again, for ever.
    const std::vector<std::string> every = {kTps + "/pdpd", kTps + "/pdpr", kTps + "/ppwp",
                                            kOtherTps + "/ppwp"};
    auto sql = sqlOf(*store);
    for (int page : {1, 2, 3, 4, 10}) {
        std::vector<std::string> seen;
        auto read = [&] {
            central::forEachCounted(
                *sql, store->masterData().regency(),
                [&](central::StoredSheet s) {
                    seen.push_back(s.key);
                    if (seen.size() > every.size()) // never ends otherwise
                        throw std::runtime_error("sheet " + s.key + " read again");
                },
                page);
        };
        EXPECT_NO_THROW(read()) << "page " << page;
        EXPECT_EQ(seen, every) << "page " << page;
    }
}

INSTANTIATE_STORE_SUITE(Checkpoint);
