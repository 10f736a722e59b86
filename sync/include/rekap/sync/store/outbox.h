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
    /// When the receiver said it stored this revision (answered early, `queued`): it is Sending
    /// and waits for its receipt, never sent again. "" otherwise.
    std::string storedAt;
};

/// When the receiver answered a push: once integrated, every result final (also what a receiver
/// that ignores `Prefer: respond-async` says), or as soon as it stored the push
/// (`Preference-Applied: respond-async`), `queued` meaning stored with the receipt to come.
enum class AnsweredWhen { Integrated, Stored };

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
    /// Sending back to queued: after a failed request, and at start-up after a crash. What the
    /// receiver said it stored stays: it waits for its receipt.
    void requeueSending();
    /// Records the receiver's answers (push results or receipts); with the signed head that held
    /// them, their receipts (Receipts::keep, in the same transaction). A `queued` result of an
    /// answer given when stored marks the revision stored; in a final answer it is no answer,
    /// and requeueSending() sends it again.
    void applyResults(const std::vector<protocol::PushResult>& results,
                      const std::optional<ledger::TreeHead>& head = std::nullopt,
                      AnsweredWhen when = AnsweredWhen::Integrated);
    /// The ids of revisions stored by the receiver and waiting for their receipt, oldest first.
    std::vector<std::string> awaiting(std::size_t maxCount) const;
    /// Stored revisions the receiver no longer knows (left out of its receipts): queued again,
    /// so that the next push sends them (answered `duplicate` if it had them after all).
    void resendForgotten(const std::vector<std::string>& ids);
    /// Revisions still on this device (queued, or sending and not yet stored by the receiver).
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
    void markStored(WriteTx& tx, const std::string& id, const std::vector<Finding>& findings);

    DeviceFile& file_;
    const MasterCopy& masterData_;
    Receipts& receipts_;
};

} // namespace rekap::sync
