#pragma once
// Recording what a device says about itself on each request (caller holds the store's lock).

#include "rekap/central/store.h"
#include "rekap/support/random.h"

namespace rekap::central {

inline void writeContact(db::Database& db, const std::string& deviceId,
                         const DeviceReport& report) {
    db.prepare("UPDATE devices SET last_seen_at = ?, queue_depth = COALESCE(?, queue_depth), "
               "last_capture_at = COALESCE(?, last_capture_at), app_version = ? WHERE id = ?")
        .bind(1, utcNowText())
        .bind(2, report.queueDepth ? std::optional<std::string>(std::to_string(*report.queueDepth))
                                   : std::nullopt)
        .bind(3, report.lastCaptureAt)
        .bind(4, report.appVersion)
        .bind(5, deviceId)
        .run();
}

} // namespace rekap::central
