#pragma once
// Indonesia's three civil time zones. Desks stamp figures in local time ("pukul 18.06 WITA").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rekap {

enum class TimeZone { WIB, WITA, WIT };

std::string_view timeZoneName(TimeZone tz);
std::optional<TimeZone> parseTimeZone(std::string_view name);
/// Offset from UTC: WIB +7, WITA +8, WIT +9 (no daylight saving).
std::chrono::hours utcOffset(TimeZone tz);
/// "pukul 18.06 WITA" for an instant, as the desks write it.
std::string formatClock(std::chrono::system_clock::time_point t, TimeZone tz);
/// "2024-02-14 18:06 WITA".
std::string formatDateTime(std::chrono::system_clock::time_point t, TimeZone tz);
/// The instant of a UTC timestamp "2024-02-14T10:06:00Z"; nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parseUtcTimestamp(std::string_view text);

} // namespace rekap
