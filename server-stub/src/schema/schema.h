#pragma once
// The receiver's schema, one migration per step (SQLite: PRAGMA user_version; PostgreSQL: the
// table rekap_schema). The steps are written once, in SQLite's words; postgresStep() says the
// same in PostgreSQL's, so both engines go through the same numbered steps.

#include <string>
#include <vector>

#include "rekap/central/database.h"

namespace rekap::central {

inline const std::vector<std::string>& schemaMigrations() {
    static const std::vector<std::string> steps = {
        R"sql(
CREATE TABLE regency (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL,
    document TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    loaded_at TEXT NOT NULL);
CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('operator', 'camat')),
    scope TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    device TEXT,
    enrolment_id TEXT);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('operator', 'camat')),
    scope TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    last_seen_at TEXT,
    queue_depth INTEGER NOT NULL DEFAULT 0,
    last_capture_at TEXT,
    app_version TEXT NOT NULL DEFAULT '');
CREATE INDEX devices_scope ON devices(scope);
-- Every revision ever received and kept, append-only. The UNIQUE id is what makes a retried
-- upload a no-op: the database refuses a second copy even if the code above it were wrong.
CREATE TABLE revisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    content TEXT NOT NULL,
    sheet TEXT NOT NULL,
    tps TEXT NOT NULL,
    contest TEXT NOT NULL,
    parent TEXT,
    device TEXT NOT NULL,
    operator TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
    findings TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL);
CREATE INDEX revisions_sheet ON revisions(sheet);
CREATE TABLE sheets (
    sheet TEXT PRIMARY KEY,
    tps TEXT NOT NULL,
    contest TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('accepted', 'conflict', 'rejected')),
    winner TEXT,
    updated_seq INTEGER NOT NULL);
CREATE INDEX sheets_tps ON sheets(tps);
CREATE TABLE sheet_heads (
    sheet TEXT NOT NULL,
    revision TEXT NOT NULL,
    PRIMARY KEY (sheet, revision)) WITHOUT ROWID;
-- Heads closed by an adjudication: the resolving revision and each head it set aside.
CREATE TABLE superseded (
    revision TEXT PRIMARY KEY,
    resolution TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    sheet TEXT NOT NULL DEFAULT '',
    tps TEXT NOT NULL DEFAULT '',
    device TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL);
)sql",
        // 2: desk logins for the dashboard and the desk's API.
        R"sql(
CREATE TABLE desk_tokens (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT);
)sql",
        // 3: the pull feed by device and by area, so a pull reads only its own changes.
        R"sql(
CREATE INDEX changes_device ON changes(device, seq);
CREATE INDEX changes_tps ON changes(tps, seq);
)sql",
        // 4: dashboard sessions. The cookie carries a random session id, never the desk token;
        // both are stored hashed. Ended by logout, by revoking the token, or by age.
        R"sql(
CREATE TABLE desk_sessions (
    session_hash TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at TEXT);
CREATE INDEX desk_sessions_token ON desk_sessions(token_hash);
)sql",
        // 5: the ledger (docs/integrity.md). Every event that changes what counts, in the
        // receiver's order; `entry` holds the exact bytes hashed into the Merkle tree, so a
        // revision's JSON lives there (revisions.body is left empty from here on). The other
        // tables are derived from it. A store made before this step gets its ledger built from
        // its tables when first opened (CentralStore, migrate_ledger.cpp).
        R"sql(
CREATE TABLE ledger (
    idx INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    sheet TEXT NOT NULL DEFAULT '',
    device TEXT,
    entry TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE INDEX ledger_device ON ledger(device, idx);
-- Append-only: changing or removing an entry takes dropping these first, which is itself a
-- sign of tampering (and verify names the entry either way).
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
-- The receiver's signed statements of the ledger's size and root.
CREATE TABLE tree_heads (
    size INTEGER PRIMARY KEY,
    root TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    signature TEXT NOT NULL);
ALTER TABLE revisions ADD COLUMN ledger_idx INTEGER;
ALTER TABLE revisions ADD COLUMN line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN signature TEXT;
ALTER TABLE revisions RENAME COLUMN content TO numbers_hash;
ALTER TABLE devices ADD COLUMN public_key TEXT;
)sql",
        // 6: KPU's published per-TPS numbers (docs/crosscheck.md), a source of their own beside
        // the ledger: never read by the tally. Each import is kept, so that a newer snapshot
        // does not erase what KPU published before. `fields` holds the published boxes only,
        // as {"<field id>": n} (field ids of sheet_codec.h); a blank in KPU's file is absent.
        R"sql(
CREATE TABLE kpu_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL);
CREATE INDEX kpu_imports_contest ON kpu_imports(contest, id);
CREATE TABLE kpu_numbers (
    import_id INTEGER NOT NULL REFERENCES kpu_imports(id),
    tps TEXT NOT NULL,
    line INTEGER NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (import_id, tps)) WITHOUT ROWID;
)sql",
        // 7: second readings (docs/second-reading.md). `reading` is 2 for a second reading (a
        // revision whose reason is "bacaan kedua"), 0 otherwise: every older revision is a
        // first entry. Claims hand each sheet to one reader at a time, for a while; they are
        // work in progress, not results, so they are not in the ledger.
        R"sql(
ALTER TABLE revisions ADD COLUMN reading INTEGER NOT NULL DEFAULT 0;
CREATE TABLE reading_claims (
    sheet TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL);
CREATE INDEX reading_claims_holder ON reading_claims(holder);
)sql",
        // 8: revision ids belong to their device (rekap/revision_key.h). `id` is the revision's
        // key from here on: the id the device chose, or "<id>@<device>" when another device's
        // revision already held it; `name` is the id the device chose. A device never has two
        // revisions of one name, which the unique index keeps even if the code above it erred;
        // every earlier id was unique, so each is its own key.
        R"sql(
ALTER TABLE revisions ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE revisions SET name = id;
CREATE UNIQUE INDEX revisions_device_name ON revisions(device, name);
CREATE INDEX revisions_name ON revisions(name);
)sql",
        // 9: photos attached to revisions already sent (rekap/photo_attachment.h), one row per
        // photo_attached ledger entry (photo_attachments.cpp owns this table). A revision's
        // photo is its latest attachment, else the photo it carried; a photo is attached to a
        // revision once.
        R"sql(
CREATE TABLE photo_attachments (
    ledger_idx INTEGER PRIMARY KEY,
    revision TEXT NOT NULL,
    sheet TEXT NOT NULL,
    photo TEXT NOT NULL,
    device TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (revision, photo));
CREATE INDEX photo_attachments_sheet ON photo_attachments(sheet);
CREATE INDEX photo_attachments_photo ON photo_attachments(photo);
)sql",
        // 10: desk accounts with roles (docs/desk-accounts.md; desk_accounts.cpp owns the table).
        // Each name that held a desk token becomes a coordinator, without a password: its tokens
        // and sessions keep working. A password login's session has no token (token_hash '').
        R"sql(
CREATE TABLE desk_accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'coordinator', 'reader', 'observer')),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    disabled_at TEXT);
INSERT INTO desk_accounts (name, role, created_at)
    SELECT name, 'coordinator', MIN(created_at) FROM desk_tokens GROUP BY name;
CREATE INDEX desk_sessions_name ON desk_sessions(name);
)sql",
        // 11: sheets sent back to their operator ("perlu perbaikan", rekap/send_back.h), one
        // row per send_back ledger entry (send_backs.cpp owns this table). `answered_by` is the
        // key of the sheet's next first entry by an operator's tablet, recorded after the mark
        // (its entry `answered_idx`); NULL while the mark waits.
        R"sql(
CREATE TABLE send_backs (
    ledger_idx INTEGER PRIMARY KEY,
    revision TEXT NOT NULL,
    sheet TEXT NOT NULL,
    tps TEXT NOT NULL,
    device TEXT NOT NULL,
    reason TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    signature TEXT NOT NULL,
    answered_by TEXT,
    answered_idx INTEGER);
CREATE INDEX send_backs_sheet ON send_backs(sheet, ledger_idx);
CREATE INDEX send_backs_tps ON send_backs(tps);
)sql",
        // 12: the intake (intake_queue.cpp owns it): pushes stored as they arrived, before the
        // integrator takes them into the ledger in batches (docs/architecture.md, "Sequencing
        // apart from integration"). `answer` is NULL while a push waits; the integrator sets it
        // in the ledger transaction that integrates the push and drops the push's items.
        R"sql(
CREATE TABLE intake (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL,
    relayed INTEGER NOT NULL,
    report TEXT NOT NULL,
    items TEXT NOT NULL,
    received_at TEXT NOT NULL,
    answer TEXT);
CREATE INDEX intake_waiting ON intake(seq) WHERE answer IS NULL;
CREATE INDEX intake_sender ON intake(sender, seq);
)sql",
        // 13: a checkpoint of derived state (issue 30; derived_checkpoint.cpp owns the table):
        // the live tally and what each sheet counts, at `ledger_size` entries whose Merkle root
        // is `root_hash`, encoded as text. One row, the latest; derived, so `verify` rebuilds it.
        R"sql(
CREATE TABLE derived_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ledger_size INTEGER NOT NULL,
    root_hash TEXT NOT NULL,
    master_data TEXT NOT NULL,
    state TEXT NOT NULL,
    written_at TEXT NOT NULL);
)sql",
        // 14: a waiting push's items in a table of their own, whose row goes when the push is
        // answered (intake_queue.cpp). Blanked on the intake's row, they left each page of it
        // nearly empty, and new pushes went to the end: 3.3 KB of dead space a push, about 2.7 GB
        // of a national store (docs/benchmarks.md). Deleted rows free whole pages for the next.
        R"sql(
CREATE TABLE intake_items (
    seq INTEGER PRIMARY KEY,
    items TEXT NOT NULL);
INSERT INTO intake_items (seq, items) SELECT seq, items FROM intake WHERE answer IS NULL;
ALTER TABLE intake DROP COLUMN items;
)sql",
    };
    return steps;
}

namespace schema_detail {
inline void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}
} // namespace schema_detail

/// A SQLite step in PostgreSQL's words:
/// - integers are 64-bit (BIGINT), an AUTOINCREMENT key an identity column;
/// - text compares byte by byte (COLLATE "C"), as in SQLite: area ranges such as
///   `tps >= '6306' AND tps < '6306:'` and every ORDER BY depend on it;
/// - WITHOUT ROWID is SQLite's storage detail;
/// - the ledger's append-only triggers become one trigger function, also refusing TRUNCATE.
inline std::string postgresStep(std::string step) {
    using schema_detail::replaceAll;
    replaceAll(step, "INTEGER PRIMARY KEY AUTOINCREMENT",
               "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    replaceAll(step, "INTEGER", "BIGINT");
    replaceAll(step, " TEXT", " TEXT COLLATE \"C\"");
    replaceAll(step, ") WITHOUT ROWID;", ");");
    const std::string sqliteTriggers =
        "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger\n"
        "    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;\n"
        "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger\n"
        "    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;";
    replaceAll(step, sqliteTriggers,
               "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS\n"
               "    $$ BEGIN RAISE EXCEPTION 'the ledger is append-only'; END $$;\n"
               "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger\n"
               "    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();\n"
               "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger\n"
               "    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();\n"
               "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger\n"
               "    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();");
    return step;
}

/// The steps for `dialect`, in order.
inline const std::vector<std::string>& schemaMigrations(db::Dialect dialect) {
    if (dialect == db::Dialect::SQLite)
        return schemaMigrations();
    static const std::vector<std::string> steps = [] {
        std::vector<std::string> out;
        for (const auto& step : schemaMigrations())
            out.push_back(postgresStep(step));
        return out;
    }();
    return steps;
}

} // namespace rekap::central
