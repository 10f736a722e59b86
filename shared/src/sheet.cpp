#include "rekap/sheet.h"

#include "rekap/contest.h"

namespace rekap {

Sheet blankSheet(const AreaCode& tps, const Ballot& ballot) {
    Sheet s;
    s.tps = tps;
    s.contest = ballot.contest->code;
    if (ballot.contest->kind == BallotKind::Party) {
        for (const auto& list : ballot.dapil->lists) {
            PartyVotes pv;
            pv.party = list.party;
            for (const auto& c : list.candidates)
                pv.candidates.push_back({c.number, 0});
            s.parties.push_back(std::move(pv));
        }
    } else {
        for (const auto& c : ballot.contest->candidates)
            s.candidates.push_back({c.number, 0});
    }
    return s;
}

} // namespace rekap
