#pragma once
// What this device knows of the receiver's ledger: where each of its revisions was recorded and
// the signed head that holds it (receipts), the last signed head it checked, and the alarm set
// when the ledger failed a check (those two in settings).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rekap/ledger.h"
#include "rekap/protocol.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;
class Settings;
class Identity;

/// Where the receiver's ledger recorded one of this device's revisions, and the signed head
/// that holds it: the operator's proof that the sheet was counted as sent.
struct Receipt {
    std::string revision;
    std::int64_t ledgerIndex = 0;
    std::string code; ///< "1234-9f3a0c1e": the entry's index and the start of its leaf hash
    ledger::TreeHead head;
    bool checked = false; ///< the entry and its inclusion proof were fetched and verified
    /// The inclusion proof (hex hashes, leaf to root) when checkReceipt() just verified it; not
    /// kept in the store: the receiver serves it again.
    std::vector<std::string> proof;
};

class Receipts {
public:
    Receipts(DeviceFile& file, const Settings& settings, const Identity& identity)
        : file_(file)
        , settings_(settings)
        , identity_(identity) {}

    /// Oldest ledger index first.
    std::vector<Receipt> all() const;
    std::optional<Receipt> of(const std::string& revisionId) const;
    void markChecked(const std::string& revisionId);
    /// The last signed head this device checked (signature and consistency).
    std::optional<ledger::TreeHead> lastTreeHead() const;
    void saveTreeHead(const ledger::TreeHead& head);
    /// Set when the receiver's ledger failed a check (a head that does not extend the last one):
    /// the receiver rewrote its history. Never cleared by the app.
    std::string ledgerAlarm() const;
    void setLedgerAlarm(const std::string& what);

    /// Keeps the receipt of a push answer held by `head`; in the transaction that records the
    /// answer (Outbox::applyResults). A result without one, or beyond the head, keeps none.
    void keep(WriteTx& tx, const protocol::PushResult& r, const ledger::TreeHead& head);

private:
    DeviceFile& file_;
    const Settings& settings_;
    const Identity& identity_;
};

} // namespace rekap::sync
