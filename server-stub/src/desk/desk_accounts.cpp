// Desk accounts: every statement on the desk_accounts table (schema step 10).

#include "rekap/central/desk_accounts.h"

#include <stdexcept>

#include "rekap/central/store.h"
#include "rekap/person_name.h"
#include "rekap/support/random.h"

namespace rekap::central {

std::string_view deskRoleName(DeskRole role) {
    switch (role) {
    case DeskRole::Administrator:
        return "administrator";
    case DeskRole::Coordinator:
        return "coordinator";
    case DeskRole::Reader:
        return "reader";
    case DeskRole::Observer:
        return "observer";
    }
    return "observer";
}

std::optional<DeskRole> parseDeskRole(std::string_view name) {
    for (auto r : kDeskRoles)
        if (deskRoleName(r) == name)
            return r;
    return std::nullopt;
}

namespace desk_accounts {

namespace {
DeskAccount accountOf(const db::Statement& st) {
    DeskAccount a;
    a.name = st.text(0);
    a.role = parseDeskRole(st.text(1)).value_or(DeskRole::Observer);
    a.hasPassword = !st.isNull(2) && !st.text(2).empty();
    a.createdAt = st.text(3);
    if (!st.isNull(4))
        a.disabledAt = st.text(4);
    return a;
}

void endSessions(const db::WriteTx& db, const std::string& name) {
    db.prepare("UPDATE desk_sessions SET ended_at = ? WHERE name = ? AND ended_at IS NULL")
        .bindAll(utcNowText(), name)
        .run();
}

void requireChanged(const db::WriteTx& db, const std::string& name) {
    if (db.changes() == 0)
        throw std::invalid_argument("no enabled desk account named \"" + name + "\"");
}
} // namespace

void checkName(const std::string& name) {
    if (name.empty())
        throw std::invalid_argument("a desk account needs a name");
    if (name.size() > 59)
        throw std::invalid_argument("a desk account's name has at most 59 bytes");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f)
            throw std::invalid_argument("a desk account's name has no control characters");
    if (person_name::mixesScripts(name))
        throw std::invalid_argument("a desk account's name is written in one script (it mixes "
                                    "letters of several, as look-alike names do)");
}

void add(CentralStore& store, const std::string& name, DeskRole role,
         const std::string& passwordHash) {
    checkName(name);
    store.write([&](const db::WriteTx& db) {
        auto st = db.prepare("SELECT 1 FROM desk_accounts WHERE name = ?");
        st.bindAll(name);
        if (st.step())
            throw std::invalid_argument("a desk account named \"" + name + "\" exists");
        db.prepare("INSERT INTO desk_accounts (name, role, password_hash, created_at) VALUES "
                   "(?, ?, ?, ?)")
            .bindAll(name, std::string(deskRoleName(role)), passwordHash, utcNowText())
            .run();
    });
}

void setPassword(CentralStore& store, const std::string& name, const std::string& passwordHash) {
    store.write([&](const db::WriteTx& db) {
        db.prepare("UPDATE desk_accounts SET password_hash = ? WHERE name = ? AND "
                   "disabled_at IS NULL")
            .bindAll(passwordHash, name)
            .run();
        requireChanged(db, name);
        endSessions(db, name);
    });
}

void disable(CentralStore& store, const std::string& name) {
    store.write([&](const db::WriteTx& db) {
        db.prepare("UPDATE desk_accounts SET disabled_at = ? WHERE name = ? AND disabled_at "
                   "IS NULL")
            .bindAll(utcNowText(), name)
            .run();
        requireChanged(db, name);
        endSessions(db, name);
    });
}

std::vector<DeskAccount> list(CentralStore& store) {
    std::vector<DeskAccount> out;
    store.read([&](const db::ReadTx& db) {
        auto st = db.prepare("SELECT name, role, password_hash, created_at, disabled_at FROM "
                             "desk_accounts ORDER BY name");
        while (st.step())
            out.push_back(accountOf(st));
    });
    return out;
}

std::optional<DeskAccount> enabled(CentralStore& store, const std::string& name) {
    std::optional<DeskAccount> out;
    store.read([&](const db::ReadTx& db) {
        auto st = db.prepare("SELECT name, role, password_hash, created_at, disabled_at FROM "
                             "desk_accounts WHERE name = ? AND disabled_at IS NULL");
        st.bindAll(name);
        if (st.step())
            out = accountOf(st);
    });
    return out;
}

std::optional<std::string> passwordHashOf(CentralStore& store, const std::string& name) {
    std::optional<std::string> out;
    store.read([&](const db::ReadTx& db) {
        auto st = db.prepare(
            "SELECT password_hash FROM desk_accounts WHERE name = ? AND disabled_at IS NULL");
        st.bindAll(name);
        if (st.step())
            out = st.isNull(0) ? std::string() : st.text(0);
    });
    return out;
}

} // namespace desk_accounts

} // namespace rekap::central
