#include <gtest/gtest.h>

#include "rekap/area_code.h"

using namespace rekap;

TEST(AreaCode, ParsesEveryLevel) {
    EXPECT_EQ(AreaCode::parse("63").level(), AreaLevel::Provinsi);
    EXPECT_EQ(AreaCode::parse("6306").level(), AreaLevel::Kabupaten);
    EXPECT_EQ(AreaCode::parse("630601").level(), AreaLevel::Kecamatan);
    EXPECT_EQ(AreaCode::parse("6306012001").level(), AreaLevel::Desa);
    EXPECT_EQ(AreaCode::parse("6306012001001").level(), AreaLevel::Tps);
}

TEST(AreaCode, ParentIsThePrefix) {
    auto tps = AreaCode::parse("6306012001004");
    EXPECT_EQ(tps.parent()->str(), "6306012001");
    EXPECT_EQ(tps.parent()->parent()->str(), "630601");
    EXPECT_EQ(tps.parent()->parent()->parent()->str(), "6306");
    EXPECT_EQ(tps.parent()->parent()->parent()->parent()->str(), "63");
    EXPECT_FALSE(AreaCode::parse("63").parent().has_value());
    EXPECT_EQ(tps.ancestor(AreaLevel::Kecamatan).str(), "630601");
    EXPECT_EQ(tps.tpsNumber(), 4);
}

TEST(AreaCode, Contains) {
    auto kec = AreaCode::parse("630601");
    EXPECT_TRUE(kec.contains(AreaCode::parse("6306012001001")));
    EXPECT_TRUE(kec.contains(kec));
    EXPECT_FALSE(kec.contains(AreaCode::parse("6306022001001")));
    EXPECT_FALSE(kec.contains(AreaCode::parse("6306")));
}

TEST(AreaCode, RejectsBadCodesWithAReason) {
    std::string why;
    EXPECT_FALSE(AreaCode::tryParse("63060", &why));
    EXPECT_NE(why.find("2, 4, 6, 10 or 13 digits"), std::string::npos) << why;
    EXPECT_FALSE(AreaCode::tryParse("63a6", &why));
    EXPECT_NE(why.find("only digits"), std::string::npos) << why;
    EXPECT_FALSE(AreaCode::tryParse("", &why));
    EXPECT_FALSE(AreaCode::tryParse("6306012001000", &why));
    EXPECT_NE(why.find("all-zero segment"), std::string::npos) << why;
    EXPECT_FALSE(AreaCode::tryParse("630600", &why));
    EXPECT_THROW(AreaCode::parse("1"), std::invalid_argument);
    EXPECT_THROW(AreaCode::parse("6306").ancestor(AreaLevel::Desa), std::invalid_argument);
}

TEST(AreaCode, OverseasProvince) {
    EXPECT_EQ(AreaCode::parse("99").level(), AreaLevel::Provinsi);
}
