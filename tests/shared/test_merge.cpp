// The merge of the revision model (rekap/merge.h), case by case: fast-forwards only by the
// author of the head, every other replacement a conflict for the desk, the provisional winner
// the oldest line's head, and desk decisions that nothing but another decision replaces.

#include <gtest/gtest.h>

#include "rekap/merge.h"

using namespace rekap::merge;

namespace {

Head head(const std::string& id, std::int64_t seq, const std::string& author,
          const std::string& numbers) {
    return {id, seq, 0, author, numbers};
}

std::vector<std::string> ids(const SheetState& s) {
    std::vector<std::string> out;
    for (const auto& h : s.heads)
        out.push_back(h.id);
    return out;
}

} // namespace

TEST(Merge, FirstRevisionIsTheAcceptedHead) {
    SheetState s;
    auto step = applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(s.state(), State::Accepted);
    EXPECT_EQ(s.winner()->id, "a");
    EXPECT_EQ(s.winner()->line, 1);
}

TEST(Merge, TheAuthorsCorrectionFastForwards) {
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    auto step = applyAccepted(s, head("a2", 5, "dev1", "n2"), "a");
    EXPECT_TRUE(step.fastForward);
    EXPECT_EQ(step.replaced, "a");
    EXPECT_EQ(ids(s), std::vector<std::string>{"a2"});
    EXPECT_EQ(s.winner()->line, 1); // the same line goes on
    EXPECT_EQ(s.state(), State::Accepted);
}

TEST(Merge, AnotherDeviceNeverReplacesAHeadSilently) {
    // The insider's first push (issue 13): a second tablet of the same TPS names the other
    // device's head as its parent. It becomes a head of its own and the sheet is in conflict;
    // what is counted stays the first device's numbers.
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "119/105/9"), std::nullopt);
    auto step = applyAccepted(s, head("x", 2, "dev2", "9/105/119"), "a");
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(ids(s), (std::vector<std::string>{"a", "x"}));
    EXPECT_EQ(s.state(), State::Conflict);
    EXPECT_EQ(s.winner()->id, "a");
}

TEST(Merge, NothingButADecisionReplacesADecision) {
    // The insider's second push: a revision whose parent is the desk's decision.
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "119/105/9"), std::nullopt);
    applyAccepted(s, head("x", 2, "dev2", "9/105/119"), "a");
    auto superseded = applyDecision(s, head("d", 3, std::string(kDesk), "119/105/9"), "a");
    EXPECT_EQ(superseded, std::vector<std::string>{"x"});
    EXPECT_EQ(s.state(), State::Accepted);
    EXPECT_EQ(s.winner()->id, "d");
    // Neither the other device nor the first one replaces it.
    auto step = applyAccepted(s, head("y", 4, "dev2", "9/105/119"), "d");
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(s.state(), State::Conflict);
    EXPECT_EQ(s.winner()->id, "d"); // the decision still counts
    applyAccepted(s, head("a3", 5, "dev1", "120/104/9"), "d");
    EXPECT_EQ(s.winner()->id, "d");
    EXPECT_EQ(s.heads.size(), 3u);
    // A second decision settles it again.
    applyDecision(s, head("d2", 6, std::string(kDesk), "120/104/9"), "a3");
    EXPECT_EQ(ids(s), std::vector<std::string>{"d2"});
}

TEST(Merge, TheWinnerFollowsTheOldestLineNotTheOldestHead) {
    // dev1's sheet is counted; dev2 disagrees; dev1 then corrects its own sheet. The count
    // follows dev1's line (now its correction), never jumping to dev2 because dev2's head is
    // older than dev1's correction.
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    applyAccepted(s, head("b", 2, "dev2", "n2"), std::nullopt);
    applyAccepted(s, head("a2", 3, "dev1", "n3"), "a");
    EXPECT_EQ(ids(s), (std::vector<std::string>{"a2", "b"}));
    EXPECT_EQ(s.winner()->id, "a2");
    EXPECT_EQ(s.state(), State::Conflict);
}

TEST(Merge, HeadsThatAgreeAreNoConflict) {
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "same"), std::nullopt);
    applyAccepted(s, head("b", 2, "dev2", "same"), std::nullopt);
    EXPECT_EQ(s.state(), State::Accepted);
    EXPECT_EQ(s.heads.size(), 2u);
    EXPECT_EQ(s.winner()->id, "a");
}

TEST(Merge, AStaleParentIsAConflictEvenFromTheSameDevice) {
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    applyAccepted(s, head("a2", 2, "dev1", "n2"), "a");
    auto step = applyAccepted(s, head("a3", 3, "dev1", "n3"), "a"); // "a" is no longer a head
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(s.state(), State::Conflict);
    EXPECT_EQ(s.winner()->id, "a2");
}

TEST(Merge, RejectedOnlyAndDecisionsOnNonHeads) {
    SheetState s;
    EXPECT_EQ(s.state(), State::None);
    applyRejected(s);
    EXPECT_EQ(s.state(), State::Rejected);
    EXPECT_EQ(s.winner(), nullptr);
    applyAccepted(s, head("a", 2, "dev1", "n1"), std::nullopt);
    EXPECT_EQ(s.state(), State::Accepted);
    EXPECT_THROW(applyDecision(s, head("d", 3, std::string(kDesk), "n1"), "nope"),
                 std::invalid_argument);
}
