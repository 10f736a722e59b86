#pragma once
// The reading_claims table: which reader holds which sheet for a second reading, until when
// (docs/second-reading.md). Operational: a claim decides who is handed a sheet, never what is
// counted, and neither the tally nor `verify` reads it. This unit holds every statement on the
// table; the caller holds the store's lock (and, to write, its transaction).

#include <cstdint>
#include <map>
#include <string>

#include "rekap/central/database.h"

namespace rekap::central::reading_claims {

/// Drops the claims that ended at or before `now` (unix seconds).
void dropExpired(const db::WriteTx& db, std::int64_t now);
/// sheet -> holder of every claim (call dropExpired first for those in force).
std::map<std::string, std::string> holders(const db::ReadTx& db);
/// Sheets claimed until after `now`.
std::map<std::string, bool> heldAt(const db::ReadTx& db, std::int64_t now);
/// Whether `holder` holds `sheet` after `now`.
bool holds(const db::ReadTx& db, const std::string& sheet, const std::string& holder,
           std::int64_t now);
void add(const db::WriteTx& db, const std::string& sheet, const std::string& holder,
         const std::string& claimedAt, std::int64_t expiresAt);
/// Ends `holder`'s claim of `sheet`.
void release(const db::WriteTx& db, const std::string& sheet, const std::string& holder);
/// Ends every claim of `holder`.
void releaseAll(const db::WriteTx& db, const std::string& holder);

} // namespace rekap::central::reading_claims
