#pragma once
// Reading the ledger's entries and signed heads as stored (the ledger and tree_heads tables),
// for the units that derive from them and for `verify` and the audit export. Appending and
// signing is LedgerLog's (ledger_log.h); both are this unit's, and no other unit names these
// tables: a unit that needs a revision's text asks for its entry here by index.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/ledger_log.h"
#include "rekap/central/database.h"
#include "rekap/ledger.h"

namespace rekap::central::ledger_entries {

/// One past the last entry's index (0 for an empty ledger).
std::int64_t size(const db::ReadTx& db);
std::int64_t count(const db::ReadTx& db);
std::int64_t headCount(const db::ReadTx& db);
/// Entry `idx`'s text as stored.
std::optional<std::string> text(const db::ReadTx& db, std::int64_t idx);
/// The texts of several entries, in one statement (a page of sheets' winners).
std::unordered_map<std::int64_t, std::string> texts(const db::ReadTx& db,
                                                    const std::vector<std::int64_t>& idxs);
/// The device an entry concerns: nullopt without such an entry, "" for none.
std::optional<std::string> device(const db::ReadTx& db, std::int64_t idx);
/// What the entries from `from` on concern (index, kind, sheet, device), in index order: a
/// receiver that starts from a checkpoint of derived state takes in only these.
std::vector<LedgerRow> rowsFrom(const db::ReadTx& db, std::int64_t from);
/// Every entry in index order: a cursor over (idx, entry, leaf_hash).
db::Statement all(const db::ReadTx& db);
/// Every signed head, by size, for the regency `code` (heads do not store it).
std::vector<ledger::TreeHead> heads(const db::ReadTx& db, const std::string& code);
/// The same one at a time: a cursor over (size, root, timestamp, signature) by size, which
/// headAt() reads. A national ledger has about 955,000 heads (300 MB as a vector).
db::Statement everyHead(const db::ReadTx& db);
ledger::TreeHead headAt(const db::Statement& st, const std::string& code);

} // namespace rekap::central::ledger_entries
