#include "rekap/central/problem.h"

#include <array>

#include "rekap/protocol.h"

namespace rekap::central {

namespace {

namespace e = protocol::error;
using P = Problem;

// Storage failures share one code with three statuses: a device waits out 503 and 507 and
// retries, and reports 500; the code tells it only that nothing was stored.
constexpr std::array kCatalogue{
    ProblemKind{P::BadRequest, "BadRequest", 400, e::kBadRequest,
                "the request is not what the protocol allows"},
    ProblemKind{P::HeaderTooLarge, "HeaderTooLarge", 431, e::kBadRequest,
                "a request header is over the limit"},
    ProblemKind{P::Unauthorized, "Unauthorized", 401, e::kUnauthorized,
                "no token, or an unknown one"},
    ProblemKind{P::CodeInvalid, "CodeInvalid", 401, e::kCodeInvalid,
                "the enrolment code is unknown, expired or used"},
    ProblemKind{P::Forbidden, "Forbidden", 403, e::kForbidden,
                "outside the caller's scope or role"},
    ProblemKind{P::DeviceRevoked, "DeviceRevoked", 403, e::kDeviceRevoked,
                "the desk revoked this device"},
    ProblemKind{P::NotFound, "NotFound", 404, e::kNotFound, "nothing at that address"},
    ProblemKind{P::Conflict, "Conflict", 409, e::kConflict, "contradicts what is stored"},
    ProblemKind{P::OffsetMismatch, "OffsetMismatch", 409, e::kOffsetMismatch,
                "the photo upload stands at another byte"},
    ProblemKind{P::NoClaim, "NoClaim", 409, "no_claim",
                "a reading submitted without the reader's live claim on the sheet"},
    ProblemKind{P::NoPhoto, "NoPhoto", 409, "no_photo",
                "a reading of a sheet whose plano photo the receiver does not hold"},
    ProblemKind{P::PayloadTooLarge, "PayloadTooLarge", 413, e::kPayloadTooLarge,
                "over the route's limit or the device's photo quota"},
    ProblemKind{P::UnsupportedMediaType, "UnsupportedMediaType", 415, "unsupported_media_type",
                "not the body type the route takes"},
    ProblemKind{P::HashMismatch, "HashMismatch", 422, e::kHashMismatch,
                "the uploaded bytes do not hash to the photo's name"},
    ProblemKind{P::ProtocolTooOld, "ProtocolTooOld", 426, e::kProtocolTooOld,
                "the app is too old: update it"},
    ProblemKind{P::RateLimited, "RateLimited", 429, "rate_limited",
                "too many failed attempts from this address (Retry-After)"},
    ProblemKind{P::TooManyDownloads, "TooManyDownloads", 429, "too_many_downloads",
                "the caller's photo downloads in progress are at their cap"},
    ProblemKind{P::Internal, "Internal", 500, "internal", "a fault of the receiver's own"},
    ProblemKind{P::StorageFailed, "StorageFailed", 500, e::kStorage,
                "the database refused a statement: nothing was stored"},
    ProblemKind{P::Busy, "Busy", 503, "busy",
                "the receiver is busy: try again shortly (Retry-After)"},
    ProblemKind{P::StorageUnavailable, "StorageUnavailable", 503, e::kStorage,
                "the database is not answering: nothing was stored, try again"},
    ProblemKind{P::LedgerUnverified, "LedgerUnverified", 503, e::kLedgerUnverified,
                "the ledger failed its check at start: reads only"},
    ProblemKind{P::StorageFull, "StorageFull", 507, e::kStorage,
                "the receiver's storage is full: nothing was stored"},
};

constexpr bool inEnumOrder() {
    for (std::size_t i = 0; i < kCatalogue.size(); ++i)
        if (static_cast<std::size_t>(kCatalogue[i].problem) != i)
            return false;
    return true;
}
static_assert(inEnumOrder(), "the catalogue lists every problem once, in the enum's order");
static_assert(kCatalogue.size() == static_cast<std::size_t>(Problem::StorageFull) + 1);

} // namespace

std::span<const ProblemKind> problemCatalogue() {
    return kCatalogue;
}

const ProblemKind& kindOf(Problem p) {
    return kCatalogue[static_cast<std::size_t>(p)];
}

} // namespace rekap::central
