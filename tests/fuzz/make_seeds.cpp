// Writes the fuzz targets' starting corpus from the test fixtures, so that it always speaks the
// current format: valid sheets (and a few broken ones) for fuzz_sheet; push bodies with new
// revisions, a correction chain, a duplicate and a misread for fuzz_push.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "fixtures.h"
#include "rekap/revision.h"
#include "rekap/sheet_codec.h"

using namespace rekap;
namespace fs = std::filesystem;

namespace {
void write(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

Revision revision(const std::string& id, const Sheet& sheet,
                  std::optional<std::string> parent = std::nullopt) {
    Revision r;
    r.id = id;
    r.parent = std::move(parent);
    if (r.parent)
        r.reason = "koreksi";
    r.device = "@DEV@";
    r.operatorName = "Siti";
    r.capturedAt = "2024-02-14T10:06:00Z";
    r.sheet = sheet;
    return r;
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_seeds DIR\n";
        return 2;
    }
    fs::path dir = argv[1];
    fs::create_directories(dir / "sheet");
    fs::create_directories(dir / "push");
    Sheet sheets[] = {test::validPpwpSheet(), test::validPdprSheet(), test::validPdpdSheet()};
    int n = 0;
    for (const auto& s : sheets) {
        write(dir / "sheet" / ("valid-" + std::to_string(n++) + ".json"), encodeSheet(s).dump(2));
        auto misread = s;
        misread.disabledVoters = {9, 9, 9};
        write(dir / "sheet" / ("misread-" + std::to_string(n++) + ".json"),
              encodeSheet(misread).dump());
    }
    const std::string a = "00000000-0000-4000-8000-00000000000a",
                      b = "00000000-0000-4000-8000-00000000000b",
                      c = "00000000-0000-4000-8000-00000000000c";
    auto corrected = sheets[0];
    corrected.disabledVoters = {1, 1, 2};
    auto bodies = {
        nlohmann::json::array({encodeRevision(revision(a, sheets[0]))}),
        nlohmann::json::array(
            {encodeRevision(revision(a, sheets[0])), encodeRevision(revision(b, corrected, a))}),
        nlohmann::json::array(
            {encodeRevision(revision(b, sheets[1])), encodeRevision(revision(c, sheets[2]))}),
        nlohmann::json::array({encodeRevision(revision(c,
                                                       [&] {
                                                           auto s = sheets[2];
                                                           s.disabledVoters = {9, 9, 9};
                                                           return s;
                                                       }()))}),
    };
    n = 0;
    for (const auto& revisions : bodies)
        write(dir / "push" / ("push-" + std::to_string(n++) + ".json"),
              nlohmann::json{{"revisions", revisions}}.dump());
    return 0;
}
