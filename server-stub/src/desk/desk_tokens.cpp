#include "desk/desk_tokens.h"

#include <stdexcept>

#include "rekap/support/random.h"

namespace rekap::central::desk_tokens {

void add(const db::WriteTx& db, const std::string& name, const std::string& tokenHash) {
    auto st = db.prepare("SELECT disabled_at FROM desk_accounts WHERE name = ?");
    st.bindAll(name);
    if (!st.step())
        db.prepare("INSERT INTO desk_accounts (name, role, created_at) VALUES (?, 'coordinator', "
                   "?)")
            .bindAll(name, utcNowText())
            .run();
    else if (!st.isNull(0))
        throw std::invalid_argument("the desk account " + name + " is disabled");
    db.prepare("INSERT INTO desk_tokens (token_hash, name, created_at) VALUES (?, ?, ?)")
        .bindAll(tokenHash, name, utcNowText())
        .run();
}

int revokeAll(const db::WriteTx& db, const std::string& name) {
    db.prepare("UPDATE desk_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
        .bindAll(utcNowText(), name)
        .run();
    return db.changes();
}

std::optional<std::string> nameOf(const db::ReadTx& db, const std::string& tokenHash) {
    auto st =
        db.prepare("SELECT t.name FROM desk_tokens t JOIN desk_accounts a ON a.name = t.name "
                   "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled_at IS NULL");
    st.bindAll(tokenHash);
    if (!st.step())
        return std::nullopt;
    return st.text(0);
}

} // namespace rekap::central::desk_tokens
