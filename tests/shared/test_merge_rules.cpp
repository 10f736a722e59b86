// The merge's rules one at a time, each on a history written out by hand with the answer worked
// out by hand: who may fast-forward a head, when heads conflict, which head counts, and which
// second reading verifies it. Each test guards one rule, so that a break of that rule alone
// (tests/mutants: merge-*) fails it; the property test in test_merge.cpp covers the mixtures.

#include <gtest/gtest.h>

#include "rekap/merge.h"

using namespace rekap::merge;

namespace {

constexpr const char* kSeventy = "numbers-70-30"; // stand-ins for two sheets' numbers hashes
constexpr const char* kSeventyOne = "numbers-71-29";

Head entry(std::string id, std::int64_t seq, std::string author, std::string person,
           std::string numbers = kSeventy) {
    Head h;
    h.id = std::move(id);
    h.seq = seq;
    h.author = std::move(author);
    h.person = std::move(person);
    h.numbersHash = std::move(numbers);
    return h;
}

Head reading(std::string id, std::int64_t seq, std::string author, std::string person,
             std::string numbers = kSeventy) {
    auto h = entry(std::move(id), seq, std::move(author), std::move(person), std::move(numbers));
    h.reading = true;
    return h;
}

/// Siti's first entry from tablet a, then `second` building on it.
SheetHeads withReading(Head second) {
    SheetHeads s;
    applyAccepted(s, entry("r1", 1, "tablet-a", "Siti"), std::nullopt);
    applyAccepted(s, std::move(second), "r1");
    return s;
}

} // namespace

TEST(MergeRules, AReadingByAnotherPersonOnAnotherDeviceVerifies) {
    auto s = withReading(reading("r2", 2, "tablet-camat", "Budi"));
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_TRUE(verified(s));
    ASSERT_NE(verifyingReading(s), nullptr);
    EXPECT_EQ(verifyingReading(s)->id, "r2");
}

TEST(MergeRules, AReadingFromTheFirstEntrysOwnDeviceDoesNotVerify) {
    // Another name typed on the same tablet is still the same author: it fast-forwards (the
    // tablet corrects its own sheet) and nothing is left to verify the winner.
    auto s = withReading(reading("r2", 2, "tablet-a", "Budi"));
    EXPECT_FALSE(verified(s));
    EXPECT_EQ(verifyingReading(s), nullptr);
}

TEST(MergeRules, AReadingFromTheSameAuthorOnAnotherLineDoesNotVerify) {
    // The same device's reading on a line of its own (a stale parent), numbers equal: two heads
    // by one author agree, but that is one author, not two entries.
    SheetHeads s;
    applyAccepted(s, entry("r1", 1, "tablet-a", "Siti"), std::nullopt);
    applyAccepted(s, reading("r2", 2, "tablet-a", "Budi"), std::nullopt);
    ASSERT_EQ(s.heads.size(), 2u);
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_FALSE(verified(s));
}

TEST(MergeRules, AReadingByTheSamePersonOnAnotherDeviceDoesNotVerify) {
    // Siti typing her own sheet again on the camat's tablet, her name spelled with other case
    // and spaces: the same person, so not a second reading.
    auto s = withReading(reading("r2", 2, "tablet-camat", "  siti "));
    EXPECT_EQ(s.heads.size(), 2u);
    EXPECT_FALSE(verified(s));
}

TEST(MergeRules, AnEntryNotMarkedAsAReadingDoesNotVerify) {
    auto s = withReading(entry("r2", 2, "tablet-camat", "Budi"));
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_FALSE(verified(s));
}

TEST(MergeRules, AReadingWithOtherNumbersDoesNotVerifyAndConflicts) {
    auto s = withReading(reading("r2", 2, "tablet-camat", "Budi", kSeventyOne));
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_FALSE(verified(s));
    EXPECT_EQ(s.winner()->id, "r1"); // the oldest line still counts
}

TEST(MergeRules, ADeskDecisionIsVerifiedWithoutAReading) {
    SheetHeads s;
    applyAccepted(s, entry("r1", 1, "tablet-a", "Siti"), std::nullopt);
    applyAccepted(s, entry("r2", 2, "tablet-b", "Ani", kSeventyOne), std::nullopt);
    auto superseded = applyDecision(s, entry("d1", 3, "", "Desk", kSeventyOne), "r2");
    EXPECT_EQ(superseded, std::vector<std::string>{"r1"});
    ASSERT_EQ(s.heads.size(), 1u);
    EXPECT_EQ(s.winner()->author, kDecisionAuthor);
    EXPECT_EQ(s.winner()->line, 2); // on the chosen head's line
    EXPECT_TRUE(verified(s));
}

TEST(MergeRules, OnlyTheHeadsOwnDeviceFastForwardsIt) {
    SheetHeads s;
    applyAccepted(s, entry("r1", 1, "tablet-a", "Siti"), std::nullopt);
    auto own = applyAccepted(s, entry("r2", 2, "tablet-a", "Siti", kSeventyOne), "r1");
    EXPECT_TRUE(own.fastForward);
    EXPECT_EQ(own.replaced, "r1");
    ASSERT_EQ(s.heads.size(), 1u);
    EXPECT_EQ(s.heads[0].line, 1);

    auto other = applyAccepted(s, entry("r3", 3, "tablet-b", "Ani"), "r2");
    EXPECT_FALSE(other.fastForward);
    ASSERT_EQ(s.heads.size(), 2u);
    EXPECT_EQ(s.heads[1].line, 3); // a line of its own
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_EQ(s.winner()->id, "r2");
}

TEST(MergeRules, NobodyFastForwardsADeskDecision) {
    SheetHeads s;
    applyAccepted(s, entry("r1", 1, "tablet-a", "Siti"), std::nullopt);
    applyDecision(s, entry("d1", 2, "", "Desk"), "r1");
    // Not even an entry that names the desk as its author.
    auto step =
        applyAccepted(s, entry("r2", 3, std::string(kDecisionAuthor), "Desk", kSeventyOne), "d1");
    EXPECT_FALSE(step.fastForward);
    ASSERT_EQ(s.heads.size(), 2u);
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_EQ(s.winner()->id, "d1");
}

TEST(MergeRules, HeadsWithEqualNumbersAgreeAndTheOldestLineCounts) {
    SheetHeads s;
    applyAccepted(s, entry("late", 5, "tablet-b", "Ani"), std::nullopt);
    applyAccepted(s, entry("early", 7, "tablet-a", "Siti"), std::nullopt);
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_EQ(s.winner()->id, "late"); // receive order, not the names
    SheetHeads none;
    EXPECT_EQ(none.state(), rekap::SheetState::NotReceived);
    applyRejected(none);
    EXPECT_EQ(none.state(), rekap::SheetState::Rejected);
    EXPECT_EQ(none.winner(), nullptr);
}
