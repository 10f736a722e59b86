// db::Database on PostgreSQL through libpq: several receivers share one database
// (docs/scale-out.md).
//
// - Placeholders: the receiver's SQL is written with SQLite's `?` and `?N`; they become `$N`.
// - Writers: every write transaction first takes one advisory lock, the same number in every
//   receiver. Writers follow one another as they do on SQLite (BEGIN IMMEDIATE), so the ledger
//   has one order and a catch-up at the start of each transaction sees every entry before it.
//   Readers never wait for it.
// - Statements are prepared once per connection and kept by their SQL text.
// - A lost connection (PostgreSQL restarted, a failover) fails the statement in hand with an
//   "unavailable" error, nothing of its transaction committed; the next statement connects
//   again. An acknowledgement is only ever sent after COMMIT returned.
// - Pipelined transactions (transactionPipelined): libpq's pipeline mode. A statement that
//   returns nothing anyone reads is sent and not waited for; the answers owed are read, in
//   order, when a statement's rows or changes() are asked for, and at COMMIT, which is sent
//   with the pipeline's only sync. After a failure the server skips every statement up to that
//   sync, the COMMIT too, and each one skipped is read here as the failure again: so a
//   savepoint that ended before its error was read can never let the COMMIT keep the rest.

#include <atomic>
#include <cstdlib>
#include <deque>
#include <libpq-fe.h>
#include <unordered_map>

#include "rekap/central/database.h"

namespace rekap::central::db {

namespace {

/// The writer lock's key (pg_advisory_xact_lock): "Rekap" in ASCII.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(353634660720)";
/// Schema migrations take one of their own, so a receiver starting while another migrates
/// waits for it instead of applying the same step twice.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(353634660721)";

/// `?` and `?N` outside quotes and comments become `$N`.
std::string translate(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int next = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (quote) {
            out += c;
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out += c;
            continue;
        }
        if (c != '?') {
            out += c;
            continue;
        }
        std::size_t j = i + 1;
        while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9')
            ++j;
        if (j > i + 1) {
            out += '$';
            out.append(sql.substr(i + 1, j - i - 1));
            i = j - 1;
        } else {
            out += '$' + std::to_string(++next);
        }
    }
    return out;
}

void quiet(void*, const char*) {} // "relation already exists, skipping" and the like

class PostgresDatabase;

class PgCursor final : public Cursor {
public:
    PgCursor(PostgresDatabase& db, std::string sql, bool eachTime)
        : db_(db)
        , sql_(std::move(sql))
        , eachTime_(eachTime) {}
    ~PgCursor() override { PQclear(res_); }
    void bindInt(int i, std::int64_t v) override { slot(i) = std::to_string(v); }
    void bindText(int i, std::string_view v) override { slot(i) = std::string(v); }
    void bindNull(int i) override { slot(i) = std::nullopt; }
    bool step() override;
    void run() override;
    void reset() override {
        PQclear(res_);
        res_ = nullptr;
        row_ = -1;
        sent_ = false;
    }
    std::int64_t int64(int c) const override {
        const char* v = PQgetvalue(res_, row_, c);
        if (v[0] == 't' && v[1] == 0)
            return 1; // a boolean: SQLite's comparisons give 1 and 0
        if (v[0] == 'f' && v[1] == 0)
            return 0;
        return std::strtoll(v, nullptr, 10);
    }
    std::string text(int c) const override {
        return std::string(PQgetvalue(res_, row_, c),
                           static_cast<std::size_t>(PQgetlength(res_, row_, c)));
    }
    bool isNull(int c) const override { return PQgetisnull(res_, row_, c) != 0; }

private:
    std::optional<std::string>& slot(int i) {
        if (static_cast<int>(params_.size()) < i)
            params_.resize(static_cast<std::size_t>(i));
        return params_[static_cast<std::size_t>(i - 1)];
    }
    void execute();

    PostgresDatabase& db_;
    std::string sql_;
    std::vector<std::optional<std::string>> params_;
    PGresult* res_ = nullptr;
    int row_ = -1;
    bool sent_ = false; // run() pipelined: the answer is read by the connection, not here
    bool eachTime_;     // planned for each execution's parameters: not prepared
};

class PostgresDatabase final : public Database {
public:
    explicit PostgresDatabase(const std::string& url) {
        location_ = url;
        name_ = describeLocation(url);
        connect();
    }
    ~PostgresDatabase() override {
        if (conn_)
            PQfinish(conn_);
    }
    Dialect dialect() const override { return Dialect::PostgreSQL; }
    Statement prepare(std::string_view sql) override {
        return Statement(std::make_unique<PgCursor>(*this, translate(sql), false));
    }
    Statement prepareEachTime(std::string_view sql) override {
        return Statement(std::make_unique<PgCursor>(*this, translate(sql), true));
    }
    void exec(std::string_view sql) override {
        ensureConnected();
        std::string s(sql);
        if (pipelining_) { // one statement, as every exec() inside a write transaction is
            if (!PQsendQueryParams(conn_, s.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
                lostInPipeline(s);
            owed_.push_back({s, {}});
            return;
        }
        ++roundTrips_;
        check(PQexec(conn_, s.c_str()), s);
    }
    int changes() override {
        if (pipelining_)
            readOwed();
        return changes_;
    }
    void transaction(const std::function<void()>& f) override { runTransaction(f, true, false); }
    void transactionApart(const std::function<void()>& f) override {
        runTransaction(f, false, false);
    }
    void transactionPipelined(const std::function<void()>& f) override {
        runTransaction(f, true, true);
    }
    std::uint64_t roundTrips() const override { return roundTrips_; }
    void runTransaction(const std::function<void()>& f, bool writerLock, bool pipelined) {
        ensureConnected();
        if (pipelined) {
            if (!PQenterPipelineMode(conn_))
                throw Error(name_ + ": cannot enter pipeline mode: " + PQerrorMessage(conn_));
            pipelining_ = true;
            doomed_.reset();
        }
        try {
            exec("BEGIN");
            inTransaction_ = true;
            if (writerLock)
                exec(kWriterLock);
            f();
            if (pipelining_)
                commitPipeline();
            else
                exec("COMMIT");
            inTransaction_ = false;
        } catch (...) {
            inTransaction_ = false;
            if (pipelining_)
                leavePipeline();
            if (conn_ && PQstatus(conn_) == CONNECTION_OK)
                PQclear(PQexec(conn_, "ROLLBACK"));
            throw;
        }
    }
    bool inTransaction() const override {
        // A lost connection answers PQTRANS_UNKNOWN: no transaction, so that snapshot() begins
        // one (connecting again) instead of reading statement by statement.
        if (!conn_)
            return false;
        auto state = PQtransactionStatus(conn_);
        return state == PQTRANS_ACTIVE || state == PQTRANS_INTRANS || state == PQTRANS_INERROR;
    }
    int userVersion() override {
        exec("CREATE TABLE IF NOT EXISTS rekap_schema (id INTEGER PRIMARY KEY CHECK (id = 1), "
             "version INTEGER NOT NULL)");
        auto st = prepare("SELECT version FROM rekap_schema WHERE id = 1");
        return st.step() ? st.integer(0) : 0;
    }
    void migrate(const std::vector<std::string>& steps) override {
        const int known = static_cast<int>(steps.size());
        for (;;) {
            bool done = false;
            ensureConnected();
            exec("BEGIN");
            try {
                exec(kMigrationLock);
                int have = userVersion();
                if (have > known)
                    throw Error(name_ + ": schema version " + std::to_string(have) +
                                " is newer than this build knows (" + std::to_string(known) + ")");
                if (have == known) {
                    done = true;
                } else {
                    exec(steps[static_cast<std::size_t>(have)]);
                    prepare("INSERT INTO rekap_schema (id, version) VALUES (1, ?) ON CONFLICT "
                            "(id) DO UPDATE SET version = excluded.version")
                        .bindAll(have + 1)
                        .run();
                }
                exec("COMMIT");
            } catch (...) {
                if (PQstatus(conn_) == CONNECTION_OK)
                    PQclear(PQexec(conn_, "ROLLBACK"));
                throw;
            }
            if (done)
                return;
        }
    }
    std::string integrityCheck() override {
        // PostgreSQL checks its own pages (data checksums) as it reads them; what is left to
        // ask is whether the server answers.
        exec("SELECT 1");
        return "ok";
    }
    std::optional<std::int64_t> dataVersion() override { return std::nullopt; }
    std::unique_ptr<Database> connectAgain(bool) const override {
        return std::make_unique<PostgresDatabase>(location_);
    }

    /// Runs a prepared statement (prepared on this connection first when new) and returns its
    /// result; pipelined, after reading every answer owed before it.
    PGresult* run(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                  bool eachTime) {
        if (!pipelining_) {
            auto values = pointers(params);
            ++roundTrips_;
            if (eachTime) { // the unnamed statement: planned with these parameters
                ensureConnected();
                return check(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                          nullptr, values.data(), nullptr, nullptr, 0),
                             sql, true);
            }
            const auto& name = preparedName(sql);
            auto* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                       values.data(), nullptr, nullptr, 0);
            return check(res, sql, true);
        }
        send(sql, params, eachTime);
        owed_.pop_back(); // read here, after the others
        if (!PQsendFlushRequest(conn_) || PQflush(conn_) != 0)
            lostInPipeline(sql);
        ++roundTrips_; // one wait for all of them
        try {
            readOwed(true);
        } catch (...) {
            owed_.push_back({sql, {}}); // still owed: read (skipped) before the sync
            throw;
        }
        return readOne(sql, true);
    }
    /// run() for a statement whose answer nobody reads: pipelined, sent and owed; else run.
    /// False when it was run at once.
    bool runLater(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                  bool eachTime) {
        if (!pipelining_)
            return false;
        send(sql, params, eachTime);
        return true;
    }

private:
    /// An answer the server owes in pipeline mode: the statement's text (for messages), and the
    /// name of a statement prepared in the pipeline (forgotten when its PREPARE fails).
    struct Owed {
        std::string sql, prepared;
    };

    const std::string& preparedName(const std::string& sql) {
        ensureConnected();
        auto it = prepared_.find(sql);
        if (it != prepared_.end())
            return it->second;
        auto name = "rekap_" + std::to_string(prepared_.size() + 1);
        if (pipelining_) {
            if (!PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr))
                lostInPipeline(sql);
            owed_.push_back({sql, name});
        } else {
            ++roundTrips_;
            check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql);
        }
        return prepared_.emplace(sql, std::move(name)).first->second;
    }
    static std::vector<const char*> pointers(const std::vector<std::optional<std::string>>& ps) {
        std::vector<const char*> values;
        values.reserve(ps.size());
        for (const auto& p : ps)
            values.push_back(p ? p->c_str() : nullptr);
        return values;
    }
    void send(const std::string& sql, const std::vector<std::optional<std::string>>& params,
              bool eachTime) {
        auto values = pointers(params);
        auto n = static_cast<int>(values.size());
        bool sent = eachTime ? PQsendQueryParams(conn_, sql.c_str(), n, nullptr, values.data(),
                                                 nullptr, nullptr, 0)
                             : PQsendQueryPrepared(conn_, preparedName(sql).c_str(), n,
                                                   values.data(), nullptr, nullptr, 0);
        if (!sent)
            lostInPipeline(sql);
        owed_.push_back({sql, {}});
    }
    [[noreturn]] void lostInPipeline(const std::string& sql) {
        std::string why = PQerrorMessage(conn_);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
            why.pop_back();
        doomed_ = Error(name_ + ": " + why + " (in: " + sql.substr(0, 80) + ")", "08006",
                        PQstatus(conn_) != CONNECTION_OK);
        throw *doomed_;
    }
    /// Reads one statement's answer in pipeline mode: its result, then the end of it.
    PGresult* readOne(const std::string& sql, bool keep) {
        auto* res = PQgetResult(conn_);
        if (!res)
            lostInPipeline(sql);
        if (auto* end = PQgetResult(conn_)) { // a statement has one result in pipeline mode
            PQclear(end);
            PQclear(res);
            lostInPipeline(sql);
        }
        if (PQresultStatus(res) == PGRES_PIPELINE_ABORTED) { // skipped after a failure
            PQclear(res);
            if (doomed_)
                throw *doomed_;
            lostInPipeline(sql);
        }
        try {
            return check(res, sql, keep);
        } catch (const Error& e) {
            doomed_ = e;
            throw;
        }
    }
    /// Reads every answer owed, in order; throws the first failure.
    /// `flushed`: the caller asked the server for them and counted the wait.
    void readOwed(bool flushed = false) {
        if (owed_.empty())
            return;
        if (!flushed && !synced_) {
            if (!PQsendFlushRequest(conn_) || PQflush(conn_) != 0)
                lostInPipeline(owed_.front().sql);
            ++roundTrips_;
        }
        while (!owed_.empty()) {
            auto owed = std::move(owed_.front());
            owed_.pop_front();
            try {
                readOne(owed.sql, false);
            } catch (...) {
                if (!owed.prepared.empty())
                    prepared_.erase(owed.sql);
                throw;
            }
        }
    }
    /// Sends COMMIT with a sync, reads every answer owed and the sync, and leaves the pipeline.
    void commitPipeline() {
        exec("COMMIT");
        if (!PQpipelineSync(conn_))
            lostInPipeline("COMMIT");
        synced_ = true;
        ++roundTrips_;
        readOwed(true);
        auto* sync = PQgetResult(conn_);
        bool ok = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
        PQclear(sync);
        if (!ok)
            lostInPipeline("COMMIT");
        synced_ = false;
        leavePipeline();
    }
    /// Leaves pipeline mode after a failure or a commit: reads what is left up to a sync, so
    /// that the connection serves the next statement as before (or is given up when it cannot).
    void leavePipeline() {
        pipelining_ = false;
        bool clean = PQstatus(conn_) == CONNECTION_OK;
        if (clean && PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) {
            if (!synced_)
                clean = PQpipelineSync(conn_) == 1;
            // Every result up to the sync: owed answers (aborted after a failure) and the sync.
            for (int ends = 0; clean;) {
                auto* res = PQgetResult(conn_);
                if (!res) {
                    // the end of one statement's results; give up when the connection went
                    if (PQstatus(conn_) != CONNECTION_OK || ++ends > 100000)
                        clean = false;
                    continue;
                }
                auto status = PQresultStatus(res);
                PQclear(res);
                if (status == PGRES_PIPELINE_SYNC)
                    break;
            }
            clean = clean && PQexitPipelineMode(conn_) == 1;
        }
        for (const auto& owed : owed_)
            if (!owed.prepared.empty())
                prepared_.erase(owed.sql);
        owed_.clear();
        synced_ = false;
        doomed_.reset();
        if (!clean && conn_) { // the next statement connects again
            PQfinish(conn_);
            conn_ = nullptr;
        }
    }

    void connect() {
        // TCP keepalives on both ends, unless the URL says otherwise. A receiver whose host
        // dies (power, kernel panic, cable) inside a write transaction sends no FIN: its
        // session would sit idle in transaction, holding the writer lock that every receiver
        // waits for, until the server's default keepalive notices after two hours. With these
        // the server ends it after about 25 s of silence (10 s idle, then 3 probes 5 s apart),
        // and a receiver notices a vanished database as soon. A live but busy receiver answers
        // the probes from its kernel, so a long read transaction is never cut. Earlier entries
        // are overridden by the URL's own (libpq reads the arrays in order, the URL expanded
        // where it stands).
        const char* keywords[] = {"keepalives",
                                  "keepalives_idle",
                                  "keepalives_interval",
                                  "keepalives_count",
                                  "options",
                                  "dbname",
                                  nullptr};
        const char* values[] = {"1",
                                "10",
                                "5",
                                "3",
                                "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 "
                                "-c tcp_keepalives_count=3",
                                location_.c_str(),
                                nullptr};
        conn_ = PQconnectdbParams(keywords, values, 1);
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string why = PQerrorMessage(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
                why.pop_back();
            throw Error(name_ + ": cannot connect: " + why, "08006", true);
        }
        PQsetNoticeProcessor(conn_, quiet, nullptr);
        prepared_.clear();
    }
    void ensureConnected() {
        // Outside a transaction, first read what the server may have said while the connection
        // sat idle: a server that shut down (a restart, a failover) says goodbye or just closes
        // the socket, and the connection is then replaced here instead of failing the statement.
        // Twice: the first read takes in the goodbye message, the second finds the end.
        for (int i = 0; i < 2 && conn_ && !inTransaction_ && PQstatus(conn_) == CONNECTION_OK &&
                        PQtransactionStatus(conn_) == PQTRANS_IDLE;
             ++i)
            PQconsumeInput(conn_);
        if (conn_ && PQstatus(conn_) == CONNECTION_OK)
            return;
        if (inTransaction_ || pipelining_)
            throw Error(name_ + ": the connection was lost in a transaction", "08006", true);
        if (conn_)
            PQfinish(conn_);
        conn_ = nullptr;
        connect();
    }
    /// Throws for a failed result (and frees it); keeps a good one (or frees it: !keep).
    PGresult* check(PGresult* res, const std::string& sql, bool keep = false) {
        auto status = PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            const char* n = PQcmdTuples(res);
            changes_ = n && *n ? std::atoi(n) : 0;
            if (keep)
                return res;
            PQclear(res);
            return nullptr;
        }
        const char* code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        std::string state = code ? code : "";
        std::string why = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
        PQclear(res);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
            why.pop_back();
        bool lost = PQstatus(conn_) != CONNECTION_OK || state.starts_with("08") ||
                    state == "57P01" || state == "57P02" || state == "57P03";
        throw Error(name_ + ": " + why + " (in: " + sql.substr(0, 80) + ")", state, lost);
    }

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> prepared_;
    int changes_ = 0;
    bool inTransaction_ = false;
    bool pipelining_ = false, synced_ = false;
    std::atomic<std::uint64_t> roundTrips_{0}; // read by /metrics on another thread
    std::deque<Owed> owed_;
    std::optional<Error> doomed_; // the failure that made the server skip the rest
};

bool PgCursor::step() {
    if (!res_) {
        execute();
        row_ = 0;
    } else {
        ++row_;
    }
    return row_ < PQntuples(res_);
}

void PgCursor::run() {
    if (res_ || sent_)
        return;
    sent_ = db_.runLater(sql_, params_, eachTime_);
    if (!sent_)
        execute();
}

void PgCursor::execute() {
    PQclear(res_);
    res_ = nullptr;
    res_ = db_.run(sql_, params_, eachTime_);
}

} // namespace

std::unique_ptr<Database> openPostgres(const std::string& url) {
    return std::make_unique<PostgresDatabase>(url);
}

} // namespace rekap::central::db
