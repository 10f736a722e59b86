#pragma once
// Desk logins of the dashboard. Logging in with a desk token opens a session: a random id that
// the browser's cookie carries instead of the token, stored hashed, looked up in the database on
// every request (so a logout, a revoked token or another process's change counts at once), and
// ended by logout, by revoking the token (rekap-central desk-token --revoke) or by its age.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "rekap/central/database.h"
#include "rekap/central/store.h"

namespace rekap::central {

class DeskSessions {
public:
    /// Opens its own connection to the store's database (already migrated by the store).
    DeskSessions(CentralStore& store, std::chrono::hours lifetime);
    struct Opened {
        std::string id; ///< for the cookie; never stored as such
        std::string name;
    };
    /// Checks the desk token (ApiError 401 when unknown) and opens a session.
    Opened open(const std::string& token);
    /// The desk user of a live session, or nullopt.
    std::optional<std::string> user(const std::string& sessionId);
    void close(const std::string& sessionId);

private:
    CentralStore& store_;
    std::chrono::hours lifetime_;
    std::mutex mu_;
    std::unique_ptr<db::Database> dbOwner_;
    db::Database& db_;
};

} // namespace rekap::central
