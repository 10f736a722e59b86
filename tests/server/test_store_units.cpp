// Issue 25, section 1: the receiver in units that own their tables. Each table's SQL lives in
// exactly one unit (a folder of server-stub/src), the units that compose them (store/, api/,
// http/, main.cpp) hold no SQL of any table, and docs/architecture.md's map names the same
// owner for every table. Without this, "every table is derived from the ledger" cannot be kept:
// a table written from a second place is a table whose rows `verify` may not expect.
//
// The schema steps (schema/) describe every table's history and are the one exception; the
// database engines (db/) hold no table's name.

#include <gtest/gtest.h>

#include "source_text.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

using rekap::test::readAll;

const fs::path kSources = fs::path(REKAP_SOURCE_DIR) / "server-stub" / "src";

/// Every table the receiver's schema steps create (and the photo store's own file's table).
std::set<std::string> tables() {
    std::set<std::string> out;
    std::regex create(R"(CREATE TABLE (IF NOT EXISTS )?([a-z_]+))");
    for (auto file : {kSources / "schema" / "schema.h", kSources / "photos" / "photos.cpp"}) {
        const auto text = readAll(file);
        for (auto it = std::sregex_iterator(text.begin(), text.end(), create);
             it != std::sregex_iterator(); ++it)
            out.insert((*it)[2].str());
    }
    return out;
}

/// The unit of a source file: its folder under server-stub/src ("" for a file at the top).
std::string unitOf(const fs::path& file) {
    auto rel = fs::relative(file, kSources);
    return rel.has_parent_path() ? rel.begin()->string() : "";
}

/// table -> unit -> the files of that unit whose SQL names the table.
using Owners = std::map<std::string, std::map<std::string, std::set<std::string>>>;

Owners ownersInCode(const std::set<std::string>& names) {
    Owners out;
    for (const auto& e : fs::recursive_directory_iterator(kSources)) {
        if (e.path().extension() != ".cpp" && e.path().extension() != ".h")
            continue;
        const auto unit = unitOf(e.path());
        if (unit == "schema")
            continue;
        const auto text = readAll(e.path());
        for (const auto& t : names) {
            // SQL keywords are written in capitals in this code base; comments are prose.
            std::regex sql("\\b(FROM|INTO|UPDATE|JOIN|TABLE|EXISTS)\\s+" + t + "\\b");
            if (std::regex_search(text, sql))
                out[t][unit].insert(fs::relative(e.path(), kSources).string());
        }
    }
    return out;
}

/// docs/architecture.md's map: | unit | `server-stub/src/<folder>/` | `table`, `table` | ...
std::map<std::string, std::string> ownersInDocs() {
    const auto doc = readAll(fs::path(REKAP_SOURCE_DIR) / "docs" / "architecture.md");
    std::map<std::string, std::string> out;
    std::regex row(R"(\n\| [^|]+ \| `server-stub/src/([a-z_]+)/` \| ([^|]*) \|)");
    std::regex name("`([a-z_]+)`");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
         ++it) {
        const auto cell = (*it)[2].str();
        for (auto n = std::sregex_iterator(cell.begin(), cell.end(), name);
             n != std::sregex_iterator(); ++n)
            out[(*n)[1].str()] = (*it)[1].str();
    }
    return out;
}

std::string describe(const std::map<std::string, std::set<std::string>>& units) {
    std::string s;
    for (const auto& [unit, files] : units)
        for (const auto& f : files)
            s += " " + (unit.empty() ? std::string("(top)") : unit) + ":" + f;
    return s;
}

} // namespace

TEST(StoreUnits, EveryTablesSqlLivesInExactlyOneUnit) {
    const auto names = tables();
    ASSERT_GE(names.size(), 19u) << "the schema's tables were not found";
    const auto owners = ownersInCode(names);
    for (const auto& t : names) {
        auto it = owners.find(t);
        ASSERT_NE(it, owners.end()) << "no unit holds SQL of table " << t;
        EXPECT_EQ(it->second.size(), 1u)
            << "table " << t
            << " is read or written by more than one unit:" << describe(it->second);
    }
}

TEST(StoreUnits, TheUnitsThatComposeOthersHoldNoSql) {
    // The store coordinates one transaction across units; the API turns requests into calls.
    // Neither names a table: what a table holds is the business of the unit that owns it.
    for (const auto& [table, units] : ownersInCode(tables()))
        for (const char* composer : {"store", "api", "http", "db", ""})
            EXPECT_EQ(units.count(composer), 0u)
                << composer << " names table " << table << ":" << describe(units);
}

TEST(StoreUnits, TheArchitectureMapNamesEachTablesUnit) {
    const auto names = tables();
    const auto owners = ownersInCode(names);
    const auto documented = ownersInDocs();
    for (const auto& t : names) {
        auto d = documented.find(t);
        ASSERT_NE(d, documented.end()) << "docs/architecture.md's map does not name table " << t;
        auto o = owners.find(t);
        ASSERT_NE(o, owners.end());
        EXPECT_EQ(o->second.begin()->first, d->second)
            << "table " << t << ": the map says " << d->second << ", the code says"
            << describe(o->second);
    }
    for (const auto& [t, unit] : documented)
        EXPECT_TRUE(names.count(t)) << "docs/architecture.md names a table the schema lacks: " << t;
}

TEST(StoreUnits, EachServiceOfTheStoreHasAFewPublicFunctions) {
    // rekap/central/store.h: the store's services, each a layer over one core; a service past
    // about 20 public functions is a sign to split again, and CentralStore only composes them.
    const auto header =
        readAll(fs::path(REKAP_SOURCE_DIR) / "server-stub/include/rekap/central/store.h");
    std::regex cls(
        R"(\nclass (\w+)( : (protected|private) \w+)? \{\npublic:\n([\s\S]*?)\n(protected:|private:|\};))");
    // A declaration at the class's own indentation: up to three words of type, then its name.
    std::regex fn(R"(\n    (?!\s)(?:[\w<~][\w:<>,*&]* ){0,3}(~?\w+)\()");
    std::map<std::string, std::set<std::string>> publicFunctions;
    for (auto it = std::sregex_iterator(header.begin(), header.end(), cls);
         it != std::sregex_iterator(); ++it) {
        std::string body(1, '\n'); // the function pattern starts at a line's start
        body.append((*it)[4].first, (*it)[4].second);
        for (auto f = std::sregex_iterator(body.begin(), body.end(), fn);
             f != std::sregex_iterator(); ++f)
            publicFunctions[(*it)[1].str()].insert((*f)[1].str());
    }
    for (const char* service : {"MasterData", "LedgerView", "DeviceRegistry", "LiveTally",
                                "SheetDesk", "SecondReading", "Intake", "DeskTokens"}) {
        ASSERT_TRUE(publicFunctions.count(service)) << service << " not found in store.h";
        EXPECT_LE(publicFunctions[service].size(), 20u) << service << " has grown: split it again";
    }
    const std::set<std::string> composition = {
        "CentralStore", "masterData", "ledger",  "registry", "live", "sheets", "readings",
        "intake",       "deskTokens", "dialect", "location", "read", "write"};
    for (const auto& f : publicFunctions["CentralStore"])
        EXPECT_TRUE(composition.count(f))
            << "CentralStore::" << f << " is a function of its own: it belongs to a service";
    EXPECT_EQ(publicFunctions["CentralStore"].size(), composition.size());
}
