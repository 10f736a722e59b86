#pragma once
// The regency table (master data as served): one row, the ledger's latest master_data entry
// mirrored byte for byte (docs/integrity.md). It is derived: `serve` loads master data from the
// ledger, and `verify` compares this row with it. This unit holds every statement on the table;
// the caller holds the store's lock (and, to write, its transaction).

#include <optional>
#include <string>

#include "rekap/central/database.h"

namespace rekap::central::regency_table {

struct Row {
    std::string code;
    std::string document;
    std::string contentHash;
};

std::optional<Row> read(const db::ReadTx& db);
/// The regency's code, "" before one was loaded.
std::string code(const db::ReadTx& db);
/// Sets the one row (inserted or replaced).
void put(const db::WriteTx& db, const Row& row, const std::string& loadedAt);

} // namespace rekap::central::regency_table
