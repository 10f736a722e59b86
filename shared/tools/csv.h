#pragma once
// A small reader for the project's plain CSV sources (no quoted fields), with line numbers in
// every error.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace rekap::tools {

struct CsvRow {
    int line = 0;
    std::map<std::string, std::string> cells;
    /// The cell in column `name`; throws naming file, line and column when absent.
    const std::string& at(const std::string& name) const;
    std::string file;
};

/// Reads a CSV file with a header row. Throws naming the file and line on a ragged row or a quote.
std::vector<CsvRow> readCsv(const std::filesystem::path& path);

} // namespace rekap::tools
