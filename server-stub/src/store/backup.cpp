#include "store/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdexcept>
#include <unistd.h>

namespace rekap::central {

namespace fs = std::filesystem;

namespace {

struct Handle {
    sqlite3* db = nullptr;
    Handle(const fs::path& file, int flags) {
        if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
            std::string why = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw std::runtime_error(file.string() + ": " + why);
        }
        sqlite3_busy_timeout(db, 10000);
    }
    ~Handle() { sqlite3_close(db); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
};

/// The whole database in one step: one read transaction, so the copy is one consistent state.
/// In WAL mode that read does not stop the receiver's writers.
void copyDatabase(const fs::path& from, const fs::path& to) {
    Handle src(from, SQLITE_OPEN_READONLY);
    Handle dst(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    auto* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
    if (!b)
        throw std::runtime_error(to.string() + ": " + sqlite3_errmsg(dst.db));
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        throw std::runtime_error("backup of " + from.string() + " failed: " + sqlite3_errstr(rc));
    // The copy is a plain file: no WAL to carry around with it.
    if (sqlite3_exec(dst.db, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr) !=
        SQLITE_OK)
        throw std::runtime_error(to.string() + ": " + sqlite3_errmsg(dst.db));
}

void syncFile(const fs::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot sync " + file.string());
    }
    ::close(fd);
}

std::string checkIntegrity(const fs::path& file) {
    Handle h(file, SQLITE_OPEN_READONLY);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h.db, "PRAGMA integrity_check", -1, &st, nullptr);
    std::string result = "no answer";
    if (st && sqlite3_step(st) == SQLITE_ROW)
        result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return result;
}

/// The receiver's signing key beside `db` (the default place: a key given with --signing-key
/// elsewhere is the operator's to keep). Without it the restored store takes no writes.
fs::path keyOf(const fs::path& db) {
    return db.string() + ".key";
}

/// Copies the key file, owner-only like the original, written beside the target and renamed.
bool copyKey(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    if (!fs::exists(from, ec))
        return false;
    auto tmp = fs::path(to.string() + ".tmp");
    fs::remove(tmp, ec);
    fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    syncFile(tmp);
    fs::rename(tmp, to);
    return true;
}

fs::path photosOf(const fs::path& db) {
    return db.string() + ".photos";
}

/// Finished photos are named by their hash and never change: copy the ones missing.
int copyPhotos(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    if (!fs::is_directory(from, ec))
        return 0;
    fs::create_directories(to);
    int n = 0;
    for (const auto& e : fs::directory_iterator(from)) {
        if (e.path().extension() != ".jpg")
            continue;
        auto target = to / e.path().filename();
        if (!fs::exists(target, ec)) {
            fs::remove(target.string() + ".tmp", ec); // read-only, like the photo it copied
            fs::copy_file(e.path(), target.string() + ".tmp", fs::copy_options::overwrite_existing);
            syncFile(target.string() + ".tmp");
            fs::rename(target.string() + ".tmp", target);
        }
        ++n;
    }
    if (fs::exists(from / "photos.db", ec)) {
        copyDatabase(from / "photos.db", to / "photos.db.tmp");
        syncFile(to / "photos.db.tmp");
        fs::rename(to / "photos.db.tmp", to / "photos.db");
    }
    return n;
}

} // namespace

BackupFigures backupStore(const fs::path& db, const fs::path& to) {
    if (!fs::exists(db))
        throw std::runtime_error(db.string() + ": no such store");
    auto tmp = fs::path(to.string() + ".tmp");
    std::error_code ec;
    fs::remove(tmp, ec);
    copyDatabase(db, tmp);
    syncFile(tmp);
    fs::rename(tmp, to);
    BackupFigures f;
    f.bytes = fs::file_size(to);
    f.key = copyKey(keyOf(db), keyOf(to));
    f.photos = copyPhotos(photosOf(db), photosOf(to));
    return f;
}

BackupFigures restoreStore(const fs::path& from, const fs::path& db) {
    if (!fs::exists(from))
        throw std::runtime_error(from.string() + ": no such backup");
    auto check = checkIntegrity(from);
    if (check != "ok")
        throw std::runtime_error(from.string() + " fails its integrity check: " + check);
    std::error_code ec;
    // A stale WAL beside the target would be replayed over the restored file.
    for (const auto* suffix : {"-wal", "-shm"})
        fs::remove(db.string() + suffix, ec);
    auto tmp = fs::path(db.string() + ".restoring");
    fs::remove(tmp, ec);
    copyDatabase(from, tmp);
    syncFile(tmp);
    fs::rename(tmp, db);
    BackupFigures f;
    f.bytes = fs::file_size(db);
    f.key = copyKey(keyOf(from), keyOf(db));
    f.photos = copyPhotos(photosOf(from), photosOf(db));
    return f;
}

} // namespace rekap::central
