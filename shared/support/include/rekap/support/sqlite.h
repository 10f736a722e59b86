#pragma once
// A thin RAII layer over SQLite for the device store and the receiver's store: prepared
// statements, transactions that roll back on exceptions, and numbered migrations.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rekap/support/storage_error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rekap::sqlite {

/// A failed SQLite call; `code()` is SQLite's result code (SQLITE_FULL on a full disk, ...).
class Error : public StorageError {
public:
    Error(int code, const std::string& what)
        : StorageError(what)
        , code_(code) {}
    int code() const { return code_; }
    bool diskFull() const override;

private:
    int code_;
};

/// Prepared statements kept for reuse by SQL text: compiling a statement costs more than running
/// a small one, and the receiver's ingest runs the same dozen statements for every sheet.
class StatementCache {
public:
    sqlite3_stmt* take(const std::string& sql);
    void give(const std::string& sql, sqlite3_stmt* stmt);
    void clear(); ///< finalizes every idle statement

private:
    std::mutex mu_;
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
};

class Statement {
public:
    /// With a cache, takes an idle statement for `sql` from it (or compiles one) and gives it
    /// back, reset, when destroyed.
    Statement(sqlite3* db, std::string_view sql, StatementCache* cache = nullptr);
    ~Statement();
    Statement(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullptr_t);
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bindBlob(int index, std::string_view bytes);
    /// Binds the arguments to parameters 1, 2, ...
    template <typename... Args> Statement& bindAll(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    /// Advances; true while a row is available.
    bool step();
    /// Runs to completion (for statements that return no rows).
    void run();
    void reset();

    std::int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    std::string text(int column) const;
    std::optional<std::string> optionalText(int column) const;
    bool isNull(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
    StatementCache* cache_ = nullptr;
};

class Database {
public:
    /// Opens (creating when absent) with WAL, foreign keys and a busy timeout.
    /// `synchronousFull`: every commit reaches the disk before it returns.
    explicit Database(const std::string& path, bool synchronousFull = true);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    /// A statement from the cache: cheap to call again with the same SQL.
    Statement prepare(std::string_view sql) { return Statement(db_, sql, cache_.get()); }
    std::int64_t lastInsertRowid() const;
    int changes() const;
    const std::string& path() const { return path_; }

    /// True between BEGIN and COMMIT.
    bool inTransaction() const;
    /// Runs `f` inside BEGIN IMMEDIATE ... COMMIT; rolls back if it throws.
    void transaction(const std::function<void()>& f);

    int userVersion();
    /// Applies steps[userVersion()..] in order, each in its own transaction that ends by setting
    /// PRAGMA user_version to its number (1-based). A newer file than this build knows is refused.
    void migrate(const std::vector<std::string>& steps);
    /// "ok" when PRAGMA integrity_check passes, else its first complaint.
    std::string integrityCheck();

private:
    /// How long a statement waits for another connection's lock before SQLITE_BUSY.
    static constexpr std::chrono::milliseconds kBusyTimeout{10000};
    void enterWal();

    sqlite3* db_ = nullptr;
    std::string path_;
    std::unique_ptr<StatementCache> cache_ = std::make_unique<StatementCache>();
};

} // namespace rekap::sqlite
