#include "rekap/support/random.h"

#include <chrono>
#include <cstdio>
#include <openssl/rand.h>
#include <stdexcept>
#include <vector>

namespace rekap {

namespace {
std::vector<unsigned char> randomBytes(std::size_t n) {
    std::vector<unsigned char> out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}
} // namespace

std::string randomHex(std::size_t bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (auto b : randomBytes(bytes)) {
        out += hex[b >> 4];
        out += hex[b & 0xf];
    }
    return out;
}

std::string newUuid() {
    auto b = randomBytes(16);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    char buf[37];
    std::snprintf(buf, sizeof buf,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return buf;
}

std::string newReadableCode(int groups) {
    static constexpr char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; // 31 symbols
    std::string out;
    for (int g = 0; g < groups; ++g) {
        if (g)
            out += '-';
        for (int i = 0; i < 4;) {
            // Rejection sampling: 248 = 8 x 31, so every symbol is equally likely.
            auto b = randomBytes(1)[0];
            if (b < 248) {
                out += alphabet[b % 31];
                ++i;
            }
        }
    }
    return out;
}

std::string utcNowText() {
    using namespace std::chrono;
    auto now = floor<seconds>(system_clock::now());
    auto day = floor<days>(now);
    year_month_day ymd(day);
    hh_mm_ss<seconds> t(now - day);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(t.hours().count()), static_cast<int>(t.minutes().count()),
                  static_cast<int>(t.seconds().count()));
    return buf;
}

} // namespace rekap
