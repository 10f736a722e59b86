#pragma once
// Schema upgrade tests, data-driven over the migration steps: a file is built at step k with
// the real migrations 1..k, written with data the way the code of step k wrote it, then opened
// with the current code, which must upgrade it and read and use everything in it. A new schema
// step needs only a new case (its step number and what it writes); the tests fail while a step
// has no case.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "rekap/support/sqlite.h"

namespace rekap::test {

/// A file written by the schema up to `step`. `write` runs after the steps, on that schema.
struct SchemaCase {
    int step = 0;
    std::function<void(sqlite::Database&)> write;
};

inline void PrintTo(const SchemaCase& c, std::ostream* os) {
    *os << "step " << c.step;
}

/// The first `k` of `steps`.
inline std::vector<std::string> firstSteps(const std::vector<std::string>& steps, int k) {
    return {steps.begin(), steps.begin() + k};
}

/// Creates `path` at schema step `c.step` with the real migrations and writes the case's data.
inline void buildAtStep(const std::string& path, const std::vector<std::string>& steps,
                        const SchemaCase& c) {
    sqlite::Database db(path);
    db.migrate(firstSteps(steps, c.step));
    ASSERT_EQ(db.userVersion(), c.step);
    db.transaction([&] { c.write(db); });
}

/// A step that fails halfway: it creates a table and fills it, then refers to a table that does
/// not exist. Migrating to it must leave nothing of it behind.
inline std::string failingStep() {
    return R"sql(
CREATE TABLE half_applied (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO half_applied (note) VALUES ('written by a step that then fails');
CREATE INDEX half_applied_broken ON no_such_table(nothing);
)sql";
}

/// Names of the file's tables, indexes and triggers (`db`: a sqlite::Database, or the
/// receiver's db::Database on SQLite).
template <typename Db> std::vector<std::string> schemaObjects(Db& db) {
    std::vector<std::string> out;
    auto st = db.prepare("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE "
                         "'sqlite_%' ORDER BY type, name");
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

} // namespace rekap::test
