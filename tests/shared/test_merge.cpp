// The merge of the revision model (rekap/merge.h), case by case: fast-forwards only by the
// author of the head, every other replacement a conflict for the desk, the provisional winner
// the oldest line's head, and desk decisions that nothing but another decision replaces.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <iostream>
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

std::vector<std::string> ids(const SheetHeads& s) {
    std::vector<std::string> out;
    for (const auto& h : s.heads)
        out.push_back(h.id);
    return out;
}

} // namespace

TEST(Merge, FirstRevisionIsTheAcceptedHead) {
    SheetHeads s;
    auto step = applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_EQ(s.winner()->id, "a");
    EXPECT_EQ(s.winner()->line, 1);
}

TEST(Merge, TheAuthorsCorrectionFastForwards) {
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    auto step = applyAccepted(s, head("a2", 5, "dev1", "n2"), "a");
    EXPECT_TRUE(step.fastForward);
    EXPECT_EQ(step.replaced, "a");
    EXPECT_EQ(ids(s), std::vector<std::string>{"a2"});
    EXPECT_EQ(s.winner()->line, 1); // the same line goes on
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
}

TEST(Merge, AnotherDeviceNeverReplacesAHeadSilently) {
    // The insider's first push (issue 13): a second tablet of the same TPS names the other
    // device's head as its parent. It becomes a head of its own and the sheet is in conflict;
    // what is counted stays the first device's numbers.
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "119/105/9"), std::nullopt);
    auto step = applyAccepted(s, head("x", 2, "dev2", "9/105/119"), "a");
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(ids(s), (std::vector<std::string>{"a", "x"}));
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_EQ(s.winner()->id, "a");
}

TEST(Merge, NothingButADecisionReplacesADecision) {
    // The insider's second push: a revision whose parent is the desk's decision.
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "119/105/9"), std::nullopt);
    applyAccepted(s, head("x", 2, "dev2", "9/105/119"), "a");
    auto superseded =
        applyDecision(s, head("d", 3, std::string(kDecisionAuthor), "119/105/9"), "a");
    EXPECT_EQ(superseded, std::vector<std::string>{"x"});
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_EQ(s.winner()->id, "d");
    // Neither the other device nor the first one replaces it.
    auto step = applyAccepted(s, head("y", 4, "dev2", "9/105/119"), "d");
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_EQ(s.winner()->id, "d"); // the decision still counts
    applyAccepted(s, head("a3", 5, "dev1", "120/104/9"), "d");
    EXPECT_EQ(s.winner()->id, "d");
    EXPECT_EQ(s.heads.size(), 3u);
    // A second decision settles it again.
    applyDecision(s, head("d2", 6, std::string(kDecisionAuthor), "120/104/9"), "a3");
    EXPECT_EQ(ids(s), std::vector<std::string>{"d2"});
}

TEST(Merge, TheWinnerFollowsTheOldestLineNotTheOldestHead) {
    // dev1's sheet is counted; dev2 disagrees; dev1 then corrects its own sheet. The count
    // follows dev1's line (now its correction), never jumping to dev2 because dev2's head is
    // older than dev1's correction.
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    applyAccepted(s, head("b", 2, "dev2", "n2"), std::nullopt);
    applyAccepted(s, head("a2", 3, "dev1", "n3"), "a");
    EXPECT_EQ(ids(s), (std::vector<std::string>{"a2", "b"}));
    EXPECT_EQ(s.winner()->id, "a2");
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
}

TEST(Merge, HeadsThatAgreeAreNoConflict) {
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "same"), std::nullopt);
    applyAccepted(s, head("b", 2, "dev2", "same"), std::nullopt);
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_EQ(s.heads.size(), 2u);
    EXPECT_EQ(s.winner()->id, "a");
}

TEST(Merge, AStaleParentIsAConflictEvenFromTheSameDevice) {
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    applyAccepted(s, head("a2", 2, "dev1", "n2"), "a");
    auto step = applyAccepted(s, head("a3", 3, "dev1", "n3"), "a"); // "a" is no longer a head
    EXPECT_FALSE(step.fastForward);
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_EQ(s.winner()->id, "a2");
}

TEST(Merge, RejectedOnlyAndDecisionsOnNonHeads) {
    SheetHeads s;
    EXPECT_EQ(s.state(), rekap::SheetState::NotReceived);
    applyRejected(s);
    EXPECT_EQ(s.state(), rekap::SheetState::Rejected);
    EXPECT_EQ(s.winner(), nullptr);
    applyAccepted(s, head("a", 2, "dev1", "n1"), std::nullopt);
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_THROW(applyDecision(s, head("d", 3, std::string(kDecisionAuthor), "n1"), "nope"),
                 std::invalid_argument);
}

TEST(Merge, ASecondReadingThatAgreesVerifiesAndOneThatDiffersIsAConflict) {
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    EXPECT_FALSE(verified(s));
    SheetHeads differs = s;
    applyAccepted(s, reading("r", 2, "desk:Rina", "n1", "Rina"), "a");
    EXPECT_EQ(s.state(), rekap::SheetState::Accepted);
    EXPECT_EQ(s.winner()->id, "a"); // the first entry still counts
    EXPECT_TRUE(verified(s));
    EXPECT_EQ(verifyingReading(s)->id, "r");
    applyAccepted(differs, reading("r", 2, "desk:Rina", "n2", "Rina"), "a");
    EXPECT_EQ(differs.state(), rekap::SheetState::Conflict);
    EXPECT_EQ(differs.winner()->id, "a");
    EXPECT_FALSE(verified(differs));
    // The first entry's author corrects its head: the reading no longer agrees.
    applyAccepted(s, head("a2", 3, "dev1", "n2"), "a");
    EXPECT_EQ(s.state(), rekap::SheetState::Conflict);
    EXPECT_FALSE(verified(s));
}

TEST(Merge, AReadingByTheSamePersonOrWithoutTheMarkVerifiesNothing) {
    SheetHeads s;
    applyAccepted(s, head("a", 1, "dev1", "n1"), std::nullopt);
    applyAccepted(s, reading("r", 2, "desk:x", "n1", "  operator DEV1 "), "a");
    EXPECT_FALSE(verified(s));                         // the same name, other case and spaces
    applyAccepted(s, head("b", 3, "dev2", "n1"), "a"); // agrees, but no second reading
    EXPECT_FALSE(verified(s));
    EXPECT_TRUE(samePerson("Siti ", "siti"));
    EXPECT_FALSE(samePerson("Siti", "Sita"));
}

namespace {

/// The rules of docs/protocol.md and docs/second-reading.md written again from the whole history
/// (not from merge.cpp's heads): the test's oracle. Every revision is remembered with its parent;
/// a head is an accepted revision that no fast-forward replaced and no decision set aside.
class HistoryModel {
public:
    struct Rev {
        std::string id, parent, author, numbers, person;
        long seq = 0;
        bool reading = false, decision = false;
        long line = 0;
        bool head = true;
    };
    void accepted(Rev r) {
        // A fast-forward: the parent is a head, written by the same device, neither a decision.
        auto* p = find(r.parent);
        if (p && p->head && !p->decision && p->author == r.author && r.author != "desk") {
            p->head = false;
            r.line = p->line;
        } else {
            r.line = r.seq;
        }
        revs_.push_back(r);
    }
    void decided(Rev d, const std::string& chosen) {
        d.line = find(chosen)->line;
        d.numbers = find(chosen)->numbers;
        d.decision = true;
        for (auto& r : revs_)
            r.head = false;
        revs_.push_back(d);
    }
    std::vector<const Rev*> heads() const {
        std::vector<const Rev*> out;
        for (const auto& r : revs_)
            if (r.head)
                out.push_back(&r);
        std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->line < b->line; });
        return out;
    }
    const Rev* winner() const {
        auto h = heads();
        return h.empty() ? nullptr : h.front();
    }
    bool conflict() const {
        for (const auto* h : heads())
            if (h->numbers != winner()->numbers)
                return true;
        return false;
    }
    /// Decided by the desk, or two entries by two people agree: the counted one and a second
    /// reading by another device and another person, with no head disagreeing.
    bool verified() const {
        const auto* w = winner();
        if (!w)
            return false;
        if (w->decision)
            return true;
        if (conflict())
            return false;
        for (const auto* h : heads())
            if (h != w && h->reading && h->author != w->author &&
                !samePersonAs(h->person, w->person))
                return true;
        return false;
    }

private:
    Rev* find(const std::string& id) {
        for (auto& r : revs_)
            if (r.id == id)
                return &r;
        return nullptr;
    }
    static bool samePersonAs(std::string a, std::string b) {
        auto norm = [](std::string s) {
            s.erase(0, s.find_first_not_of(" \t"));
            s.erase(s.find_last_not_of(" \t") + 1);
            for (auto& c : s)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return s;
        };
        return norm(a) == norm(b);
    }
    std::vector<Rev> revs_;
};

} // namespace

// The property of issue 14: whatever the history (entries, corrections, readings by anyone,
// decisions), a sheet counts as verified only when the desk decided it or two entries by
// different people agree: the counted one, and a second reading by another author and another
// person with the same numbers, with no head disagreeing. The expected heads, winner, state and
// verification come from HistoryModel above, never from merge.cpp.
TEST(Merge, PropertyVerifiedOnlyWhenTwoEntriesByDifferentPeopleAgree) {
    std::mt19937 rng(14);
    const std::vector<std::string> numbers = {"n1", "n2"};
    // dev1 is used by two operators, and Siti types on dev1 and at the desk: the author and the
    // person are two different checks.
    const std::vector<std::pair<std::string, std::string>> people = {
        {"dev1", "Siti"},      {"dev1", "Andi"},      {"dev2", "Budi"},
        {"desk:Rina", "Rina"}, {"desk:siti", "SITI"}, {"camat1", "Camat"}};
    int verifiedByReading = 0, verifiedByDesk = 0, sameAuthorOtherPerson = 0, conflicts = 0;
    for (int run = 0; run < 1000; ++run) {
        SheetHeads s;
        HistoryModel model;
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
            if (pick == 3 && parent) {
                std::string chosenNumbers;
                for (const auto& h : s.heads)
                    if (h.id == *parent)
                        chosenNumbers = h.numbersHash;
                applyDecision(
                    s, Head{id, seq, 0, std::string(kDecisionAuthor), chosenNumbers, false, "Desk"},
                    *parent);
                model.decided({id, *parent, "desk", "", "Desk", seq}, *parent);
            } else {
                bool reading = pick == 2 && parent.has_value();
                applyAccepted(s, Head{id, seq, 0, author, n, reading, person}, parent);
                model.accepted({id, parent.value_or(""), author, n, person, seq, reading});
            }
            SCOPED_TRACE("run " + std::to_string(run) + " step " + std::to_string(step));
            auto want = model.heads();
            ASSERT_EQ(s.heads.size(), want.size());
            for (std::size_t i = 0; i < want.size(); ++i) {
                ASSERT_EQ(s.heads[i].id, want[i]->id) << "head " << i;
                ASSERT_EQ(s.heads[i].line, want[i]->line) << "head " << i;
            }
            ASSERT_TRUE(s.winner());
            ASSERT_EQ(s.winner()->id, model.winner()->id);
            ASSERT_EQ(s.state(),
                      model.conflict() ? rekap::SheetState::Conflict : rekap::SheetState::Accepted);
            ASSERT_EQ(verified(s), model.verified());
            const auto* w = model.winner();
            const auto* r = verifyingReading(s);
            if (model.verified() && !w->decision) {
                ++verifiedByReading;
                ASSERT_TRUE(r);
                EXPECT_TRUE(r->reading);
                EXPECT_NE(r->author, w->author);
                EXPECT_EQ(r->numbersHash, w->numbers);
            } else {
                EXPECT_EQ(r, nullptr);
            }
            verifiedByDesk += w->decision;
            conflicts += model.conflict();
            for (const auto* h : want)
                sameAuthorOtherPerson += h != w && h->reading && h->author == w->author &&
                                         h->numbers == w->numbers && h->person != w->person &&
                                         !model.conflict();
        }
    }
    // The histories do reach both kinds of verification, conflicts, and a reading by the
    // counted head's device but another person (which verifies nothing).
    EXPECT_GT(verifiedByReading, 50);
    EXPECT_GT(verifiedByDesk, 50);
    EXPECT_GT(conflicts, 300);
    EXPECT_GT(sameAuthorOtherPerson, 5);
    std::cout << "[ reached  ] " << verifiedByReading << " verified by a reading, "
              << verifiedByDesk << " by the desk, " << conflicts << " in conflict, "
              << sameAuthorOtherPerson << " readings by the counted device's other operator\n";
}
