#pragma once
// Desk logins of the dashboard. Logging in with an account's name and password (or with a desk
// token, an account's login for scripts) opens a session: a random id that the browser's cookie
// carries, stored hashed, looked up in the database on every request (so a logout, a disabled
// account, a revoked token or another process's change counts at once), and ended by logout,
// by disabling the account or changing its password, by revoking the token, or by its age.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "desk/password_hash.h"
#include "rekap/central/database.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/central/store.h"

namespace rekap::central {

class DeskSessions {
public:
    /// Opens its own connection to the store's database (already migrated by the store).
    /// `hashing` passwords at once at most (password_hash.h).
    DeskSessions(CentralStore& store, std::chrono::hours lifetime, int hashing = 2);
    struct Opened {
        std::string id; ///< for the cookie; never stored as such
        DeskLogin login;
    };
    /// Checks the desk token (ApiError 401 when unknown) and opens a session.
    Opened open(const std::string& token);
    /// Checks the account's password (ApiError 401 when the name or password is wrong, 503 when
    /// every hashing slot stayed busy) and opens a session.
    Opened openWithPassword(const std::string& name, const std::string& password);
    /// The desk login of a live session, or nullopt.
    std::optional<DeskLogin> user(const std::string& sessionId);
    void close(const std::string& sessionId);

private:
    Opened insert(const std::string& tokenHash, const DeskLogin& login);
    CentralStore& store_;
    std::chrono::hours lifetime_;
    HashingSlots slots_;
    std::mutex mu_;
    std::unique_ptr<db::Database> dbOwner_;
    db::Database& db_;
};

} // namespace rekap::central
