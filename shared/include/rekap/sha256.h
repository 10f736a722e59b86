#pragma once
// SHA-256 (OpenSSL) as lower-case hex: the content hash of revisions, photos and regency files.

#include <string>
#include <string_view>

namespace rekap {

std::string sha256Hex(std::string_view data);
/// True for 64 lower-case hex digits.
bool isSha256Hex(std::string_view text);

} // namespace rekap
