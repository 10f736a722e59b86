#pragma once
// Finalized revisions with their outbox state (revisions), and each sheet's head on this device
// (sheet_heads): what is queued, what is sending, and the receiver's answer for each, also as
// learned later from the pull feed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rekap/ledger.h"
#include "rekap/protocol.h"
#include "rekap/revision.h"
#include "rekap/rules.h"
#include "rekap/sheet_state.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;
class MasterCopy;
class Receipts;

struct OutboxEntry {
    std::int64_t seq = 0;
    Revision revision;
    std::string hash;
    bool decision = false; ///< a desk decision (a "resolution" of the pull feed)
    /// Queued and Sending on the device; then the receiver's answer: Accepted, Conflict,
    /// Rejected (also when refused: the error says why) or Superseded (the desk chose another).
    SheetState state = SheetState::Queued;
    std::vector<Finding> findings;
    std::string error;
    std::string updatedAt;
};

class Outbox {
public:
    Outbox(DeviceFile& file, const MasterCopy& masterData, Receipts& receipts)
        : file_(file)
        , masterData_(masterData)
        , receipts_(receipts) {}

    /// All revisions, oldest first.
    std::vector<OutboxEntry> all() const;
    std::optional<OutboxEntry> entry(const std::string& id) const;
    std::optional<OutboxEntry> entry(const ReadTx& tx, const std::string& id) const;
    std::optional<std::string> head(const std::string& sheetKey) const;
    std::optional<std::string> head(const ReadTx& tx, const std::string& sheetKey) const;
    /// Up to `maxCount` queued revisions, oldest first, whose encodings stay within `maxBytes`
    /// (at least one), marked sending.
    std::vector<OutboxEntry> takeBatch(std::size_t maxCount, std::size_t maxBytes);
    /// Sending back to queued: after a failed request, and at start-up after a crash.
    void requeueSending();
    /// Records the receiver's answers; with the signed head that held them, their receipts
    /// (Receipts::keep, in the same transaction).
    void applyResults(const std::vector<protocol::PushResult>& results,
                      const std::optional<ledger::TreeHead>& head = std::nullopt);
    int queueDepth() const;
    std::optional<std::string> lastCaptureAt() const;

    /// Queues `rev` (signed, frozen by Capture); with `asHead`, it becomes its sheet's head.
    void queue(WriteTx& tx, const Revision& rev, const std::vector<Finding>& findings, bool asHead);
    /// A resolution, sheet_state or rejection item of the pull feed (Feed::apply).
    void applyChange(WriteTx& tx, const protocol::Change& c);
    /// Signs this device's queued revisions that were finalized before devices signed.
    void signUnsigned(WriteTx& tx, const std::string& privateKey);
    /// Where a send-back's answer starts: the seq of `revision`, or when this device does not
    /// hold it, the newest of `sheet`'s revisions here (0 when none).
    std::int64_t seqAfter(const ReadTx& tx, const std::string& revision,
                          const std::string& sheet) const;
    /// True when a revision of `sheet` made here after `seq` has been answered by the receiver
    /// (queued and sending ones have not arrived).
    bool answeredAfter(const ReadTx& tx, const std::string& sheet, std::int64_t seq) const;

private:
    void setState(WriteTx& tx, const std::string& id, SheetState state,
                  const std::vector<Finding>& findings, const std::string& error);

    DeviceFile& file_;
    const MasterCopy& masterData_;
    Receipts& receipts_;
};

} // namespace rekap::sync
