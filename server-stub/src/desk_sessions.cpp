#include "desk_sessions.h"

#include "rekap/sha256.h"
#include "rekap/support/random.h"

namespace rekap::central {

namespace {
std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

DeskSessions::DeskSessions(CentralStore& store, std::chrono::hours lifetime)
    : store_(store)
    , lifetime_(lifetime)
    , dbOwner_(store.database().connectAgain(true))
    , db_(*dbOwner_) {}

DeskSessions::Opened DeskSessions::open(const std::string& token) {
    auto name = store_.authenticateDesk(token);
    auto id = randomHex(32);
    std::lock_guard lock(mu_);
    db_.prepare("INSERT INTO desk_sessions (session_hash, token_hash, name, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)")
        .bindAll(sha256Hex(id), sha256Hex(token), name, utcNowText(),
                 nowSeconds() + std::chrono::seconds(lifetime_).count())
        .run();
    return {id, name};
}

std::optional<std::string> DeskSessions::user(const std::string& sessionId) {
    if (sessionId.empty())
        return std::nullopt;
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "SELECT s.name FROM desk_sessions s JOIN desk_tokens t ON t.token_hash = s.token_hash "
        "WHERE s.session_hash = ? AND s.ended_at IS NULL AND s.expires_at > ? AND "
        "t.revoked_at IS NULL");
    st.bindAll(sha256Hex(sessionId), nowSeconds());
    if (!st.step())
        return std::nullopt;
    return st.text(0);
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
