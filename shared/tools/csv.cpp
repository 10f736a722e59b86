#include "csv.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rekap::tools {

namespace {
std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ','))
        out.push_back(cell);
    if (!line.empty() && line.back() == ',')
        out.emplace_back();
    return out;
}
} // namespace

const std::string& CsvRow::at(const std::string& name) const {
    auto it = cells.find(name);
    if (it == cells.end())
        throw std::runtime_error(file + ":" + std::to_string(line) + ": no column '" + name + "'");
    return it->second;
}

std::vector<CsvRow> readCsv(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path.string() + ": cannot open");
    std::string line;
    if (!std::getline(in, line))
        throw std::runtime_error(path.string() + ": empty file, expected a header row");
    auto header = split(line);
    std::vector<CsvRow> rows;
    int number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        if (line.find('"') != std::string::npos)
            throw std::runtime_error(path.string() + ":" + std::to_string(number) +
                                     ": quoted fields are not supported");
        auto cells = split(line);
        if (cells.size() != header.size())
            throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": " +
                                     std::to_string(cells.size()) + " fields, the header has " +
                                     std::to_string(header.size()));
        CsvRow row;
        row.line = number;
        row.file = path.string();
        for (std::size_t i = 0; i < header.size(); ++i)
            row.cells[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace rekap::tools
