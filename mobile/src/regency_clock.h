#pragma once
// One clock for everything the tablet shows: the regency's zone (WIB, WITA or WIT) from master
// data, whatever zone the device is set to. Device clocks order nothing (docs/architecture.md);
// they only stamp what the operator reads.

#include <QDateTime>
#include <QString>

#include "rekap/sync/store/file.h"

namespace rekap::tablet {

class RegencyClock {
public:
    explicit RegencyClock(const sync::DeviceFile& store)
        : store_(store) {}
    /// "18.06 WITA" (with seconds: "18.06.30 WITA").
    QString time(const QDateTime& t, bool seconds = false) const;
    /// "14-02 18.06 WITA".
    QString dateTime(const QDateTime& t) const;
    /// The same for an ISO 8601 text ("2024-02-14T10:06:00Z"); the text itself if unreadable.
    QString dateTime(const QString& iso) const;

private:
    /// The instant in the regency's zone, and the zone's name ("" before master data).
    std::pair<QDateTime, QString> local(const QDateTime& t) const;
    const sync::DeviceFile& store_;
};

} // namespace rekap::tablet
