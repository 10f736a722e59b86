// LISTEN on PostgreSQL (rekap/central/database.h, Notifications): a connection of its own that
// does nothing but wait for NOTIFY, so that the receivers sharing a database hear each other's
// pushes and batches at once.

#include <libpq-fe.h>
#include <poll.h>

#include "rekap/central/database.h"

namespace rekap::central::db {

namespace {

class PgNotifications final : public Notifications {
public:
    PgNotifications(std::string location, std::vector<std::string> channels)
        : location_(std::move(location))
        , channels_(std::move(channels)) {}
    ~PgNotifications() override { drop(); }

    std::vector<std::string> wait(int timeoutMs) override {
        std::vector<std::string> heard;
        if (!connect()) {
            poll(nullptr, 0, timeoutMs); // the database is away: wait as asked, try again later
            return heard;
        }
        pollfd fd{PQsocket(conn_), POLLIN, 0};
        if (poll(&fd, 1, timeoutMs) > 0 && PQconsumeInput(conn_) == 0) {
            drop(); // the server went away
            return heard;
        }
        while (PGnotify* n = PQnotifies(conn_)) {
            heard.emplace_back(n->relname);
            PQfreemem(n);
        }
        return heard;
    }

private:
    bool connect() {
        if (conn_ && PQstatus(conn_) == CONNECTION_OK)
            return true;
        drop();
        conn_ = PQconnectdb(location_.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            drop();
            return false;
        }
        for (const auto& channel : channels_) {
            auto* res = PQexec(conn_, ("LISTEN " + channel).c_str());
            bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
            PQclear(res);
            if (!ok) {
                drop();
                return false;
            }
        }
        return true;
    }
    void drop() {
        if (conn_)
            PQfinish(conn_);
        conn_ = nullptr;
    }

    std::string location_;
    std::vector<std::string> channels_;
    PGconn* conn_ = nullptr;
};

} // namespace

std::unique_ptr<Notifications> listen(const std::string& location,
                                      const std::vector<std::string>& channels) {
    if (!isPostgres(location))
        return nullptr;
    return std::make_unique<PgNotifications>(location, channels);
}

} // namespace rekap::central::db
