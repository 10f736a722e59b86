#include "desk/desk_sessions.h"

#include "rekap/central/api_error.h"
#include "rekap/sha256.h"
#include "rekap/support/random.h"

namespace rekap::central {

namespace {
std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Compared against when the name is unknown, so that a wrong name takes as long as a wrong
/// password and the answer's time does not tell which names exist.
const std::string& decoyHash() {
    static const std::string h = hashPassword("decoy-password-never-used");
    return h;
}
} // namespace

DeskSessions::DeskSessions(CentralStore& store, std::chrono::hours lifetime, int hashing)
    : store_(store)
    , lifetime_(lifetime)
    , slots_(hashing)
    , dbOwner_(db::open(store.location(), true))
    , db_(*dbOwner_) {}

DeskSessions::Opened DeskSessions::insert(const std::string& tokenHash, const DeskLogin& login) {
    auto id = randomHex(32);
    std::lock_guard lock(mu_);
    db_.prepare("INSERT INTO desk_sessions (session_hash, token_hash, name, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)")
        .bindAll(sha256Hex(id), tokenHash, login.name, utcNowText(),
                 nowSeconds() + std::chrono::seconds(lifetime_).count())
        .run();
    return {id, login};
}

DeskSessions::Opened DeskSessions::open(const std::string& token) {
    auto name = store_.deskTokens().authenticateDesk(token);
    auto account = desk_accounts::enabled(store_, name);
    if (!account)
        throw ApiError(Problem::Unauthorized, "this desk account is disabled");
    return insert(sha256Hex(token), {account->name, account->role});
}

DeskSessions::Opened DeskSessions::openWithPassword(const std::string& name,
                                                    const std::string& password) {
    auto account = desk_accounts::enabled(store_, name);
    auto hash = desk_accounts::passwordHashOf(store_, name);
    if (!slots_.take(std::chrono::seconds(10)))
        throw ApiError(Problem::Busy, "too many logins at once: try again in a moment");
    bool ok = false;
    try {
        ok = passwordMatches(hash && !hash->empty() ? *hash : decoyHash(), password) && account &&
             hash && !hash->empty();
    } catch (...) {
        slots_.give();
        throw;
    }
    slots_.give();
    if (!ok)
        throw ApiError(Problem::Unauthorized, "unknown name or wrong password");
    return insert("", {account->name, account->role});
}

std::optional<DeskLogin> DeskSessions::user(const std::string& sessionId) {
    if (sessionId.empty())
        return std::nullopt;
    std::lock_guard lock(mu_);
    // A token's session lasts while its token does; a password's (token_hash '') while its
    // account is enabled; both end with the account.
    auto st = db_.prepare(
        "SELECT s.name, a.role FROM desk_sessions s JOIN desk_accounts a ON a.name = s.name "
        "WHERE s.session_hash = ? AND s.ended_at IS NULL AND s.expires_at > ? AND "
        "a.disabled_at IS NULL AND (s.token_hash = '' OR EXISTS (SELECT 1 FROM desk_tokens t "
        "WHERE t.token_hash = s.token_hash AND t.revoked_at IS NULL))");
    st.bindAll(sha256Hex(sessionId), nowSeconds());
    if (!st.step())
        return std::nullopt;
    return DeskLogin{st.text(0), parseDeskRole(st.text(1)).value_or(DeskRole::Observer)};
}

void DeskSessions::close(const std::string& sessionId) {
    if (sessionId.empty())
        return;
    std::lock_guard lock(mu_);
    db_.prepare("UPDATE desk_sessions SET ended_at = ? WHERE session_hash = ? AND ended_at IS NULL")
        .bindAll(utcNowText(), sha256Hex(sessionId))
        .run();
}

} // namespace rekap::central
