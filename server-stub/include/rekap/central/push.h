#pragma once
// The sync push endpoint's work once the device is authenticated and the body is read within its
// limits: parse the body, check its shape, ingest. Kept apart from the HTTP route so that the
// fuzz target (tests/fuzz) drives exactly what a device's request reaches.

#include <nlohmann/json.hpp>
#include <string_view>

#include "rekap/central/store.h"

namespace rekap::central {

/// Returns the push response (one result per revision). Throws ApiError or DecodeError, naming
/// the JSON path, for a body that is not a push request; nothing is stored then.
nlohmann::json handlePush(CentralStore& store, const DeviceRecord& device, std::string_view body,
                          const DeviceReport& report);

} // namespace rekap::central
