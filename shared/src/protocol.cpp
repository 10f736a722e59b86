#include "rekap/protocol.h"

#include "rekap/signing.h"

#include "rekap/json_reader.h"

namespace rekap::protocol {

nlohmann::json encodeError(const ErrorBody& e) {
    nlohmann::json j = {{"code", e.code}, {"message", e.message}};
    if (!e.path.empty())
        j["path"] = e.path;
    if (!e.reason.empty())
        j["reason"] = e.reason;
    return {{"error", j}};
}

ErrorBody decodeError(const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_object()) {
        const auto& e = j["error"];
        auto text = [&](const char* key) {
            return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : "";
        };
        auto code = text("code");
        return {code.empty() ? "unknown" : code, text("message"), text("path"), text("reason")};
    }
    return {"unknown", body.substr(0, 300), "", ""};
}

std::string_view roleName(Role r) {
    return r == Role::Operator ? "operator" : "camat";
}

std::optional<Role> parseRole(std::string_view s) {
    if (s == "operator")
        return Role::Operator;
    if (s == "camat")
        return Role::Camat;
    return std::nullopt;
}

nlohmann::json encode(const EnrolRequest& r) {
    return {{"code", r.code},
            {"enrolment_id", r.enrolmentId},
            {"device_name", r.deviceName},
            {"public_key", r.publicKey}};
}

EnrolRequest decodeEnrolRequest(const nlohmann::json& j) {
    JsonReader r(j);
    r.rejectUnknownKeys({"code", "enrolment_id", "device_name", "public_key"});
    EnrolRequest e{r.field("code").name(40),
                   r.field("enrolment_id").name(64),
                   r.field("device_name").name(100),
                   {}};
    if (!isUuid(e.enrolmentId))
        r.field("enrolment_id").fail("expected a lower-case UUID");
    if (!r.optionalField("public_key"))
        r.fail("public_key is missing: this app is too old to sign its sheets; update it");
    e.publicKey = r.field("public_key").string();
    if (!signing::isPublicKey(e.publicKey))
        r.field("public_key").fail("expected an Ed25519 public key (base64 of 32 bytes)");
    return e;
}

nlohmann::json encode(const EnrolResponse& r) {
    return {{"device", r.device},
            {"token", r.token},
            {"role", std::string(roleName(r.role))},
            {"scope", r.scope},
            {"regency", r.regency},
            {"master_data_version", r.masterDataVersion},
            {"receiver_key", r.receiverKey}};
}

EnrolResponse decodeEnrolResponse(const nlohmann::json& j) {
    JsonReader r(j);
    EnrolResponse e;
    e.device = r.field("device").name();
    e.token = r.field("token").name();
    auto role = parseRole(r.field("role").string());
    if (!role)
        r.field("role").fail("unknown role");
    e.role = *role;
    e.scope = r.field("scope").name();
    e.regency = r.field("regency").name();
    e.masterDataVersion = r.field("master_data_version").string();
    if (auto k = r.optionalField("receiver_key"))
        e.receiverKey = k->string();
    return e;
}

namespace {
template <typename E, typename Name, std::size_t N>
std::optional<E> parseName(std::string_view s, const std::pair<E, Name> (&table)[N]) {
    for (const auto& [e, name] : table)
        if (s == name)
            return e;
    return std::nullopt;
}
template <typename E, typename Name, std::size_t N>
std::string_view nameOf(E v, const std::pair<E, Name> (&table)[N]) {
    for (const auto& [e, name] : table)
        if (e == v)
            return name;
    return "?";
}
// A push's accepted, conflict and rejected are the states it leaves the revision in.
const std::pair<PushStatus, std::string_view> kPushStatus[] = {
    {PushStatus::Accepted, sheetStateName(SheetState::Accepted)},
    {PushStatus::Duplicate, "duplicate"},
    {PushStatus::Refused, sheetStateName(SheetState::Refused)},
    {PushStatus::Conflict, sheetStateName(SheetState::Conflict)},
    {PushStatus::Rejected, sheetStateName(SheetState::Rejected)},
    {PushStatus::Queued, sheetStateName(SheetState::Queued)}};
constexpr std::pair<Severity, const char*> kSeverity[] = {
    {Severity::Warning, "warning"}, {Severity::Error, "error"}, {Severity::Conflict, "conflict"}};
} // namespace

std::string_view pushStatusName(PushStatus s) {
    return nameOf(s, kPushStatus);
}
std::optional<PushStatus> parsePushStatus(std::string_view s) {
    return parseName(s, kPushStatus);
}

nlohmann::json encodeFindings(const std::vector<Finding>& fs) {
    auto out = nlohmann::json::array();
    for (const auto& f : fs)
        out.push_back({{"rule", f.rule},
                       {"severity", std::string(severityName(f.severity))},
                       {"fields", f.fields},
                       {"message_id", f.messageId},
                       {"message_en", f.messageEn}});
    return out;
}

std::vector<Finding> decodeFindings(const nlohmann::json& j) {
    JsonReader r(j);
    std::vector<Finding> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
        auto f = r.at(i);
        Finding finding;
        finding.rule = f.field("rule").string();
        auto sev = parseName(f.field("severity").string(), kSeverity);
        if (!sev)
            f.field("severity").fail("unknown severity");
        finding.severity = *sev;
        auto fields = f.field("fields");
        for (std::size_t k = 0; k < fields.size(); ++k)
            finding.fields.push_back(fields.at(k).string());
        finding.messageId = f.field("message_id").string();
        finding.messageEn = f.field("message_en").string();
        out.push_back(std::move(finding));
    }
    return out;
}

nlohmann::json encode(const std::vector<PushResult>& results) {
    auto arr = nlohmann::json::array();
    for (const auto& r : results) {
        nlohmann::json j = {{"id", r.id}, {"status", std::string(pushStatusName(r.status))}};
        if (r.state)
            j["state"] = std::string(sheetStateName(*r.state));
        if (!r.findings.empty())
            j["findings"] = encodeFindings(r.findings);
        if (r.error)
            j["error"] = encodeError(*r.error)["error"];
        if (r.ledgerIndex)
            j["ledger_index"] = *r.ledgerIndex;
        if (!r.receipt.empty())
            j["receipt"] = r.receipt;
        arr.push_back(std::move(j));
    }
    return {{"results", arr}};
}

std::vector<PushResult> decodePushResponse(const nlohmann::json& j) {
    JsonReader root(j, "push response");
    auto arr = root.field("results");
    std::vector<PushResult> out;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        auto e = arr.at(i);
        PushResult r;
        r.id = e.field("id").string();
        auto status = parsePushStatus(e.field("status").string());
        if (!status)
            e.field("status").fail("unknown status");
        r.status = *status;
        if (auto s = e.optionalField("state")) {
            r.state = parseSheetState(s->string());
            if (!r.state)
                s->fail("unknown state");
        }
        if (auto f = e.optionalField("findings"))
            r.findings = decodeFindings(f->json());
        if (auto err = e.optionalField("error"))
            r.error = decodeError(nlohmann::json{{"error", err->json()}}.dump());
        if (auto idx = e.optionalField("ledger_index"))
            r.ledgerIndex = idx->integer(0, INT64_MAX);
        if (auto code = e.optionalField("receipt")) {
            r.receipt = code->string();
            if (!ledger::parseReceiptCode(r.receipt))
                code->fail("expected a receipt code like 1234-9f3a0c1e");
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<ledger::TreeHead> decodePushTreeHead(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("tree_head"))
        return std::nullopt;
    return ledger::decodeTreeHead(j.at("tree_head"), "push response", "$.tree_head");
}

std::optional<std::vector<std::string>> decodePushConsistency(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("consistency"))
        return std::nullopt;
    JsonReader r(j, "push response");
    auto arr = r.field("consistency");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arr.size(); ++i)
        out.push_back(arr.at(i).string());
    return out;
}

nlohmann::json encode(const PullResponse& r) {
    auto arr = nlohmann::json::array();
    for (const auto& c : r.changes)
        arr.push_back({{"seq", c.seq}, {"kind", c.kind}, {"sheet", c.sheet}, {"data", c.data}});
    return {{"changes", arr},
            {"next", r.next},
            {"more", r.more},
            {"master_data_version", r.masterDataVersion}};
}

PullResponse decodePullResponse(const nlohmann::json& j) {
    JsonReader root(j, "pull response");
    PullResponse p;
    auto arr = root.field("changes");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        auto e = arr.at(i);
        Change c;
        c.seq = e.field("seq").integer(0, INT64_MAX);
        c.kind = e.field("kind").string();
        c.sheet = e.field("sheet").string();
        c.data = e.field("data").json();
        p.changes.push_back(std::move(c));
    }
    p.next = root.field("next").integer(0, INT64_MAX);
    p.more = root.field("more").boolean();
    p.masterDataVersion = root.field("master_data_version").string();
    return p;
}

std::optional<PullResponse> decodeFoldedPull(const nlohmann::json& pushResponse) {
    if (!pushResponse.is_object() || !pushResponse.contains("pull"))
        return std::nullopt;
    return decodePullResponse(pushResponse["pull"]);
}

} // namespace rekap::protocol
