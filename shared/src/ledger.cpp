#include "rekap/ledger.h"

#include <array>

#include "rekap/json_reader.h"
#include "rekap/protocol.h"
#include "rekap/revision.h"
#include "rekap/sheet_state.h"

namespace rekap::ledger {

namespace {
constexpr std::array<std::pair<Kind, std::string_view>, 10> kKinds = {{
    {Kind::MasterData, "master_data"},
    {Kind::ReceiverKey, "receiver_key"},
    {Kind::DeviceEnrolled, "device_enrolled"},
    {Kind::DeviceKey, "device_key"},
    {Kind::DeviceRevoked, "device_revoked"},
    {Kind::Revision, "revision"},
    {Kind::Refusal, "refusal"},
    {Kind::Decision, "decision"},
    {Kind::PhotoAttached, "photo_attached"},
    {Kind::SendBack, "send_back"},
}};
} // namespace

std::string_view kindName(Kind k) {
    for (const auto& [kind, name] : kKinds)
        if (kind == k)
            return name;
    return "";
}

std::optional<Kind> parseKind(std::string_view s) {
    for (const auto& [kind, name] : kKinds)
        if (name == s)
            return kind;
    return std::nullopt;
}

std::string signingText(const TreeHead& h) {
    nlohmann::json j = {{"kind", "rekap-tree-head"},
                        {"regency", h.regency},
                        {"root", h.root},
                        {"size", h.size},
                        {"timestamp", h.timestamp},
                        {"v", 1}};
    return j.dump(-1, ' ', true);
}

nlohmann::json encode(const TreeHead& h) {
    return {{"regency", h.regency},
            {"size", h.size},
            {"root", h.root},
            {"timestamp", h.timestamp},
            {"signature", h.signature}};
}

TreeHead decodeTreeHead(const nlohmann::json& j, const std::string& source,
                        const std::string& path) {
    JsonReader r(j, source, path);
    r.rejectUnknownKeys({"regency", "size", "root", "timestamp", "signature"});
    TreeHead h;
    h.regency = r.field("regency").string();
    h.size = static_cast<std::uint64_t>(r.field("size").integer(0, INT64_MAX));
    h.root = r.field("root").string();
    if (h.root.size() != 64)
        r.field("root").fail("expected 64 hex digits");
    h.timestamp = r.field("timestamp").string();
    if (!isUtcTimestamp(h.timestamp))
        r.field("timestamp").fail("expected a UTC time like 2024-02-14T10:06:00Z");
    h.signature = r.field("signature").string();
    return h;
}

std::string revisionEntry(std::int64_t index, const std::string& at,
                          const std::string& revisionBody, bool rejected,
                          const std::vector<Finding>& findings) {
    // Keys in sorted order, as entryText() writes them.
    std::string out;
    out.reserve(revisionBody.size() + 160);
    out += R"({"at":)";
    out += nlohmann::json(at).dump();
    out += R"(,"findings":)";
    out += protocol::encodeFindings(findings).dump();
    out += R"(,"index":)";
    out += std::to_string(index);
    out += R"(,"kind":"revision","outcome":")";
    out += sheetStateName(rejected ? SheetState::Rejected : SheetState::Accepted);
    out += '"';
    out += R"(,"revision":)";
    out += revisionBody;
    out += '}';
    return out;
}

std::string entryText(Kind kind, std::int64_t index, const std::string& at, nlohmann::json fields) {
    fields["kind"] = std::string(kindName(kind));
    fields["index"] = index;
    fields["at"] = at;
    return fields.dump();
}

std::string receiptCode(std::int64_t index, const std::string& leafHashHex) {
    return std::to_string(index) + "-" + leafHashHex.substr(0, 8);
}

std::optional<std::pair<std::int64_t, std::string>> parseReceiptCode(std::string_view code) {
    auto dash = code.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash > 15 || code.size() != dash + 9)
        return std::nullopt;
    std::int64_t index = 0;
    for (std::size_t i = 0; i < dash; ++i) {
        if (code[i] < '0' || code[i] > '9')
            return std::nullopt;
        index = index * 10 + (code[i] - '0');
    }
    auto hex = std::string(code.substr(dash + 1));
    for (char c : hex)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return std::nullopt;
    return std::pair{index, hex};
}

} // namespace rekap::ledger
