#include <gtest/gtest.h>

#include "rekap/time_zone.h"

using namespace rekap;
using namespace std::chrono;

TEST(TimeZone, FormatsTheDeskClock) {
    // 2024-02-14 10:06 UTC is 18.06 WITA, 17.06 WIB, 19.06 WIT.
    auto t = sys_days{year{2024} / 2 / 14} + hours{10} + minutes{6};
    EXPECT_EQ(formatClock(t, TimeZone::WITA), "pukul 18.06 WITA");
    EXPECT_EQ(formatClock(t, TimeZone::WIB), "pukul 17.06 WIB");
    EXPECT_EQ(formatClock(t, TimeZone::WIT), "pukul 19.06 WIT");
    EXPECT_EQ(formatDateTime(t, TimeZone::WITA), "2024-02-14 18:06 WITA");
}

TEST(TimeZone, CrossesMidnight) {
    auto t = sys_days{year{2024} / 2 / 14} + hours{20};
    EXPECT_EQ(formatDateTime(t, TimeZone::WIT), "2024-02-15 05:00 WIT");
}

TEST(TimeZone, ParsesNames) {
    EXPECT_EQ(parseTimeZone("WITA"), TimeZone::WITA);
    EXPECT_FALSE(parseTimeZone("wita").has_value());
    EXPECT_EQ(utcOffset(TimeZone::WIB), hours(7));
}
