#include "rekap/support/sqlite.h"

#include <sqlite3.h>

#include <thread>

namespace rekap::sqlite {

bool Error::diskFull() const {
    return (code_ & 0xff) == SQLITE_FULL;
}

namespace {
[[noreturn]] void fail(sqlite3* db, int rc, const std::string& context) {
    throw Error(rc, context + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}
} // namespace

sqlite3_stmt* StatementCache::take(const std::string& sql) {
    std::lock_guard lock(mu_);
    auto it = idle_.find(sql);
    if (it == idle_.end() || it->second.empty())
        return nullptr;
    auto* stmt = it->second.back();
    it->second.pop_back();
    return stmt;
}

void StatementCache::give(const std::string& sql, sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    std::lock_guard lock(mu_);
    idle_[sql].push_back(stmt);
}

void StatementCache::clear() {
    std::lock_guard lock(mu_);
    for (auto& [sql, stmts] : idle_)
        for (auto* stmt : stmts)
            sqlite3_finalize(stmt);
    idle_.clear();
}

Statement::Statement(sqlite3* db, std::string_view sql, StatementCache* cache)
    : db_(db)
    , sql_(sql)
    , cache_(cache) {
    if (cache_ && (stmt_ = cache_->take(sql_)))
        return;
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                cache_ ? SQLITE_PREPARE_PERSISTENT : 0, &stmt_, nullptr);
    if (rc != SQLITE_OK)
        fail(db, rc, "prepare '" + sql_ + "'");
}

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_)
    , stmt_(o.stmt_)
    , sql_(std::move(o.sql_))
    , cache_(o.cache_) {
    o.stmt_ = nullptr;
}

Statement::~Statement() {
    if (stmt_ && cache_)
        cache_->give(sql_, stmt_);
    else
        sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, std::int64_t v) {
    if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
    if (int rc =
            sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int i, std::nullptr_t) {
    if (int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int i, const std::optional<std::string>& v) {
    return v ? bind(i, std::string_view(*v)) : bind(i, nullptr);
}

Statement& Statement::bindBlob(int i, std::string_view v) {
    if (int rc =
            sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(db_, rc, "step '" + sql_ + "'");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int c) const {
    return sqlite3_column_int64(stmt_, c);
}

std::string Statement::text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string();
}

std::optional<std::string> Statement::optionalText(int c) const {
    if (isNull(c))
        return std::nullopt;
    return text(c);
}

bool Statement::isNull(int c) const {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
}

Database::Database(const std::string& path, bool synchronousFull)
    : path_(path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        throw Error(rc, path + ": cannot open: " + msg);
    }
    sqlite3_busy_timeout(db_, static_cast<int>(kBusyTimeout.count()));
    enterWal();
    exec(synchronousFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
}

void Database::enterWal() {
    // Turning a new file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once,
    // without its busy handler, to a connection that finds another one switching it: receivers
    // started together on a new photo folder each open photos.db. Wait as the handler would.
    const auto deadline = std::chrono::steady_clock::now() + kBusyTimeout;
    for (;;) {
        try {
            exec("PRAGMA journal_mode=WAL");
            return;
        } catch (const Error& e) {
            if (e.code() != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
                throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

Database::~Database() {
    cache_->clear();
    sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw Error(rc, path_ + ": " + msg + " (in: " + s.substr(0, 80) + ")");
    }
}

std::int64_t Database::lastInsertRowid() const {
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
    return sqlite3_changes(db_);
}

bool Database::inTransaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

void Database::transaction(const std::function<void()>& f) {
    exec("BEGIN IMMEDIATE");
    try {
        f();
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

int Database::userVersion() {
    auto st = prepare("PRAGMA user_version");
    st.step();
    return st.integer(0);
}

void Database::migrate(const std::vector<std::string>& steps) {
    int have = userVersion();
    if (have > static_cast<int>(steps.size()))
        throw Error(SQLITE_ERROR, path_ + ": schema version " + std::to_string(have) +
                                      " is newer than this build knows (" +
                                      std::to_string(steps.size()) + ")");
    for (int v = have; v < static_cast<int>(steps.size()); ++v) {
        transaction([&] {
            // Another process opening the same file at the same moment may have applied this
            // step while we waited for the write lock: look again under it.
            if (userVersion() > v)
                return;
            exec(steps[v]);
            exec("PRAGMA user_version = " + std::to_string(v + 1));
        });
    }
}

std::string Database::integrityCheck() {
    auto st = prepare("PRAGMA integrity_check");
    return st.step() ? st.text(0) : "no answer";
}

} // namespace rekap::sqlite
