#pragma once
// The receiver's error catalogue: every error it answers with, each bound here once to its HTTP
// status and to the code of the error body (which devices act on), as ODK Central's problem.js
// and Abacus's ErrorReference do. A throw names the problem; it never chooses a status.
// docs/protocol.md lists the catalogue, and a test holds the two to each other.

#include <span>
#include <string_view>

namespace rekap::central {

enum class Problem {
    BadRequest,           ///< a request the protocol does not allow (the message says where)
    HeaderTooLarge,       ///< a request header over the receiver's limit
    Unauthorized,         ///< no token, or one the receiver does not know
    CodeInvalid,          ///< an enrolment code unknown, expired or used (reason says which)
    Forbidden,            ///< a known caller asking outside its scope or role
    DeviceRevoked,        ///< a device the desk revoked
    NotFound,             ///< nothing at that address
    Conflict,             ///< the request contradicts what is stored (a claim, a decision)
    OffsetMismatch,       ///< a photo chunk sent from another byte than the upload stands at
    NoClaim,              ///< a second reading submitted without the reader's live claim
    NoPhoto,              ///< a second reading of a sheet whose plano photo is not held
    PayloadTooLarge,      ///< a body over its route's limit, or a device's photo quota
    UnsupportedMediaType, ///< a body that is not the type the route takes
    HashMismatch,         ///< uploaded bytes that do not hash to the photo's name
    ProtocolTooOld,       ///< a device speaking a protocol version the receiver no longer takes
    RateLimited,          ///< too many failed attempts from one address
    TooManyDownloads,     ///< a caller with its share of photo downloads in progress
    Internal,             ///< a fault of the receiver's own
    StorageFailed,        ///< the database refused a statement (the log says why)
    Busy,                 ///< every worker, or the buffered-body budget, is in use
    StorageUnavailable,   ///< the database is not answering (restarting, failing over)
    LedgerUnverified,     ///< the ledger failed its verification at start: reads only
    StorageFull,          ///< the disk is full: nothing was stored
};

struct ProblemKind {
    Problem problem;
    std::string_view name;  ///< the enumerator's name, for docs and logs
    int status;             ///< the HTTP status
    std::string_view code;  ///< the error body's "code"
    std::string_view means; ///< for docs/protocol.md and whoever reads the log
};

/// The whole catalogue, in the enum's order.
std::span<const ProblemKind> problemCatalogue();
const ProblemKind& kindOf(Problem p);

} // namespace rekap::central
