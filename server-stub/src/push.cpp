#include "rekap/central/push.h"

#include "rekap/json_reader.h"
#include "rekap/protocol.h"

namespace rekap::central {

nlohmann::json handlePush(CentralStore& store, const DeviceRecord& device, std::string_view body,
                          const DeviceReport& report) {
    auto j = parseJsonText(body, "request");
    JsonReader r(j);
    r.rejectUnknownKeys({"revisions"});
    return protocol::encode(store.ingest(device, r.field("revisions").json(), report));
}

} // namespace rekap::central
