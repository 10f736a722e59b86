// Issue 25, section 2: no source file spells a sheet state outside the one name table
// (rekap/sheet_state.h): C++, QML and the dashboard's JS name the enum, SQL compares only with
// its names, and the dashboard's one copy of the names is the table.

#include <gtest/gtest.h>

#include "source_text.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "rekap/sheet_state.h"

using namespace rekap;
namespace fs = std::filesystem;

namespace {

using rekap::test::readAll;

/// The text without // and /* */ comments (a "//" right after a ':' is a URL's, kept).
/// The text without its comments. A scan by hand: std::regex recurses once per character of a
/// match, and a long comment block overflowed the stack of the sanitizer build.
std::string withoutComments(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 2, "/*") == 0) {
            auto end = text.find("*/", i + 2);
            out += ' ';
            i = end == std::string::npos ? text.size() : end + 2;
        } else if (text.compare(i, 2, "//") == 0 &&
                   (i == 0 || (text[i - 1] != ':' && text[i - 1] != '"'))) {
            i = std::min(text.find('\n', i), text.size()); // "http://" and "//" in strings stay
        } else {
            out += text[i++];
        }
    }
    return out;
}

/// Every source file of the project's code: C++, QML and the dashboard's JS.
std::vector<fs::path> sources() {
    const fs::path root(REKAP_SOURCE_DIR);
    std::vector<fs::path> out;
    for (const char* dir : {"shared/src", "shared/include", "shared/tools", "sync/src",
                            "sync/include", "sync/field", "server-stub/src", "server-stub/include",
                            "server-stub/web/assets", "mobile/src", "mobile/qml"})
        for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
            auto ext = e.path().extension();
            if (ext == ".cpp" || ext == ".h" || ext == ".qml" || ext == ".js")
                out.push_back(e.path());
        }
    return out;
}

std::string sourceName(const fs::path& p) {
    return fs::relative(p, fs::path(REKAP_SOURCE_DIR)).generic_string();
}

// The names of the receiver's and the device's lifecycle that code once compared by hand.
const std::string kNames =
    "accepted|conflict|rejected|superseded|not_received|on_device|partial|queued|sending|refused";

} // namespace

TEST(SheetStateScan, NoSourceSpellsAStateOutsideTheNameTable) {
    // A state compared or assigned as a string ("accepted" in C++, === "rejected" in QML or
    // JS) is what the enum replaced: one misspelling compiles and counts nothing. C++ names a
    // SheetState and asks sheetStateName(); QML compares with SheetState.X (states.h) or
    // ReadingState.X; the dashboard with SHEET_STATE.x (labels.js).
    const std::regex cxx("\"(" + kNames + ")\"");
    const std::regex script("(===|!==|==|!=|\\|\\|)\\s*\"(" + kNames + ")\"|\"(" + kNames +
                            ")\"\\s*(===|!==|==|!=)");
    // Exceptions, each a different idea spelt alike:
    //  - a JSON field's name: {"conflict", t.tpsConflict} counts TPS by state, e.at("superseded")
    //    and s["tps"]["rejected"] read such fields; they compare nothing;
    //  - a label for people: QT_TRANSLATE_NOOP("States", "accepted") is English UI text;
    //  - Severity::Conflict, a rule finding's severity (rekap/rules.h), named in its own table;
    //    protocol::error::kConflict, an error code; the table named superseded.
    const std::regex field("\\{\\s*\"(" + kNames + ")\"\\s*,|\\[\"(" + kNames +
                           ")\"\\]|\\.at\\(\"(" + kNames +
                           ")\"\\)|QT_TRANSLATE_NOOP\\(\"States\", \"(" + kNames + ")\"\\)");
    const std::set<std::pair<std::string, std::string>> alike = {
        {"shared/src/rules.cpp", "return \"conflict\";"},
        {"shared/src/protocol.cpp", "{Severity::Conflict, \"conflict\"}"},
        {"shared/include/rekap/protocol.h", "kConflict = \"conflict\""},
        {"server-stub/src/schema/migrate_ledger.cpp",
         "\"sheet_heads\", \"superseded\", \"sheets\""}};
    int files = 0;
    for (const auto& file : sources()) {
        const auto name = sourceName(file);
        if (name == "shared/src/sheet_state.cpp" || name.find("chart") != std::string::npos)
            continue;
        ++files;
        auto text = withoutComments(readAll(file));
        const bool isCxx = file.extension() == ".cpp" || file.extension() == ".h";
        if (isCxx) {
            text = std::regex_replace(text, field, "FIELD");
            for (const auto& [f, allowed] : alike)
                if (f == name)
                    if (auto at = text.find(allowed); at != std::string::npos)
                        text.replace(at, allowed.size(), "ALIKE");
        }
        std::smatch m;
        EXPECT_FALSE(std::regex_search(text, m, isCxx ? cxx : script))
            << name << " spells a sheet state: " << m.str()
            << " (name a SheetState: rekap/sheet_state.h)";
    }
    EXPECT_GT(files, 100);
}

TEST(SheetStateScan, SqlComparesOnlyNamesOfTheEnum) {
    // SQL compares the stored column with the stored strings, which are the names; a name
    // misspelt there would match nothing, silently. Every quoted word a state or status column
    // is compared with must be a name sheetStateName() writes.
    const std::regex cmp(R"((state|status)\s*(=|!=|<>)\s*'([a-z_]+)')");
    const std::regex in(R"((state|status)\s+(NOT\s+)?IN\s*\(([^)?]*)\))");
    const std::regex word(R"('([a-z_]+)')");
    int compared = 0;
    for (const auto& file : sources()) {
        if (file.extension() != ".cpp" && file.extension() != ".h")
            continue;
        const auto text = readAll(file);
        auto check = [&](const std::string& quoted) {
            ++compared;
            EXPECT_TRUE(parseSheetState(quoted).has_value())
                << sourceName(file) << " compares a state column with '" << quoted
                << "', which no SheetState is named";
        };
        for (auto it = std::sregex_iterator(text.begin(), text.end(), cmp);
             it != std::sregex_iterator(); ++it)
            check((*it)[3].str());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), in);
             it != std::sregex_iterator(); ++it) {
            const auto list = (*it)[3].str();
            for (auto w = std::sregex_iterator(list.begin(), list.end(), word);
                 w != std::sregex_iterator(); ++w)
                check((*w)[1].str());
        }
    }
    EXPECT_GT(compared, 20);
}

TEST(SheetStateScan, TheDashboardsCopyIsTheTable) {
    // labels.js's SHEET_STATE: the dashboard's only spelling of the names.
    const auto js = readAll(fs::path(REKAP_SOURCE_DIR) / "server-stub/web/assets/labels.js");
    auto start = js.find("const SHEET_STATE = Object.freeze({");
    ASSERT_NE(start, std::string::npos);
    const auto body = js.substr(start, js.find("});", start) - start);
    const std::regex entry(R"re(([a-z_]+): "([a-z_]+)")re");
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), entry);
         it != std::sregex_iterator(); ++it) {
        EXPECT_EQ((*it)[1].str(), (*it)[2].str());
        EXPECT_TRUE(parseSheetState((*it)[2].str())) << (*it)[2].str();
        names.insert((*it)[2].str());
    }
    EXPECT_EQ(names.size(), allSheetStates().size());
}
