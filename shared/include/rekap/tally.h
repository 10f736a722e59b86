#pragma once
// The regency tally: for each contest and each area above TPS (desa, kecamatan, kabupaten), the
// votes of the sheets counted so far, kept up to date one sheet at a time as revisions arrive.
//
// Counting policy (docs/tally.md): a sheet counts its winner's numbers when it is accepted or in
// conflict (the provisional winner, flagged); a rejected sheet counts nothing; a sheet is
// verified when its counted revision is a desk decision or a second reading by someone else
// agrees with it (rekap/merge.h). An area's figures are provisional until every TPS in it is
// verified.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rekap/regency.h"
#include "rekap/sheet.h"
#include "rekap/sheet_state.h"
#include "rekap/vote_counts.h"
#include "rekap/winner_alert.h"

namespace rekap {

/// What one sheet contributes: its state and, when counted, the winner's numbers.
struct CountedSheet {
    SheetState state = SheetState::NotReceived; ///< Accepted, Conflict, Rejected or NotReceived
    bool verified = false;
    std::optional<Sheet> sheet; ///< set for accepted and conflict
    bool operator==(const CountedSheet&) const = default;
};

/// Identifies a line of section IV summed across sheets.
struct VoteKey {
    enum Kind : std::uint8_t { Candidate, PartyTotal, PartyOnly, Caleg };
    Kind kind = Candidate;
    std::uint16_t dapil = 0; ///< index into the contest's dapils (Caleg only)
    std::uint8_t party = 0;
    std::uint16_t number = 0;
    std::uint64_t packed() const;
    static VoteKey unpack(std::uint64_t v);
};

/// An area's sums for one contest.
struct AreaTally {
    long tpsTotal = 0;    ///< TPS of the area that take part in the contest
    long dpt = 0;         ///< their DPT
    long tpsReported = 0; ///< counted (accepted or in conflict)
    long tpsConflict = 0;
    long tpsRejected = 0; ///< only rejected revisions so far
    long tpsVerified = 0;
    long valid = 0, invalid = 0, total = 0, voters = 0;
    long verifiedValid = 0; ///< the valid votes of the verified sheets among them
    VoteCounts votes;       ///< by VoteKey::packed()
    // What is not settled yet, for "Bisa mengubah pemenang" (rekap/winner_alert.h).
    long ballots = 0;         ///< ballots the TPS can receive: ballotCapacity() of each DPT
    long ballotsReported = 0; ///< of the counted TPS
    long ballotsRejected = 0; ///< of the TPS with only rejected sheets
    long ballotsConflict = 0; ///< of the TPS in conflict
    long unverifiedValid = 0; ///< valid votes of accepted sheets not yet verified
    /// Votes counted from sheets in conflict or not verified (paslon, DPD candidates and party
    /// totals), by VoteKey::packed().
    VoteCounts doubtful;
    bool operator==(const AreaTally&) const = default;
};

/// Adds (sign +1) or removes (-1) what one sheet contributes to an area's sums; `ballots`: what
/// its TPS can receive (ballotCapacity() of its DPT).
void addSheet(const Regency& regency, AreaTally& tally, const CountedSheet& sheet, long sign,
              long ballots);

/// What is open in an area: TPS not counted, rejected, in conflict, not verified.
Uncertainty uncertaintyOf(const AreaTally& tally);

class Tally {
public:
    explicit Tally(const Regency& regency);
    /// Replaces what `tps`'s sheet of `contest` contributes: subtracts `before`, adds `after`.
    void apply(const AreaCode& tps, const std::string& contest, const CountedSheet& before,
               const CountedSheet& after);
    /// The sums of an area (desa, kecamatan or the kabupaten); nullopt for unknown ones.
    std::optional<AreaTally> area(const std::string& contest, const AreaCode& area) const;
    /// Bumped on every change: clients poll it to know when to refresh.
    std::uint64_t version() const;
    /// Equal sums everywhere (for the recount check).
    bool operator==(const Tally& other) const;
    /// Every area's sums, under the tally's lock: what a checkpoint of derived state keeps
    /// (server-stub/src/checkpoint/), so that a receiver starts without decoding every sheet.
    void forEachArea(const std::function<void(const std::string& contest, const std::string& area,
                                              const AreaTally& sums)>& f) const;
    /// Sets an area's sums as a checkpoint kept them. False, changing nothing, for an area this
    /// regency does not have or whose fixed part (TPS, DPT, ballots) is not this regency's: a
    /// checkpoint made with other master data.
    bool restoreArea(const std::string& contest, const std::string& area, const AreaTally& sums);

private:
    const Regency& regency_;
    mutable std::shared_mutex mu_;
    std::unordered_map<std::string, std::unordered_map<std::string, AreaTally>> areas_;
    std::uint64_t version_ = 0;
};

} // namespace rekap
