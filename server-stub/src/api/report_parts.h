#pragma once
// What the tally report's two writers share (reports.cpp builds it as a JSON tree for the
// command line and the tests; tally_text.cpp writes the same bytes as text for GET
// /api/v1/tally and the CSV): which areas a report lists and how a TPS becomes a one-sheet area.

#include <string>
#include <vector>

#include "rekap/central/api_error.h"
#include "rekap/regency.h"
#include "rekap/tally.h"

namespace rekap::central::report_parts {

inline const Contest& contestOf(const Regency& reg, const std::string& code) {
    const auto* c = reg.findContest(code);
    if (!c)
        throw ApiError(Problem::NotFound, "unknown contest '" + code + "'");
    return *c;
}

/// The areas a report of `area` lists as its children: the kecamatan of the kabupaten, the desa
/// of a kecamatan (a desa's children are its TPS, read apart).
inline std::vector<AreaCode> childrenOf(const Regency& reg, const AreaCode& area) {
    std::vector<AreaCode> out;
    if (area.level() == AreaLevel::Kabupaten)
        for (const auto& k : reg.kecamatan)
            out.push_back(k.code);
    else if (area.level() == AreaLevel::Kecamatan)
        for (const auto& d : reg.desa)
            if (area.contains(d.code))
                out.push_back(d.code);
    return out;
}

/// A TPS as a one-sheet "area": the counted sheet's numbers in the same shape.
inline AreaTally tpsTally(const Regency& reg, const Contest& contest, const Tps& tps,
                          const CountedSheet& counted) {
    AreaTally t;
    addSheet(reg, t, counted, +1, ballotCapacity(tps.dpt(), contest.ballotReservePermille));
    t.tpsTotal = 1;
    t.dpt = tps.dpt();
    return t;
}

/// How the winner alert counts the ballots a TPS can receive (the master data has no II.1 per
/// TPS): DPT + the contest's reserve (2 %, at the Pilkada 2.5 %), rounded up.
inline std::string ballotsRule(const Contest& contest) {
    return contest.ballotReservePermille == kGeneralBallotReservePermille
               ? std::string("dpt_plus_2_percent_rounded_up")
               : "dpt_plus_" + std::to_string(contest.ballotReservePermille) +
                     "_permille_rounded_up";
}

} // namespace rekap::central::report_parts
