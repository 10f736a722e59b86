#include "rekap/json_reader.h"

#include "rekap/error.h"

#include <algorithm>

namespace rekap {

JsonReader::JsonReader(const nlohmann::json& value, std::string source, std::string path)
    : value_(&value)
    , source_(std::move(source))
    , path_(std::move(path)) {}

JsonReader::JsonReader(const nlohmann::json& value, const JsonReader& parent, std::string_view key,
                       std::size_t index)
    : value_(&value)
    , parent_(&parent)
    , key_(key)
    , index_(index) {}

std::string JsonReader::path() const {
    if (!parent_)
        return path_;
    auto p = parent_->path();
    if (index_ != std::string_view::npos)
        return p + "[" + std::to_string(index_) + "]";
    p += '.';
    p += key_;
    return p;
}

const std::string& JsonReader::source() const {
    return parent_ ? parent_->source() : source_;
}

std::string JsonReader::where() const {
    const auto& src = source();
    return src.empty() ? path() : src + ": " + path();
}

void JsonReader::fail(const std::string& message) const {
    throw DecodeError(where(), message);
}

std::string JsonReader::typeName() const {
    if (value_->is_number_integer())
        return "number " + value_->dump();
    if (value_->is_number())
        return "fraction " + value_->dump();
    return value_->type_name();
}

void JsonReader::expectObject() const {
    if (!value_->is_object())
        fail("expected an object, got " + typeName());
}

void JsonReader::expectArray() const {
    if (!value_->is_array())
        fail("expected an array, got " + typeName());
}

bool JsonReader::has(std::string_view key) const {
    return value_->is_object() && value_->contains(key);
}

JsonReader JsonReader::field(std::string_view key) const {
    expectObject();
    auto it = value_->find(key);
    if (it == value_->end())
        fail("missing field '" + std::string(key) + "'");
    return JsonReader(*it, *this, key, std::string_view::npos);
}

std::optional<JsonReader> JsonReader::optionalField(std::string_view key) const {
    expectObject();
    auto it = value_->find(key);
    if (it == value_->end() || it->is_null())
        return std::nullopt;
    return JsonReader(*it, *this, key, std::string_view::npos);
}

JsonReader JsonReader::at(std::size_t i) const {
    expectArray();
    if (i >= value_->size())
        fail("index " + std::to_string(i) + " out of range");
    return JsonReader((*value_)[i], *this, {}, i);
}

std::size_t JsonReader::size() const {
    expectArray();
    return value_->size();
}

void JsonReader::rejectUnknownKeys(std::initializer_list<std::string_view> allowed) const {
    expectObject();
    for (const auto& [key, _] : value_->items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            throw DecodeError(where() + "." + key, "unknown field '" + key + "'");
    }
}

std::string JsonReader::string() const {
    if (!value_->is_string())
        fail("expected a string, got " + typeName());
    return value_->get<std::string>();
}

std::string JsonReader::name(std::size_t maxLength) const {
    auto s = string();
    if (s.empty())
        fail("must not be empty");
    if (s.size() > maxLength)
        fail("longer than " + std::to_string(maxLength) + " bytes");
    return s;
}

std::int64_t JsonReader::integer(std::int64_t min, std::int64_t max) const {
    std::int64_t v = 0;
    if (value_->is_number_unsigned()) {
        auto u = value_->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(max))
            fail("must be at most " + std::to_string(max) + ", got " + value_->dump());
        v = static_cast<std::int64_t>(u);
    } else if (value_->is_number_integer()) {
        v = value_->get<std::int64_t>();
    } else {
        fail("expected a whole number, got " + typeName());
    }
    if (v < min)
        fail("must be at least " + std::to_string(min) + ", got " + std::to_string(v));
    if (v > max)
        fail("must be at most " + std::to_string(max) + ", got " + std::to_string(v));
    return v;
}

bool JsonReader::boolean() const {
    if (!value_->is_boolean())
        fail("expected true or false, got " + typeName());
    return value_->get<bool>();
}

nlohmann::json parseJsonText(std::string_view text, const std::string& source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw DecodeError(source, "not valid JSON at byte " + std::to_string(e.byte) + ": " +
                                      std::string(e.what()));
    } catch (const nlohmann::json::exception& e) {
        // Found by fuzzing: a number too large for a double ("3E4444") is out_of_range, not a
        // parse_error, and escaped as an internal error.
        throw DecodeError(source, std::string("not valid JSON: ") + e.what());
    }
}

} // namespace rekap
