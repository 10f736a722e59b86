#pragma once
// Kemendagri/KPU area codes: 2 (provinsi), 4 (kabupaten/kota), 6 (kecamatan), 10 (desa/kelurahan)
// and 13 digits (TPS = desa code + 3-digit TPS number). The parent of a code is its prefix.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace rekap {

enum class AreaLevel { Provinsi, Kabupaten, Kecamatan, Desa, Tps };

/// The level's name as used in JSON and URLs: "provinsi", "kabupaten", "kecamatan", "desa", "tps".
std::string_view levelName(AreaLevel level);
/// Number of digits of a code at that level.
int levelDigits(AreaLevel level);

/// A validated area code. Construct with parse() or tryParse().
class AreaCode {
public:
    AreaCode() = default;
    /// Throws std::invalid_argument naming the problem when `text` is not a code.
    static AreaCode parse(std::string_view text);
    /// Nullopt with `why` set when `text` is not a code.
    static std::optional<AreaCode> tryParse(std::string_view text, std::string* why = nullptr);

    const std::string& str() const { return code_; }
    AreaLevel level() const { return level_; }
    bool valid() const { return !code_.empty(); }
    /// The enclosing area; nullopt for a provinsi.
    std::optional<AreaCode> parent() const;
    /// The enclosing area at `level` (which must be at or above this code's level).
    AreaCode ancestor(AreaLevel level) const;
    /// True when `other` lies inside this area (or is it).
    bool contains(const AreaCode& other) const;
    /// The 3-digit number of a TPS inside its desa; 0 for other levels.
    int tpsNumber() const;

    auto operator<=>(const AreaCode& o) const { return code_ <=> o.code_; }
    bool operator==(const AreaCode& o) const { return code_ == o.code_; }

private:
    std::string code_;
    AreaLevel level_ = AreaLevel::Provinsi;
};

} // namespace rekap
