#pragma once
// The 2024 general election's ballots for a sample regency: the real paslon and the 18 national
// parties; DPR, DPD and DPRD candidate lists and dapils generated (marked synthetic).

#include <string>
#include <vector>

#include "generate.h"
#include "rekap/regency.h"

namespace rekap::tools {

struct ElectionPlan {
    std::string dprDapil;          ///< e.g. "KALIMANTAN SELATAN I"
    std::string dprdProvinsiDapil; ///< e.g. "KALIMANTAN SELATAN 5"
    int dpdCandidates = 16;
    int kabupatenDapils = 4; ///< DPRD Kabupaten dapils, each a run of kecamatan
    int dprSeats = 6, provinsiSeats = 8, kabupatenSeats = 8;
};

/// Fills parties and the five contests of `regency` (its kecamatan must be set).
void addGeneralElection(Regency& regency, const ElectionPlan& plan, Rng& rng);

/// A plausible, generated Indonesian personal name.
std::string syntheticPersonName(Rng& rng);

} // namespace rekap::tools
