#include "rekap/time_zone.h"

#include "rekap/revision.h"

#include <cstdio>

namespace rekap {

std::string_view timeZoneName(TimeZone tz) {
    switch (tz) {
    case TimeZone::WIB:
        return "WIB";
    case TimeZone::WITA:
        return "WITA";
    case TimeZone::WIT:
        return "WIT";
    }
    return "?";
}

std::optional<TimeZone> parseTimeZone(std::string_view name) {
    if (name == "WIB")
        return TimeZone::WIB;
    if (name == "WITA")
        return TimeZone::WITA;
    if (name == "WIT")
        return TimeZone::WIT;
    return std::nullopt;
}

std::chrono::hours utcOffset(TimeZone tz) {
    switch (tz) {
    case TimeZone::WIB:
        return std::chrono::hours(7);
    case TimeZone::WITA:
        return std::chrono::hours(8);
    case TimeZone::WIT:
        return std::chrono::hours(9);
    }
    return std::chrono::hours(0);
}

namespace {
std::chrono::year_month_day localDay(std::chrono::system_clock::time_point t, TimeZone tz,
                                     std::chrono::hh_mm_ss<std::chrono::seconds>& clock) {
    using namespace std::chrono;
    auto local = floor<seconds>(t) + utcOffset(tz);
    auto day = floor<days>(local);
    clock = hh_mm_ss<seconds>(local - day);
    return year_month_day(day);
}
} // namespace

std::string formatClock(std::chrono::system_clock::time_point t, TimeZone tz) {
    std::chrono::hh_mm_ss<std::chrono::seconds> clock{};
    localDay(t, tz, clock);
    char buf[32];
    std::snprintf(buf, sizeof buf, "pukul %02d.%02d ", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
    return buf + std::string(timeZoneName(tz));
}

std::string formatDateTime(std::chrono::system_clock::time_point t, TimeZone tz) {
    std::chrono::hh_mm_ss<std::chrono::seconds> clock{};
    auto ymd = localDay(t, tz, clock);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
    return buf + std::string(timeZoneName(tz));
}

std::optional<std::chrono::system_clock::time_point> parseUtcTimestamp(std::string_view t) {
    if (!isUtcTimestamp(t))
        return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len) {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i)
            v = v * 10 + (t[i] - '0');
        return v;
    };
    using namespace std::chrono;
    year_month_day ymd{year(num(0, 4)), month(static_cast<unsigned>(num(5, 2))),
                       day(static_cast<unsigned>(num(8, 2)))};
    if (!ymd.ok())
        return std::nullopt;
    return sys_days(ymd) + hours(num(11, 2)) + minutes(num(14, 2)) + seconds(num(17, 2));
}

} // namespace rekap
