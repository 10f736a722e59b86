#pragma once
// The device store's schema, one migration per step (PRAGMA user_version).

#include <string>
#include <vector>

namespace rekap::sync {

inline const std::vector<std::string>& deviceMigrations() {
    static const std::vector<std::string> steps = {
        R"sql(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE master_data (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL,
    version TEXT NOT NULL);
CREATE TABLE drafts (sheet TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE revisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    sheet TEXT NOT NULL,
    parent TEXT,
    body TEXT NOT NULL,
    hash TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'device' CHECK (origin IN ('device', 'desk')),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'conflict', 'rejected',
                                         'superseded')),
    findings TEXT NOT NULL DEFAULT '[]',
    error TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL);
CREATE INDEX revisions_state ON revisions(state, seq);
CREATE INDEX revisions_sheet ON revisions(sheet);
CREATE TABLE sheet_heads (sheet TEXT PRIMARY KEY, revision TEXT NOT NULL);
CREATE TABLE photos (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0);
)sql",
        // 2: receipts of the receiver's ledger (docs/integrity.md): where each of this device's
        // revisions was recorded, and the signed head that holds it. The device's key pair and
        // the last head it checked live in settings.
        R"sql(
CREATE TABLE receipts (
    revision TEXT PRIMARY KEY,
    ledger_index INTEGER NOT NULL,
    code TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    root TEXT NOT NULL,
    head_timestamp TEXT NOT NULL,
    head_signature TEXT NOT NULL,
    checked INTEGER NOT NULL DEFAULT 0);
)sql",
        // 3: the QR relay (docs/relay.md). On a camat's tablet: the codes scanned from operators'
        // tablets (kept, so that a series scanned in two sittings, or across a restart, still
        // completes), and the revisions they carried, until the receiver has answered for each.
        R"sql(
CREATE TABLE relay_codes (
    series TEXT NOT NULL,
    number INTEGER NOT NULL,
    count INTEGER NOT NULL,
    group_start INTEGER NOT NULL,
    group_size INTEGER NOT NULL,
    data TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    PRIMARY KEY (series, number));
CREATE TABLE relayed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    sheet TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'accepted', 'conflict', 'rejected',
                                         'superseded', 'refused')),
    error TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE INDEX relayed_state ON relayed(state, seq);
)sql",
        // 4: photos attached to revisions already sent (rekap/photo_attachment.h): each signed
        // attachment as sent, until the receiver has answered for it, and its receipt after.
        R"sql(
CREATE TABLE photo_attachments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    revision TEXT NOT NULL,
    photo TEXT NOT NULL,
    sheet TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'accepted', 'refused')),
    error TEXT NOT NULL DEFAULT '',
    receipt TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (revision, photo));
)sql",
        // 5: sheets the desk sent back ("perlu perbaikan", rekap/send_back.h): each mark as
        // received, its signature checked (SyncClient::decisionProblem). It is answered by a
        // revision of the sheet this device made after the one it names (`after_seq`), once the
        // receiver has answered for it.
        R"sql(
CREATE TABLE send_backs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    revision TEXT NOT NULL,
    device TEXT NOT NULL,
    reason TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    body TEXT NOT NULL,
    after_seq INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (sheet, revision, sent_at));
)sql",
        // 6: revisions the receiver stored and answered early (`Prefer: respond-async`,
        // docs/protocol.md): still `sending`, with the time the receiver said it stored them.
        // They wait for their receipt, listed in the next push's `awaiting`, and are not sent
        // again, also after a restart (only a `sending` revision without it goes back to
        // `queued`).
        R"sql(
ALTER TABLE revisions ADD COLUMN stored_at TEXT;
)sql",
    };
    return steps;
}

} // namespace rekap::sync
