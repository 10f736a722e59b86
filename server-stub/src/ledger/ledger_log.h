#pragma once
// The receiver's side of the ledger (rekap/ledger.h): appending entries inside the store's write
// transactions, the Merkle tree of every entry kept in memory for roots and proofs, the
// receiver's signing key, and the signed tree heads. The caller holds the store's lock; the
// tree follows the database, including entries other processes appended (catchUp).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/ledger.h"
#include "rekap/merkle.h"
#include "rekap/regency.h"

namespace rekap::central {

/// An entry's place and what it concerns, as the caches need it.
struct LedgerRow {
    std::int64_t idx = 0;
    ledger::Kind kind = ledger::Kind::Revision;
    std::string sheet;
    std::optional<std::string> device;
};

class LedgerLog {
public:
    /// `keyFile`: the receiver's private key (one line of base64; made with mode 0600 when the
    /// ledger has no receiver key yet).
    explicit LedgerLog(std::filesystem::path keyFile);

    /// Entries known to the tree (the database's, plus any this transaction appended).
    std::int64_t size() const { return static_cast<std::int64_t>(tree_.size()); }
    const merkle::Tree& tree() const { return tree_; }
    std::string leafHex(std::int64_t index) const {
        return merkle::toHex(tree_.leaf(static_cast<std::uint64_t>(index)));
    }

    /// Reads the entries appended since size() (by this process before a restart, or by
    /// another process) into the tree and returns what they concern, oldest first (nothing
    /// when `keepRows` is false: the store opening, whose caches start from the whole ledger).
    std::vector<LedgerRow> catchUp(const db::ReadTx& db, bool keepRows = true);

    /// Appends an entry inside the caller's transaction; the text is built for its index by
    /// `make(index)`. Returns the index.
    template <typename Make>
    std::int64_t append(const db::WriteTx& db, ledger::Kind kind, const std::string& sheet,
                        const std::optional<std::string>& device, const std::string& at,
                        Make&& make) {
        auto idx = size();
        appendText(db, kind, sheet, device, at, make(idx));
        return idx;
    }
    void appendText(const db::WriteTx& db, ledger::Kind kind, const std::string& sheet,
                    const std::optional<std::string>& device, const std::string& at,
                    const std::string& text);
    /// Stops appending: every later append throws ApiError 503 ledger_unverified naming `why`.
    /// Called when the ledger fails verification; reads go on.
    void hold(const std::string& why);
    /// Forgets entries from `size` on: their transaction (or savepoint) was rolled back.
    void truncate(std::int64_t size);

    /// Signs a head for the current size and stores it, inside the caller's transaction, when
    /// entries were appended since the last head. Throws when the signing key is unavailable.
    void seal(const db::WriteTx& db, const std::string& regency);
    std::optional<ledger::TreeHead> latestHead(const db::ReadTx& db) const;
    std::vector<ledger::TreeHead> heads(const db::ReadTx& db) const;

    /// The receiver's public key: the ledger's first receiver_key entry, "" before it. Only the
    /// first is valid: a later one is tampering (catchUp stops appending, verify names it).
    std::string publicKey(const db::ReadTx& db) const;
    /// Why the key file does not hold the ledger's receiver key (missing, unreadable, another
    /// key), or nullopt when it does.
    std::optional<std::string> keyFileProblem(const db::ReadTx& db) const;
    /// The ledger's latest master_data entry: its regency, decoded, and its document as JSON text,
    /// the master data this receiver serves (never the regency table, which only mirrors it).
    struct MasterData {
        std::shared_ptr<const Regency> regency;
        std::string document; ///< as served to devices
    };
    std::optional<MasterData> latestMasterData(const db::ReadTx& db) const;
    /// Makes the key file when the ledger has no receiver key yet, and appends the key's entry.
    void ensureKey(const db::WriteTx& db, const std::string& at);
    /// Signs with the receiver's key (decisions). Throws when the key file is missing or is not
    /// the key the ledger names.
    std::string sign(const db::ReadTx& db, const std::string& message) const;
    const std::filesystem::path& keyFile() const { return keyFile_; }

private:
    std::string privateKey(const db::ReadTx& db) const;
    /// The store's regency code, read once (its signed heads name it).
    std::string regencyCode(const db::ReadTx& db) const;
    mutable std::mutex codeMu_; // the side connection's answers and the ledger's writer both ask
    mutable std::string code_;
    std::filesystem::path keyFile_;
    mutable std::string publicKey_, privateKey_; ///< read once: keys never change in a run
    merkle::Tree tree_;
    std::int64_t sealed_ = -1;   ///< size of the last head this process stored
    std::int64_t firstKey_ = -1; ///< index of the first receiver_key entry seen
    std::string damage_;         ///< a hole found by catchUp: appending stops
    std::string held_;           ///< why verification stopped appending (see hold())
};

} // namespace rekap::central
