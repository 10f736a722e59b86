#pragma once
// The sync protocol's messages (docs/protocol.md), encoded and decoded the same way on the
// device and at the receiver. Version 2 (signed revisions and the ledger), under /api/v1.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rekap/ledger.h"
#include "rekap/revision.h"
#include "rekap/rules.h"
#include "rekap/sheet_state.h"

namespace rekap::protocol {

/// 2: devices sign revisions and keep receipts of the ledger. A receiver refuses older devices
/// with 426 (their revisions are unsigned): the app must be updated.
inline constexpr int kVersion = 2;
/// Headers every device request carries, so the receiver always knows what still sits on it.
inline constexpr const char* kHeaderProtocol = "X-Rekap-Protocol";
inline constexpr const char* kHeaderQueueDepth = "X-Rekap-Queue-Depth";
inline constexpr const char* kHeaderLastCapture = "X-Rekap-Last-Capture";
inline constexpr const char* kHeaderAppVersion = "X-Rekap-App-Version";
/// On a push: the device's pull checkpoint. The answer then also carries, under "pull", the
/// first page of the pull from there taken after the push's commit, which saves a sync the
/// pull's own request and round trip (a second or more on 2G).
inline constexpr const char* kHeaderSince = "X-Rekap-Since";
/// On a push: the size of the last signed tree head the device checked. The answer then also
/// carries the consistency proof from that head to the new one, so that a receiver that
/// rewrote its ledger is caught by its own tablets.
inline constexpr const char* kHeaderTreeSize = "X-Rekap-Tree-Size";

/// Error codes in {"error": {"code", "message", "path"}} bodies.
namespace error {
inline constexpr const char* kBadRequest = "bad_request";
inline constexpr const char* kUnauthorized = "unauthorized";
inline constexpr const char* kDeviceRevoked = "device_revoked";
inline constexpr const char* kForbidden = "forbidden";
inline constexpr const char* kProtocolTooOld = "protocol_too_old";
inline constexpr const char* kPayloadTooLarge = "payload_too_large";
inline constexpr const char* kCodeInvalid = "enrolment_code_invalid";
inline constexpr const char* kNotFound = "not_found";
inline constexpr const char* kOffsetMismatch = "offset_mismatch";
inline constexpr const char* kHashMismatch = "hash_mismatch";
inline constexpr const char* kStorage = "storage_error";
inline constexpr const char* kSignature = "signature_invalid";
inline constexpr const char* kConflict = "conflict";
/// 503: the receiver's ledger failed its verification at start; it serves reads, takes no
/// writes (appending would seal the damage under new signed heads) until an operator acts.
inline constexpr const char* kLedgerUnverified = "ledger_unverified";
} // namespace error

/// Finer reasons under a code, in the error body's "reason" (added later: absent from older
/// receivers, so a device treats a missing reason as the code alone).
namespace reason {
inline constexpr const char* kCodeUnknown = "unknown"; ///< enrolment_code_invalid
inline constexpr const char* kCodeExpired = "expired"; ///< enrolment_code_invalid
inline constexpr const char* kCodeUsed = "used";       ///< by another device
} // namespace reason

struct ErrorBody {
    std::string code;
    std::string message;
    std::string path;        ///< JSON path of the offending value, when there is one
    std::string reason = {}; ///< a finer reason under the code (see `reason`), when there is one
};
nlohmann::json encodeError(const ErrorBody& e);
/// Lenient: a body that is not an error document gives code "unknown" and the text as message.
ErrorBody decodeError(const std::string& body);

enum class Role { Operator, Camat };
std::string_view roleName(Role r);
std::optional<Role> parseRole(std::string_view s);

struct EnrolRequest {
    std::string code;
    std::string enrolmentId; ///< client UUID: a retried enrolment gets the same device
    std::string deviceName;
    std::string publicKey; ///< the device's Ed25519 key (base64), made once before enrolling
};
struct EnrolResponse {
    std::string device;
    std::string token;
    Role role = Role::Operator;
    std::string scope; ///< TPS code (operator) or kecamatan code (camat)
    std::string regency;
    std::string masterDataVersion;
    std::string receiverKey; ///< the receiver's public key: checks its tree heads
};
nlohmann::json encode(const EnrolRequest& r);
EnrolRequest decodeEnrolRequest(const nlohmann::json& j);
nlohmann::json encode(const EnrolResponse& r);
EnrolResponse decodeEnrolResponse(const nlohmann::json& j);

/// What the receiver did with one pushed revision.
/// Queued: stored durably, not yet integrated into the ledger (an answer given when stored,
/// `Prefer: respond-async`); its outcome comes with a receipt later.
enum class PushStatus { Accepted, Duplicate, Refused, Conflict, Rejected, Queued };
std::string_view pushStatusName(PushStatus s);
std::optional<PushStatus> parsePushStatus(std::string_view s);

std::vector<Finding> decodeFindings(const nlohmann::json& j);
nlohmann::json encodeFindings(const std::vector<Finding>& f);

/// Photos attached later (POST /api/v1/sync/photo-attachments, rekap/photo_attachment.h): at
/// most this many in one request; the answer has a push's shape, one result per attachment
/// with the revision's id.
inline constexpr std::size_t kMaxPhotoAttachments = 100;

struct PushResult {
    std::string id;
    PushStatus status = PushStatus::Accepted;
    std::optional<SheetState> state; ///< where it stands (Accepted, Conflict, Rejected,
                                     ///< Superseded); absent for refused revisions (nothing stored)
    std::vector<Finding> findings;   ///< rule findings (errors for rejected, warnings kept)
    std::optional<ErrorBody> error;  ///< why it was refused
    std::optional<std::int64_t> ledgerIndex; ///< the ledger entry recording it
    std::string receipt; ///< ledger::receiptCode() of that entry: what the operator keeps
};
/// The push request is {"revisions": [revision JSON, ...]}; the receiver decodes each revision on
/// its own so that one bad revision does not sink the batch.
nlohmann::json encode(const std::vector<PushResult>& results);
std::vector<PushResult> decodePushResponse(const nlohmann::json& j);
/// A push answer also carries "tree_head" (the signed head holding its entries) and, when the
/// device sent kHeaderTreeSize, "consistency" (hex hashes from that head to this one).
std::optional<ledger::TreeHead> decodePushTreeHead(const nlohmann::json& pushResponse);
std::optional<std::vector<std::string>> decodePushConsistency(const nlohmann::json& pushResponse);

/// One entry of the pull feed.
struct Change {
    std::int64_t seq = 0;
    std::string kind;  ///< "resolution", "sheet_state", "rejection", "master_data"
    std::string sheet; ///< sheet key, for sheet changes
    nlohmann::json data;
};
struct PullResponse {
    std::vector<Change> changes;
    std::int64_t next = 0; ///< checkpoint to send next time
    bool more = false;     ///< another page is waiting
    std::string masterDataVersion;
};
nlohmann::json encode(const PullResponse& r);
PullResponse decodePullResponse(const nlohmann::json& j);
/// The pull page a push answer carries (see kHeaderSince); nullopt when it carries none.
std::optional<PullResponse> decodeFoldedPull(const nlohmann::json& pushResponse);

} // namespace rekap::protocol
