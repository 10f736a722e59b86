#pragma once
// Transactions over the device's SQLite file, in the shape of Trillian's storage: a read-only
// and a read-write type, so that a unit's signature says whether it writes. A unit method that
// takes a transaction joins it (one write transaction is handed to every unit that takes part);
// one that takes none opens its own. Only the units reach the SQL connection through them:
// there is no other way to the raw handle (tests that tamper open the file themselves).

#include <mutex>
#include <string_view>

#include "rekap/support/sqlite.h"

namespace rekap::sync {

class DeviceFile;
class Identity;
class MasterCopy;
class Drafts;
class Outbox;
class Capture;
class Receipts;
class Photos;
class Attachments;
class Relay;
class SendBacks;
class Feed;
class Preferences;
class Settings;

/// Holds the file's lock while it lives: what is read through it is one consistent view.
class ReadTx {
public:
    ReadTx(const ReadTx&) = delete;
    ReadTx& operator=(const ReadTx&) = delete;

protected:
    ReadTx(sqlite::Database& db, std::recursive_mutex& mu)
        : db_(db)
        , lock_(mu) {}
    sqlite::Statement prepare(std::string_view sql) const { return db_.prepare(sql); }
    sqlite::Database& db_;

private:
    friend class DeviceFile;
    friend class MasterCopy;
    friend class Drafts;
    friend class Outbox;
    friend class Receipts;
    friend class Photos;
    friend class Attachments;
    friend class Relay;
    friend class SendBacks;
    friend class Settings;
    std::unique_lock<std::recursive_mutex> lock_;
};

/// Inside BEGIN IMMEDIATE ... COMMIT (DeviceFile::write): everything written through it commits
/// together, durably, or not at all.
class WriteTx : public ReadTx {
private:
    friend class DeviceFile;
    friend class MasterCopy;
    friend class Drafts;
    friend class Outbox;
    friend class Receipts;
    friend class Photos;
    friend class Attachments;
    friend class Relay;
    friend class SendBacks;
    friend class Settings;
    using ReadTx::ReadTx;
    void exec(std::string_view sql) const { db_.exec(sql); }
    /// Rows changed by the last statement (an INSERT ... DO NOTHING that found its row: 0).
    int changes() const { return db_.changes(); }
};

} // namespace rekap::sync
