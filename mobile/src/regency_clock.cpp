#include "regency_clock.h"

#include <QTimeZone>

#include "rekap/time_zone.h"

namespace rekap::tablet {

std::pair<QDateTime, QString> RegencyClock::local(const QDateTime& t) const {
    auto reg = store_.masterData().regency();
    if (!reg)
        return {t.toLocalTime(), QString()};
    auto offset = static_cast<int>(utcOffset(reg->timeZone).count()) * 3600;
    return {t.toTimeZone(QTimeZone(offset)),
            QString::fromStdString(std::string(timeZoneName(reg->timeZone)))};
}

QString RegencyClock::time(const QDateTime& t, bool seconds) const {
    auto [when, zone] = local(t);
    auto text = when.toString(seconds ? QStringLiteral("HH.mm.ss") : QStringLiteral("HH.mm"));
    return zone.isEmpty() ? text : text + QLatin1Char(' ') + zone;
}

QString RegencyClock::dateTime(const QDateTime& t) const {
    auto [when, zone] = local(t);
    auto text = when.toString(QStringLiteral("dd-MM HH.mm"));
    return zone.isEmpty() ? text : text + QLatin1Char(' ') + zone;
}

QString RegencyClock::dateTime(const QString& iso) const {
    auto t = QDateTime::fromString(iso, Qt::ISODate);
    return t.isValid() ? dateTime(t) : iso;
}

} // namespace rekap::tablet
