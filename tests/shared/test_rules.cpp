// Every rule with sheets that pass it and sheets that break it.

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"
#include "rekap/rules.h"

using namespace rekap;
using namespace rekap::test;

namespace {
std::vector<std::string> rulesOf(const Sheet& s) {
    std::vector<std::string> out;
    for (const auto& f : validateSheet(s, tinyRegency()))
        out.push_back(f.rule);
    return out;
}
bool has(const std::vector<std::string>& rules, const std::string& r) {
    return std::find(rules.begin(), rules.end(), r) != rules.end();
}
const Finding* find(const std::vector<Finding>& fs, const std::string& rule) {
    for (const auto& f : fs)
        if (f.rule == rule)
            return &f;
    return nullptr;
}
} // namespace

TEST(Rules, ValidSheetsOfEveryKindPass) {
    EXPECT_TRUE(validateSheet(validPpwpSheet(), tinyRegency()).empty());
    EXPECT_TRUE(validateSheet(validPdprSheet(), tinyRegency()).empty());
    EXPECT_TRUE(validateSheet(validPdpdSheet(), tinyRegency()).empty());
}

TEST(Rules, R1RowTotalMustBeLPlusP) {
    auto s = validPpwpSheet();
    s.voters.dpt.total = 201;
    auto fs = validateSheet(s, tinyRegency());
    const auto* f = find(fs, "R1");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, Severity::Error);
    EXPECT_EQ(f->fields.front(), "voters.dpt.l");
    EXPECT_NE(f->messageId.find("I.A"), std::string::npos);
    EXPECT_NE(f->messageEn.find("must equal L + P = 200"), std::string::npos);
}

TEST(Rules, R1DisabledVotersRow) {
    auto s = validPpwpSheet();
    s.disabledVoters.p = 5;
    EXPECT_TRUE(has(rulesOf(s), "R1"));
}

TEST(Rules, R1B4MustBeB1PlusB2PlusB3) {
    auto s = validPpwpSheet();
    s.voters.fromDpk = {1, 1, 2}; // B1+B2+B3 = 177 but B4 says 176
    auto fs = validateSheet(s, tinyRegency());
    ASSERT_NE(find(fs, "R1"), nullptr);
    EXPECT_NE(find(fs, "R1")->messageEn.find("B1 + B2 + B3"), std::string::npos);
}

TEST(Rules, R2ValidVotesMustBeSumOfSectionIV) {
    auto s = validPpwpSheet();
    s.candidates[1].votes = 190; // the 948-for-58 kind of misread
    s.summary.valid = 170;
    auto fs = validateSheet(s, tinyRegency());
    const auto* f = find(fs, "R2");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->messageId.find("Suara sah"), std::string::npos);
    EXPECT_TRUE(std::find(f->fields.begin(), f->fields.end(), "votes.candidates.2") !=
                f->fields.end());
}

TEST(Rules, R2ForPartyContestsSumsPartyTotals) {
    auto s = validPdprSheet();
    s.summary.valid = 161;
    s.summary.invalid = 15;
    EXPECT_EQ(rulesOf(s), std::vector<std::string>{"R2"});
}

TEST(Rules, R3TotalMustBeValidPlusInvalid) {
    auto s = validPpwpSheet();
    s.summary.invalid = 7;
    auto rules = rulesOf(s);
    EXPECT_TRUE(has(rules, "R3"));
}

TEST(Rules, R4VotersBallotsUsedAndVotesMustAgree) {
    auto s = validPpwpSheet();
    s.ballots.used = 177;
    s.ballots.unused = 24;
    auto fs = validateSheet(s, tinyRegency());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R4");
    EXPECT_EQ(fs[0].fields,
              (std::vector<std::string>{"voters.total.total", "ballots.used", "summary.total"}));
}

TEST(Rules, R5BallotAccountingIsAWarning) {
    auto s = validPpwpSheet();
    s.ballots.received = 210;
    auto fs = validateSheet(s, tinyRegency());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R5");
    EXPECT_EQ(fs[0].severity, Severity::Warning);
    EXPECT_FALSE(hasErrors(fs));
}

TEST(Rules, R6VotesAbove102PercentOfDpt) {
    // DPT 200: 204 votes pass, 205 do not.
    auto s = validPpwpSheet();
    auto setVotes = [&](int total) {
        s.voters.fromDpt = {total / 2, total - total / 2, total};
        s.voters.fromDptb = s.voters.fromDpk = {0, 0, 0};
        s.voters.total = s.voters.fromDpt;
        s.ballots = {total, total, 0, 0};
        s.candidates = {{1, total - 10}, {2, 5}, {3, 5}};
        s.summary = {total, 0, total};
    };
    setVotes(204);
    EXPECT_TRUE(validateSheet(s, tinyRegency()).empty());
    setVotes(205);
    EXPECT_EQ(rulesOf(s), std::vector<std::string>{"R6"});
}

TEST(Rules, R6SkippedWhenDptUnknown) {
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse("9901011001002"); // DPT 0 in master data
    EXPECT_TRUE(validateSheet(s, tinyRegency()).empty());
}

TEST(Rules, R7DifferentNumbersForTheSameSheetConflict) {
    auto a = validPpwpSheet();
    auto b = a;
    EXPECT_TRUE(checkConflict(a, b).empty());
    b.candidates[0].votes = 71;
    b.candidates[1].votes = 89;
    auto fs = checkConflict(a, b);
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R7");
    EXPECT_EQ(fs[0].severity, Severity::Conflict);
    EXPECT_TRUE(hasErrors(fs));
    auto other = validPdpdSheet();
    EXPECT_TRUE(checkConflict(a, other).empty()); // different contests never conflict
}

TEST(Rules, R8CountsAreThreeDigits) {
    auto s = validPpwpSheet();
    s.candidates[0].votes = 1070;
    s.summary.valid = 1170;
    s.summary.total = 1176;
    auto fs = validateSheet(s, tinyRegency());
    const auto* f = find(fs, "R8");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->fields, std::vector<std::string>{"votes.candidates.1"});
    EXPECT_NE(f->messageId.find("0 sampai 999"), std::string::npos);
}

TEST(Rules, R8NegativeCount) {
    auto s = validPpwpSheet();
    s.ballots.damaged = -1;
    EXPECT_TRUE(has(rulesOf(s), "R8"));
}

TEST(Rules, R9PartyTotalIsPartyOnlyPlusCandidates) {
    auto s = validPdprSheet();
    s.parties[0].candidates[0].votes = 21; // party 1: 30 + 21 + 10 = 61, but total says 60
    auto fs = validateSheet(s, tinyRegency());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R9");
    EXPECT_EQ(fs[0].fields.front(), "votes.parties.1.total");
    EXPECT_NE(fs[0].messageEn.find("Party 1"), std::string::npos);
}

TEST(Rules, SheetForATpsWithoutThatContest) {
    auto s = validPdpdSheet();
    s.tps = AreaCode::parse("9901011002001"); // receives ppwp only
    EXPECT_EQ(rulesOf(s), std::vector<std::string>{"R0"});
}
