#pragma once
// Editing a closed receiver store by hand, as a database administrator or an intruder with the
// file would: SQL through the sqlite3 command-line tool, with the ledger's append-only guards
// dropped first as anyone editing it must.

#include <fstream>
#include <gtest/gtest.h>
#include <string>

#include "child_process.h"
#include "temp_dir.h"

namespace rekap::test {

/// `s` as an SQL string literal.
inline std::string sqlQuoted(const std::string& s) {
    std::string out = "'";
    for (char ch : s)
        out += ch == '\'' ? std::string("''") : std::string(1, ch);
    return out + "'";
}

/// Runs `sql` on `database` with the sqlite3 tool; the script is written into `dir`.
inline void editWithSqlite3(const TempDir& dir, const std::string& database,
                            const std::string& sql) {
    auto script = dir.file("tamper.sql");
    std::ofstream(script) << "DROP TRIGGER IF EXISTS ledger_no_update;\n"
                          << "DROP TRIGGER IF EXISTS ledger_no_delete;\n"
                          << sql << "\n";
    auto [code, out] =
        runProgram("/bin/sh", {"-c", "sqlite3 '" + database + "' < '" + script + "' 2>&1"});
    ASSERT_EQ(code, 0) << out;
}

} // namespace rekap::test
