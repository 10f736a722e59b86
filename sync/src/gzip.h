#pragma once
// gzip compression of request bodies and relay codes (zlib).

#include <string>
#include <string_view>

namespace rekap::sync {

std::string gzipCompress(std::string_view data);
/// Inflates gzip data; throws std::runtime_error when it is not gzip, is cut, or would inflate
/// beyond `maxBytes`.
std::string gzipDecompress(std::string_view data, std::size_t maxBytes);

} // namespace rekap::sync
