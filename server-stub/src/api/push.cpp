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

/// The ids of "awaiting" (at most a push's worth), or none.
std::vector<std::string> awaitingIds(JsonReader& r) {
    std::vector<std::string> ids;
    if (!r.has("awaiting"))
        return ids;
    auto list = r.field("awaiting");
    const auto& a = list.json();
    if (!a.is_array())
        throw ApiError(Problem::BadRequest, "expected an array of revision ids", "$.awaiting");
    if (a.size() > protocol::PushBounds{}.maxItems)
        throw ApiError(Problem::PayloadTooLarge,
                       "at most " + std::to_string(protocol::PushBounds{}.maxItems) + " ids",
                       "$.awaiting");
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string())
            throw ApiError(Problem::BadRequest, "expected a revision id",
                           "$.awaiting[" + std::to_string(i) + "]");
        ids.push_back(a[i].get<std::string>());
    }
    return ids;
}

nlohmann::json handlePush(CentralStore& store, const DeviceRecord& device, std::string_view body,
                          const DeviceReport& report, std::optional<std::int64_t> deviceTreeSize,
                          AnswerWhen when) {
    auto j = parseBounded(body);
    JsonReader r(j);
    r.rejectUnknownKeys({"revisions", "awaiting"});
    auto awaiting = awaitingIds(r);
    auto answer = store.intake().ingest(device, r.field("revisions").json(), report, when);
    std::optional<PushAnswer> receipts;
    if (!awaiting.empty()) {
        // Read after the push: its head is the later one and holds both.
        receipts = store.intake().receipts(device, awaiting);
        answer.treeHead = receipts->treeHead;
    }
    auto out = answerWithHead(store, answer, deviceTreeSize);
    if (receipts)
        out["receipts"] = protocol::encode(receipts->results)["results"];
    return out;
}

nlohmann::json handleReceipts(CentralStore& store, const DeviceRecord& device,
                              std::string_view body, std::optional<std::int64_t> deviceTreeSize) {
    auto j = parseBounded(body);
    JsonReader r(j);
    r.rejectUnknownKeys({"awaiting"});
    auto answer = store.intake().receipts(device, awaitingIds(r));
    auto out = answerWithHead(store, answer, deviceTreeSize);
    out["receipts"] = std::move(out["results"]);
    out.erase("results");
    return out;
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
