#pragma once
// The receiver's durable store: one SQLite file (WAL, synchronous=FULL) holding the regency,
// enrolment codes, devices, every revision ever accepted or rejected (append-only), each sheet's
// heads and state, and the change feed devices pull. All methods are thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rekap/central/tally.h"
#include "rekap/protocol.h"
#include "rekap/regency.h"
#include "rekap/revision.h"
#include "rekap/support/sqlite.h"

namespace rekap::central {

struct DeviceRecord {
    std::string id;
    std::string name;
    protocol::Role role = protocol::Role::Operator;
    std::string scope; ///< TPS code (operator) or kecamatan code (camat)
    bool revoked = false;
    std::optional<std::string> lastSeenAt;
    int queueDepth = 0;
    std::optional<std::string> lastCaptureAt;
};

/// What a device says about itself on every request.
struct DeviceReport {
    std::optional<int> queueDepth;
    std::optional<std::string> lastCaptureAt;
    std::string appVersion;
};

/// One stored revision with where it stands now.
struct StoredRevision {
    std::int64_t seq = 0;
    Revision revision;
    std::string hash;
    std::string receivedAt;
    protocol::RevisionState state = protocol::RevisionState::Accepted;
    std::vector<Finding> findings;
};

/// One TPS as the camat and the desk see it: each contest's sheet state and the devices that
/// record for it, with what they still hold.
struct TpsStatus {
    std::string tps;
    std::string status; ///< overall: not_received, on_device, partial, accepted, conflict, rejected
    std::map<std::string, std::string> contests; ///< contest -> accepted/conflict/rejected
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
};

/// A sheet's state at the receiver.
struct SheetRecord {
    std::string key;
    std::string state; ///< "accepted", "conflict" or "rejected"
    std::optional<std::string> winner;
    std::vector<std::string> heads;
};

class CentralStore {
public:
    explicit CentralStore(const std::filesystem::path& dbFile);
    ~CentralStore();

    /// Loads or replaces the regency (same code only). Throws DecodeError naming the file.
    void loadRegency(const std::filesystem::path& file);
    bool initialized() const;
    /// Throws std::runtime_error when no regency was loaded ("run rekap-central init").
    const Regency& regency() const;
    std::string regencyDocument() const;
    std::string masterDataVersion() const;

    /// New one-time enrolment codes for an operator (a TPS) or a camat (a kecamatan).
    std::vector<std::string> mintCodes(protocol::Role role, const AreaCode& scope, int count,
                                       std::chrono::hours validity, const std::string& label);
    /// Trades a code for a device and token. A retry with the same enrolment id gets the same
    /// device and a fresh token. Throws ApiError.
    protocol::EnrolResponse enrol(const protocol::EnrolRequest& request);
    /// The device owning `token`; throws ApiError 401 (unknown) or 403 (revoked). Its contact
    /// fields (last seen, queue depth) may be older than the database's: devices() has those.
    DeviceRecord authenticate(const std::string& token);
    void revokeDevice(const std::string& id);
    std::vector<DeviceRecord> devices() const;
    void recordContact(const std::string& deviceId, const DeviceReport& report);

    /// Ingests a batch of pushed revisions (the JSON array) in one transaction, acknowledged only
    /// after it commits. See docs/protocol.md for each outcome.
    std::vector<protocol::PushResult> ingest(const DeviceRecord& device,
                                             const nlohmann::json& revisions,
                                             const DeviceReport& report = {});
    /// Changes for `device` after `since`, at most `limit`.
    protocol::PullResponse pull(const DeviceRecord& device, std::int64_t since, int limit);

    /// Sheets in conflict, in key order.
    std::vector<SheetRecord> conflicts() const;
    std::optional<SheetRecord> sheet(const std::string& key) const;
    std::vector<StoredRevision> revisionsOf(const std::string& sheetKey) const;
    std::int64_t revisionCount() const;
    /// The desk's decision on a conflict: a resolving revision whose parent is `chosen` (one of
    /// the heads), with who and why; the other heads become superseded. Returns its id.
    std::string resolve(const std::string& sheetKey, const std::string& chosen,
                        const std::string& reason, const std::string& by);

    /// The live tally, updated after every commit that changes what a sheet counts.
    const Tally& tally() const;
    /// A tally rebuilt from the stored sheets alone: must always equal tally().
    std::unique_ptr<Tally> recount() const;
    /// What a sheet counts now.
    CountedSheet counted(const std::string& sheetKey) const;

    /// Per TPS of `area` (any level), in code order.
    std::vector<TpsStatus> status(const AreaCode& area) const;
    /// Sheets in state rejected inside `area`.
    std::vector<RejectedSheet> rejected(const AreaCode& area) const;

    /// A new desk login token for `name`; printed once, stored hashed.
    std::string createDeskToken(const std::string& name);
    /// The desk user's name; throws ApiError 401 for an unknown token.
    std::string authenticateDesk(const std::string& token) const;
    /// Revokes every desk token of `name` (their sessions end with them); returns how many.
    int revokeDeskTokens(const std::string& name);

    /// Who to tell of each group commit (nullptr: nobody); set before serving.
    void observeGroupCommits(GroupCommitObserver* observer) { groupObserver_ = observer; }

    sqlite::Database& database() { return db_; }

private:
    struct PushJob;
    struct TouchedSheet;
    void ingestGroup(const std::vector<std::shared_ptr<PushJob>>& jobs);
    void ingestOne(PushJob& job, const Regency& reg, std::map<std::string, TouchedSheet>& touched);
    std::unique_ptr<Tally> recountLocked() const;

    std::atomic<GroupCommitObserver*> groupObserver_{nullptr};
    std::mutex groupMu_; ///< guards the group commit's queue (see ingest.cpp)
    std::condition_variable groupDone_;
    std::vector<std::shared_ptr<PushJob>> pending_;
    bool groupRunning_ = false;
    mutable std::mutex mu_;
    mutable sqlite::Database db_;
    /// Devices by token hash as authenticate() last found them, so that a push authenticates
    /// without waiting behind a group commit holding mu_. Entries are added and dropped only
    /// while mu_ is held, so a revocation or a new token cannot race an addition; revoked
    /// devices are never added.
    mutable std::shared_mutex identitiesMu_;
    std::unordered_map<std::string, DeviceRecord> identities_;
    void forgetIdentity(const std::string& deviceId);
    std::unique_ptr<Regency> regency_;
    std::string regencyDocument_;
    mutable std::unique_ptr<Tally> tally_; ///< built on first use
};

} // namespace rekap::central
