// "Bisa mengubah pemenang" (rekap/winner_alert.h): hand-computed cases at the margin, one vote
// below it, ties, sheets in doubt, conflicts bounded by their ballots, and a party contest.

#include <gtest/gtest.h>

#include "rekap/winner_alert.h"

using namespace rekap;

namespace {

Uncertainty pending(long ballots) {
    Uncertainty u;
    u.pendingBallots = ballots;
    return u;
}

} // namespace

TEST(WinnerAlert, BallotsAreDptPlusTwoPercentRoundedUp) {
    EXPECT_EQ(ballotCapacity(0), 0);
    EXPECT_EQ(ballotCapacity(1), 2);     // 1.02
    EXPECT_EQ(ballotCapacity(50), 51);   // 51.00 exactly
    EXPECT_EQ(ballotCapacity(100), 102); // 102.00
    EXPECT_EQ(ballotCapacity(250), 255); // 255.00
    EXPECT_EQ(ballotCapacity(251), 257); // 256.02
}

// 01: 100, 02: 90, 03: 5, everything counted verified; the margin is 10.
TEST(WinnerAlert, VotesStillPossibleExactlyAtTheMarginCanChangeTheWinner) {
    auto a = winnerAlert({{1, 100, 0}, {2, 90, 0}, {3, 5, 0}}, pending(10));
    EXPECT_EQ(a.leader, 1);
    EXPECT_EQ(a.challenger, 2);
    EXPECT_EQ(a.margin, 10);
    EXPECT_EQ(a.possible, 10);
    EXPECT_EQ(a.disputed, 0);
    EXPECT_FALSE(a.tie);
    EXPECT_TRUE(a.canChange) << "ten votes for 02 would draw level: no sole winner any more";
}

TEST(WinnerAlert, OneVoteBelowTheMarginCannot) {
    auto a = winnerAlert({{1, 100, 0}, {2, 90, 0}, {3, 5, 0}}, pending(9));
    EXPECT_EQ(a.margin, 10);
    EXPECT_EQ(a.possible, 9);
    EXPECT_FALSE(a.canChange);
}

TEST(WinnerAlert, ATieWithAnythingOpenCanChangeAndATieWithNothingOpenIsFinal) {
    auto open = winnerAlert({{1, 50, 0}, {2, 50, 0}}, pending(1));
    EXPECT_EQ(open.leader, 1) << "of equal lines, the first on the ballot is named";
    EXPECT_EQ(open.challenger, 2);
    EXPECT_TRUE(open.tie);
    EXPECT_EQ(open.margin, 0);
    EXPECT_TRUE(open.canChange);
    auto final = winnerAlert({{1, 50, 0}, {2, 50, 0}}, pending(0));
    EXPECT_TRUE(final.tie);
    EXPECT_FALSE(final.canChange);
}

TEST(WinnerAlert, NothingCountedHasNoLeaderToOverturn) {
    auto a = winnerAlert({{1, 0, 0}, {2, 0, 0}}, pending(500));
    EXPECT_FALSE(a.leader);
    EXPECT_FALSE(a.canChange);
    EXPECT_EQ(a.possible, 500);
    auto alone = winnerAlert({{1, 40, 40}}, pending(500));
    EXPECT_EQ(alone.leader, 1);
    EXPECT_FALSE(alone.challenger);
    EXPECT_FALSE(alone.canChange);
}

// One accepted sheet not yet verified: valid 70, of which 01: 40, 02: 25, 03: 5. At worst all 70
// belong to 02: 01 falls to 260, 02 rises to 245; disputed = 70 + 40 - 25 = 85. The margin is 100.
TEST(WinnerAlert, AnUnverifiedSheetCanMoveAllItsValidVotes) {
    std::vector<LineCount> lines = {{1, 300, 40}, {2, 200, 25}, {3, 50, 5}};
    Uncertainty u;
    u.unverifiedValid = 70;
    auto a = winnerAlert(lines, u);
    EXPECT_EQ(a.challenger, 2);
    EXPECT_EQ(a.margin, 100);
    EXPECT_EQ(a.disputed, 85);
    EXPECT_FALSE(a.canChange);
    u.pendingBallots = 15; // 85 + 15 = 100: exactly the margin
    a = winnerAlert(lines, u);
    EXPECT_EQ(a.possible, 15);
    EXPECT_TRUE(a.canChange);
    u.pendingBallots = 14;
    EXPECT_FALSE(winnerAlert(lines, u).canChange);
}

// A conflict counts its provisional winner (01: 50, 02: 40); another head may win, and no head
// holds more valid votes than the TPS's ballots (R6): 204 for a DPT of 200. Disputed = 204 + 50
// - 40 = 214 against a margin of 200; with a DPT of 100 (102 ballots) it is 112.
TEST(WinnerAlert, AConflictIsBoundedByItsBallots) {
    std::vector<LineCount> lines = {{1, 500, 50}, {2, 300, 40}};
    Uncertainty u;
    u.conflictBallots = ballotCapacity(200);
    auto a = winnerAlert(lines, u);
    EXPECT_EQ(a.disputed, 214);
    EXPECT_TRUE(a.canChange);
    u.conflictBallots = ballotCapacity(100);
    a = winnerAlert(lines, u);
    EXPECT_EQ(a.disputed, 112);
    EXPECT_FALSE(a.canChange);
}

// A rejected sheet counts nothing: all its ballots may still go to the challenger.
TEST(WinnerAlert, ARejectedSheetCountsItsBallotsAsDisputed) {
    Uncertainty u;
    u.rejectedBallots = 30;
    auto a = winnerAlert({{1, 130, 0}, {2, 100, 0}}, u);
    EXPECT_EQ(a.possible, 0);
    EXPECT_EQ(a.disputed, 30);
    EXPECT_TRUE(a.canChange);
    u.rejectedBallots = 29;
    EXPECT_FALSE(winnerAlert({{1, 130, 0}, {2, 100, 0}}, u).canChange);
}

// 02 is the runner-up, but 20 of its 95 votes are in an unverified sheet; 03's 90 are settled.
// If that sheet's 20 votes were 03's, 03 would have 110 against 01's 100: the line that could
// come closest is 03 (slack 20 - 10 = 10), not 02 (20 - 20 - 5 = -5).
TEST(WinnerAlert, TheChallengerIsTheLineThatCouldComeClosestNotAlwaysTheRunnerUp) {
    Uncertainty u;
    u.unverifiedValid = 20;
    auto a = winnerAlert({{1, 100, 0}, {2, 95, 20}, {3, 90, 0}}, u);
    EXPECT_EQ(a.challenger, 3);
    EXPECT_EQ(a.margin, 10);
    EXPECT_EQ(a.disputed, 20);
    EXPECT_TRUE(a.canChange);
}

// DPR/DPRD: the parties by their totals (votes, not seats). PDI-P (3) leads Gerindra (2) by 50;
// 12 TPS pending with 49 ballots in all cannot close it, 50 can.
TEST(WinnerAlert, APartyContestComparesTheTwoPartiesWithTheMostVotes) {
    std::vector<LineCount> parties = {{1, 120, 0}, {2, 450, 0}, {3, 500, 0}, {4, 80, 0}};
    auto a = winnerAlert(parties, pending(49));
    EXPECT_EQ(a.leader, 3);
    EXPECT_EQ(a.challenger, 2);
    EXPECT_EQ(a.leaderVotes, 500);
    EXPECT_EQ(a.challengerVotes, 450);
    EXPECT_FALSE(a.canChange);
    EXPECT_TRUE(winnerAlert(parties, pending(50)).canChange);
}
