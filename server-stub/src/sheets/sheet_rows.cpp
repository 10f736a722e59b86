#include "sheets/sheet_rows.h"

#include "sheets/photo_attachments.h"

namespace rekap::central::sheet_rows {

namespace {

constexpr const char* kRevisionColumns =
    "seq, id, parent, device, tps, contest, hash, received_at, findings, ledger_idx";

RevisionRow readRevision(const db::Statement& st) {
    return {st.int64(0), st.text(1), st.optionalText(2), st.text(3), st.text(4),
            st.text(5),  st.text(6), st.text(7),         st.text(8), st.int64(9)};
}

std::vector<RevisionRow> revisionRows(db::Statement st) {
    std::vector<RevisionRow> out;
    while (st.step())
        out.push_back(readRevision(st));
    return out;
}

SheetRow readSheet(const db::Statement& st) {
    return {st.text(0), st.text(1), st.text(2), storedSheetState(st.text(3), "sheets.state"),
            st.optionalText(4)};
}

} // namespace

std::optional<RevisionRow> revision(const db::ReadTx& db, const std::string& id) {
    auto st =
        db.prepare(std::string("SELECT ") + kRevisionColumns + " FROM revisions WHERE id = ?");
    st.bindAll(id);
    if (!st.step())
        return std::nullopt;
    return readRevision(st);
}

std::map<std::string, RevisionRow> revisionsAmong(const db::ReadTx& db,
                                                  const std::vector<std::string>& ids) {
    auto st = db.prepareEachTime(std::string("SELECT ") + kRevisionColumns +
                                 " FROM revisions WHERE " + db::inJsonArray(db.dialect(), "id"));
    st.bindAll(nlohmann::json(ids).dump());
    std::map<std::string, RevisionRow> out;
    while (st.step()) {
        auto row = readRevision(st);
        auto id = row.id;
        out.emplace(std::move(id), std::move(row));
    }
    return out;
}

std::vector<RevisionRow> revisionsOf(const db::ReadTx& db, const std::string& sheet) {
    auto st = db.prepare(std::string("SELECT ") + kRevisionColumns +
                         " FROM revisions WHERE sheet = ? ORDER BY ledger_idx");
    st.bindAll(sheet);
    return revisionRows(std::move(st));
}

std::vector<RevisionRow> firstEntriesOf(const db::ReadTx& db, const std::string& sheet) {
    auto st = db.prepare(std::string("SELECT ") + kRevisionColumns +
                         " FROM revisions WHERE sheet = ? AND reading = 0 ORDER BY ledger_idx "
                         "DESC");
    st.bindAll(sheet);
    return revisionRows(std::move(st));
}

std::vector<std::int64_t> entriesOfTps(const db::ReadTx& db, const std::string& tps) {
    // A TPS's sheets are "<tps>/<contest>": the range from "<tps>/" up to "<tps>0" reads them
    // from the sheet index.
    auto st = db.prepare("SELECT ledger_idx FROM revisions WHERE sheet >= ? AND sheet < ?");
    st.bindAll(tps + "/", tps + "0");
    std::vector<std::int64_t> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

std::int64_t revisionCount(const db::ReadTx& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM revisions");
    st.step();
    return st.int64(0);
}

bool anyRevision(const db::ReadTx& db) {
    auto st = db.prepare("SELECT EXISTS (SELECT 1 FROM revisions)");
    st.step();
    return st.int64(0) != 0;
}

std::optional<SheetRow> sheet(const db::ReadTx& db, const std::string& key) {
    auto st = db.prepare("SELECT sheet, tps, contest, state, winner FROM sheets WHERE sheet = ?");
    st.bindAll(key);
    if (!st.step())
        return std::nullopt;
    return readSheet(st);
}

std::vector<std::string> keysInState(const db::ReadTx& db, SheetState state,
                                     const std::string& prefix) {
    auto st = db.prepare("SELECT sheet FROM sheets WHERE state = ?1 AND substr(tps, 1, ?2) = ?3 "
                         "ORDER BY sheet");
    st.bindAll(sheetStateName(state), static_cast<std::int64_t>(prefix.size()), prefix);
    std::vector<std::string> out;
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

std::vector<SheetRow> sheetsIn(const db::ReadTx& db, const std::string& prefix) {
    auto st = db.prepare("SELECT sheet, tps, contest, state, winner FROM sheets WHERE substr(tps, "
                         "1, ?1) = ?2");
    st.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    std::vector<SheetRow> out;
    while (st.step())
        out.push_back(readSheet(st));
    return out;
}

std::vector<std::pair<SheetRow, std::string>> rejectedIn(const db::ReadTx& db,
                                                         const std::string& prefix) {
    auto st = db.prepare(
        "SELECT s.sheet, s.tps, s.contest, s.state, s.winner, (SELECT r.findings FROM revisions r "
        "WHERE r.sheet = s.sheet ORDER BY r.ledger_idx DESC LIMIT 1) FROM sheets s WHERE s.state "
        "= 'rejected' AND substr(s.tps, 1, ?1) = ?2");
    st.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    std::vector<std::pair<SheetRow, std::string>> out;
    while (st.step())
        if (!st.isNull(5))
            out.emplace_back(readSheet(st), st.text(5));
    return out;
}

std::vector<Counting> countingIn(const db::ReadTx& db, const std::string& area,
                                 const std::string& contest) {
    auto attached = photo_attachments::currentPhotoSql("s.winner", "NULL");
    auto st = db.prepare("SELECT s.sheet, s.state, s.winner, w.device, w.operator, " + attached +
                         ", w.ledger_idx FROM sheets s JOIN revisions w ON w.id = s.winner WHERE "
                         "s.tps >= ?1 AND s.tps < ?1 || ':' AND (?2 = '' OR s.contest = ?2) AND "
                         "s.state IN ('accepted', 'conflict') ORDER BY s.tps, s.contest");
    st.bindAll(area, contest);
    std::vector<Counting> out;
    while (st.step())
        out.push_back({st.text(0), storedSheetState(st.text(1), "sheets.state"), st.text(2),
                       st.text(3), st.text(4), st.optionalText(5), st.int64(6)});
    return out;
}

Feed feedFor(const db::ReadTx& db, const std::string& device, const std::string& scope,
             std::int64_t since, int limit) {
    // Three disjoint parts, each answered from an index (schema step 3): what was addressed to
    // this device, what concerns everyone (master data), and what happened in its area (codes
    // are digits, so the area's codes are those from its code up to its code followed by ':').
    // One condition with substr() instead read every change after `since`: a device's first
    // sync scanned the regency's whole history. The unary + keeps SQLite off the other indexes
    // (device IS NULL matches nearly every row; seq > 0 all of them).
    // (PostgreSQL has no such hint, nor needs it.)
    // The feed's end comes first, from the same statement: the page and the position it ends
    // at are one state of the table (another receiver may commit between two statements, and a
    // position read after it would tell the device it had a change it was never sent), without
    // a transaction around two statements: on PostgreSQL one round trip instead of four.
    // Planned for each pull's parameters: a plan kept from when the feed was empty (election
    // morning) scans it whole at every pull until the table is next analysed (prepareEachTime).
    const std::string hint = db.dialect() == db::Dialect::SQLite ? "+" : "";
    auto st = db.prepareEachTime(
        "SELECT seq, kind, sheet, data FROM (SELECT 0 AS part, COALESCE(MAX(seq), 0) AS seq, '' "
        "AS kind, '' AS sheet, '' AS data FROM changes UNION ALL SELECT 1, seq, kind, sheet, "
        "data FROM (SELECT seq, kind, sheet, data FROM changes WHERE device = ?2 AND seq > ?1 "
        "UNION ALL SELECT seq, kind, sheet, data FROM changes WHERE " +
        hint +
        "device IS NULL AND tps = '' AND seq > ?1 UNION ALL SELECT seq, kind, sheet, data FROM "
        "changes WHERE " +
        hint + "device IS NULL AND tps >= ?3 AND tps < ?3 || ':' AND tps != '' AND " + hint +
        "seq > ?1 ORDER BY seq LIMIT ?4) AS page) AS feed ORDER BY part, seq");
    st.bindAll(since, device, scope, static_cast<std::int64_t>(limit) + 1);
    Feed out;
    std::int64_t end = st.step() ? st.int64(0) : 0;
    while (st.step()) {
        if (static_cast<int>(out.changes.size()) == limit) {
            out.more = true;
            break;
        }
        out.changes.push_back(
            {st.int64(0), st.text(1), st.text(2), nlohmann::json::parse(st.text(3))});
    }
    out.next = out.more ? out.changes.back().seq : std::max(since, end);
    return out;
}

void addChange(const db::WriteTx& db, const std::string& kind, const std::string& sheet,
               const std::string& tps, const std::string& data, const std::string& at) {
    db.prepare("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES (?, ?, ?, "
               "NULL, ?, ?)")
        .bindAll(kind, sheet, tps, data, at)
        .run();
}

db::Statement everyRevision(const db::ReadTx& db) {
    return db.prepare("SELECT seq, id, hash, numbers_hash, sheet, tps, contest, parent, device, "
                      "operator, captured_at, received_at, status, findings, body, ledger_idx, "
                      "line, signature, reading, name FROM revisions ORDER BY ledger_idx, seq");
}

db::Statement feedFrom(const db::ReadTx& db, std::int64_t fromSeq) {
    auto st = db.prepare("SELECT seq, kind, sheet, tps, device, data, created_at FROM changes "
                         "WHERE seq >= ? ORDER BY seq");
    st.bindAll(fromSeq);
    return st;
}

std::vector<std::int64_t> feedSeqs(const db::ReadTx& db) {
    auto st = db.prepare("SELECT seq FROM changes ORDER BY seq");
    std::vector<std::int64_t> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

db::Statement everySheet(const db::ReadTx& db) {
    return db.prepare("SELECT sheet, tps, contest, state, winner, updated_seq FROM sheets");
}

db::Statement everyHead(const db::ReadTx& db) {
    // The primary key's order on both engines (COLLATE "C" on PostgreSQL).
    return db.prepare("SELECT sheet, revision FROM sheet_heads ORDER BY sheet, revision");
}

std::map<std::string, std::string> everySuperseded(const db::ReadTx& db) {
    auto st = db.prepare("SELECT revision, resolution FROM superseded");
    std::map<std::string, std::string> out;
    while (st.step())
        out[st.text(0)] = st.text(1);
    return out;
}

} // namespace rekap::central::sheet_rows
