// The merge of the revision model (rekap/merge.h), case by case: fast-forwards only by the
// author of the head, every other replacement a conflict for the desk, the provisional winner
// the oldest line's head, and desk decisions that nothing but another decision replaces.

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "rekap/merge.h"

using namespace rekap::merge;

namespace {

Head head(const std::string& id, std::int64_t seq, const std::string& author,
          const std::string& numbers) {
    return {id, seq, 0, author, numbers, false, "Operator " + author};
}

Head reading(const std::string& id, std::int64_t seq, const std::string& author,
             const std::string& numbers, const std::string& person) {
    return {id, seq, 0, author, numbers, true, person};
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

TEST(Merge, ASecondReadingThatAgreesVerifiesAndOneThatDiffersIsAConflict) {
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    EXPECT_FALSE(verified(s));
    SheetState differs = s;
    applyAccepted(s, reading("r", 2, "desk:Rina", "n1", "Rina"), "a");
    EXPECT_EQ(s.state(), State::Accepted);
    EXPECT_EQ(s.winner()->id, "a"); // the first entry still counts
    EXPECT_TRUE(verified(s));
    EXPECT_EQ(verifyingReading(s)->id, "r");
    applyAccepted(differs, reading("r", 2, "desk:Rina", "n2", "Rina"), "a");
    EXPECT_EQ(differs.state(), State::Conflict);
    EXPECT_EQ(differs.winner()->id, "a");
    EXPECT_FALSE(verified(differs));
    // The first entry's author corrects its head: the reading no longer agrees.
    applyAccepted(s, head("a2", 3, "dev1", "n2"), "a");
    EXPECT_EQ(s.state(), State::Conflict);
    EXPECT_FALSE(verified(s));
}

TEST(Merge, AReadingByTheSamePersonOrWithoutTheMarkVerifiesNothing) {
    SheetState s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    applyAccepted(s, reading("r", 2, "desk:x", "n1", "  operator DEV1 "), "a");
    EXPECT_FALSE(verified(s));                         // the same name, other case and spaces
    applyAccepted(s, head("b", 3, "dev2", "n1"), "a"); // agrees, but no second reading
    EXPECT_FALSE(verified(s));
    EXPECT_TRUE(samePerson("Siti ", "siti"));
    EXPECT_FALSE(samePerson("Siti", "Sita"));
}

// The property of issue 14: whatever the history (entries, corrections, readings by anyone,
// decisions), a sheet counts as verified only when the desk decided it or two entries by
// different people agree: the counted one, and a second reading by another author and another
// person with the same numbers, with no head disagreeing.
TEST(Merge, PropertyVerifiedOnlyWhenTwoEntriesByDifferentPeopleAgree) {
    std::mt19937 rng(14);
    const std::vector<std::string> numbers = {"n1", "n2"};
    const std::vector<std::pair<std::string, std::string>> people = {{"dev1", "Siti"},
                                                                     {"dev2", "Budi"},
                                                                     {"desk:Rina", "Rina"},
                                                                     {"desk:siti", "SITI"},
                                                                     {"camat1", "Camat"}};
    int verifiedByReading = 0, verifiedByDesk = 0;
    for (int run = 0; run < 300; ++run) {
        SheetState s;
        std::map<std::string, std::pair<std::string, std::string>> who; // id -> author, person
        std::int64_t seq = 0;
        for (int step = 0; step < 8; ++step) {
            // Not "r" + std::to_string(...): GCC 12 at -O3 warns (-Werror=restrict, bug 105329).
            auto id = std::string("r").append(std::to_string(++seq));
            const auto& [author, person] = people[rng() % people.size()];
            const auto& n = numbers[rng() % numbers.size()];
            auto pick = rng() % 4;
            std::optional<std::string> parent;
            if (!s.heads.empty())
                parent = s.heads[rng() % s.heads.size()].id;
            if (pick == 3 && !s.heads.empty()) {
                Head d{id, seq, 0, std::string(kDesk), "", false, "Desk"};
                for (const auto& h : s.heads)
                    if (h.id == *parent)
                        d.numbersHash = h.numbersHash;
                applyDecision(s, d, *parent);
            } else {
                Head h{id, seq, 0, author, n, pick == 2 && parent.has_value(), person};
                applyAccepted(s, h, parent);
            }
            who[id] = {author, person};
            bool agree = s.state() == State::Accepted;
            const auto* w = s.winner();
            bool twoPeople = false;
            for (const auto& h : s.heads)
                if (w && h.id != w->id && h.reading && h.numbersHash == w->numbersHash &&
                    who[h.id].first != who[w->id].first &&
                    !samePerson(who[h.id].second, who[w->id].second))
                    twoPeople = true;
            bool decided = w && w->author == kDesk;
            ASSERT_EQ(verified(s), decided || (agree && twoPeople))
                << "run " << run << " step " << step;
            if (verified(s) && !decided) {
                ++verifiedByReading;
                // The two entries really are two people's: the counted head and the reading.
                const auto* r = verifyingReading(s);
                ASSERT_TRUE(r);
                EXPECT_NE(r->author, w->author);
                EXPECT_FALSE(samePerson(r->person, w->person));
                EXPECT_EQ(r->numbersHash, w->numbersHash);
            }
            verifiedByDesk += decided;
        }
    }
    EXPECT_GT(verifiedByReading, 20); // the histories do reach both kinds of verification
    EXPECT_GT(verifiedByDesk, 20);
}
