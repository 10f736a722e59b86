#pragma once
// Building revisions by hand, for tests that play a device at the protocol level.

#include <optional>
#include <string>

#include "rekap/revision.h"
#include "rekap/support/random.h"

namespace rekap::test {

inline Revision makeRevision(const std::string& device, const Sheet& sheet,
                             std::optional<std::string> parent = std::nullopt,
                             std::string reason = {}) {
    Revision r;
    r.id = newUuid();
    r.parent = std::move(parent);
    r.device = device;
    r.operatorName = "Operator " + device;
    r.capturedAt = "2024-02-14T09:00:00Z";
    r.reason = reason.empty() && r.parent ? "koreksi" : reason;
    r.sheet = sheet;
    return r;
}

/// `sheet` with one vote moved from paslon 1 to paslon 2: different numbers, still valid.
inline Sheet moveOneVote(Sheet sheet) {
    sheet.candidates[0].votes -= 1;
    sheet.candidates[1].votes += 1;
    return sheet;
}

} // namespace rekap::test
