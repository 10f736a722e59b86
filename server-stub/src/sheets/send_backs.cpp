#include "sheets/send_backs.h"

namespace rekap::central::send_backs {

namespace {

constexpr const char* kColumns = "ledger_idx, revision, sheet, tps, device, reason, sent_by, "
                                 "sent_at, signature, answered_by, answered_idx";

std::vector<SendBackRecord> rows(db::Statement& st) {
    std::vector<SendBackRecord> out;
    while (st.step()) {
        SendBackRecord r{st.int64(0), st.text(1),         st.text(2),  st.text(3),
                         st.text(4),  st.text(5),         st.text(6),  st.text(7),
                         st.text(8),  st.optionalText(9), std::nullopt};
        if (!st.isNull(10))
            r.answeredIdx = st.int64(10);
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

void add(const db::WriteTx& db, const SendBackRecord& r) {
    db.prepare(std::string("INSERT INTO send_backs (") + kColumns +
               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bindAll(r.ledgerIdx, r.revision, r.sheet, r.tps, r.device, r.reason, r.by, r.at,
                 r.signature, r.answeredBy, r.answeredIdx)
        .run();
}

std::optional<SendBackRecord> waiting(const db::ReadTx& db, const std::string& sheet) {
    auto st = db.prepare(std::string("SELECT ") + kColumns +
                         " FROM send_backs WHERE sheet = ? AND answered_by IS NULL");
    st.bindAll(sheet);
    auto found = rows(st);
    if (found.empty())
        return std::nullopt;
    return found.front();
}

void answer(const db::WriteTx& db, const std::string& sheet, const std::string& revision,
            std::int64_t index) {
    db.prepare("UPDATE send_backs SET answered_by = ?, answered_idx = ? WHERE sheet = ? AND "
               "answered_by IS NULL")
        .bindAll(revision, index, sheet)
        .run();
}

std::vector<SendBackRecord> inArea(const db::ReadTx& db, const std::string& prefix) {
    auto st = db.prepare(std::string("SELECT ") + kColumns +
                         " FROM send_backs WHERE substr(tps, 1, ?1) = ?2 ORDER BY ledger_idx DESC");
    st.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    return rows(st);
}

std::vector<SendBackRecord> ofSheet(const db::ReadTx& db, const std::string& sheet) {
    auto st = db.prepare(std::string("SELECT ") + kColumns +
                         " FROM send_backs WHERE sheet = ? ORDER BY ledger_idx");
    st.bindAll(sheet);
    return rows(st);
}

std::vector<SendBackRecord> all(const db::ReadTx& db) {
    auto st =
        db.prepare(std::string("SELECT ") + kColumns + " FROM send_backs ORDER BY ledger_idx");
    return rows(st);
}

} // namespace rekap::central::send_backs
