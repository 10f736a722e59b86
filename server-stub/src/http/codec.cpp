#include "codec.h"

#include <stdexcept>
#include <vector>
#include <zlib.h>

#include "message.h"

namespace rekap::central::http {

std::optional<Coding> parseCoding(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    if (v.empty() || equalsIgnoreCase(v, "identity"))
        return Coding::Identity;
    if (equalsIgnoreCase(v, "gzip") || equalsIgnoreCase(v, "x-gzip"))
        return Coding::Gzip;
    if (equalsIgnoreCase(v, "deflate"))
        return Coding::Deflate;
    return std::nullopt; // br, compress, stacked codings: 415
}

namespace {

struct Inflater {
    z_stream z{};
    explicit Inflater(int windowBits) {
        if (inflateInit2(&z, windowBits) != Z_OK)
            throw std::runtime_error("zlib: inflateInit2 failed");
    }
    ~Inflater() { inflateEnd(&z); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
};

/// One attempt with the given window bits; nullopt when over the limit.
std::optional<std::string> inflateWith(std::string_view data, int windowBits, std::size_t limit,
                                       const InflateBudget& budget) {
    Inflater inf(windowBits);
    // Output goes to blocks joined only once the stream ended within the limit: a string grown
    // by doubling would hold one and a half times the limit at its peak, and a bomb's bytes
    // would be copied for nothing.
    std::vector<std::string> blocks;
    std::size_t total = 0;
    std::vector<char> chunk(256 * 1024);
    inf.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    inf.z.avail_in = static_cast<uInt>(data.size());
    for (;;) {
        inf.z.next_out = reinterpret_cast<Bytef*>(chunk.data());
        inf.z.avail_out = static_cast<uInt>(chunk.size());
        int rc = inflate(&inf.z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            throw std::invalid_argument(std::string("request body is not valid compressed data (") +
                                        (inf.z.msg ? inf.z.msg : "zlib error") + ")");
        std::size_t produced = chunk.size() - inf.z.avail_out;
        if (total + produced > limit)
            return std::nullopt; // stop at the cap: never hold more than it
        // Counted before it is kept: three pushes at once that each inflate to 32 MiB must not
        // hold 96 MiB past the budget that their compressed bodies were held to.
        if (budget && produced > 0 && !budget(total + produced))
            throw OverBudget();
        blocks.emplace_back(chunk.data(), produced);
        total += produced;
        if (rc == Z_STREAM_END) {
            if (blocks.size() == 1)
                return std::move(blocks.front());
            std::string out;
            out.reserve(total);
            for (auto& b : blocks) {
                out += b;
                std::string().swap(b);
            }
            return out;
        }
        if (rc == Z_BUF_ERROR || (inf.z.avail_in == 0 && produced == 0))
            throw std::invalid_argument("request body ends inside its compressed stream");
    }
}

} // namespace

std::optional<std::string> inflateCapped(std::string_view data, Coding coding, std::size_t limit,
                                         const InflateBudget& budget) {
    switch (coding) {
    case Coding::Identity:
        if (data.size() > limit)
            return std::nullopt;
        return std::string(data);
    case Coding::Gzip:
        return inflateWith(data, 16 + MAX_WBITS, limit, budget);
    case Coding::Deflate:
        // RFC 9110's "deflate" is the zlib format; some clients send raw deflate instead.
        try {
            return inflateWith(data, MAX_WBITS, limit, budget);
        } catch (const std::invalid_argument&) {
            return inflateWith(data, -MAX_WBITS, limit, budget);
        }
    }
    return std::nullopt;
}

std::string gzip(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib: deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("zlib: deflate failed");
    return out;
}

bool compressible(std::string_view type) {
    auto starts = [&](std::string_view p) { return type.substr(0, p.size()) == p; };
    return starts("text/") || starts("application/json") || starts("application/javascript") ||
           starts("image/svg+xml") || starts("application/xml");
}

} // namespace rekap::central::http
