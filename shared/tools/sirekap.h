#pragma once
// KPU Sirekap's published per-TPS presidential numbers turned into PPWP sheets, so that they can
// be checked by the rules and replayed through devices. The snapshot holds only some of the form:
// what it lacks is derived and said so (see docs/master-data.md, "The Sirekap snapshot").

#include <filesystem>
#include <vector>

#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap::tools {

struct SirekapSheet {
    Sheet sheet;
    int line = 0;         ///< line in the CSV file
    bool partial = false; ///< no administrative block published: sections I, II, V derived
};

struct SirekapReplay {
    std::vector<SirekapSheet> sheets;
    int withoutVotes = 0; ///< rows with no paslon votes published: no sheet
};

SirekapReplay readSirekapSnapshot(const std::filesystem::path& csv, const Regency& regency);

} // namespace rekap::tools
