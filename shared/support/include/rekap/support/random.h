#pragma once
// Unpredictable identifiers from OpenSSL's CSPRNG: revision UUIDs, device tokens, enrolment codes.

#include <string>

namespace rekap {

/// `bytes` random bytes as lower-case hex.
std::string randomHex(std::size_t bytes);
/// A version-4 UUID, lower-case: "0f8fad5b-d9cb-469f-a165-70867728950e".
std::string newUuid();
/// A code people can read out and type: groups of 4 from an alphabet without 0/O, 1/I/L.
std::string newReadableCode(int groups = 3);
/// Now, UTC, "2024-02-14T10:06:00Z".
std::string utcNowText();

} // namespace rekap
