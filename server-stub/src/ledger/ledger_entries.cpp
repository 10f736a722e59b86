#include "ledger/ledger_entries.h"

#include <nlohmann/json.hpp>

namespace rekap::central::ledger_entries {

namespace {
std::int64_t one(const db::ReadTx& db, const char* sql) {
    auto st = db.prepare(sql);
    st.step();
    return st.int64(0);
}
} // namespace

std::int64_t size(const db::ReadTx& db) {
    return one(db, "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger");
}

std::int64_t count(const db::ReadTx& db) {
    return one(db, "SELECT COUNT(*) FROM ledger");
}

std::int64_t headCount(const db::ReadTx& db) {
    return one(db, "SELECT COUNT(*) FROM tree_heads");
}

std::optional<std::string> text(const db::ReadTx& db, std::int64_t idx) {
    auto st = db.prepare("SELECT entry FROM ledger WHERE idx = ?");
    st.bindAll(idx);
    if (!st.step())
        return std::nullopt;
    return st.text(0);
}

std::unordered_map<std::int64_t, std::string> texts(const db::ReadTx& db,
                                                    const std::vector<std::int64_t>& idxs) {
    std::unordered_map<std::int64_t, std::string> out;
    if (idxs.empty())
        return out;
    // The indexes travel as one JSON array parameter: one statement for a page, whatever its
    // length, on both engines.
    auto list = nlohmann::json(idxs).dump();
    auto st = db.prepare(db.dialect() == db::Dialect::PostgreSQL
                             ? "SELECT idx, entry FROM ledger WHERE idx IN (SELECT "
                               "jsonb_array_elements_text(?::jsonb)::bigint)"
                             : "SELECT idx, entry FROM ledger WHERE idx IN (SELECT value FROM "
                               "json_each(?))");
    st.bindAll(list);
    out.reserve(idxs.size());
    while (st.step())
        out.emplace(st.int64(0), st.text(1));
    return out;
}

std::vector<LedgerRow> rowsFrom(const db::ReadTx& db, std::int64_t from) {
    std::vector<LedgerRow> out;
    auto st = db.prepare("SELECT idx, kind, sheet, device FROM ledger WHERE idx >= ? ORDER BY idx");
    st.bindAll(from);
    while (st.step()) {
        auto kind = ledger::parseKind(st.text(1));
        if (!kind)
            throw std::runtime_error("ledger entry " + std::to_string(st.int64(0)) +
                                     " has an unknown kind " + st.text(1));
        out.push_back({st.int64(0), *kind, st.text(2), st.optionalText(3)});
    }
    return out;
}

std::optional<std::string> device(const db::ReadTx& db, std::int64_t idx) {
    auto st = db.prepare("SELECT device FROM ledger WHERE idx = ?");
    st.bindAll(idx);
    if (!st.step())
        return std::nullopt;
    return st.optionalText(0).value_or("");
}

db::Statement all(const db::ReadTx& db) {
    return db.prepare("SELECT idx, entry, leaf_hash FROM ledger ORDER BY idx");
}

std::vector<ledger::TreeHead> heads(const db::ReadTx& db, const std::string& code) {
    auto st = everyHead(db);
    std::vector<ledger::TreeHead> out;
    while (st.step())
        out.push_back(headAt(st, code));
    return out;
}

db::Statement everyHead(const db::ReadTx& db) {
    return db.prepare("SELECT size, root, timestamp, signature FROM tree_heads ORDER BY size");
}

ledger::TreeHead headAt(const db::Statement& st, const std::string& code) {
    return {code, static_cast<std::uint64_t>(st.int64(0)), st.text(1), st.text(2), st.text(3)};
}

} // namespace rekap::central::ledger_entries
