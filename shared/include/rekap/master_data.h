#pragma once
// Loading a regency file (format "rekap-regency", described in docs/master-data.md).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "rekap/regency.h"

namespace rekap {

/// Current version of the regency file format.
inline constexpr int kRegencyFormatVersion = 1;

/// Decodes and checks a regency document. Throws DecodeError naming `source` and the JSON path of
/// the first problem: a bad code, a TPS outside its desa, a duplicate, a TPS no dapil covers, ...
Regency decodeRegency(const nlohmann::json& doc, const std::string& source);
/// Reads and decodes a regency file; errors name the file.
Regency loadRegencyFile(const std::filesystem::path& path);
/// Encodes a regency back into the file format (the inverse of decodeRegency).
nlohmann::json encodeRegency(const Regency& regency);

} // namespace rekap
