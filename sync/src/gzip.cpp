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

std::string gzipDecompress(std::string_view data, std::size_t maxBytes) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        throw std::runtime_error("zlib inflateInit2 failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            throw std::runtime_error("not gzip data, or cut short");
        }
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > maxBytes) {
            inflateEnd(&zs);
            throw std::runtime_error("inflates beyond " + std::to_string(maxBytes) + " bytes");
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
            inflateEnd(&zs);
            throw std::runtime_error("gzip data cut short");
        }
    }
    inflateEnd(&zs);
    return out;
}

} // namespace rekap::sync
