#include "devices/device_table.h"

#include "rekap/support/random.h"

namespace rekap::central::device_table {

namespace {

constexpr const char* kColumns = "id, name, role, scope, revoked_at, last_seen_at, queue_depth, "
                                 "last_capture_at, public_key";

DeviceRecord readDevice(const db::Statement& st) {
    DeviceRecord d;
    d.id = st.text(0);
    d.name = st.text(1);
    d.role = *protocol::parseRole(st.text(2));
    d.scope = st.text(3);
    d.revoked = !st.isNull(4);
    d.lastSeenAt = st.optionalText(5);
    d.queueDepth = st.integer(6);
    d.lastCaptureAt = st.optionalText(7);
    d.publicKey = st.optionalText(8);
    return d;
}

std::optional<DeviceRecord> one(db::Statement st) {
    if (!st.step())
        return std::nullopt;
    return readDevice(st);
}

} // namespace

void add(const db::WriteTx& db, const DeviceRecord& d, const std::string& tokenHash,
         const std::string& enrolledAt) {
    db.prepare("INSERT INTO devices (id, name, role, scope, token_hash, enrolled_at, public_key) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bindAll(d.id, d.name, std::string(protocol::roleName(d.role)), d.scope, tokenHash,
                 enrolledAt, d.publicKey)
        .run();
}

std::optional<DeviceRecord> byId(const db::ReadTx& db, const std::string& id) {
    auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM devices WHERE id = ?");
    st.bindAll(id);
    return one(std::move(st));
}

std::optional<DeviceRecord> byTokenHash(const db::ReadTx& db, const std::string& tokenHash) {
    auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM devices WHERE token_hash = ?");
    st.bindAll(tokenHash);
    return one(std::move(st));
}

std::vector<DeviceRecord> all(const db::ReadTx& db) {
    auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM devices ORDER BY scope, id");
    std::vector<DeviceRecord> out;
    while (st.step())
        out.push_back(readDevice(st));
    return out;
}

std::vector<DeviceRecord> operatorsIn(const db::ReadTx& db, const std::string& prefix) {
    auto st = db.prepare("SELECT id, name, role, scope, revoked_at, last_seen_at, queue_depth, "
                         "last_capture_at, NULL FROM devices WHERE role = 'operator' AND "
                         "substr(scope, 1, ?1) = ?2 ORDER BY id");
    st.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    std::vector<DeviceRecord> out;
    while (st.step())
        out.push_back(readDevice(st));
    return out;
}

std::optional<bool> active(const db::ReadTx& db, const std::string& id) {
    auto st = db.prepare("SELECT revoked_at IS NULL FROM devices WHERE id = ?");
    st.bindAll(id);
    if (!st.step())
        return std::nullopt;
    return st.int64(0) != 0;
}

std::map<std::string, bool> activeAmong(const db::ReadTx& db, const std::vector<std::string>& ids) {
    auto st = db.prepareEachTime("SELECT id, revoked_at IS NULL FROM devices WHERE " +
                                 db::inJsonArray(db.dialect(), "id"));
    st.bindAll(nlohmann::json(ids).dump());
    std::map<std::string, bool> out;
    while (st.step())
        out[st.text(0)] = st.int64(1) != 0;
    return out;
}

bool any(const db::ReadTx& db) {
    auto st = db.prepare("SELECT EXISTS (SELECT 1 FROM devices)");
    st.step();
    return st.int64(0) != 0;
}

bool setToken(const db::WriteTx& db, const std::string& id, const std::string& tokenHash) {
    db.prepare("UPDATE devices SET token_hash = ? WHERE id = ? AND revoked_at IS NULL")
        .bindAll(tokenHash, id)
        .run();
    return db.changes() != 0;
}

void setPublicKey(const db::WriteTx& db, const std::string& id, const std::string& publicKey) {
    db.prepare("UPDATE devices SET public_key = ? WHERE id = ?").bindAll(publicKey, id).run();
}

bool revoke(const db::WriteTx& db, const std::string& id, const std::string& at) {
    db.prepare("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bindAll(at, id)
        .run();
    return db.changes() != 0;
}

void recordContact(const db::WriteTx& db, const std::string& id, const DeviceReport& report) {
    db.prepare("UPDATE devices SET last_seen_at = ?, queue_depth = COALESCE(?, queue_depth), "
               "last_capture_at = COALESCE(?, last_capture_at), app_version = ? WHERE id = ?")
        .bind(1, utcNowText())
        .bind(2, report.queueDepth ? std::optional<std::string>(std::to_string(*report.queueDepth))
                                   : std::nullopt)
        .bind(3, report.lastCaptureAt)
        .bind(4, report.appVersion)
        .bind(5, id)
        .run();
}

std::vector<LedgerColumns> ledgerColumns(const db::ReadTx& db) {
    auto st = db.prepare(
        "SELECT id, name, role, scope, enrolled_at, revoked_at, public_key FROM devices");
    std::vector<LedgerColumns> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4),
                       st.optionalText(5), st.optionalText(6)});
    return out;
}

} // namespace rekap::central::device_table
