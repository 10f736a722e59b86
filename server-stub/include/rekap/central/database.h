#pragma once
// The receiver's database, whichever engine holds it: an embedded SQLite file (the default, a
// regency desk) or a PostgreSQL server that several receivers share (docs/scale-out.md).
//
// The seam is here, at SQL, rather than higher up: the ledger, the merge and the caches that
// follow them must be one piece of code, or the two engines would drift apart in exactly the
// rules that make a figure trustworthy. What differs between the engines is small and kept in
// this layer: placeholders, the schema's types, the writer lock, reconnecting, and a
// handful of queries that say `dialect()`.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rekap/support/storage_error.h"

namespace rekap::central::db {

enum class Dialect { SQLite, PostgreSQL };

/// A failure of the PostgreSQL engine (SQLite's are rekap::sqlite::Error). Both are
/// rekap::StorageError.
class Error : public StorageError {
public:
    Error(const std::string& what, std::string sqlState = {}, bool unavailable = false)
        : StorageError(what)
        , sqlState_(std::move(sqlState))
        , unavailable_(unavailable) {}
    const std::string& sqlState() const { return sqlState_; }
    bool diskFull() const override { return sqlState_ == "53100"; }
    bool unavailable() const override { return unavailable_; }

private:
    std::string sqlState_;
    bool unavailable_;
};

/// One engine's prepared statement; see Statement.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bindInt(int index, std::int64_t value) = 0;
    virtual void bindText(int index, std::string_view value) = 0;
    virtual void bindNull(int index) = 0;
    virtual bool step() = 0;
    virtual void run() = 0;
    virtual void reset() = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual std::string text(int column) const = 0;
    virtual bool isNull(int column) const = 0;
};

/// A statement: parameters are `?` or `?N` (1-based) in either engine; columns are 0-based.
/// It runs at the first step() or run().
class Statement {
public:
    explicit Statement(std::unique_ptr<Cursor> cursor)
        : c_(std::move(cursor)) {}

    Statement& bind(int index, std::int64_t value) {
        c_->bindInt(index, value);
        return *this;
    }
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, long long value) {
        return bind(index, static_cast<std::int64_t>(value));
    }
    Statement& bind(int index, std::size_t value) {
        return bind(index, static_cast<std::int64_t>(value));
    }
    Statement& bind(int index, std::string_view value) {
        c_->bindText(index, value);
        return *this;
    }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullptr_t) {
        c_->bindNull(index);
        return *this;
    }
    Statement& bind(int index, const std::optional<std::string>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    Statement& bind(int index, const std::optional<std::int64_t>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    /// Binds the arguments to parameters 1, 2, ...
    template <typename... Args> Statement& bindAll(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    /// Advances; true while a row is available.
    bool step() { return c_->step(); }
    /// Runs to completion (for statements that return no rows).
    void run() { c_->run(); }
    void reset() { c_->reset(); }

    std::int64_t int64(int column) const { return c_->int64(column); }
    int integer(int column) const { return static_cast<int>(int64(column)); }
    std::string text(int column) const { return c_->text(column); }
    std::optional<std::string> optionalText(int column) const {
        return isNull(column) ? std::nullopt : std::optional<std::string>(text(column));
    }
    bool isNull(int column) const { return c_->isNull(column); }

private:
    std::unique_ptr<Cursor> c_;
};

class WriteTx;

/// One connection. Not for use by two threads at once (the store holds its lock around it).
class Database {
public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    /// A statement (engines keep compiled statements for reuse by their SQL text).
    virtual Statement prepare(std::string_view sql) = 0;
    /// A statement that PostgreSQL plans anew for each execution's parameters (SQLite: as
    /// prepare()). For a batch's look-ups by a list of keys (inJsonArray): a plan kept from when
    /// the table was empty scans it whole once it is not, and nothing plans it again until the
    /// table is next analysed (measured: 5 ms a batch instead of 0.1 at 12,000 revisions).
    virtual Statement prepareEachTime(std::string_view sql) { return prepare(sql); }
    /// Runs SQL without parameters, possibly several statements.
    virtual void exec(std::string_view sql) = 0;
    /// Rows changed by the last INSERT, UPDATE or DELETE (waits for it when pipelined).
    virtual int changes() = 0;
    /// Runs `f` as one transaction that holds the database's single writer lock (SQLite: BEGIN
    /// IMMEDIATE; PostgreSQL: an advisory lock every receiver takes), so that writers from any
    /// process or receiver follow one another; rolls back if `f` throws.
    virtual void transaction(const std::function<void()>& f) = 0;
    /// The same without PostgreSQL's writer lock, for rows that no ledger writer reads under it
    /// and that writers add side by side (the intake). SQLite has only one writer at a time.
    virtual void transactionApart(const std::function<void()>& f) = 0;
    /// transaction(), with PostgreSQL's pipeline mode: a statement whose answer nobody asks for
    /// (run(), exec()) is sent without waiting, and the answers owed are read when one is asked
    /// for (step(), changes()) or at COMMIT, so that a transaction of many writes costs a round
    /// trip per read instead of one per statement. A statement that fails dooms the whole
    /// transaction: every later read and the COMMIT throw, and a savepoint cannot undo it (its
    /// error may be read after the savepoint ended). SQLite: transaction() itself.
    virtual void transactionPipelined(const std::function<void()>& f) { transaction(f); }
    /// Starts a read-only transaction that sees one state of the database throughout (SQLite:
    /// BEGIN; PostgreSQL: REPEATABLE READ), for verify and the export; ends with exec("COMMIT").
    void beginSnapshot() {
        exec(dialect() == Dialect::PostgreSQL ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                              : "BEGIN");
    }
    /// True between BEGIN and COMMIT (or ROLLBACK).
    virtual bool inTransaction() const = 0;
    /// The times this connection sent statements and waited for their answers (PostgreSQL;
    /// SQLite has no round trips and says 0): what pipelining saves, counted.
    virtual std::uint64_t roundTrips() const { return 0; }
    /// Runs `f`, whose reads must see one state of the database, in a snapshot: as it is when
    /// already inside a transaction, else in a read transaction of its own. Another process
    /// (another receiver) may commit between two statements otherwise.
    void snapshot(const std::function<void()>& f) {
        if (inTransaction()) {
            f();
            return;
        }
        beginSnapshot();
        try {
            f();
        } catch (...) {
            try {
                exec("ROLLBACK");
            } catch (const std::exception&) {
                // the connection is gone, and the transaction with it
            }
            throw;
        }
        exec("COMMIT");
    }
    /// Runs `f` in one write transaction (transaction()), handing it the transaction.
    void write(const std::function<void(WriteTx&)>& f);
    /// The same in a pipelined transaction (transactionPipelined()).
    void writePipelined(const std::function<void(WriteTx&)>& f);
    /// Runs `f` in one write transaction apart from the ledger's writers (transactionApart()).
    void writeApart(const std::function<void(WriteTx&)>& f);
    /// Runs `f`, whose writes are each one statement that stands alone (what a device said of
    /// itself, a claim given back): no transaction, no writer lock. Operational rows only.
    void autocommit(const std::function<void(WriteTx&)>& f);
    /// The schema steps applied so far.
    virtual int userVersion() = 0;
    /// Applies steps[userVersion()..] in order, each in its own transaction that also records its
    /// number (1-based). A newer database than this build knows is refused.
    virtual void migrate(const std::vector<std::string>& steps) = 0;
    /// "ok" when the engine's own check passes, else its first complaint.
    virtual std::string integrityCheck() = 0;
    /// A number that moves whenever another connection commits (SQLite's data_version);
    /// nullopt when the engine has none, and the caller must look itself.
    virtual std::optional<std::int64_t> dataVersion() = 0;
    /// Another connection to the same database.
    virtual std::unique_ptr<Database> connectAgain(bool synchronousFull) const = 0;
    /// What was opened, for messages: the file, or the URL without a password.
    const std::string& path() const { return name_; }
    /// What to open again: the file or the whole URL.
    const std::string& location() const { return location_; }

protected:
    std::string location_, name_;
};

/// What a unit's reading function takes (docs/architecture.md, "The receiver in units"): the
/// store's connection, used under the store's lock, inside a snapshot when several reads must
/// see one state. Any code holding the connection may read, so it converts from it.
class ReadTx {
public:
    ReadTx(Database& db) // NOLINT(google-explicit-constructor): reads need no ceremony
        : db_(&db) {}
    Statement prepare(std::string_view sql) const { return db_->prepare(sql); }
    Statement prepareEachTime(std::string_view sql) const { return db_->prepareEachTime(sql); }
    Dialect dialect() const { return db_->dialect(); }
    const std::string& path() const { return db_->path(); }

protected:
    Database* db_;
};

/// What a unit's writing function takes. Only the connection makes one, inside a write
/// transaction (Database::write) or for one statement on its own (Database::autocommit), so a
/// unit's write cannot happen outside a transaction that a caller chose: the shape of
/// Trillian's read-write transaction handed to each storage unit in turn.
class WriteTx : public ReadTx {
public:
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    int changes() const { return db_->changes(); }
    /// Runs `f` so that its writes are undone alone if it throws, the transaction going on.
    void savepoint(const std::function<void()>& f) const;

private:
    explicit WriteTx(Database& db)
        : ReadTx(db) {}
    friend class Database;
};

/// PostgreSQL's LISTEN, on a connection of its own: how one receiver hears at once that another
/// stored a push or integrated a batch, instead of looking every few milliseconds.
class Notifications {
public:
    virtual ~Notifications() = default;
    /// Waits up to `timeout`; returns the channels notified meanwhile (none on a timeout). A lost
    /// connection is opened again at the next call, listening as before.
    virtual std::vector<std::string> wait(int timeoutMs) = 0;
};
/// Listens on `channels` of the PostgreSQL database at `location`; nullptr for SQLite, whose
/// one `serve` hears its own pushes in memory.
std::unique_ptr<Notifications> listen(const std::string& location,
                                      const std::vector<std::string>& channels);

/// A condition that `column` is one of the elements of the JSON array bound to its `?`: one
/// statement for a whole batch of keys, on either engine, looked up through the column's index
/// (PostgreSQL's planner cannot size a set-returning function, and `IN (SELECT ...)` of one
/// made it scan the table; `= ANY` of an array it builds once does not). `integer`: the
/// column and the elements are integers.
inline std::string inJsonArray(Dialect d, const std::string& column, bool integer = false) {
    if (d == Dialect::SQLite)
        return column + " IN (SELECT value FROM json_each(?))";
    return column + " = ANY (ARRAY (SELECT " +
           (integer ? std::string("CAST(value AS BIGINT)") : std::string("value")) +
           " FROM jsonb_array_elements_text(CAST(? AS jsonb)) AS value))";
}

/// True for "postgresql://..." and "postgres://..." (PostgreSQL's connection URIs).
bool isPostgres(std::string_view location);
/// The location without its password, fit for logs and messages.
std::string describeLocation(const std::string& location);
/// Opens `location`: a SQLite file (created when absent) or a PostgreSQL URL.
/// `synchronousFull`: every commit reaches the disk before it returns (SQLite; PostgreSQL's
/// own fsync and synchronous_commit settings decide there).
std::unique_ptr<Database> open(const std::string& location, bool synchronousFull = true);

std::unique_ptr<Database> openSqlite(const std::string& file, bool synchronousFull);
std::unique_ptr<Database> openPostgres(const std::string& url);

} // namespace rekap::central::db
