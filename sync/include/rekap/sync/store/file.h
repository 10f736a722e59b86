#pragma once
// The device's one SQLite file: opens it (WAL, synchronous=FULL: what a unit commits is on disk
// before it returns), runs the schema steps, and hands out the units that own its tables and the
// transactions they share. It holds no data itself. Thread-safe: one lock over the connection,
// taken by every transaction.
//
// Units and their tables (docs/architecture.md, "The tablet's store in units"): identity (its
// keys in settings), masterData (master_data), drafts (drafts), outbox (revisions, sheet_heads),
// capture (none: freezes sheets into the outbox), receipts (receipts; the signed head and the
// ledger alarm in settings), photos (photos and the photo files), attachments
// (photo_attachments), relay (relay_codes, relayed), sendBacks (send_backs), feed (the pull
// checkpoint in settings), preferences (pref.* in settings).

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "rekap/support/sqlite.h"
#include "rekap/sync/store/attachments.h"
#include "rekap/sync/store/capture.h"
#include "rekap/sync/store/drafts.h"
#include "rekap/sync/store/feed.h"
#include "rekap/sync/store/identity.h"
#include "rekap/sync/store/master_copy.h"
#include "rekap/sync/store/outbox.h"
#include "rekap/sync/store/photos.h"
#include "rekap/sync/store/preferences.h"
#include "rekap/sync/store/receipts.h"
#include "rekap/sync/store/relay.h"
#include "rekap/sync/store/send_backs.h"
#include "rekap/sync/store/settings.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile {
public:
    /// Opens (creating when absent) and upgrades `file`; photos live in "<file>.photos".
    explicit DeviceFile(const std::filesystem::path& file);
    DeviceFile(const DeviceFile&) = delete;
    DeviceFile& operator=(const DeviceFile&) = delete;

    Identity& identity() { return identity_; }
    const Identity& identity() const { return identity_; }
    MasterCopy& masterData() { return masterData_; }
    const MasterCopy& masterData() const { return masterData_; }
    Drafts& drafts() { return drafts_; }
    const Drafts& drafts() const { return drafts_; }
    Outbox& outbox() { return outbox_; }
    const Outbox& outbox() const { return outbox_; }
    Capture& capture() { return capture_; }
    Receipts& receipts() { return receipts_; }
    const Receipts& receipts() const { return receipts_; }
    Photos& photos() { return photos_; }
    const Photos& photos() const { return photos_; }
    Attachments& attachments() { return attachments_; }
    const Attachments& attachments() const { return attachments_; }
    Relay& relay() { return relay_; }
    const Relay& relay() const { return relay_; }
    SendBacks& sendBacks() { return sendBacks_; }
    const SendBacks& sendBacks() const { return sendBacks_; }
    Feed& feed() { return feed_; }
    const Feed& feed() const { return feed_; }
    Preferences& preferences() { return preferences_; }
    const Preferences& preferences() const { return preferences_; }

    /// A read-only transaction: holds the lock until it is destroyed.
    ReadTx read() const { return ReadTx(db_, mu_); }
    /// Runs `f` with a read-write transaction and commits it; rolls back when `f` throws. Not
    /// nested: a unit that joins a transaction takes it as an argument instead.
    template <typename F> auto write(F&& f) {
        WriteTx tx(db_, mu_);
        using R = decltype(f(tx));
        if constexpr (std::is_void_v<R>) {
            db_.transaction([&] { f(tx); });
        } else {
            std::optional<R> out;
            db_.transaction([&] { out.emplace(f(tx)); });
            return std::move(*out);
        }
    }

    /// How the connection writes (PRAGMA journal_mode and synchronous): "wal" and 2 (FULL), so
    /// that a finalized sheet survives a power cut; tests check it, since nothing else can.
    struct Durability {
        std::string journalMode;
        int synchronous = 0;
    };
    Durability durability() const;

    /// The SQLite file, for tools and tests that open it with their own connection.
    const std::filesystem::path& path() const { return path_; }

    /// Fail points, for crash tests: `hook` is called with the name of each point reached
    /// ("finalize.written": inside finalize's transaction, before its commit; "finalize.committed";
    /// "push.answered": a push answered, its results not yet applied; "push.applied";
    /// "pull.applied"; "photo.chunk"), and may kill the process there. None is set by default.
    void setFailPointHook(std::function<void(std::string_view)> hook) {
        failHook_ = std::move(hook);
    }
    void failPoint(std::string_view point) const {
        if (failHook_)
            failHook_(point);
    }

private:
    std::filesystem::path path_;
    mutable sqlite::Database db_;
    mutable std::recursive_mutex mu_;
    std::function<void(std::string_view)> failHook_;
    Settings settings_;
    Identity identity_;
    MasterCopy masterData_;
    Drafts drafts_;
    Outbox outbox_;
    Capture capture_;
    Receipts receipts_;
    Photos photos_;
    Attachments attachments_;
    Relay relay_;
    SendBacks sendBacks_;
    Feed feed_;
    Preferences preferences_;
};

} // namespace rekap::sync
