#pragma once
// gzip compression of request bodies (zlib).

#include <string>
#include <string_view>

namespace rekap::sync {

std::string gzipCompress(std::string_view data);

} // namespace rekap::sync
