#include "rekap/winner_alert.h"

namespace rekap {

long ballotCapacity(long dpt, int reservePermille) {
    const long perMille = 1000 + reservePermille;
    return (dpt * perMille + 999) / 1000;
}

WinnerAlert winnerAlert(const std::vector<LineCount>& lines, const Uncertainty& open) {
    WinnerAlert a;
    a.possible = open.pendingBallots;
    const LineCount* leader = nullptr;
    for (const auto& l : lines)
        if (l.votes > 0 && (!leader || l.votes > leader->votes))
            leader = &l;
    if (!leader)
        return a; // nothing counted: no leader to overturn
    a.leader = leader->number;
    a.leaderVotes = leader->votes;
    // Every uncertain sheet can, at worst, take its votes for the leader away and give the
    // challenger everything it holds: its valid votes when accepted but not verified (V.A is
    // tied to the voters and ballots by R2-R4; the lines may be misread), its ballots when in
    // conflict (any head may win, and none exceeds the ballots: R6) or rejected (counts
    // nothing yet). What the leader loses is its doubtful votes; what the challenger already
    // holds of the same sheets it cannot gain twice.
    const long sheets = open.rejectedBallots + open.conflictBallots + open.unverifiedValid;
    const LineCount* challenger = nullptr;
    long best = 0;
    for (const auto& l : lines) {
        if (&l == leader)
            continue;
        long disputed = sheets + leader->doubtful - l.doubtful;
        long slack = a.possible + disputed - (leader->votes - l.votes);
        if (!challenger || slack > best || (slack == best && l.votes > challenger->votes)) {
            challenger = &l;
            best = slack;
            a.disputed = disputed;
        }
    }
    if (!challenger)
        return a;
    a.challenger = challenger->number;
    a.challengerVotes = challenger->votes;
    a.margin = a.leaderVotes - a.challengerVotes;
    a.tie = a.margin == 0;
    const long uncertain = a.possible + a.disputed;
    a.canChange = uncertain >= a.margin && uncertain > 0;
    return a;
}

} // namespace rekap
