#pragma once
// The two sample regencies of docs/master-data.md, generated deterministically.

#include <filesystem>

#include "rekap/regency.h"

namespace rekap::tools {

/// Hulu Sungai Selatan (6306): the real hierarchy from KPU's TPS list, DPT from the Sirekap
/// snapshot where plausible (1-300) and generated for the rest so that the total is 174,547.
Regency makeHuluSungaiSelatan(const std::filesystem::path& wilayahCsv,
                              const std::filesystem::path& sirekapCsv);

/// Hulu Sungai Selatan at the Pilkada of 27 November 2024: the real kecamatan and desa, Pilkada
/// TPS generated over them (at most 500 voters each, marked synthetic), DPT 174,224, the
/// gubernur and bupati contests with their real paslon.
Regency makeHuluSungaiSelatanPilkada(const std::filesystem::path& wilayahCsv,
                                     const std::filesystem::path& sirekapCsv);

/// Banyuasin (1607): the real 21 kecamatan names; 313 desa and 2,549 TPS generated, DPT 625,988
/// (L 318,894, P 307,094), no TPS above 300 voters.
Regency makeBanyuasin();

inline constexpr long kHssDpt = 174547;
inline constexpr long kHssPilkadaDpt = 174224;
inline constexpr long kPilkadaMaxVotersPerTps = 600;
/// Generated Pilkada TPS stay at or under this, leaving headroom below the 600 allowed.
inline constexpr long kPilkadaTpsTarget = 500;
inline constexpr long kBanyuasinDpt = 625988;
inline constexpr long kBanyuasinDptL = 318894;
inline constexpr long kBanyuasinDptP = 307094;
inline constexpr long kBanyuasinDesa = 313;
inline constexpr long kBanyuasinTps = 2549;

} // namespace rekap::tools
