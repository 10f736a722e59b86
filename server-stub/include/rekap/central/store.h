#pragma once
// The receiver's durable store: one SQLite file (WAL, synchronous=FULL) or a PostgreSQL database
// that several receivers share (docs/scale-out.md). Its record is the
// ledger (rekap/ledger.h): every event that changes what counts, appended in the receiver's
// order, hashed into a Merkle tree whose heads the receiver signs. The other tables (devices,
// revisions, sheets and their heads, the pull feed) are derived from it, and so are this
// process's caches (the tally, remembered device tokens): they follow the ledger, including
// entries another process appended (an admin command while `serve` runs), within a second.
// All methods are thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "rekap/central/counted_refs.h"
#include "rekap/central/database.h"
#include "rekap/ledger.h"
#include "rekap/merkle.h"
#include "rekap/protocol.h"
#include "rekap/regency.h"
#include "rekap/revision.h"
#include "rekap/tally.h"

namespace rekap::central {

class LedgerLog;
struct LedgerRow;
struct PushJob;
class BatchLookAhead;

struct DeviceRecord {
    std::string id;
    std::string name;
    protocol::Role role = protocol::Role::Operator;
    std::string scope; ///< TPS code (operator) or kecamatan code (camat)
    bool revoked = false;
    std::optional<std::string> lastSeenAt;
    int queueDepth = 0;
    std::optional<std::string> lastCaptureAt;
    std::optional<std::string> publicKey; ///< none: enrolled before devices signed (legacy)
};

/// What a device says about itself on every request.
struct DeviceReport {
    std::optional<int> queueDepth;
    std::optional<std::string> lastCaptureAt;
    std::string appVersion;
};

/// A photo attached to a revision after it was sent (rekap/photo_attachment.h).
struct LaterPhoto {
    std::string photo;      ///< SHA-256
    std::string attachedAt; ///< the device's clock
    std::string receivedAt;
    std::int64_t ledgerIndex = 0;
};

/// A sheet sent back to its operator ("perlu perbaikan", rekap/send_back.h): one send_back
/// ledger entry, and the revision that answered it once one did.
struct SendBackRecord {
    std::int64_t ledgerIdx = 0;
    std::string revision; ///< the key of the revision it asks to be corrected
    std::string sheet;
    std::string tps;
    std::string device; ///< that revision's device
    std::string reason;
    std::string by;
    std::string at;
    std::string signature;                   ///< the receiver's, over the mark
    std::optional<std::string> answeredBy;   ///< the answering revision's key
    std::optional<std::int64_t> answeredIdx; ///< its ledger entry
    bool operator==(const SendBackRecord&) const = default;
};

/// One stored revision with where it stands now.
struct StoredRevision {
    std::int64_t seq = 0;
    Revision revision; ///< its id and parent are keys (rekap/revision_key.h)
    std::string hash;
    std::string receivedAt;
    SheetState state = SheetState::Accepted;
    std::vector<Finding> findings;
    std::int64_t ledgerIndex = 0;
    std::vector<LaterPhoto> laterPhotos; ///< attached after it was sent, oldest first
    /// The photo it stands on now: the latest attached, else the one it carried.
    std::optional<std::string> currentPhoto() const {
        return laterPhotos.empty() ? revision.photo : laterPhotos.back().photo;
    }
};

/// One TPS as the camat and the desk see it: each contest's sheet state and the devices that
/// record for it, with what they still hold.
struct TpsStatus {
    std::string tps;
    /// Overall: NotReceived, OnDevice, Partial, Accepted, Conflict or Rejected.
    SheetState status = SheetState::NotReceived;
    std::map<std::string, SheetState> contests; ///< contest -> Accepted, Conflict or Rejected
    /// contest -> the latest mark sending its sheet back, waiting or answered
    std::map<std::string, SendBackRecord> sendBacks;
    /// contest -> the findings of its latest rejected revision, for sheets in state rejected
    std::map<std::string, std::vector<Finding>> rejections;
    int expectedContests = 0;
    std::vector<DeviceRecord> devices;
};

/// A sheet whose only revisions were rejected, with the latest one's findings.
struct RejectedSheet {
    std::string key;
    StoredRevision latest;
};

/// Told of every group commit (the server's metrics); see CentralStore::observeGroupCommits.
class GroupCommitObserver {
public:
    virtual ~GroupCommitObserver() = default;
    virtual void groupCommitted(std::size_t pushes, std::size_t revisions) = 0;
    /// How long one integrated batch held the ledger's writer lock.
    virtual void batchIntegrated(double /*heldSeconds*/) {}
};

/// A sheet's state at the receiver.
struct SheetRecord {
    std::string key;
    SheetState state = SheetState::Accepted; ///< Accepted, Conflict or Rejected
    std::optional<std::string> winner;
    std::vector<std::string> heads;
};

/// A push's answer: one result per revision, and the signed head that holds them.
struct PushAnswer {
    std::vector<protocol::PushResult> results;
    std::optional<ledger::TreeHead> treeHead;
};

/// When a push is answered: once integrated (every outcome, with its ledger entry and the
/// signed head that holds it: protocol version 2's answer), or as soon as it is stored durably
/// (`Prefer: respond-async`): each item `queued` or refused by the checks that need no ledger,
/// the rest coming with the device's next answer (Intake::receipts).
enum class AnswerWhen { Integrated, Stored };

/// What `verify` found: nothing (ok) or the first failure, with what it concerns.
struct VerifyReport {
    bool ok = true;
    std::string failure;           ///< the first check that failed, in words
    std::int64_t failedEntry = -1; ///< the ledger entry it concerns, when one does
    std::int64_t entries = 0, heads = 0, revisions = 0, legacyRevisions = 0;
    std::int64_t photos = 0; ///< photo files hashed (those that have arrived)
    std::string receiverKey;
};

/// A sheet handed to one reader for a second reading, for a while (docs/second-reading.md).
struct ReadingClaim {
    std::string sheet;          ///< "<tps>/<contest>"
    std::string parent;         ///< the counted revision the reading builds on
    std::string photo;          ///< SHA-256 of that revision's photo
    std::int64_t expiresAt = 0; ///< unix seconds
};

/// How far second reading has got in one kecamatan.
struct ReadingProgress {
    std::string kecamatan;
    long sheets = 0;   ///< counted (accepted or in conflict)
    long verified = 0; ///< by a second reading that agrees, or by a desk decision
    long differ = 0;   ///< in conflict with a second reading among the heads ("beda bacaan")
    long conflict = 0; ///< in conflict between tablets (no second reading among the heads)
    long toRead = 0;   ///< unverified, not in conflict, photo in: what the queue hands out
    long noPhoto = 0;  ///< unverified, not in conflict, its photo not (yet) in
    long claimed = 0;  ///< of toRead, held by a reader now
};

/// What a desk clerk's second reading came to.
struct ReadingResult {
    std::string revision;          ///< the reading's id
    std::string outcome;           ///< "verified", "differs", "rejected" or "unverified"
    std::vector<Finding> findings; ///< of the reading, by the rules (R1-R9)
    std::optional<Sheet> counted;  ///< what the sheet counts after the reading
};

/// A checkpoint of derived state just written (LiveTally::writeCheckpoint).
struct CheckpointWritten {
    std::int64_t size = 0; ///< the ledger entries it covers
    std::size_t bytes = 0; ///< its stored text
};

/// Whether a photo has arrived whole (the server's photo store answers it).
using PhotoReady = std::function<bool(const std::string& sha256)>;

struct StoreOptions {
    /// The receiver's Ed25519 private key; default: the store's file name + ".key". Required
    /// with PostgreSQL, where every receiver on the database signs with the same key.
    std::filesystem::path signingKeyFile;
    /// Where the photos are kept (rekap-central --photos), so that `verify` hashes every photo
    /// file a revision refers to; default: the store's file name + ".photos" for SQLite, none
    /// (photos unchecked) for PostgreSQL.
    std::filesystem::path photoDir;
    /// Every commit reaches the disk before it returns (SQLite's synchronous=FULL). Off only
    /// where durability is not under test (the fuzzer).
    bool durable = true;
};

/// The state the store's units share, one per open store: the connection and its lock, the
/// ledger's in-memory tree, and this process's caches that follow the ledger. The units below
/// are each a layer over it with the public functions of one concern; no table's SQL is here
/// or in them (the table units in server-stub/src/<unit>/ hold it, docs/architecture.md).
class StoreCore {
public:
    StoreCore(const StoreCore&) = delete;
    StoreCore& operator=(const StoreCore&) = delete;

protected:
    /// Opens (creating and migrating when needed) the store at `location`: a SQLite file or a
    /// PostgreSQL URL (rekap/central/database.h).
    StoreCore(const std::string& location, StoreOptions options);
    ~StoreCore();

    using KnownSheets = std::map<std::string, const Sheet*>;

    /// Runs `f` in a write transaction that first takes in other processes' entries and ends
    /// by sealing a signed head; on failure the ledger's tree forgets what `f` appended.
    /// `pipelined`: db::Database::transactionPipelined (the integrator's batches).
    void writeLedger(const std::function<void(const db::WriteTx&)>& f, bool pipelined = false);
    /// Takes in entries appended elsewhere (caller holds mu_).
    void catchUpLocked() const;
    /// Takes in what other processes appended since the last look (LiveTally::follow).
    void followNow() const;
    /// follow(), but at most every 50 ms on an engine where looking costs a round trip.
    void followLazily() const;
    /// Updates the caches for entries just read from the ledger.
    void takeIn(const std::vector<LedgerRow>& rows) const;
    /// Brings the tally up to date with what `key` counts now (no-op without a tally).
    void applySheetLocked(const std::string& key, const KnownSheets* known) const {
        applySheetsLocked({key}, known);
    }
    /// The same for several sheets, read together (an integrated batch's, another receiver's).
    void applySheetsLocked(const std::vector<std::string>& keys, const KnownSheets* known) const;
    void applySheetsOrThrowLocked(const std::vector<std::string>& keys,
                                  const KnownSheets* known) const;
    void buildTallyLocked() const;
    /// Writes a checkpoint of the tally and counted_ at the ledger size they reflect
    /// (store/checkpoint.cpp): encoded under mu_ from one snapshot, stored after it in a
    /// transaction of its own. nullopt when there is no tally or nothing new since the last.
    /// Takes mu_ itself: call it after a batch's transaction, not inside one.
    std::optional<CheckpointWritten> writeCheckpointNow() const;
    /// Sets tally_ and counted_ from the stored checkpoint when it covers a prefix of this
    /// ledger, and takes in the entries after it; false (logged) when there is none to trust.
    bool loadCheckpointLocked() const;
    const Regency& regencyLocked() const;
    void migrateIntoLedger();
    std::unique_ptr<Tally> recountLocked() const;
    void forgetIdentity(const std::string& deviceId);

    // Sequencing apart from integration (ingest.cpp, integrate.cpp; docs/architecture.md).
    /// Stores checked pushes in the intake: a group commit on the side connection, no ledger
    /// lock. The job is then known to this process's integrator by its place.
    void sequence(const std::shared_ptr<PushJob>& job);
    /// Waits until `job` is integrated: by this process's integrator, by the caller itself when
    /// this process runs none, or by another receiver (its answer read from the intake).
    void awaitIntegration(const std::shared_ptr<PushJob>& job);
    /// Integrates the oldest waiting pushes in one ledger transaction; returns how many.
    std::size_t integrateBatch();
    /// One attempt of it, pipelined or waiting for each statement.
    std::size_t integrateBatchOnce(bool pipelined);
    void integrateLoop();
    /// PostgreSQL: hears other receivers' pushes and batches (LISTEN) and wakes who waits.
    void listenLoop(const std::shared_ptr<db::Notifications>& heard);
    /// Whether this process may integrate now: always on SQLite; on PostgreSQL while it holds
    /// the integrator's session lock (taken over by another receiver when this one dies).
    bool holdIntegratorRole();
    void ingestOne(const db::WriteTx& tx, PushJob& job, BatchLookAhead& look,
                   std::vector<std::string>& touched);
    std::shared_ptr<PushJob> jobFromIntake(const db::ReadTx& tx, std::int64_t seq,
                                           const std::string& sender, bool relayed,
                                           const std::string& report, const std::string& items);

    std::atomic<GroupCommitObserver*> groupObserver_{nullptr};
    std::mutex groupMu_; ///< guards the intake's group commit (see ingest.cpp)
    std::condition_variable groupDone_;
    std::vector<std::shared_ptr<PushJob>> pending_;
    bool groupRunning_ = false;
    /// Another connection, for what must not wait behind an integration holding mu_: storing
    /// pushes, their early answers and receipts, pulls; on PostgreSQL its session holds the
    /// integrator's role. Used under sideMu_.
    std::unique_ptr<db::Database> side_;
    mutable std::mutex sideMu_;
    std::mutex batchMu_;     ///< one integration at a time in this process
    std::mutex integrateMu_; ///< guards local_, workPending_; with integrated_ and work_
    std::condition_variable integrated_, work_;
    bool workPending_ = false;
    /// Pushes this process stored and still holds checked, by their place: integrated without
    /// being decoded again.
    std::map<std::int64_t, std::shared_ptr<PushJob>> local_;
    std::atomic<bool> integratorRunning_{false}, integratorRole_{false};
    std::thread integrator_, listener_;
    std::atomic<bool> listening_{false};
    /// REKAP_FAULT_INTEGRATOR_STALL_MS: how long a batch sleeps before it commits (fault tests
    /// kill the process there); 0 otherwise.
    std::chrono::milliseconds faultStall_{0};
    mutable std::mutex mu_;
    std::unique_ptr<db::Database> dbOwner_;
    db::Database& db_; ///< the store's connection, used under mu_
    std::unique_ptr<LedgerLog> ledger_;
    std::filesystem::path photoDir_; ///< for verify (StoreOptions::photoDir)
    /// Devices by token hash as authenticate() last found them, so that a push authenticates
    /// without waiting behind a group commit holding mu_. Entries are added and dropped only
    /// while mu_ is held; a device entry in the ledger (from any process) drops them all.
    mutable std::shared_mutex identitiesMu_;
    mutable std::unordered_map<std::string, DeviceRecord> identities_;
    mutable std::vector<std::shared_ptr<const Regency>> regencies_; ///< every version loaded
    mutable std::atomic<const Regency*> regency_{nullptr};
    mutable std::string regencyDocument_;
    mutable std::shared_ptr<Tally> tally_; ///< built on first use, then follows the ledger
    mutable CountedRefs counted_;      ///< what tally_ counts per sheet, laid out for its regency
    mutable std::int64_t applied_ = 0; ///< ledger entries the caches reflect
    mutable std::int64_t checkpointed_ = -1; ///< the size of the last checkpoint written here
    mutable std::atomic<std::int64_t> version_{0};
    mutable std::int64_t dataVersion_ = -1; ///< PRAGMA data_version at the last look
    mutable std::chrono::steady_clock::time_point lastLook_{}; ///< the last catch-up
    std::atomic<bool> stopFollowing_{false};                   ///< also stops the integrator
    std::thread follower_;
    mutable std::mutex verifyMu_;
    std::optional<VerifyReport> startupVerification_;
};

/// The master data served and counted with: the ledger's latest master_data entry.
class MasterData : protected StoreCore {
public:
    /// Loads or replaces the regency (same code only): a master_data entry when it is new.
    /// The first load makes the receiver's signing key. Throws DecodeError naming the file.
    void loadRegency(const std::filesystem::path& file);

    bool initialized() const;

    /// The current regency. Throws std::runtime_error when none was loaded ("run rekap-central
    /// init"). Regencies replaced by a newer version stay alive for readers still using them.
    const Regency& regency() const;

    std::string regencyDocument() const;

    std::string masterDataVersion() const;

    /// The receiver's public key (base64), "" before init.
    std::string receiverKey() const;

protected:
    using StoreCore::StoreCore;
};

/// The signed ledger as the devices, the desk and the verifiers read it, and its verification.
class LedgerView : protected MasterData {
public:
    /// The ledger: size, signed heads, entries and proofs (docs/integrity.md).
    std::int64_t ledgerSize() const;

    std::optional<ledger::TreeHead> latestHead() const;

    /// The signed head of exactly `size` entries; nullopt when none was signed at that size.
    std::optional<ledger::TreeHead> headAt(std::int64_t size) const;

    std::string ledgerEntry(std::int64_t index) const;

    /// The device an entry concerns ("" for none).
    std::string ledgerEntryDevice(std::int64_t index) const;

    std::vector<merkle::Hash> inclusionProof(std::int64_t index, std::int64_t size) const;

    std::vector<merkle::Hash> consistencyProof(std::int64_t from, std::int64_t to) const;

    /// Replays the whole ledger and checks it against every signed head, every derived table
    /// and a recount; names the first thing that fails.
    VerifyReport verify() const;

    /// The verification made when `serve` started (nullopt while it runs).
    std::optional<VerifyReport> startupVerification() const;

    void runStartupVerification();

    /// The audit export: master data, every entry, keys and signed heads (docs/integrity.md).
    void exportAudit(std::ostream& out) const;

protected:
    using MasterData::MasterData;
};

/// Enrolment codes, devices, their keys and revocations.
class DeviceRegistry : protected LedgerView {
public:
    /// New one-time enrolment codes for an operator (a TPS) or a camat (a kecamatan).
    std::vector<std::string> mintCodes(protocol::Role role, const AreaCode& scope, int count,
                                       std::chrono::hours validity, const std::string& label);

    /// Trades a code for a device and token; the device's public key enters the ledger. A retry
    /// with the same enrolment id gets the same device and a fresh token. Throws ApiError.
    protocol::EnrolResponse enrol(const protocol::EnrolRequest& request);

    /// The device owning `token`; throws ApiError 401 (unknown) or 403 (revoked). Its contact
    /// fields (last seen, queue depth) may be older than the database's: devices() has those.
    DeviceRecord authenticate(const std::string& token);

    /// A device enrolled before devices signed registers its first key (never a second one).
    void registerDeviceKey(const std::string& deviceId, const std::string& publicKey);

    void revokeDevice(const std::string& id);

    std::vector<DeviceRecord> devices() const;

    void recordContact(const std::string& deviceId, const DeviceReport& report);

    /// The device with this id, revoked or not.
    std::optional<DeviceRecord> device(const std::string& id) const;

protected:
    using LedgerView::LedgerView;
};

/// The live tally, following the ledger (entries from any process).
class LiveTally : protected DeviceRegistry {
public:
    /// The live tally, following the ledger. Hold the pointer while reading.
    std::shared_ptr<const Tally> tally() const;

    /// A tally rebuilt from the stored sheets alone: must always equal tally().
    std::unique_ptr<Tally> recount() const;

    /// What a sheet counts now.
    CountedSheet counted(const std::string& sheetKey) const;

    /// The same for several sheets, read from one state of the store (a desa's TPS on one page).
    std::vector<CountedSheet> counted(const std::vector<std::string>& sheetKeys) const;

    /// What each TPS of `area` counts of `contest` (by TPS code; a TPS without a sheet is
    /// absent), from one state of the store in two statements, each sheet holding only the lines
    /// a report's row of a TPS shows (sheets/counted_lines.h): a desa report's rows without
    /// decoding whole revisions.
    std::map<std::string, CountedSheet> countedLines(const AreaCode& area,
                                                     const std::string& contest) const;

    /// Bumped by every ledger entry this process has taken in: clients poll it to refresh.
    std::int64_t version() const;

    /// Takes in what other processes appended to the ledger since the last look (cheap when
    /// nothing changed). `serve` also runs it every 200 ms on a thread of its own.
    void follow() const;

    void startFollowing(std::chrono::milliseconds every = std::chrono::milliseconds(200));

    /// Keeps the tally and what each sheet counts, with the ledger size they cover, so that the
    /// next start takes in only the entries after it (derived_checkpoint.h). nullopt when there
    /// is no tally yet or nothing new since the last checkpoint written here.
    std::optional<CheckpointWritten> writeCheckpoint() const { return writeCheckpointNow(); }

protected:
    using DeviceRegistry::DeviceRegistry;
};

/// Sheets as the desk and the camat see them, the desk's decisions and send-backs.
class SheetDesk : protected LiveTally {
public:
    /// Sheets in conflict, in key order.
    std::vector<SheetRecord> conflicts() const;

    std::optional<SheetRecord> sheet(const std::string& key) const;

    std::vector<StoredRevision> revisionsOf(const std::string& sheetKey) const;

    std::int64_t revisionCount() const;

    /// Whether a stored revision of TPS `tps` names the photo `sha256` (its own photo, which
    /// its devices may upload whoever began it).
    bool photoNamedBy(const std::string& sha256, const std::string& tps) const;

    /// The desk's decision on a conflict: a resolving revision whose parent is `chosen` (one of
    /// the heads), with who and why, signed by the receiver; the other heads become superseded.
    /// Returns its id.
    std::string resolve(const std::string& sheetKey, const std::string& chosen,
                        const std::string& reason, const std::string& by);

    /// Sends `sheetKey` back to its operator ("perlu perbaikan", send_back.cpp): a mark signed
    /// by the receiver naming the sheet's latest first entry by an operator's tablet, with
    /// `reason` and who sent it back. Throws ApiError: 400 (no reason), 404 (no such revision),
    /// 409 (an earlier mark on the sheet still waits).
    SendBackRecord sendBack(const std::string& sheetKey, const std::string& reason,
                            const std::string& by);

    /// The marks on sheets of `area`, newest first.
    std::vector<SendBackRecord> sendBacks(const AreaCode& area) const;

    /// The marks on one sheet, in ledger order.
    std::vector<SendBackRecord> sendBacksOf(const std::string& sheetKey) const;

    /// Per TPS of `area` (any level), in code order.
    std::vector<TpsStatus> status(const AreaCode& area) const;

    /// Sheets in state rejected inside `area`.
    std::vector<RejectedSheet> rejected(const AreaCode& area) const;

protected:
    using LiveTally::LiveTally;
};

/// The blind second reading (docs/second-reading.md).
class SecondReading : protected SheetDesk {
public:
    /// Second reading (reading.cpp). The next sheet of `area` (and `contest`, unless empty) that
    /// waits for a second reading and whose counted revision's photo is in, leased to `holder`
    /// for `lease`: the holder's own unexpired claim first, never a sheet another holder holds,
    /// never one whose counted revision `holder` (the reading's author: "desk:<clerk>" or a
    /// camat's device id) or a person named `reader` wrote. nullopt when none waits.
    std::optional<ReadingClaim> claimReading(const AreaCode& area, const std::string& contest,
                                             const std::string& holder, const std::string& reader,
                                             std::chrono::seconds lease,
                                             const PhotoReady& photoReady);

    /// Gives a claim back (only the holder's own).
    void releaseReading(const std::string& sheet, const std::string& holder);

    /// A desk clerk's second reading of `sheet`: a revision by "desk:<reader>" whose parent is
    /// `parent`, reason merge::kSecondReading, signed by the receiver, through the rules and the
    /// merge like any other. Only on `holder`'s live claim of the sheet, from a photo the
    /// receiver holds (`photoReady`). Releases the holder's claim. Throws ApiError (404, 409,
    /// 400).
    ReadingResult submitReading(const std::string& sheet, const std::string& parent,
                                const Sheet& numbers, const std::string& reader,
                                const std::string& holder, const PhotoReady& photoReady);

    /// Per kecamatan of `area`, in code order.
    std::vector<ReadingProgress> readingProgress(const AreaCode& area,
                                                 const PhotoReady& photoReady) const;

protected:
    using SheetDesk::SheetDesk;
};

/// What devices send: pushes (group commit), relayed revisions, photos attached later, and the pull
/// feed they read back.
class Intake : protected SecondReading {
public:
    /// Ingests a batch of pushed revisions (the JSON array): checked here, stored in the intake
    /// durably, then integrated into the ledger with whatever else waits; answered as `when`
    /// says. See docs/protocol.md for each outcome.
    PushAnswer ingest(const DeviceRecord& device, const nlohmann::json& revisions,
                      const DeviceReport& report = {}, AnswerWhen when = AnswerWhen::Integrated);

    /// The QR relay: `carrier` forwards revisions signed by other devices. Each is judged
    /// exactly as if the device it names had pushed it (its scope, its key, its revocation),
    /// so the ledger holds the same entry either way and a later push of it is a duplicate.
    /// What is refused is recorded under the carrier, naming the device each item claims,
    /// never as that device's own act. One result per revision, in order.
    PushAnswer relay(const DeviceRecord& carrier, const nlohmann::json& revisions);

    /// Photos attached to revisions this device sent (rekap/photo_attachment.h): one result per
    /// attachment, in order (accepted: a photo_attached entry; duplicate: attached before, the
    /// same receipt; refused: why, nothing stored). Throws ApiError for the request as a whole.
    PushAnswer attachPhotos(const DeviceRecord& device, const nlohmann::json& attachments);

    /// Changes for `device` after `since`, at most `limit`.
    protocol::PullResponse pull(const DeviceRecord& device, std::int64_t since, int limit);

    /// What became of `ids`, revisions this device pushed and was answered `queued` for: the
    /// result each got when integrated (its ledger entry, receipt), `queued` while waiting;
    /// ids it never sent are left out. With the signed head that holds them.
    PushAnswer receipts(const DeviceRecord& device, const std::vector<std::string>& ids);

    /// Who to tell of each integrated batch (nullptr: nobody); set before serving.
    void observeGroupCommits(GroupCommitObserver* observer) { groupObserver_ = observer; }

    /// Runs this process's integrator on a thread of its own (`serve`): it takes the role when
    /// free and integrates what waits as soon as it arrives. Without it, a push integrates
    /// itself (and whatever waits with it) before it returns.
    void startIntegrating();

    /// Whether this process integrates now (holds the role).
    bool integrating() const { return integratorRunning_ && integratorRole_; }
    /// Round trips to PostgreSQL so far: the ledger's connection, the side connection.
    std::pair<std::uint64_t, std::uint64_t> roundTrips() const {
        return {db_.roundTrips(), side_->roundTrips()};
    }

private:
    PushAnswer submit(const std::shared_ptr<PushJob>& job, AnswerWhen when);

protected:
    using SecondReading::SecondReading;
};

/// Desk login tokens (for scripts; accounts are desk_accounts.h).
class DeskTokens : protected Intake {
public:
    /// A new desk login token for `name`; printed once, stored hashed.
    std::string createDeskToken(const std::string& name);

    /// The desk user's name; throws ApiError 401 for an unknown token.
    std::string authenticateDesk(const std::string& token) const;

    /// Revokes every desk token of `name` (their sessions end with them); returns how many.
    int revokeDeskTokens(const std::string& name);

protected:
    using Intake::Intake;
};

/// The receiver's store: the units above over one shared core, each reached by its accessor
/// (store.intake().ingest(...), store.ledger().verify()). It adds no function of its own
/// beyond what composes them: one engine, one location, a transaction for the units outside
/// the ledger.
class CentralStore : private DeskTokens {
public:
    /// Opens (creating and migrating when needed) the store at `location`: a SQLite file or a
    /// PostgreSQL URL (rekap/central/database.h).
    explicit CentralStore(const std::string& location, StoreOptions options = {})
        : DeskTokens(location, std::move(options)) {}

    MasterData& masterData() { return *this; }
    const MasterData& masterData() const { return *this; }
    LedgerView& ledger() { return *this; }
    const LedgerView& ledger() const { return *this; }
    DeviceRegistry& registry() { return *this; }
    const DeviceRegistry& registry() const { return *this; }
    LiveTally& live() { return *this; }
    const LiveTally& live() const { return *this; }
    SheetDesk& sheets() { return *this; }
    const SheetDesk& sheets() const { return *this; }
    SecondReading& readings() { return *this; }
    const SecondReading& readings() const { return *this; }
    Intake& intake() { return *this; }
    const Intake& intake() const { return *this; }
    DeskTokens& deskTokens() { return *this; }
    const DeskTokens& deskTokens() const { return *this; }

    db::Dialect dialect() const { return db_.dialect(); }

    /// What the store was opened from (a file, or a PostgreSQL URL), for a unit that keeps a
    /// connection of its own (desk sessions) and for messages.
    const std::string& location() const { return db_.location(); }

    /// Runs `f` under the store's lock with a read of the tables of a unit outside the ledger
    /// (KPU's numbers, desk accounts): the unit's own functions take the transaction, no raw
    /// connection leaves the store. `f` must not call back into the store.
    void read(const std::function<void(const db::ReadTx&)>& f) const {
        std::lock_guard lock(mu_);
        f(db::ReadTx(db_));
    }

    /// The same in one write transaction.
    void write(const std::function<void(const db::WriteTx&)>& f) const {
        std::lock_guard lock(mu_);
        db_.write([&](const db::WriteTx& tx) { f(tx); });
    }
};

} // namespace rekap::central
