#pragma once
// "Bisa mengubah pemenang": whether what is not settled in an area (TPS not counted yet, sheets
// rejected, in conflict or not yet verified) could overturn who leads a contest there. A pure
// function over the tally's figures; the rule, with a worked example, is in docs/tally.md.

#include <optional>
#include <vector>

#include "rekap/contest.h"

namespace rekap {

/// One line of section IV in an area: a paslon, a DPD candidate or a party (its total).
struct LineCount {
    int number = 0;
    long votes = 0;    ///< counted now
    long doubtful = 0; ///< of `votes`, those counted from sheets in conflict or not verified
};

/// What is not settled in an area, as the tally keeps it (rekap/tally.h).
struct Uncertainty {
    long pendingBallots = 0;  ///< ballots of the TPS with nothing received
    long rejectedBallots = 0; ///< ballots of the TPS with only rejected sheets
    long conflictBallots = 0; ///< ballots of the TPS whose sheet is in conflict
    long unverifiedValid = 0; ///< valid votes of accepted sheets not yet verified
};

/// The leader, the line that could come closest to it, and whether it could overtake.
struct WinnerAlert {
    std::optional<int> leader;     ///< none while no line has a vote
    std::optional<int> challenger; ///< none with fewer than two lines
    long leaderVotes = 0;
    long challengerVotes = 0;
    long margin = 0;   ///< leaderVotes - challengerVotes
    long possible = 0; ///< votes still possible: the ballots of the TPS with nothing received
    long disputed = 0; ///< the most the disputed sheets can take off the margin
    bool tie = false;  ///< the challenger has as many votes as the leader
    /// possible + disputed >= margin, and something is still open: the challenger could draw
    /// level or overtake. A tie with nothing open is final, not an alert.
    bool canChange = false;
    bool operator==(const WinnerAlert&) const = default;
};

/// `lines` in ballot order (the first of equal lines leads).
WinnerAlert winnerAlert(const std::vector<LineCount>& lines, const Uncertainty& open);

/// The ballots a TPS can receive when the master data does not say: its DPT plus the contest's
/// reserve (docs/domain.md, II.1: 2 % at the general election, 2.5 % at the Pilkada), rounded up.
long ballotCapacity(long dpt, int reservePermille = kGeneralBallotReservePermille);

} // namespace rekap
