#pragma once
// The sync push endpoint's work once the device is authenticated and the body is read within its
// limits: parse the body, check its shape, ingest. Kept apart from the HTTP route so that the
// fuzz target (tests/fuzz) drives exactly what a device's request reaches.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "rekap/central/store.h"

namespace rekap::central {

/// Returns the push response: one result per revision, the signed tree head that holds them,
/// and, given the size of the last head the device checked (X-Rekap-Tree-Size), the consistency
/// proof from that head to this one. Throws ApiError or DecodeError, naming the JSON path, for a
/// body that is not a push request; nothing is stored then. `when`: answered once integrated, or
/// once stored (each item `queued` or refused). The body's optional "awaiting" lists ids this
/// device was answered `queued` for: what became of them comes back under "receipts".
nlohmann::json handlePush(CentralStore& store, const DeviceRecord& device, std::string_view body,
                          const DeviceReport& report,
                          std::optional<std::int64_t> deviceTreeSize = std::nullopt,
                          AnswerWhen when = AnswerWhen::Integrated);

/// POST /api/v1/sync/receipts, {"awaiting": [ids]}: the receipts alone, for a device with
/// nothing to push that waits for some.
nlohmann::json handleReceipts(CentralStore& store, const DeviceRecord& device,
                              std::string_view body,
                              std::optional<std::int64_t> deviceTreeSize = std::nullopt);

/// The QR relay's endpoint (docs/relay.md): `carrier` forwards revisions that other (operator)
/// devices signed. Each is judged as if the device it names had pushed it; the answer has the
/// same shape as a push's.
nlohmann::json handleRelay(CentralStore& store, const DeviceRecord& carrier, std::string_view body);

/// Photos attached later (docs/protocol.md): {"attachments": [...]} -> one result per
/// attachment and the signed tree head, with the consistency proof as for a push.
nlohmann::json handlePhotoAttachments(CentralStore& store, const DeviceRecord& device,
                                      std::string_view body,
                                      std::optional<std::int64_t> deviceTreeSize = std::nullopt);

} // namespace rekap::central
