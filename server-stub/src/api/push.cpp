#include "rekap/central/push.h"

#include "rekap/central/api_error.h"

#include "rekap/json_reader.h"
#include "rekap/merkle.h"
#include "rekap/protocol.h"
#include "rekap/push_bounds.h"

namespace rekap::central {

namespace {

/// Parses a push or relay body once its bounds hold: refused whole before anything is built in
/// proportion to it, and before the ledger hears of it.
nlohmann::json parseBounded(std::string_view body) {
    try {
        protocol::checkPushBounds(body);
    } catch (const protocol::BoundsError& e) {
        if (e.tooLarge())
            throw ApiError(Problem::PayloadTooLarge, e.detail(), e.where());
        throw ApiError(Problem::BadRequest, e.detail(), e.where());
    }
    return parseJsonText(body, "request");
}

/// The answer to a push or to attachments: the results, the signed head, and the consistency
/// proof from the head the device last checked.
nlohmann::json answerWithHead(CentralStore& store, const PushAnswer& answer,
                              std::optional<std::int64_t> deviceTreeSize) {
    auto out = protocol::encode(answer.results);
    if (answer.treeHead) {
        const auto& head = *answer.treeHead;
        out["tree_head"] = ledger::encode(head);
        auto size = static_cast<std::int64_t>(head.size);
        if (deviceTreeSize && *deviceTreeSize > 0 && *deviceTreeSize < size)
            out["consistency"] =
                merkle::toHex(store.ledger().consistencyProof(*deviceTreeSize, size));
    }
    return out;
}

} // namespace

nlohmann::json handlePush(CentralStore& store, const DeviceRecord& device, std::string_view body,
                          const DeviceReport& report, std::optional<std::int64_t> deviceTreeSize) {
    auto j = parseBounded(body);
    JsonReader r(j);
    r.rejectUnknownKeys({"revisions"});
    return answerWithHead(store, store.intake().ingest(device, r.field("revisions").json(), report),
                          deviceTreeSize);
}

nlohmann::json handlePhotoAttachments(CentralStore& store, const DeviceRecord& device,
                                      std::string_view body,
                                      std::optional<std::int64_t> deviceTreeSize) {
    auto j = parseJsonText(body, "request"); // the route's body limit is 64 KiB
    JsonReader r(j);
    r.rejectUnknownKeys({"attachments"});
    return answerWithHead(store, store.intake().attachPhotos(device, r.field("attachments").json()),
                          deviceTreeSize);
}

nlohmann::json handleRelay(CentralStore& store, const DeviceRecord& carrier,
                           std::string_view body) {
    auto j = parseBounded(body);
    JsonReader r(j);
    r.rejectUnknownKeys({"revisions"});
    auto answer = store.intake().relay(carrier, r.field("revisions").json());
    auto out = protocol::encode(answer.results);
    if (answer.treeHead)
        out["tree_head"] = ledger::encode(*answer.treeHead);
    return out;
}

} // namespace rekap::central
