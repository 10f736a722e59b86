#pragma once
// The settings table: small values by key. It belongs to no one caller: each unit owns its keys
// (identity: server, device, token, role, scope, regency, receiver_key, enrolment_id,
// device_*_key, key_registered; receipts: tree_head, ledger_alarm; feed: checkpoint;
// preferences: pref.*) and reads and writes them only through here, so that the table's SQL
// lives in one place. Not handed out by DeviceFile.

#include <string>

#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class Settings {
public:
    /// "" when the key was never set.
    std::string get(const ReadTx& tx, const std::string& key) const;
    void set(WriteTx& tx, const std::string& key, const std::string& value) const;
};

} // namespace rekap::sync
