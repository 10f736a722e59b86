// Issue 25, section 2: one error catalogue. Each problem is bound to its HTTP status and code
// once (rekap/central/problem.h); docs/protocol.md lists the same catalogue; and no source file
// of the receiver chooses a status of its own.

#include <gtest/gtest.h>

#include "source_text.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "rekap/central/api_error.h"
#include "rekap/central/problem.h"

using namespace rekap::central;
namespace fs = std::filesystem;

namespace {

using rekap::test::readAll;

} // namespace

TEST(ProblemCatalogue, AnApiErrorTakesItsStatusAndCodeFromTheCatalogue) {
    ApiError e(Problem::OffsetMismatch, "upload stands at byte 3", "$.x", "r");
    EXPECT_EQ(e.status(), 409);
    EXPECT_EQ(e.body().code, "offset_mismatch");
    EXPECT_EQ(e.body().message, "upload stands at byte 3");
    EXPECT_EQ(e.body().path, "$.x");
    EXPECT_EQ(e.body().reason, "r");
    EXPECT_EQ(ApiError(Problem::StorageFull, "").status(), 507);
    EXPECT_EQ(ApiError(Problem::StorageUnavailable, "").status(), 503);
    EXPECT_EQ(ApiError(Problem::StorageFailed, "").body().code, "storage_error");
}

TEST(ProblemCatalogue, DocsListEveryProblem) {
    // docs/protocol.md's table, row by row: | HTTP | `code` | `Problem` | ...
    const auto doc = readAll(fs::path(REKAP_SOURCE_DIR) / "docs/protocol.md");
    std::regex row(R"(\n\| (\d{3}) \| `([a-z_]+)` \| `([A-Za-z]+)` \|)");
    std::vector<std::string> documented;
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
         ++it)
        documented.push_back((*it)[1].str() + " " + (*it)[2].str() + " " + (*it)[3].str());
    std::vector<std::string> catalogue;
    for (const auto& k : problemCatalogue())
        catalogue.push_back(std::to_string(k.status) + " " + std::string(k.code) + " " +
                            std::string(k.name));
    EXPECT_EQ(documented, catalogue);
}

TEST(ProblemCatalogue, NoReceiverSourceChoosesAStatusOfItsOwn) {
    // An error answer's status written at its throw (ApiError(404, ...), sendError(res, 400, ...),
    // refuse(413, ...), fail(res, 503, ...), sendJson(res, 409, ...)) is what the catalogue
    // replaced: each such status was chosen again, and two sites could disagree.
    std::regex chosen(
        R"((ApiError|sendError|refuse|fail)\(\s*(\*?\w+,\s*)?[1-5][0-9][0-9]\b|sendJson\(\s*\w+,\s*[3-5][0-9][0-9]\b)");
    int files = 0;
    for (const auto& e :
         fs::recursive_directory_iterator(fs::path(REKAP_SOURCE_DIR) / "server-stub")) {
        if (e.path().extension() != ".cpp" && e.path().extension() != ".h")
            continue;
        ++files;
        const auto text = readAll(e.path());
        std::smatch m;
        EXPECT_FALSE(std::regex_search(text, m, chosen))
            << e.path() << " chooses a status: " << m.str() << " (name a Problem instead)";
    }
    EXPECT_GT(files, 20);
}
