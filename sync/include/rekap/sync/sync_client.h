#pragma once
// The device's sync engine: enrols once, then on each sync pushes queued revisions in bounded,
// gzip-compressed batches, uploads photos in resumable chunks, and pulls what changed at the
// receiver. Retries transient failures (no connection, a cut or unreadable answer, 408, 429,
// 5xx) with exponential back-off and jitter; stops at once on a fatal answer (revoked, unknown
// token, protocol too old). Safe to cancel from another thread, also during a back-off wait.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "rekap/sync/http_client.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

struct SyncOptions {
    HttpOptions http;
    std::size_t maxBatchCount = 100;
    std::size_t maxBatchBytes = 256 * 1024; ///< uncompressed
    std::size_t photoChunkBytes = 128 * 1024;
    int maxAttempts = 6;                        ///< per request, before a sync gives up for now
    std::chrono::milliseconds baseBackoff{500}; ///< the first retry's cap (see retryDelay)
    std::chrono::milliseconds maxBackoff{60000};
    std::string appVersion = "rekap-field/0.1";
    /// Pushes ask to be answered as soon as stored (`Prefer: respond-async`, docs/protocol.md);
    /// false: answered once integrated, every result final (as protocol version 2 devices).
    bool answerWhenStored = true;
    /// Receipts of revisions the receiver stored and answered early: asked at the end of a
    /// sync, again after this wait, doubling, until they are in or `receiptPatience` would be
    /// passed; what is still waiting then comes with the next sync.
    std::chrono::milliseconds receiptWait{100};
    std::chrono::milliseconds receiptPatience{2000};
    /// Called on the syncing thread before each back-off wait, with the retry's number (1 for
    /// the first) and the wait drawn: for "trying again in 20 s", and for tests.
    std::function<void(int retry, std::chrono::milliseconds wait)> onRetry;
};

/// A sheet the receiver handed this (camat) device for a second reading: where it is and what
/// it reads against, never the first entry's numbers (docs/second-reading.md).
struct ReadingClaim {
    std::string sheet;   ///< "<tps>/<contest>"
    std::string tps;     ///< its code
    std::string contest; ///< its code
    std::string contestName, tpsName, desaName, kecamatanName;
    std::string parent;    ///< the counted revision the reading builds on
    std::string photo;     ///< SHA-256 of its photo
    std::string expiresAt; ///< regency time
};

struct SyncProgress {
    std::string phase; ///< "push", "pull", "photos"
    std::size_t sheetsDone = 0, sheetsTotal = 0;
    std::size_t bytesDone = 0, bytesTotal = 0;
};

struct SyncReport {
    int accepted = 0, duplicates = 0, conflicts = 0, rejected = 0, refused = 0;
    int photos = 0, changes = 0;
    int retries = 0;
    int batches = 0;  ///< push requests answered
    int pulls = 0;    ///< pull requests made: none when the last push's answer carried the page
    int relayed = 0;  ///< revisions carried for other tablets (QR relay) that the receiver answered
    int attached = 0; ///< photos attached to sent revisions that the receiver took (or had)
    /// The receiver does not know photos attached later (a receiver older than this device):
    /// they stay queued and go when it does.
    bool attachmentsUnsupported = false;
    bool masterDataUpdated = false;
    /// Revisions the receiver stored (answered early) whose receipt had not come when the sync
    /// ended: not on the device any more, not counted above yet.
    int waiting = 0;
    std::size_t bytesSent = 0; ///< request bodies as sent (compressed)
};

/// What went wrong in a request's last attempt, so that an app can tell a person what to do.
struct SyncErrorDetail {
    long httpStatus = 0; ///< 0 when no HTTP answer came
    TransportFailure transport = TransportFailure::None;
    std::string reason; ///< the error body's finer reason, when answered
};

class SyncError : public std::runtime_error {
public:
    enum class Kind { Transient, Fatal, Cancelled };
    using Detail = SyncErrorDetail;
    SyncError(Kind kind, const std::string& what, std::string code = {}, Detail detail = {})
        : std::runtime_error(what)
        , kind_(kind)
        , code_(std::move(code))
        , detail_(std::move(detail)) {}
    Kind kind() const { return kind_; }
    const std::string& code() const { return code_; } ///< protocol error code, when answered
    const Detail& detail() const { return detail_; }
    long httpStatus() const { return detail_.httpStatus; } ///< 0 when there was no answer

private:
    Kind kind_;
    std::string code_;
    Detail detail_;
};

/// The wait before retry number `retry` (1 for the first): drawn uniformly from [c/2, c], where
/// c = min(cap, base * 2^(retry-1)). The jitter keeps a kecamatan's tablets, back in signal
/// together, from retrying in lock-step.
std::chrono::milliseconds retryDelay(int retry, std::chrono::milliseconds base,
                                     std::chrono::milliseconds cap, std::mt19937& rng);

class SyncClient {
public:
    /// With the default options. Out of line: GCC 12 at -O3 took the default argument's
    /// inlined construction for a read of uninitialized memory (-Werror=maybe-uninitialized).
    explicit SyncClient(DeviceFile& store);
    SyncClient(DeviceFile& store, SyncOptions options);

    /// Trades a one-time code for this device's identity and fetches the master data.
    protocol::EnrolResponse enrol(const std::string& server, const std::string& code,
                                  const std::string& deviceName);
    /// One full sync. Throws SyncError when it cannot finish; what it did finish is kept.
    SyncReport sync(const std::function<void(const SyncProgress&)>& progress = {});
    /// Holds the receiver to the signed head this device kept, as every sync does: fetches its
    /// head and the consistency proof from the kept one. The camat's refresh uses it, so that a
    /// camat who only looks (and sends nothing) still notices a receiver rolled back. Throws
    /// SyncError ledger_inconsistent (and raises the ledger alarm) when they disagree.
    void checkLedger();
    /// An authenticated GET of the receiver's read API, e.g. "/api/v1/status?area=630605", with
    /// the same retries as a sync. Returns the body.
    std::string get(const std::string& pathAndQuery);
    /// Fetches the ledger entry of a receipt and its inclusion proof, and checks that the entry
    /// holds this device's revision as it was sent, hashes to the receipt's code, and is included
    /// in the signed head the receipt holds. Throws SyncError naming what failed; marks the
    /// receipt checked when all holds.
    Receipt checkReceipt(const std::string& revisionId);
    /// Camat devices: claims the next sheet of the device's kecamatan that waits for a second
    /// reading (POST /api/v1/reading/next), held for this device as the desk's claims are.
    /// `reader` is the name of who will type it (never handed a sheet they entered first).
    /// nullopt when none waits. Throws SyncError.
    std::optional<ReadingClaim> claimReading(const std::string& reader);
    /// Downloads photo `sha256` (GET /api/v1/photos/<sha>/content) into `to`, after checking
    /// that its bytes hash to the name. Throws SyncError.
    void downloadPhoto(const std::string& sha256, const std::filesystem::path& to);
    /// GET /api/v1/health: true when the receiver answers (for probing before a sync).
    bool reachable();
    /// Stops a sync at once: during a back-off wait, or mid-request (libcurl checks about
    /// every second). The sync throws SyncError(Cancelled); what it finished is kept.
    void cancel();
    void resetCancel() { cancel_ = false; }

private:
    /// Sends `request` until an answer comes that is a success and that `read` can read (a
    /// DecodeError or JSON error from it is an unreadable answer: cut, emptied or garbled on
    /// the way, retried like a lost connection), or a fatal error. Throws SyncError.
    HttpResponse call(HttpRequest request, SyncReport& report,
                      const std::function<void(const HttpResponse&)>& read = {},
                      bool authenticated = true);
    std::vector<std::string> deviceHeaders() const;
    /// True when the last push's answer carried the whole pull (nothing more to ask for).
    bool push(SyncReport& report, const std::function<void(const SyncProgress&)>& progress);
    /// Asks for the receipts of the revisions the receiver stored (POST /api/v1/sync/receipts),
    /// waiting a little between asks (SyncOptions::receiptWait). True when it asked.
    bool collectReceipts(SyncReport& report);
    /// Applies the receipts answered for `asked` as push results (Outbox::applyResults), counts
    /// their outcomes, and sends again what the receiver left out (it no longer knows them).
    void applyReceipts(const std::vector<std::string>& asked, const nlohmann::json& answer,
                       const std::optional<ledger::TreeHead>& head, SyncReport& report);
    /// Forwards the revisions this tablet carries for others (QR relay, docs/relay.md).
    void forwardRelayed(SyncReport& report);
    /// X-Rekap-Tree-Size: the head this device last checked, so that the answer proves it grew
    /// from there (none before the first).
    void addTreeSizeHeader(std::vector<std::string>& headers) const;
    /// Sends the queued photo attachments (after the push: the revisions they name go first).
    void sendAttachments(SyncReport& report);
    /// Fetches the receiver's signed head and the consistency proof from the head last kept,
    /// and checks them as a push answer's (checkTreeHead); on failure, the ledger alarm and a
    /// fatal SyncError ledger_inconsistent.
    void checkLedgerHead(SyncReport& report);
    /// Why a desk decision or send-back ("perlu perbaikan") in `page` is not to be trusted (""
    /// when none is): not signed by the receiver's key, not a decision, or not of the sheet it
    /// is filed under.
    std::string decisionProblem(const protocol::PullResponse& page) const;
    void uploadPhotos(SyncReport& report, const std::function<void(const SyncProgress&)>& progress);
    void uploadPhoto(const std::string& sha, SyncReport& report, SyncProgress& p,
                     const std::function<void(const SyncProgress&)>& progress);
    void pull(SyncReport& report, const std::function<void(const SyncProgress&)>& progress);
    void applyPage(const protocol::PullResponse& page, SyncReport& report);
    /// A device enrolled before devices signed registers its key once.
    void registerKey(SyncReport& report);
    /// The push answer's signed head, when its signature and its consistency with the last head
    /// this device checked hold; otherwise nullopt with `alarm` saying what failed.
    std::optional<ledger::TreeHead> checkTreeHead(const nlohmann::json& answer, std::string& alarm);
    void fetchMasterData(SyncReport& report);
    void sleepFor(std::chrono::milliseconds d);

    DeviceFile& store_;
    SyncOptions options_;
    HttpClient http_;
    std::atomic<bool> cancel_{false};
    std::mutex waitMu_;
    std::condition_variable waitCv_; ///< wakes a back-off wait on cancel()
    std::mt19937 jitter_{std::random_device{}()};
};

} // namespace rekap::sync
