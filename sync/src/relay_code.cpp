#include "rekap/sync/relay_code.h"

#include <cctype>
#include <charconv>
#include <sodium.h>
#include <stdexcept>

#include "gzip.h"
#include "rekap/error.h"
#include "rekap/sha256.h"

namespace rekap::sync::relay {

namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
/// "RKR1/" + 8 + four numbers of up to 3 digits + their slashes: what a frame spends before
/// its data.
constexpr std::size_t kHeaderChars = 5 + 8 + 4 * 4;

std::string toBase64(const std::string& bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), kVariant);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

std::string fromBase64(const std::string& text) {
    std::string out(text.size() * 3 / 4 + 3, '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, nullptr, kVariant) != 0)
        throw DecodeError("data", "not base64url text");
    out.resize(len);
    return out;
}

std::string packGroup(const nlohmann::json& revisions) {
    return toBase64(gzipCompress(revisions.dump()));
}

int number(std::string_view part, const char* name) {
    int v = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || part.size() > 3 || ec != std::errc() || end != part.data() + part.size())
        throw DecodeError(name,
                          "expected a number from 1 to 999, got \"" + std::string(part) + "\"");
    if (v < 1)
        throw DecodeError(name, "expected a number from 1 to 999, got " + std::to_string(v));
    return v;
}

bool isBase64Url(std::string_view s) {
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
            return false;
    return true;
}

} // namespace

std::string encodeFrame(const Frame& f) {
    return std::string(kPrefix) + f.series + "/" + std::to_string(f.number) + "/" +
           std::to_string(f.count) + "/" + std::to_string(f.groupStart) + "/" +
           std::to_string(f.groupSize) + "/" + f.data;
}

std::optional<Frame> parseFrame(std::string_view text) {
    if (!text.starts_with(kPrefix))
        return std::nullopt;
    text.remove_prefix(kPrefix.size());
    std::vector<std::string_view> parts;
    for (int i = 0; i < 5; ++i) {
        auto slash = text.find('/');
        if (slash == std::string_view::npos)
            throw DecodeError("relay code", "expected 7 parts separated by '/'");
        parts.push_back(text.substr(0, slash));
        text.remove_prefix(slash + 1);
    }
    Frame f;
    f.series = std::string(parts[0]);
    if (f.series.size() != 8 || f.series.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw DecodeError("series", "expected 8 hex digits, got \"" + f.series + "\"");
    f.number = number(parts[1], "number");
    f.count = number(parts[2], "count");
    f.groupStart = number(parts[3], "group start");
    f.groupSize = number(parts[4], "group size");
    if (f.number > f.count)
        throw DecodeError("number", "code " + std::to_string(f.number) + " of only " +
                                        std::to_string(f.count));
    if (f.number < f.groupStart || f.number >= f.groupStart + f.groupSize ||
        f.groupStart + f.groupSize - 1 > f.count)
        throw DecodeError("group", "code " + std::to_string(f.number) +
                                       " is not inside its group of the series");
    if (text.empty() || !isBase64Url(text))
        throw DecodeError("data", "expected base64url text");
    f.data = std::string(text);
    return f;
}

std::vector<std::string> encodeSeries(const std::vector<nlohmann::json>& revisions,
                                      const SeriesOptions& options) {
    if (options.maxFrameChars < kHeaderChars + 16)
        throw std::invalid_argument("relay frames need at least 45 characters");
    const std::size_t room = options.maxFrameChars - kHeaderChars;
    // Greedy: each group takes revisions while its packed text still fits one frame; a revision
    // too large for one frame alone makes a group of its own, cut into several.
    std::vector<std::string> groups;
    auto current = nlohmann::json::array();
    std::string packed;
    for (const auto& r : revisions) {
        auto candidate = current;
        candidate.push_back(r);
        auto text = packGroup(candidate);
        if (!current.empty() && text.size() > room) {
            groups.push_back(packed);
            current = nlohmann::json::array({r});
            packed = packGroup(current);
        } else {
            current = std::move(candidate);
            packed = std::move(text);
        }
    }
    if (!current.empty())
        groups.push_back(packed);

    std::size_t count = 0;
    std::string all;
    for (const auto& g : groups) {
        count += (g.size() + room - 1) / room;
        all += g + "\n";
    }
    if (count > static_cast<std::size_t>(kMaxFrames))
        throw std::length_error("the queue needs " + std::to_string(count) +
                                " relay codes; at most " + std::to_string(kMaxFrames) + " fit");
    auto series = sha256Hex(all).substr(0, 8);
    std::vector<std::string> out;
    for (const auto& g : groups) {
        int start = static_cast<int>(out.size()) + 1;
        int size = static_cast<int>((g.size() + room - 1) / room);
        for (int i = 0; i < size; ++i)
            out.push_back(encodeFrame({series, start + i, static_cast<int>(count), start, size,
                                       g.substr(static_cast<std::size_t>(i) * room, room)}));
    }
    return out;
}

nlohmann::json decodeGroup(const std::vector<Frame>& frames) {
    if (frames.empty())
        throw DecodeError("group", "no codes");
    const auto& first = frames.front();
    if (static_cast<int>(frames.size()) != first.groupSize)
        throw DecodeError("group", "has " + std::to_string(frames.size()) + " of its " +
                                       std::to_string(first.groupSize) + " codes");
    std::string text;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const auto& f = frames[i];
        if (f.series != first.series || f.groupStart != first.groupStart ||
            f.groupSize != first.groupSize || f.number != first.groupStart + static_cast<int>(i))
            throw DecodeError("group", "code " + std::to_string(f.number) +
                                           " does not belong at place " + std::to_string(i + 1));
        text += f.data;
    }
    std::string json;
    try {
        json = gzipDecompress(fromBase64(text), kMaxGroupBytes);
    } catch (const DecodeError&) {
        throw;
    } catch (const std::exception& e) {
        throw DecodeError("data", e.what());
    }
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_array() || j.empty())
        throw DecodeError("data", "not a list of revisions");
    for (const auto& r : j)
        if (!r.is_object() || !r.contains("id") || !r["id"].is_string())
            throw DecodeError("data", "not a list of revisions");
    return j;
}

} // namespace rekap::sync::relay
