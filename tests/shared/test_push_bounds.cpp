// The bounds of a push body (push_bounds.h): each bound refuses what passes it with the path
// and without the value, and the largest real sheet stays well inside them.

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <iostream>
#include <memory>

#include "fixtures.h"
#include "rekap/master_data.h"
#include "rekap/push_bounds.h"
#include "rekap/revision.h"

using namespace rekap;
using namespace rekap::protocol;

namespace {

std::string push(const std::string& items) {
    return R"({"revisions":[)" + items + "]}";
}

/// The BoundsError `body` raises (fails the test when none).
BoundsError refusal(const std::string& body) {
    try {
        checkPushBounds(body);
    } catch (const BoundsError& e) {
        return e;
    }
    ADD_FAILURE() << "accepted: " << body.substr(0, 200);
    return BoundsError("", "", false);
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

/// Depth, values and every number of a value (for the largest real sheet).
struct Shape {
    std::size_t depth = 0, values = 0;
};
void measure(const nlohmann::json& j, std::size_t depth, Shape& out) {
    ++out.values;
    out.depth = std::max(out.depth, depth);
    if (j.is_structured())
        for (const auto& v : j)
            measure(v, depth + (v.is_structured() ? 1 : 0), out);
}
void fillNumbers(nlohmann::json& j) {
    if (j.is_structured()) {
        for (auto& v : j)
            fillNumbers(v);
    } else if (j.is_null() || j.is_number()) {
        j = 999999;
    }
}

} // namespace

TEST(PushBounds, AnHonestPushPasses) {
    EXPECT_NO_THROW(checkPushBounds(push(R"({"id":"0b1c1e6e-5b64-4c7e-9a39-0a8a2b1d9f11",)"
                                         R"("reason":"salah ketik","sheet":{"votes":[1,2,3]}})")));
    EXPECT_NO_THROW(checkPushBounds(push("")));
    // Syntax is the parser's to name.
    EXPECT_NO_THROW(checkPushBounds("{\"revisions\": [}"));
}

/// A body cut anywhere (a dropped connection, a fuzzer's input) is scanned within its bytes: each
/// prefix is passed on to the parser or refused, never read past its end. The sanitizer build
/// (scripts/test) is what sees a read past the end; fuzz.push found one (a body ending right
/// after a member name's opening quote).
TEST(PushBounds, ABodyCutAnywhereIsScannedWithinItsBytes) {
    const std::string whole =
        push(R"({"id":"0b1c1e6e-5b64-4c7e-9a39-0a8a2b1d9f11","reason":"salah \u006bet\"ik",)"
             R"("sheet":{"votes":[1,2,3],"name":"Ba\u00e9"}})");
    for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
        // A buffer of exactly the prefix's size, so that a read past it is a read past the heap
        // block the sanitizer watches.
        std::unique_ptr<char[]> exact(new char[cut]);
        std::memcpy(exact.get(), whole.data(), cut);
        try {
            checkPushBounds(std::string_view(exact.get(), cut));
        } catch (const BoundsError&) {
        }
    }
    for (std::string_view cut : {R"({")", R"({"revisions":[{")", R"({"re\)", R"({"a\u)"}) {
        std::unique_ptr<char[]> exact(new char[cut.size()]);
        std::memcpy(exact.get(), cut.data(), cut.size());
        try {
            checkPushBounds(std::string_view(exact.get(), cut.size()));
        } catch (const BoundsError&) {
        }
    }
}

TEST(PushBounds, DepthIsBoundedWherever) {
    auto e = refusal(push(repeat("[", 20) + repeat("]", 20)));
    EXPECT_FALSE(e.tooLarge());
    EXPECT_NE(e.detail().find("nested deeper than 12"), std::string::npos) << e.detail();
    EXPECT_EQ(e.where().rfind("$.revisions[0]", 0), 0u) << e.where();
    // 12 levels in all are fine; the 13th is not.
    EXPECT_NO_THROW(checkPushBounds(push(repeat("[", 10) + repeat("]", 10))));
    EXPECT_THROW(checkPushBounds(push(repeat("[", 11) + repeat("]", 11))), BoundsError);
}

TEST(PushBounds, ALongIdIsRefusedByItsPathAndNeverEchoed) {
    auto id = std::string(30u << 20, 'a');
    auto e = refusal(push(R"({"sheet":{},"id":")" + id + R"("})"));
    EXPECT_EQ(e.where(), "$.revisions[0].id");
    EXPECT_NE(e.detail().find("longer than 64 bytes"), std::string::npos) << e.detail();
    EXPECT_LT(std::string(e.what()).size(), 200u);
    auto third = push(R"({},{},{},{"parent":")" + std::string(65, 'b') + R"("})");
    EXPECT_EQ(refusal(third).where(), "$.revisions[3].parent");
    EXPECT_NO_THROW(checkPushBounds(push(R"({"device":")" + std::string(64, 'c') + R"("})")));
    EXPECT_EQ(refusal(push(R"({"device":")" + std::string(65, 'c') + R"("})")).where(),
              "$.revisions[0].device");
    // Bytes, not characters: 40 two-byte characters are 80 bytes.
    EXPECT_EQ(refusal(push(R"({"id":")" + repeat("\xc3\xa9", 40) + R"("})")).where(),
              "$.revisions[0].id");
}

TEST(PushBounds, NamesAndReasonsAreBoundedInCharacters) {
    // 200 characters of two bytes each pass; 201 do not.
    std::string name;
    for (int i = 0; i < 200; ++i)
        name += "\xc3\xa9";
    EXPECT_NO_THROW(checkPushBounds(push(R"({"operator":")" + name + R"("})")));
    EXPECT_EQ(refusal(push(R"({"operator":")" + name + R"(x"})")).where(),
              "$.revisions[0].operator");
    EXPECT_NO_THROW(checkPushBounds(push(R"({"reason":")" + std::string(1000, 'r') + R"("})")));
    EXPECT_EQ(refusal(push(R"({"reason":")" + std::string(1001, 'r') + R"("})")).where(),
              "$.revisions[0].reason");
    // An escape is one character.
    EXPECT_NO_THROW(checkPushBounds(push(R"({"operator":")" + repeat("\\u00e9", 200) + R"("})")));
    EXPECT_EQ(refusal(push(R"({"x":")" + std::string(201, 'n') + R"("})")).where(),
              "$.revisions[0].x");
    EXPECT_EQ(refusal(push(R"({"id":0)" + std::string(40, '1') + "}")).where(),
              "$.revisions[0].id");
}

TEST(PushBounds, ItemsPerPushAreBoundedAsTooLarge) {
    EXPECT_NO_THROW(checkPushBounds(push("{}" + repeat(",{}", 499))));
    auto e = refusal(push("{}" + repeat(",{}", 100000 - 1)));
    EXPECT_TRUE(e.tooLarge());
    EXPECT_EQ(e.where(), "$.revisions");
    // Under any other member name too: the decoder would name it only after building it all.
    EXPECT_TRUE(
        refusal(R"({"other":[)" + std::string("0") + repeat(",0", 100000) + "]}").tooLarge());
    EXPECT_TRUE(refusal("{" + repeat(R"("a":0,)", 1000) + R"("b":0})").tooLarge());
    // An escaped member name cannot pass for another.
    EXPECT_FALSE(refusal(R"({"re\u0076isions":[]})").tooLarge());
}

TEST(PushBounds, BytesAndValuesPerRevisionAreBounded) {
    auto big =
        R"({"sheet":")" + std::string(100, 's') + R"(","pad":[)" + repeat(R"("x",)", 20000) + "0]}";
    auto e = refusal(push("{}," + big));
    EXPECT_TRUE(e.tooLarge());
    EXPECT_EQ(e.where(), "$.revisions[1]");
    // Few values, many bytes: 400 strings of 199 characters.
    auto wide =
        refusal(push(R"({"pad":[)" + repeat('"' + std::string(199, 'w') + "\",", 400) + "0]}"));
    EXPECT_TRUE(wide.tooLarge());
    EXPECT_NE(wide.detail().find("bytes"), std::string::npos) << wide.detail();
    auto many = refusal(push("[" + repeat("0,", 5000) + "0]"));
    EXPECT_TRUE(many.tooLarge());
    EXPECT_NE(many.detail().find("JSON values"), std::string::npos) << many.detail();
}

TEST(PushBounds, TheLargestRealSheetIsWellInside) {
    // Every contest of the shipped regencies (the Pilkada's too), every box at six digits.
    PushBounds b;
    Shape widest;
    std::size_t largest = 0;
    for (const auto* file : {"/regencies/hss-6306.json", "/regencies/banyuasin-1607.json",
                             "/regencies/hss-6306-pilkada-2024.json"}) {
        auto reg = loadRegencyFile(test::dataDir() + file);
        for (const auto& contest : reg.contests) {
            auto ballot = reg.ballotFor(reg.tps.front(), contest);
            if (!ballot)
                continue;
            Revision rev;
            rev.id = "0b1c1e6e-5b64-4c7e-9a39-0a8a2b1d9f11";
            rev.parent = "1b1c1e6e-5b64-4c7e-9a39-0a8a2b1d9f11";
            rev.device = std::string(40, 'd');
            rev.operatorName = std::string(100, 'o');
            rev.capturedAt = "2024-02-14T10:06:00Z";
            rev.reason = std::string(500, 'r');
            rev.photo = std::string(64, 'f');
            rev.signature = std::string(88, 's');
            rev.sheet = blankSheet(reg.tps.front().code, *ballot);
            auto j = encodeRevision(rev);
            fillNumbers(j["sheet"]);
            Shape s;
            measure(nlohmann::json{{"revisions", {j}}}, 1, s);
            auto bytes = j.dump().size();
            std::cout << file << " " << contest.code << ": " << bytes << " bytes, " << s.values
                      << " values, depth " << s.depth << "\n";
            largest = std::max(largest, bytes);
            widest.values = std::max(widest.values, s.values);
            widest.depth = std::max(widest.depth, s.depth);
            EXPECT_NO_THROW(checkPushBounds(nlohmann::json{{"revisions", {j}}}.dump(), b));
        }
    }
    EXPECT_LT(largest * 4, b.maxItemBytes);
    EXPECT_LT(widest.values * 4, b.maxItemValues);
    EXPECT_LE(widest.depth + 2, b.maxDepth);
}
