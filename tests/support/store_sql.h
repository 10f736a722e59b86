#pragma once
// A connection of the test's own to a receiver's store: for what a test counts or edits by hand
// (an attacker's sqlite3, a count the store has no method for). The store hands out no
// connection of its own (docs/architecture.md, "The receiver in units"); the test opens one,
// as anyone with the file could.

#include <memory>

#include "rekap/central/database.h"
#include "rekap/central/store.h"

namespace rekap::test {

inline std::unique_ptr<central::db::Database> sqlOf(const central::CentralStore& store) {
    return central::db::open(store.location(), false);
}

/// Runs one statement without rows on the store's database.
inline void execOn(const central::CentralStore& store, const std::string& sql) {
    sqlOf(store)->exec(sql);
}

} // namespace rekap::test
