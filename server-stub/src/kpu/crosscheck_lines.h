#pragma once
// An area's lines in the cross-check with KPU (docs/crosscheck.md, "By area: like with like"):
// which boxes are summed, and each summed from both sources over the TPS both have, what one
// source alone has apart.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rekap/regency.h"

namespace rekap::central::crosscheck {

/// Where a TPS stands between the two sources (docs/crosscheck.md, "Categories").
enum class Category { Same, Different, DeskOnly, KpuOnly, None };

/// "same", "different", "desk_only", "kpu_only", "none": the JSON's and the CSV's names.
const char* categoryName(Category c);

/// A line summed by area: each paslon or candidate, or each party's total, then the boxes of
/// sections V and I that KPU publishes (V.A, V.B, V.C, the voters who voted, the DPT). Party
/// contests sum party totals only: a caleg's number names another person in another dapil.
struct Line {
    std::string field;
    int number = 0;
    std::string label;
};

std::vector<Line> linesOf(const Regency& reg, const Contest& contest);

/// One line of an area from both sources. Compared like with like: `desk` and `kpu` sum the
/// TPS both sources have (same or different) where KPU published the box; what one source
/// alone has is summed apart, so that a line differs only where a TPS in both differs.
struct LineSum {
    long desk = 0, kpu = 0;         ///< over the TPS compared
    int tps = 0;                    ///< TPS compared on this box
    int differing = 0;              ///< of those, the TPS whose box differs
    int kpuBlank = 0;               ///< TPS in both where KPU left the box blank
    long deskOnly = 0, kpuOnly = 0; ///< each source's sum over its TPS of one source only
    long deskAll = 0, kpuAll = 0;   ///< each source's sum over every TPS it has

    /// One TPS of `category` with the desk's and KPU's value of the box (nullopt: none).
    void add(Category category, std::optional<int> desk, std::optional<int> kpu);
    nlohmann::json toJson(const Line& line) const;
};

} // namespace rekap::central::crosscheck
