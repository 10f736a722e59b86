#pragma once
// The parts of decoding a regency document (master_data.cpp), shared by the decoder of a whole
// document in memory and the one that reads its TPS one at a time (regency_text.cpp).

#include <cstdint>
#include <unordered_set>

#include "rekap/json_reader.h"
#include "rekap/regency.h"

namespace rekap::master_data_parts {

/// Everything but the TPS and the content hash: format, regency, parties, areas, contests.
Regency decodeHead(const JsonReader& root);

/// Decodes one TPS of $.tps into `reg` (whose areas and contests are decoded); `seen` holds the
/// codes before it, as numbers (a TPS code is 13 digits): 8 bytes a TPS where a set of strings
/// took about 80, at national size 820,000 of them.
void decodeTps(const JsonReader& t, Regency& reg, std::unordered_set<std::uint64_t>& seen);

} // namespace rekap::master_data_parts
