#pragma once
// The cross-check with KPU (docs/crosscheck.md): KPU's published per-TPS numbers, imported as a
// source of their own (never counted in the desk's tally), compared TPS by TPS with what the
// desk counts, and checked by the same rules R1-R9 to find KPU's misreads.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/store.h"
#include "rekap/rules.h"

namespace rekap::central {

/// One TPS as KPU published it: the boxes it published, by field id (sheet_codec.h). A blank
/// cell in KPU's file is not published and is absent here, never 0.
struct KpuRow {
    std::string tps;
    int line = 0; ///< line of KPU's file
    std::map<std::string, int> fields;
    /// Whether KPU published any number of section IV (votes): a row without is "not at KPU".
    bool hasVotes() const;
};

/// Reads KPU's file for `contest`: the per-TPS column shape (kode, c1..cN, suara_sah, ...) for
/// paslon and DPD contests, the long shape (kode, partai, calon, suara) for party contests.
/// Throws std::runtime_error naming file, line and column ("f.csv:17: column c2: \"1x3\" is not
/// a number").
std::vector<KpuRow> readKpuFile(const std::filesystem::path& file, const Regency& regency,
                                const std::string& contest);

struct KpuImport {
    std::int64_t id = 0;
    std::string contest;
    std::string fileName;
    std::string fileSha256;
    std::string importedAt;
    int rows = 0;
};

/// Reads `file` and stores it as a new import (earlier imports are kept).
KpuImport importKpu(const CentralStore& store, const std::string& contest,
                    const std::filesystem::path& file);
/// The imports of `contest`, oldest first.
std::vector<KpuImport> kpuImports(const CentralStore& store, const std::string& contest);

/// The sheet KPU's numbers make for the rules: what KPU did not publish is derived as
/// `rekap-data sirekap` derives it (L/P split evenly, ballots from the votes cast, a missing
/// administrative block from section IV), so that the rules judge only what was published.
Sheet kpuSheet(const KpuRow& row, const Regency& regency, const Contest& contest, const Tps& tps);

/// The cross-check of `contest` in `area` against import `importId` (default: the newest): per
/// TPS its category and differing boxes; per area the lines of both sources compared over the
/// TPS both have, what one source alone has summed apart. Throws ApiError 404 for an unknown
/// contest, area or import.
nlohmann::json crosscheckReport(const CentralStore& store, const std::string& contest,
                                const AreaCode& area,
                                std::optional<std::int64_t> importId = std::nullopt);
/// One row per TPS of `area`: its category, KPU's broken rules, the differing boxes, and each
/// area line (section IV, then V.A, V.B, V.C, I.B4, I.A) from both sources.
std::string crosscheckCsv(const CentralStore& store, const std::string& contest,
                          const AreaCode& area,
                          std::optional<std::int64_t> importId = std::nullopt);

} // namespace rekap::central
