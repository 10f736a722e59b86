#pragma once
// The device's one SQLite file: enrolment, the master-data copy, drafts, finalized revisions
// with their outbox state, each sheet's head, photos and the sync checkpoint. Finalizing is
// durable before it returns (WAL, synchronous=FULL). Thread-safe.

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rekap/ledger.h"
#include "rekap/protocol.h"
#include "rekap/regency.h"
#include "rekap/revision.h"
#include "rekap/rules.h"
#include "rekap/signing.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/relay_code.h"

namespace rekap::sync {

struct Enrolment {
    std::string server; ///< base URL, e.g. https://rekap.example.go.id
    std::string device;
    std::string token;
    protocol::Role role = protocol::Role::Operator;
    std::string scope;
    std::string regency;
    std::string receiverKey; ///< checks the receiver's signed tree heads
};

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

/// What scanning one relay code did, on the camat's tablet (docs/relay.md).
struct RelayScan {
    std::string series;
    int number = 0;
    int count = 0;            ///< codes in the series
    int scanned = 0;          ///< of them scanned so far
    bool repeated = false;    ///< this code was scanned before: nothing changed
    int added = 0;            ///< revisions its group completed (0 while the group lacks codes)
    std::vector<int> missing; ///< numbers of the series' codes not scanned yet
};

/// A revision a camat's tablet carries for an operator's tablet.
struct RelayedRevision {
    std::string id;
    std::string origin;                    ///< the operator's device
    std::string sheet;                     ///< TPS/contest
    SheetState state = SheetState::Queued; ///< then the receiver's answer: Accepted,
                                           ///< Conflict, Rejected, Superseded or Refused
    std::string error;
    std::string receivedAt;
};

/// A photo attached to a revision after it was sent (rekap/photo_attachment.h), as this device
/// keeps it: queued until the receiver answers, then accepted (with its receipt) or refused.
struct AttachedPhotoEntry {
    std::string revision, photo, sheet;
    SheetState state = SheetState::Queued; ///< then Accepted or Refused
    std::string error, receipt;
    std::string createdAt;
    nlohmann::json body; ///< the signed attachment as sent
};

/// A sheet the desk sent back to its operator ("perlu perbaikan", rekap/send_back.h), as this
/// device keeps it. It is answered once a revision of the sheet this device made after the one
/// the mark names has reached the receiver (any state but queued, sending or refused).
struct SendBackEntry {
    std::string sheet;    ///< "<tps>/<contest>"
    std::string revision; ///< the revision the desk asks to be corrected
    std::string reason, by, at;
    bool answered = false;
    bool operator==(const SendBackEntry&) const = default;
};

/// Thrown by finalize when the sheet breaks an error-level rule.
class FinalizeRefused : public std::runtime_error {
public:
    explicit FinalizeRefused(std::vector<Finding> findings);
    const std::vector<Finding>& findings() const { return findings_; }

private:
    std::vector<Finding> findings_;
};

class DeviceStore {
public:
    explicit DeviceStore(const std::filesystem::path& file);

    std::optional<Enrolment> enrolment() const;
    void saveEnrolment(const Enrolment& e);
    /// The enrolment id to send: made once and kept, so a retried enrolment is the same one.
    std::string pendingEnrolmentId();
    /// The device's Ed25519 key pair: made once (before enrolling) and kept; it signs every
    /// revision this device finalizes.
    signing::KeyPair deviceKey();
    /// False for a device enrolled before devices signed: its key still has to be registered.
    bool keyRegistered() const;
    void setKeyRegistered();
    /// The receiver's public key, learned on first use by a device enrolled before keys.
    void setReceiverKey(const std::string& publicKey);

    /// Replaces the master-data copy after checking it decodes. Throws DecodeError otherwise.
    void saveMasterData(const std::string& document);
    /// Nullptr before the first master data arrives.
    std::shared_ptr<const Regency> regency() const;
    std::string masterDataVersion() const;

    void saveDraft(const std::string& sheetKey, const nlohmann::json& draft);
    std::optional<nlohmann::json> draft(const std::string& sheetKey) const;

    struct FinalizeOptions {
        std::string reason;               ///< required for a correction
        std::optional<std::string> photo; ///< SHA-256 of a photo added with addPhoto
        bool allowRuleErrors = false;     ///< for simulations: let the receiver reject it
    };
    /// Freezes `sheet` into a revision whose parent is the sheet's current head, durably queues
    /// it and drops the draft. Throws FinalizeRefused, or std::invalid_argument (not enrolled,
    /// correction without reason, sheet outside this device's TPS).
    Revision finalize(const Sheet& sheet, const std::string& operatorName,
                      const FinalizeOptions& options);
    std::optional<std::string> head(const std::string& sheetKey) const;
    /// A camat device's second reading (docs/second-reading.md): `sheet` as typed blind from the
    /// photo, frozen into a revision whose parent is `parent` (the counted revision the receiver
    /// handed out with the claim), reason "bacaan kedua", naming `photo`, signed with this
    /// device's key and durably queued in the outbox like any revision. Throws FinalizeRefused
    /// on an error-level rule, std::invalid_argument when this is no camat device, the sheet lies
    /// outside its kecamatan, or the name or parent is missing.
    Revision finalizeReading(const Sheet& sheet, const std::string& parent,
                             const std::optional<std::string>& photo,
                             const std::string& operatorName);

    /// All revisions, oldest first.
    std::vector<OutboxEntry> outbox() const;
    std::optional<OutboxEntry> entry(const std::string& id) const;
    /// Up to `maxCount` queued revisions, oldest first, whose encodings stay within `maxBytes`
    /// (at least one), marked sending.
    std::vector<OutboxEntry> takeBatch(std::size_t maxCount, std::size_t maxBytes);
    /// Sending back to queued: after a failed request, and at start-up after a crash.
    void requeueSending();
    /// Records the receiver's answers; with the signed head that held them, their receipts.
    void applyResults(const std::vector<protocol::PushResult>& results,
                      const std::optional<ledger::TreeHead>& head = std::nullopt);
    std::vector<Receipt> receipts() const;
    std::optional<Receipt> receipt(const std::string& revisionId) const;
    void markReceiptChecked(const std::string& revisionId);
    /// The last signed head this device checked (signature and consistency).
    std::optional<ledger::TreeHead> lastTreeHead() const;
    void saveTreeHead(const ledger::TreeHead& head);
    /// Set when the receiver's ledger failed a check (a head that does not extend the last one):
    /// the receiver rewrote its history. Never cleared by the app.
    std::string ledgerAlarm() const;
    void setLedgerAlarm(const std::string& what);
    int queueDepth() const;
    std::optional<std::string> lastCaptureAt() const;

    std::int64_t checkpoint() const;
    /// Applies pulled changes and moves the checkpoint, in one transaction.
    void applyChanges(const protocol::PullResponse& pull);

    /// Copies a photo into the store (durably) and returns its SHA-256.
    std::string addPhoto(const std::filesystem::path& file);
    std::vector<std::string> pendingPhotos() const;
    std::filesystem::path photoPath(const std::string& sha256) const;
    void markPhotoUploaded(const std::string& sha256);

    /// Attaches photo `sha256` (added with addPhoto) to this device's revision `revisionId`,
    /// sent or not: signed with the device's key and durably queued (docs/protocol.md, "Photos
    /// attached later"). The revision's numbers are untouched. Attaching the same photo again
    /// returns the first attachment. Throws std::invalid_argument (no such revision of this
    /// device, a desk decision, a photo not in the store, a camat device).
    AttachedPhotoEntry attachPhoto(const std::string& revisionId, const std::string& sha256);
    /// Every attachment of `revisionId` (all when empty), oldest first.
    std::vector<AttachedPhotoEntry> attachedPhotos(const std::string& revisionId = {}) const;
    /// Queued attachments, oldest first, at most `maxCount`.
    std::vector<AttachedPhotoEntry> attachmentBatch(std::size_t maxCount) const;
    /// The receiver's answers to `batch`, in its order (one result each).
    void applyAttachmentResults(const std::vector<AttachedPhotoEntry>& batch,
                                const std::vector<protocol::PushResult>& results);
    int attachmentQueueDepth() const;

    /// Every mark sending one of this TPS's sheets back, newest first (device_send_backs.cpp).
    std::vector<SendBackEntry> sendBacks() const;
    /// The newest mark on `sheet`, answered or not.
    std::optional<SendBackEntry> sendBackOf(const std::string& sheet) const;

    /// The QR relay, on the carrying (camat's) tablet. Keeps a scanned code; when it completes
    /// its group, decodes the group and queues its revisions for forwarding, each once however
    /// often it is scanned, all in one transaction. Throws DecodeError naming the code when the
    /// code or its group is malformed (a bad group's codes are dropped, to be scanned again).
    RelayScan addRelayCode(const std::string& text);
    std::vector<RelayedRevision> relayed() const;
    /// Queued relayed revisions as sent (their JSON), oldest first, within the limits.
    std::vector<nlohmann::json> relayBatch(std::size_t maxCount, std::size_t maxBytes) const;
    void applyRelayResults(const std::vector<protocol::PushResult>& results);
    int relayQueueDepth() const;

    /// Small values the app keeps (the operator's name, the language, the camat's last status).
    std::string preference(const std::string& key) const;
    void setPreference(const std::string& key, const std::string& value);

    sqlite::Database& database() { return db_; }

    /// Fail points, for crash tests: `hook` is called with the name of each point reached
    /// ("finalize.written": inside finalize's transaction, before its commit; "finalize.committed";
    /// "push.answered": a push answered, its results not yet applied; "push.applied";
    /// "pull.applied"; "photo.chunk"), and may kill the process there. None is set by default.
    void setFailPointHook(std::function<void(std::string_view)> hook) {
        failHook_ = std::move(hook);
    }
    void failPoint(std::string_view point) const {
        if (failHook_)
            failHook_(point);
    }

private:
    std::string setting(const std::string& key) const;
    /// A device enrolled or upgraded before devices signed gets its key, and its own revisions
    /// not yet signed are signed with it (they were finalized here; the key now vouches for them).
    void signLegacyRevisions();
    void setSetting(const std::string& key, const std::string& value);
    /// Decodes a relay group whose codes are all scanned and queues its revisions; in the
    /// caller's transaction. Returns how many were new.
    int queueGroup(const std::vector<relay::Frame>& group);
    /// Keeps a send_back item of the pull feed; in applyChanges' transaction.
    void keepSendBack(const protocol::Change& c);
    void setState(const std::string& id, SheetState state, const std::vector<Finding>& findings,
                  const std::string& error);

    mutable std::mutex mu_;
    mutable sqlite::Database db_;
    std::filesystem::path photoDir_;
    std::shared_ptr<const Regency> regency_;
    std::function<void(std::string_view)> failHook_;
};

} // namespace rekap::sync
