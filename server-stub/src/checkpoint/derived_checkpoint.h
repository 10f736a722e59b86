#pragma once
// A checkpoint of derived state (issue 30): the live tally's sums and, per sheet, what it counts
// (the counted revision's ledger entry, the sheet's state, verified or not), with the ledger size
// it covers and the Merkle root of that prefix. A receiver that starts loads it and takes in only
// the entries after it, instead of decoding every counted revision's entry (14 minutes on a
// national store). It is derived, never trusted: start-up uses it only when its root is the
// ledger's root at its size, and `verify` rebuilds the state at that size from the first entry
// and names the first area or sheet where the checkpoint differs.
//
// This unit alone reads and writes the table `derived_checkpoint` (one row). The state is a
// binary encoding (varints; sheet keys with a numeric TPS code packed as a number), deflated and
// kept as base64 text, so that both engines store it in a TEXT column.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rekap/central/database.h"
#include "rekap/ledger_replay.h"
#include "rekap/sheet_state.h"
#include "rekap/tally.h"

namespace rekap::central::derived_checkpoint {

/// What the live tally counts for one sheet (StoreCore::CountedRef).
struct SheetRef {
    std::int64_t winnerIdx = -1; ///< the counted revision's ledger entry; -1 without one
    SheetState state = SheetState::NotReceived;
    bool verified = false;
    bool operator==(const SheetRef&) const = default;
};

/// The stored row: what it covers, and its state still encoded.
struct Stored {
    std::int64_t size = 0;  ///< ledger entries covered
    std::string root;       ///< hex Merkle root of those entries
    std::string masterData; ///< the master data version counted with (Regency::contentHash)
    std::string state;      ///< encode()'s text
    std::string writtenAt;
};

/// Encodes the state in one pass over the caller's caches (under the caller's lock): the
/// tally's areas, then `sheets`, which calls the given function once per sheet.
std::string encode(
    const Tally& tally,
    const std::function<void(const std::function<void(const std::string& key, const SheetRef&)>&)>&
        sheets);

/// Decodes `text` (encode()'s), handing each area and each sheet over as it is read. Throws
/// std::runtime_error naming what is wrong ("unreadable").
void decode(std::string_view text,
            const std::function<void(const std::string& contest, const std::string& area,
                                     const AreaTally& sums)>& area,
            const std::function<void(std::string key, const SheetRef& ref)>& sheet);

/// The checkpoint kept, if any.
std::optional<Stored> read(const db::ReadTx& db);

/// Replaces the checkpoint kept (one row: the latest) unless it covers as many entries or more
/// (another receiver's on the same database); true when written.
bool write(const db::WriteTx& db, const Stored& checkpoint);

/// `verify`: the first difference between the checkpoint and `replay`, which has taken in exactly
/// `checkpoint.size` entries (its root, its master data, an area's sums, a sheet's counted
/// revision, state or verification, a sheet one side lacks); nullopt when they agree.
/// `rebuilt`: the replay's tally when the caller has it already (each one reads every winner's
/// sheet back from the ledger: Replay::readSheetsFrom).
std::optional<std::string> differs(const Stored& checkpoint, const ledger::Replay& replay,
                                   const Tally* rebuilt = nullptr);

} // namespace rekap::central::derived_checkpoint
