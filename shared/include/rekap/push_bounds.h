#pragma once
// The bounds of a push or relay body (docs/protocol.md, "Bounds"), checked on the raw bytes
// before any JSON value is built: a parser builds a node per value and a string per string, so
// 32 MiB of nested arrays became 1.2 GB and a 30 MB id a 60 MiB ledger entry. The check keeps
// no more than a fixed stack of (depth + 1) frames, whatever the body.

#include <cstddef>
#include <string>
#include <string_view>

#include "rekap/error.h"

namespace rekap::protocol {

struct PushBounds {
    /// A push nests 9 levels deep at most ($ { revisions [ { sheet { votes { parties [ {
    /// candidates [ { ... ); 12 leaves room for a field added later without inviting a bomb.
    std::size_t maxDepth = 12;
    /// Revisions in one push or relay. A tablet sends at most 100 (sync_client.h).
    std::size_t maxItems = 500;
    /// One revision's JSON. The largest sheet of the shipped regencies (a DPRD sheet) is 7.5 KiB
    /// with every box at six digits and the longest names (test_push_bounds.cpp).
    std::size_t maxItemBytes = 64 * 1024;
    /// Values (objects, arrays, strings, numbers, literals) in one revision: that DPRD sheet has
    /// 573. What a parser allocates grows with values, not bytes.
    std::size_t maxItemValues = 4000;
    /// "id", "parent" and "device" (a UUID is 36; a device id under 64).
    std::size_t maxIdBytes = 64;
    /// "reason", in characters.
    std::size_t maxReasonChars = 1000;
    /// Every other string (names, hashes, signatures, times, codes), in characters.
    std::size_t maxNameChars = 200;
    /// A member's name.
    std::size_t maxKeyBytes = 64;
    /// A number as written.
    std::size_t maxNumberChars = 32;
};

/// A body over a bound. `tooLarge()`: more items or bytes than allowed (HTTP 413; a tablet then
/// sends fewer at once); otherwise malformed (400). where() is the JSON path
/// ("$.revisions[3].id"), detail() says which bound; neither holds the offending value.
class BoundsError : public DecodeError {
public:
    BoundsError(std::string where, const std::string& what, bool tooLarge)
        : DecodeError(std::move(where), what)
        , tooLarge_(tooLarge) {}
    bool tooLarge() const { return tooLarge_; }

private:
    bool tooLarge_;
};

/// Checks `body` ({"revisions": [...]}) against `bounds`; throws BoundsError. Syntax is left to
/// the parser that follows: this only refuses what would be too big to parse.
void checkPushBounds(std::string_view body, const PushBounds& bounds = {});

} // namespace rekap::protocol
