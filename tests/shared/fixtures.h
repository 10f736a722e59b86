#pragma once
// A small regency and valid sheets for the unit tests: 2 kecamatan, 3 desa, 4 TPS, and one
// contest of each ballot kind.

#include <nlohmann/json.hpp>

#include "rekap/master_data.h"
#include "rekap/sheet.h"

namespace rekap::test {

/// The fixture regency's JSON, for tests that break one field of it.
nlohmann::json tinyRegencyJson();
const Regency& tinyRegency();

/// A PPWP sheet for TPS 9901011001001 (DPT 200) that passes every rule.
Sheet validPpwpSheet();
/// A DPR sheet (2 parties x 2 candidates) that passes every rule.
Sheet validPdprSheet();
/// A DPD sheet (3 candidates) that passes every rule.
Sheet validPdpdSheet();

/// Path of the project's data/ folder.
std::string dataDir();

} // namespace rekap::test
