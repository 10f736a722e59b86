#pragma once
// The send_backs table (schema step 11): one row per send_back ledger entry, a sheet the desk
// sent back to its operator (rekap/send_back.h), and the revision that answered it. This unit
// holds every statement on the table; the caller holds the store's lock (and, to write, its
// transaction).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/central/store.h"

namespace rekap::central::send_backs {

void add(const db::WriteTx& db, const SendBackRecord& row);
/// The mark on `sheet` that still waits, if one does.
std::optional<SendBackRecord> waiting(const db::ReadTx& db, const std::string& sheet);
/// A first entry by an operator's tablet (key `revision`, entry `index`) answers the mark on
/// its sheet that waits, if one does.
void answer(const db::WriteTx& db, const std::string& sheet, const std::string& revision,
            std::int64_t index);
/// Marks on sheets whose TPS code starts with `prefix`, newest first.
std::vector<SendBackRecord> inArea(const db::ReadTx& db, const std::string& prefix);
std::vector<SendBackRecord> ofSheet(const db::ReadTx& db, const std::string& sheet);
/// Every row, in ledger order (verify).
std::vector<SendBackRecord> all(const db::ReadTx& db);

} // namespace rekap::central::send_backs
