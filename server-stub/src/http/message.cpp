#include "message.h"

#include <algorithm>

#include "codec.h"
#include "rekap/central/api_error.h"

namespace rekap::central::http {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

void Headers::add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(const std::string& name, std::string value) {
    remove(name);
    add(name, std::move(value));
}

bool Headers::has(std::string_view name) const {
    return std::any_of(fields_.begin(), fields_.end(),
                       [&](const auto& f) { return equalsIgnoreCase(f.first, name); });
}

std::string Headers::get(std::string_view name) const {
    for (const auto& [n, v] : fields_)
        if (equalsIgnoreCase(n, name))
            return v;
    return {};
}

void Headers::remove(std::string_view name) {
    std::erase_if(fields_, [&](const auto& f) { return equalsIgnoreCase(f.first, name); });
}

std::string percentDecode(std::string_view s, bool plusIsSpace) {
    std::string out;
    out.reserve(s.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else if (plusIsSpace && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string Request::param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

void Request::giveBackInflated() const {
    // What was inflated is gone with the refusal: its bytes leave the budget now, not when the
    // answer has been written (the caller's next body would find its share still taken).
    if (growBudget)
        growBudget(rawBody.size());
}

const std::string& Request::body() const {
    if (decoded_)
        return *decoded_;
    auto coding = parseCoding(contentEncoding);
    if (!coding)
        throw ApiError(Problem::UnsupportedMediaType,
                       "Content-Encoding " + contentEncoding + " is not accepted (gzip, deflate)");
    std::optional<std::string> out;
    try {
        InflateBudget budget;
        if (growBudget && *coding != Coding::Identity)
            budget = [this](std::size_t inflated) { return growBudget(rawBody.size() + inflated); };
        out = inflateCapped(rawBody, *coding, decodedLimit, budget);
    } catch (const std::invalid_argument& e) {
        giveBackInflated();
        throw ApiError(Problem::BadRequest, e.what());
    } catch (const OverBudget&) {
        giveBackInflated();
        throw ApiError(Problem::Busy,
                       "the receiver holds too many request bodies: try again shortly");
    }
    if (!out) {
        giveBackInflated();
        throw ApiError(Problem::PayloadTooLarge,
                       "request body " +
                           std::string(*coding == Coding::Identity ? "is" : "inflates to") +
                           " over " + std::to_string(decodedLimit) + " bytes");
    }
    decoded_ = std::move(*out);
    return *decoded_;
}

} // namespace rekap::central::http
