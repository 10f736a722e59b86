#pragma once
// Loading a regency file (format "rekap-regency", described in docs/master-data.md).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "rekap/regency.h"

namespace rekap {

/// Current version of the regency file format.
inline constexpr int kRegencyFormatVersion = 1;

/// Decodes and checks a regency document. Throws DecodeError naming `source` and the JSON path of
/// the first problem: a bad code, a TPS outside its desa, a duplicate, a TPS no dapil covers, ...
Regency decodeRegency(const nlohmann::json& doc, const std::string& source);
/// A regency decoded from JSON text, with the document's compact text (as nlohmann's dump()
/// writes it: what the receiver serves devices).
struct RegencyText {
    Regency regency;
    std::string document;
};
/// decodeRegency(parseJsonText(text)) without the whole document in memory as a tree: the same
/// regency, content hash and errors, each TPS decoded from its own text (a national document's
/// tree took about 800 MB). `at`: the key of `text`'s object that holds the document (a ledger
/// entry's "document"); empty when `text` is the document.
RegencyText decodeRegencyText(std::string_view text, const std::string& source,
                              std::string_view at = {});
/// Reads and decodes a regency file; errors name the file.
Regency loadRegencyFile(const std::filesystem::path& path);
/// Encodes a regency back into the file format (the inverse of decodeRegency).
nlohmann::json encodeRegency(const Regency& regency);

} // namespace rekap
