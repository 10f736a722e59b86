#pragma once
// The devices table: each enrolled tablet with its role, scope, key and revocation (derived
// from the ledger's device entries, compared whole by `verify`), and what the receiver last
// heard from it (token, last seen, queue depth: operational, no result depends on them). This
// unit holds every statement on the table; the caller holds the store's lock (and, to write,
// its transaction).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/central/store.h"

namespace rekap::central::device_table {

/// A new device (an enrolment whose ledger entry the caller appends).
void add(const db::WriteTx& db, const DeviceRecord& device, const std::string& tokenHash,
         const std::string& enrolledAt);
std::optional<DeviceRecord> byId(const db::ReadTx& db, const std::string& id);
std::optional<DeviceRecord> byTokenHash(const db::ReadTx& db, const std::string& tokenHash);
/// Every device, by scope and id.
std::vector<DeviceRecord> all(const db::ReadTx& db);
/// Operators' tablets whose TPS code starts with `prefix`, by id (without keys).
std::vector<DeviceRecord> operatorsIn(const db::ReadTx& db, const std::string& prefix);
/// Whether device `id` is not revoked; nullopt when there is no such device.
std::optional<bool> active(const db::ReadTx& db, const std::string& id);
/// active() for many devices in one statement: the devices found among `ids`.
std::map<std::string, bool> activeAmong(const db::ReadTx& db, const std::vector<std::string>& ids);
bool any(const db::ReadTx& db);

/// A new token for a device that is not revoked; false when it is (or is unknown).
bool setToken(const db::WriteTx& db, const std::string& id, const std::string& tokenHash);
void setPublicKey(const db::WriteTx& db, const std::string& id, const std::string& publicKey);
/// Revokes an active device; false when there is none with that id.
bool revoke(const db::WriteTx& db, const std::string& id, const std::string& at);
/// What a device says about itself on each request.
void recordContact(const db::WriteTx& db, const std::string& id, const DeviceReport& report);

/// The columns the ledger decides, as `verify` compares them.
struct LedgerColumns {
    std::string id, name, role, scope, enrolledAt;
    std::optional<std::string> revokedAt, publicKey;
};
std::vector<LedgerColumns> ledgerColumns(const db::ReadTx& db);

} // namespace rekap::central::device_table
