#include <gtest/gtest.h>

#include "rekap/error.h"
#include "rekap/json_reader.h"

using namespace rekap;
using nlohmann::json;

namespace {
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const DecodeError& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

TEST(JsonReader, NamesThePathOfAWrongType) {
    auto j = json::parse(R"({"a": {"b": [1, "x"]}})");
    JsonReader r(j, "f.json");
    EXPECT_EQ(errorOf([&] { r.field("a").field("b").at(1).integer(0, 9); }),
              "f.json: $.a.b[1]: expected a whole number, got string");
    EXPECT_EQ(errorOf([&] { r.field("a").field("c"); }), "f.json: $.a: missing field 'c'");
    EXPECT_EQ(errorOf([&] { r.field("a").field("b").at(0).integer(2, 9); }),
              "f.json: $.a.b[0]: must be at least 2, got 1");
}

TEST(JsonReader, RejectsFractionsBooleansAndHugeNumbers) {
    auto j = json::parse(R"({"f": 1.5, "b": true, "h": 18446744073709551615})");
    JsonReader r(j);
    EXPECT_NE(errorOf([&] { r.field("f").integer(0, 9); }).find("fraction 1.5"), std::string::npos);
    EXPECT_NE(errorOf([&] { r.field("b").integer(0, 9); }).find("boolean"), std::string::npos);
    EXPECT_NE(errorOf([&] { r.field("h").integer(0, 9); }).find("at most 9"), std::string::npos);
}

TEST(JsonReader, RejectsUnknownKeys) {
    auto j = json::parse(R"({"a": 1, "zz": 2})");
    EXPECT_EQ(errorOf([&] { JsonReader(j).rejectUnknownKeys({"a"}); }), "$.zz: unknown field 'zz'");
}

TEST(JsonReader, SyntaxErrorNamesSourceAndByte) {
    auto e = errorOf([] { parseJsonText("{\"a\": }", "x.json"); });
    EXPECT_NE(e.find("x.json: not valid JSON at byte 7"), std::string::npos) << e;
}

TEST(JsonReader, OptionalFieldTreatsNullAsAbsent) {
    auto j = json::parse(R"({"a": null})");
    EXPECT_FALSE(JsonReader(j).optionalField("a").has_value());
    EXPECT_FALSE(JsonReader(j).optionalField("b").has_value());
}
