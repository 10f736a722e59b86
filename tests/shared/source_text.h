#pragma once
// The tests that read the project's own sources (the error catalogue, the units' tables, the
// state names) read a file whole with this.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rekap::test {

inline std::string readAll(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace rekap::test
