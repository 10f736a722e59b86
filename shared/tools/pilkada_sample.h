#pragma once
// A generated Pilkada night for tests and the demo: consistent C.Hasil-KWK sheets for the first
// TPS of a Pilkada regency file, and KPU's side as a file of the Sirekap per-TPS shape
// (docs/crosscheck.md) with known differences. No real Pilkada data from KPU is at hand: every
// number here is GENERATED, and the CSV's name says so.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap::tools {

struct PilkadaSample {
    std::vector<Sheet> sheets; ///< every paslon contest of each TPS, rule-clean
    /// Per contest: the CSV text KPU's side publishes (Sirekap's per-TPS shape).
    std::map<std::string, std::string> kpuCsv;
    /// What the CSV was made to show, per contest: TPS where KPU misread paslon 01 by +100 (R2
    /// at KPU), TPS KPU left out (desk only), TPS only KPU has (the desk has no sheet).
    std::map<std::string, std::vector<std::string>> kpuMisread, deskOnly, kpuOnly;
};

/// The first `tpsCount` TPS of `regency` (in file order) get sheets; the next few get KPU rows
/// only. Deterministic for a seed.
PilkadaSample makePilkadaSample(const Regency& regency, int tpsCount, std::uint64_t seed = 2711);

/// The file name a contest's sample goes under, marked as generated.
std::string pilkadaSampleCsvName(const std::string& contest);

} // namespace rekap::tools
