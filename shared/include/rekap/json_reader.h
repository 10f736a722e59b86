#pragma once
// Strict, path-tracking reading of JSON. Every decoder in Rekap reads through this so that a wrong
// type, a missing or unknown field, or an out-of-range number is reported with its JSON path
// ("$.votes.candidates[2].votes") and, for files, the file name.
//
// A reader from field(), optionalField() or at() refers to its parent and builds its path only
// when an error needs it (building every path eagerly was a large part of the receiver's ingest):
// use a child while its parent lives, as a decoder's local chain of readers does.

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace rekap {

class JsonReader {
public:
    /// `source` names the file or message for errors ("hss.json"); may be empty.
    JsonReader(const nlohmann::json& value, std::string source = {}, std::string path = "$");

    const nlohmann::json& json() const { return *value_; }
    std::string path() const;
    const std::string& source() const;

    /// The member `key`; error "missing field" when absent.
    JsonReader field(std::string_view key) const;
    /// The member `key`, or nullopt when absent or null.
    std::optional<JsonReader> optionalField(std::string_view key) const;
    bool has(std::string_view key) const;
    /// Element `i` of an array.
    JsonReader at(std::size_t i) const;
    /// Number of elements; error unless an array.
    std::size_t size() const;

    void expectObject() const;
    void expectArray() const;
    /// Error naming the first member not in `allowed`.
    void rejectUnknownKeys(std::initializer_list<std::string_view> allowed) const;

    std::string string() const;
    /// A non-empty string of at most `maxLength` bytes.
    std::string name(std::size_t maxLength = 200) const;
    /// A whole number within [min, max]; error for fractions, strings, booleans.
    std::int64_t integer(std::int64_t min, std::int64_t max) const;
    bool boolean() const;

    /// Throws DecodeError at this path.
    [[noreturn]] void fail(const std::string& message) const;

private:
    std::string where() const;
    std::string typeName() const;

    JsonReader(const nlohmann::json& value, const JsonReader& parent, std::string_view key,
               std::size_t index);

    const nlohmann::json* value_;
    const JsonReader* parent_ = nullptr;
    std::string_view key_; ///< the member this child is (field names are literals)
    std::size_t index_ = std::string_view::npos; ///< or the element
    std::string source_;                         ///< the root's
    std::string path_;                           ///< the root's
};

/// Parses JSON text; a syntax error becomes a DecodeError naming the source and byte offset.
nlohmann::json parseJsonText(std::string_view text, const std::string& source);

} // namespace rekap
