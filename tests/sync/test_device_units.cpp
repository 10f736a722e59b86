// The tablet's store in units (docs/architecture.md, "The tablet's store in units"): each
// device table's SQL lives in exactly one unit, the only code that reads and writes it. This
// scans the SQL string literals of the device side's sources (sync/ and mobile/src/) for every
// table the schema steps create, and fails naming the table and the files when its SQL is found
// in more than one unit, or outside the units (sync/src/store/, one unit per file). The schema
// steps themselves (sync/src/device_schema.h) are exempt: they create every table.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "device_schema.h"

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = REKAP_SOURCE_DIR;

std::vector<std::string> deviceTables() {
    std::vector<std::string> out;
    std::regex create(R"(CREATE TABLE (\w+))");
    for (const auto& step : rekap::sync::deviceMigrations())
        for (std::sregex_iterator it(step.begin(), step.end(), create), end; it != end; ++it)
            out.push_back((*it)[1]);
    return out;
}

/// The file's string literals, adjacent ones (only blanks between) joined as the compiler joins
/// them; comments and character literals skipped.
std::vector<std::string> literals(const std::string& src) {
    std::vector<std::string> out;
    bool joinNext = false;
    for (std::size_t i = 0; i < src.size();) {
        char c = src[i];
        if (src.compare(i, 2, "//") == 0) {
            i = src.find('\n', i);
            joinNext = false;
            if (i == std::string::npos)
                break;
        } else if (src.compare(i, 2, "/*") == 0) {
            auto end = src.find("*/", i + 2);
            i = end == std::string::npos ? src.size() : end + 2;
        } else if (c == '\'') {
            for (++i; i < src.size() && src[i] != '\''; ++i)
                if (src[i] == '\\')
                    ++i;
            ++i;
            joinNext = false;
        } else if (c == 'R' && i + 1 < src.size() && src[i + 1] == '"' &&
                   (i == 0 ||
                    !(std::isalnum(static_cast<unsigned char>(src[i - 1])) || src[i - 1] == '_'))) {
            auto open = src.find('(', i + 2);
            std::string delim(1, ')');
            delim.append(src, i + 2, open - i - 2);
            delim.push_back('"');
            auto close = src.find(delim, open);
            auto body = src.substr(open + 1, close - open - 1);
            if (joinNext)
                out.back() += body;
            else
                out.push_back(body);
            joinNext = true;
            i = close + delim.size();
        } else if (c == '"') {
            std::string body;
            for (++i; i < src.size() && src[i] != '"'; ++i) {
                if (src[i] == '\\')
                    body += src[i++];
                body += src[i];
            }
            ++i;
            if (joinNext)
                out.back() += body;
            else
                out.push_back(body);
            joinNext = true;
        } else {
            if (!std::isspace(static_cast<unsigned char>(c)))
                joinNext = false;
            ++i;
        }
    }
    return out;
}

/// True when one of `sql`'s literals names `table` where SQL names a table.
bool touches(const std::vector<std::string>& sql, const std::string& table) {
    std::string pattern = "\\b(FROM|INTO|UPDATE|JOIN|TABLE)\\s+";
    pattern += table;
    pattern += "\\b";
    std::regex use(pattern, std::regex::icase);
    for (const auto& s : sql)
        if (std::regex_search(s, use))
            return true;
    return false;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

/// The unit a source file belongs to: its stem under sync/{src,include/rekap/sync}/store/;
/// anything else is outside the units ("" ).
std::string unitOf(const fs::path& relative) {
    auto dir = relative.parent_path().generic_string();
    if (dir == "sync/src/store" || dir == "sync/include/rekap/sync/store")
        return relative.stem().string();
    return "";
}

} // namespace

TEST(DeviceUnits, TheScannerFindsSqlSplitOverLiterals) {
    auto sql = literals("auto st = db.prepare(\"SELECT a FROM \"\n    \"revisions WHERE\");\n"
                        "// not code: UPDATE drafts\n"
                        "auto x = R\"sql(INSERT INTO photos (a) VALUES (1))sql\";\n"
                        "auto y = \"a message about the revisions\"; char q = '\"';\n");
    EXPECT_TRUE(touches(sql, "revisions"));
    EXPECT_TRUE(touches(sql, "photos"));
    EXPECT_FALSE(touches(sql, "drafts"));
    EXPECT_EQ(sql.size(), 3u);
}

TEST(DeviceUnits, EachTablesSqlLivesInExactlyOneUnit) {
    auto tables = deviceTables();
    ASSERT_GE(tables.size(), 11u); // settings ... send_backs
    std::map<fs::path, std::vector<std::string>> sources;
    for (auto top : {"sync", "mobile/src"})
        for (const auto& e : fs::recursive_directory_iterator(kRoot / top)) {
            auto ext = e.path().extension();
            if (!e.is_regular_file() || (ext != ".cpp" && ext != ".h"))
                continue;
            auto rel = fs::relative(e.path(), kRoot);
            if (rel == "sync/src/device_schema.h")
                continue; // the schema steps create every table
            sources[rel] = literals(readFile(e.path()));
        }
    ASSERT_FALSE(sources.empty());
    for (const auto& table : tables) {
        std::set<std::string> units;
        std::string where;
        bool outside = false;
        for (const auto& [file, sql] : sources) {
            if (!touches(sql, table))
                continue;
            auto unit = unitOf(file);
            outside = outside || unit.empty();
            units.insert(unit.empty() ? file.generic_string() : unit);
            where += ' ';
            where += file.generic_string();
        }
        EXPECT_FALSE(outside) << "table " << table << ": SQL outside the store's units in" << where;
        EXPECT_EQ(units.size(), 1u)
            << "table " << table << ": SQL in " << units.size() << " units, in" << where;
    }
}
