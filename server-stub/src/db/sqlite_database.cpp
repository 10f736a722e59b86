// db::Database on an embedded SQLite file: the thin layer of rekap/support/sqlite.h.

#include <sqlite3.h>
#include <sstream>

#include "rekap/central/database.h"
#include "rekap/support/sqlite.h"

namespace rekap::central::db {

namespace {

class SqliteCursor final : public Cursor {
public:
    explicit SqliteCursor(sqlite::Statement st)
        : st_(std::move(st)) {}
    void bindInt(int i, std::int64_t v) override { st_.bind(i, v); }
    void bindText(int i, std::string_view v) override { st_.bind(i, v); }
    void bindNull(int i) override { st_.bind(i, nullptr); }
    bool step() override { return st_.step(); }
    void run() override { st_.run(); }
    void reset() override { st_.reset(); }
    std::int64_t int64(int c) const override { return st_.int64(c); }
    std::string text(int c) const override { return st_.text(c); }
    bool isNull(int c) const override { return st_.isNull(c); }

private:
    sqlite::Statement st_;
};

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(const std::string& file, bool synchronousFull)
        : db_(file, synchronousFull) {
        location_ = name_ = file;
    }
    Dialect dialect() const override { return Dialect::SQLite; }
    Statement prepare(std::string_view sql) override {
        return Statement(std::make_unique<SqliteCursor>(db_.prepare(sql)));
    }
    void exec(std::string_view sql) override { db_.exec(sql); }
    int changes() override { return db_.changes(); }
    void transaction(const std::function<void()>& f) override { db_.transaction(f); }
    void transactionApart(const std::function<void()>& f) override { db_.transaction(f); }
    bool inTransaction() const override { return db_.inTransaction(); }
    int userVersion() override { return db_.userVersion(); }
    void migrate(const std::vector<std::string>& steps) override { db_.migrate(steps); }
    std::string integrityCheck() override { return db_.integrityCheck(); }
    std::optional<std::int64_t> dataVersion() override {
        auto st = db_.prepare("PRAGMA data_version");
        st.step();
        return st.int64(0);
    }
    std::unique_ptr<Database> connectAgain(bool synchronousFull) const override {
        return std::make_unique<SqliteDatabase>(location_, synchronousFull);
    }

private:
    mutable sqlite::Database db_;
};

} // namespace

std::unique_ptr<Database> openSqlite(const std::string& file, bool synchronousFull) {
    return std::make_unique<SqliteDatabase>(file, synchronousFull);
}

bool isPostgres(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string describeLocation(const std::string& location) {
    if (!isPostgres(location))
        return location;
    std::string out = location;
    // postgresql://user:password@host... -> postgresql://user@host...
    auto scheme = out.find("://") + 3;
    auto authority = out.substr(scheme, out.find_first_of("/?", scheme) - scheme);
    auto at = authority.rfind('@');
    auto colon = authority.find(':');
    if (at != std::string::npos && colon < at)
        out.erase(scheme + colon, at - colon);
    // ...?user=rekap&password=secret&sslmode=... -> ...?user=rekap&sslmode=...: libpq takes a
    // password there too.
    auto query = out.find('?');
    if (query == std::string::npos)
        return out;
    std::string kept;
    std::istringstream parameters(out.substr(query + 1));
    for (std::string p; std::getline(parameters, p, '&');)
        if (!p.starts_with("password="))
            kept += (kept.empty() ? "" : "&") + p;
    out.resize(query);
    if (!kept.empty())
        out += "?" + kept;
    return out;
}

std::unique_ptr<Database> open(const std::string& location, bool synchronousFull) {
    if (isPostgres(location))
        return openPostgres(location);
    return openSqlite(location, synchronousFull);
}

} // namespace rekap::central::db
