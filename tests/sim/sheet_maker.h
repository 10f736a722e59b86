#pragma once
// Plausible, rule-abiding C.Hasil sheets for simulated TPS, from a seed: voters within the DPT,
// ballots with the 2 % reserve, votes split over the ballot's candidates or parties.

#include <random>

#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap::sim {

Sheet makeSheet(const Regency& regency, const Tps& tps, const Contest& contest,
                std::mt19937_64& rng);
/// The same sheet with one vote moved between the first two lines: different, still valid.
Sheet shiftOneVote(Sheet sheet);
/// A misread digit: valid votes no longer equal the sum of section IV (rule R2).
Sheet misread(Sheet sheet);

} // namespace rekap::sim
