#pragma once
// Online backup and restore of a receiver's store: the SQLite file through SQLite's backup API
// (a consistent snapshot, taken while the receiver serves and keeps writing), and its photos.

#include <filesystem>
#include <string>

namespace rekap::central {

struct BackupFigures {
    std::uintmax_t bytes = 0;
    int photos = 0;
    bool key = false; ///< the receiver's signing key (<db>.key) was copied too
};

/// Copies `db` to `to` (written beside it, then renamed into place), its signing key `db`.key to
/// `to`.key (mode 0600), and the finished photos of `db`.photos/ to `to`.photos/. Throws
/// std::runtime_error naming the file at fault.
BackupFigures backupStore(const std::filesystem::path& db, const std::filesystem::path& to);

/// Puts backup `from` in place of `db` (which no receiver may be serving): checks the backup's
/// integrity first, then copies it and its photos. Throws std::runtime_error.
BackupFigures restoreStore(const std::filesystem::path& from, const std::filesystem::path& db);

} // namespace rekap::central
