#pragma once
// The C.Hasil result sheet of one TPS for one contest, sections I-V as on the paper form.

#include <string>
#include <vector>

#include "rekap/area_code.h"

namespace rekap {

/// A row with male (L), female (P) and total boxes.
struct LpCount {
    int l = 0;
    int p = 0;
    int total = 0;
    bool operator==(const LpCount&) const = default;
};

/// Section I: voters. A: on the DPT; B1-B3: voted from DPT, DPTb, DPK; B4: all who voted.
struct VoterSection {
    LpCount dpt;      ///< I.A
    LpCount fromDpt;  ///< I.B1
    LpCount fromDptb; ///< I.B2
    LpCount fromDpk;  ///< I.B3
    LpCount total;    ///< I.B4
    bool operator==(const VoterSection&) const = default;
};

/// Section II: ballot papers.
struct BallotSection {
    int received = 0; ///< II.1, including the 2 % reserve
    int used = 0;     ///< II.2
    int damaged = 0;  ///< II.3, returned damaged or mis-marked
    int unused = 0;   ///< II.4
    bool operator==(const BallotSection&) const = default;
};

/// Votes for one paslon, one DPD candidate, or one caleg of a party list.
struct CandidateVotes {
    int number = 0;
    int votes = 0;
    bool operator==(const CandidateVotes&) const = default;
};

/// Section IV for one party (DPR/DPRD): party-only votes, votes per caleg, and the party total.
struct PartyVotes {
    int party = 0;
    int partyOnly = 0;
    std::vector<CandidateVotes> candidates;
    int total = 0;
    bool operator==(const PartyVotes&) const = default;
};

/// Section V: A valid, B invalid, C = A + B.
struct VoteSummary {
    int valid = 0;
    int invalid = 0;
    int total = 0;
    bool operator==(const VoteSummary&) const = default;
};

/// One TPS x one contest. Section IV uses `candidates` (paslon, individual) or `parties` (party).
struct Sheet {
    AreaCode tps;
    std::string contest;
    VoterSection voters;
    BallotSection ballots;
    LpCount disabledVoters; ///< section III
    std::vector<CandidateVotes> candidates;
    std::vector<PartyVotes> parties;
    VoteSummary summary;

    /// "6306012001001/ppwp": the sheet's identity across devices and the receiver.
    std::string key() const { return tps.str() + "/" + contest; }
    bool operator==(const Sheet&) const = default;
};

/// A sheet for `tps` and `contest` with every count zero and section IV laid out from the ballot.
struct Ballot;
Sheet blankSheet(const AreaCode& tps, const Ballot& ballot);

} // namespace rekap
