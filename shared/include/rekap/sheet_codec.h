#pragma once
// JSON encoding of sheets. Decoding is strict and checks the sheet against the TPS's ballot from
// master data; encoding is canonical (sorted keys, section IV in ballot-number order, no spaces),
// so that the same numbers give the same bytes and the same hash on every machine.

#include <nlohmann/json.hpp>
#include <string>

#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap {

/// The largest count the codec accepts; rule R8 then limits counts to the form's three digits.
inline constexpr int kMaxDecodedCount = 99999;

/// Throws DecodeError with the JSON path: wrong type, missing or unknown field, negative or
/// out-of-range count, unknown TPS, contest, party or candidate, a candidate missing or repeated.
Sheet decodeSheet(const nlohmann::json& j, const Regency& regency, const std::string& source = {},
                  const std::string& path = "$");
nlohmann::json encodeSheet(const Sheet& sheet);

/// Field ids used by rule findings and the app: "voters.from_dpt.l", "summary.valid",
/// "votes.candidates.2", "votes.parties.3.total", "votes.parties.3.candidates.5", ...
namespace field {
std::string candidate(int number);
std::string partyTotal(int party);
std::string partyOnly(int party);
std::string partyCandidate(int party, int number);
} // namespace field

} // namespace rekap
