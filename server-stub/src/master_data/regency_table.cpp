#include "master_data/regency_table.h"

namespace rekap::central::regency_table {

std::optional<Row> read(const db::ReadTx& db) {
    auto st = db.prepare("SELECT code, document, content_hash FROM regency WHERE id = 1");
    if (!st.step())
        return std::nullopt;
    return Row{st.text(0), st.text(1), st.text(2)};
}

std::string code(const db::ReadTx& db) {
    auto st = db.prepare("SELECT code FROM regency WHERE id = 1");
    return st.step() ? st.text(0) : std::string();
}

void put(const db::WriteTx& db, const Row& row, const std::string& loadedAt) {
    db.prepare("INSERT INTO regency (id, code, document, content_hash, loaded_at) VALUES (1, ?, "
               "?, ?, ?) ON CONFLICT (id) DO UPDATE SET document = excluded.document, "
               "content_hash = excluded.content_hash, loaded_at = excluded.loaded_at")
        .bindAll(row.code, row.document, row.contentHash, loadedAt)
        .run();
}

} // namespace rekap::central::regency_table
