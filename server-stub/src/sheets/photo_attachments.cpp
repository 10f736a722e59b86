#include "sheets/photo_attachments.h"

namespace rekap::central::photo_attachments {

namespace {

constexpr const char* kColumns =
    "ledger_idx, revision, sheet, photo, device, attached_at, received_at";

std::vector<Row> rows(db::Statement& st) {
    std::vector<Row> out;
    while (st.step())
        out.push_back(
            {st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6)});
    return out;
}

} // namespace

void add(const db::WriteTx& db, const Row& r) {
    db.prepare(std::string("INSERT INTO photo_attachments (") + kColumns +
               ") VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bindAll(r.ledgerIdx, r.revision, r.sheet, r.photo, r.device, r.attachedAt, r.receivedAt)
        .run();
}

std::optional<std::int64_t> find(const db::ReadTx& db, const std::string& key,
                                 const std::string& photo) {
    auto st =
        db.prepare("SELECT ledger_idx FROM photo_attachments WHERE revision = ? AND photo = ?");
    st.bindAll(key, photo);
    if (!st.step())
        return std::nullopt;
    return st.int64(0);
}

std::optional<std::string> latest(const db::ReadTx& db, const std::string& key) {
    auto st = db.prepare("SELECT photo FROM photo_attachments WHERE revision = ? "
                         "ORDER BY ledger_idx DESC LIMIT 1");
    st.bindAll(key);
    if (!st.step())
        return std::nullopt;
    return st.text(0);
}

std::string currentPhotoSql(const std::string& keyColumn, const std::string& carried) {
    return "COALESCE((SELECT pa.photo FROM photo_attachments pa WHERE pa.revision = " + keyColumn +
           " ORDER BY pa.ledger_idx DESC LIMIT 1), " + carried + ")";
}

std::vector<Row> ofSheet(const db::ReadTx& db, const std::string& sheet) {
    auto st = db.prepare(std::string("SELECT ") + kColumns +
                         " FROM photo_attachments WHERE sheet = ? ORDER BY ledger_idx");
    st.bindAll(sheet);
    return rows(st);
}

std::vector<Row> all(const db::ReadTx& db) {
    auto st = db.prepare(std::string("SELECT ") + kColumns +
                         " FROM photo_attachments ORDER BY ledger_idx");
    return rows(st);
}

bool namedBy(const db::ReadTx& db, const std::string& sha256, const std::string& tps) {
    // A TPS's sheets are "<tps>/<contest>": from "<tps>/" up to "<tps>0".
    auto st = db.prepare("SELECT 1 FROM photo_attachments WHERE photo = ? AND sheet >= ? AND "
                         "sheet < ? LIMIT 1");
    st.bindAll(sha256, tps + "/", tps + "0");
    return st.step();
}

} // namespace rekap::central::photo_attachments
