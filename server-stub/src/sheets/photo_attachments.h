#pragma once
// The photo_attachments table (schema step 9): one row per photo_attached ledger entry, a photo
// the revision's own device attached after sending it (rekap/photo_attachment.h). This unit
// holds every statement on the table; the caller holds the store's lock (and, to write, its
// transaction).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/database.h"

namespace rekap::central::photo_attachments {

struct Row {
    std::int64_t ledgerIdx = 0;
    std::string revision; ///< the revision's key
    std::string sheet;
    std::string photo;
    std::string device;
    std::string attachedAt; ///< the device's clock
    std::string receivedAt; ///< the entry's time
    bool operator==(const Row&) const = default;
};

void add(const db::WriteTx& db, const Row& row);
/// The ledger entry that attached `photo` to revision `key`, if one did.
std::optional<std::int64_t> find(const db::ReadTx& db, const std::string& key,
                                 const std::string& photo);
/// The latest photo attached to revision `key`.
std::optional<std::string> latest(const db::ReadTx& db, const std::string& key);
/// SQL for the current photo of the revision whose key is in column `keyColumn`: its latest
/// attachment, else `carried` (an SQL expression of the photo the revision carried).
std::string currentPhotoSql(const std::string& keyColumn, const std::string& carried);
/// Every photo attached to a revision of `sheet`, in ledger order.
std::vector<Row> ofSheet(const db::ReadTx& db, const std::string& sheet);
/// Every row, in ledger order (verify).
std::vector<Row> all(const db::ReadTx& db);
/// Whether a photo attached to a revision of TPS `tps` is `sha256`.
bool namedBy(const db::ReadTx& db, const std::string& sha256, const std::string& tps);

} // namespace rekap::central::photo_attachments
