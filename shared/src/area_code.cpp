#include "rekap/area_code.h"

#include <stdexcept>

namespace rekap {

std::string_view levelName(AreaLevel level) {
    switch (level) {
    case AreaLevel::Provinsi:
        return "provinsi";
    case AreaLevel::Kabupaten:
        return "kabupaten";
    case AreaLevel::Kecamatan:
        return "kecamatan";
    case AreaLevel::Desa:
        return "desa";
    case AreaLevel::Tps:
        return "tps";
    }
    return "?";
}

int levelDigits(AreaLevel level) {
    switch (level) {
    case AreaLevel::Provinsi:
        return 2;
    case AreaLevel::Kabupaten:
        return 4;
    case AreaLevel::Kecamatan:
        return 6;
    case AreaLevel::Desa:
        return 10;
    case AreaLevel::Tps:
        return 13;
    }
    return 0;
}

std::optional<AreaCode> AreaCode::tryParse(std::string_view text, std::string* why) {
    auto fail = [&](std::string msg) -> std::optional<AreaCode> {
        if (why)
            *why = std::move(msg);
        return std::nullopt;
    };
    for (char c : text)
        if (c < '0' || c > '9')
            return fail("area code '" + std::string(text) + "' must contain only digits");
    AreaCode code;
    switch (text.size()) {
    case 2:
        code.level_ = AreaLevel::Provinsi;
        break;
    case 4:
        code.level_ = AreaLevel::Kabupaten;
        break;
    case 6:
        code.level_ = AreaLevel::Kecamatan;
        break;
    case 10:
        code.level_ = AreaLevel::Desa;
        break;
    case 13:
        code.level_ = AreaLevel::Tps;
        break;
    default:
        return fail("area code '" + std::string(text) +
                    "' must have 2, 4, 6, 10 or 13 digits, not " + std::to_string(text.size()));
    }
    // Every segment below the province is numbered from 1: an all-zero segment is a typo.
    static constexpr int bounds[] = {0, 2, 4, 6, 10, 13};
    for (int i = 0; i + 1 < 6 && bounds[i + 1] <= static_cast<int>(text.size()); ++i) {
        auto seg = text.substr(bounds[i], bounds[i + 1] - bounds[i]);
        if (seg.find_first_not_of('0') == std::string_view::npos)
            return fail("area code '" + std::string(text) + "' has an all-zero segment at digits " +
                        std::to_string(bounds[i] + 1) + "-" + std::to_string(bounds[i + 1]));
    }
    code.code_ = std::string(text);
    return code;
}

AreaCode AreaCode::parse(std::string_view text) {
    std::string why;
    auto code = tryParse(text, &why);
    if (!code)
        throw std::invalid_argument(why);
    return *code;
}

std::optional<AreaCode> AreaCode::parent() const {
    switch (level_) {
    case AreaLevel::Provinsi:
        return std::nullopt;
    case AreaLevel::Kabupaten:
        return ancestor(AreaLevel::Provinsi);
    case AreaLevel::Kecamatan:
        return ancestor(AreaLevel::Kabupaten);
    case AreaLevel::Desa:
        return ancestor(AreaLevel::Kecamatan);
    case AreaLevel::Tps:
        return ancestor(AreaLevel::Desa);
    }
    return std::nullopt;
}

AreaCode AreaCode::ancestor(AreaLevel level) const {
    if (levelDigits(level) > levelDigits(level_))
        throw std::invalid_argument("area " + code_ + " has no ancestor at level " +
                                    std::string(levelName(level)));
    AreaCode a;
    a.code_ = code_.substr(0, levelDigits(level));
    a.level_ = level;
    return a;
}

bool AreaCode::contains(const AreaCode& other) const {
    return other.code_.size() >= code_.size() && other.code_.compare(0, code_.size(), code_) == 0;
}

int AreaCode::tpsNumber() const {
    return level_ == AreaLevel::Tps ? std::stoi(code_.substr(10)) : 0;
}

} // namespace rekap
