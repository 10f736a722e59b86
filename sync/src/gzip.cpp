#include "gzip.h"

#include <stdexcept>
#include <zlib.h>

namespace rekap::sync {

std::string gzipCompress(std::string_view data) {
    z_stream zs{};
    // windowBits 15 + 16: a gzip wrapper, which HTTP's Content-Encoding: gzip expects.
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib deflateInit2 failed");
    std::string out(deflateBound(&zs, data.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("zlib deflate failed");
    out.resize(zs.total_out);
    return out;
}

} // namespace rekap::sync
