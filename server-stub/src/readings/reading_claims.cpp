#include "readings/reading_claims.h"

namespace rekap::central::reading_claims {

void dropExpired(const db::WriteTx& db, std::int64_t now) {
    db.prepare("DELETE FROM reading_claims WHERE expires_at <= ?").bindAll(now).run();
}

std::map<std::string, std::string> holders(const db::ReadTx& db) {
    auto st = db.prepare("SELECT sheet, holder FROM reading_claims");
    std::map<std::string, std::string> out;
    while (st.step())
        out[st.text(0)] = st.text(1);
    return out;
}

std::map<std::string, bool> heldAt(const db::ReadTx& db, std::int64_t now) {
    auto st = db.prepare("SELECT sheet FROM reading_claims WHERE expires_at > ?");
    st.bindAll(now);
    std::map<std::string, bool> out;
    while (st.step())
        out[st.text(0)] = true;
    return out;
}

bool holds(const db::ReadTx& db, const std::string& sheet, const std::string& holder,
           std::int64_t now) {
    auto st = db.prepare(
        "SELECT 1 FROM reading_claims WHERE sheet = ? AND holder = ? AND expires_at > ?");
    st.bindAll(sheet, holder, now);
    return st.step();
}

void add(const db::WriteTx& db, const std::string& sheet, const std::string& holder,
         const std::string& claimedAt, std::int64_t expiresAt) {
    db.prepare("INSERT INTO reading_claims (sheet, holder, claimed_at, expires_at) VALUES (?, ?, "
               "?, ?)")
        .bindAll(sheet, holder, claimedAt, expiresAt)
        .run();
}

void release(const db::WriteTx& db, const std::string& sheet, const std::string& holder) {
    db.prepare("DELETE FROM reading_claims WHERE sheet = ? AND holder = ?")
        .bindAll(sheet, holder)
        .run();
}

void releaseAll(const db::WriteTx& db, const std::string& holder) {
    db.prepare("DELETE FROM reading_claims WHERE holder = ?").bindAll(holder).run();
}

} // namespace rekap::central::reading_claims
