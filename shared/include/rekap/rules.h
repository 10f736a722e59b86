#pragma once
// The consistency rules R1-R9 of the C.Hasil form (see docs/domain.md), as findings.

#include <string>
#include <string_view>
#include <vector>

#include "rekap/contest.h"
#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap {

enum class Severity { Warning, Error, Conflict };
std::string_view severityName(Severity s); ///< "warning", "error", "conflict"

/// One broken rule: which, how bad, the sheet fields involved, and why in both UI languages.
struct Finding {
    std::string rule; ///< "R1" .. "R9"
    Severity severity = Severity::Error;
    std::vector<std::string> fields; ///< field ids as in sheet_codec.h
    std::string messageId;           ///< Bahasa Indonesia
    std::string messageEn;           ///< English
};

/// Checks R1-R6, R8 and R9 (R7 needs two sheets: see checkConflict). `tps` supplies the DPT
/// for R6; a TPS whose DPT is unknown (0) skips R6.
std::vector<Finding> validateSheet(const Sheet& sheet, const Contest& contest, const Tps& tps);
/// Looks up contest and TPS in `regency`; a sheet for an unknown TPS or contest is one error.
std::vector<Finding> validateSheet(const Sheet& sheet, const Regency& regency);

/// R7: two accepted sheets for the same TPS and contest with different numbers are a conflict.
std::vector<Finding> checkConflict(const Sheet& a, const Sheet& b);

bool hasErrors(const std::vector<Finding>& findings);

} // namespace rekap
