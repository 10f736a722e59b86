// Checking a push before it is stored (push_job.h), and the intake's records of a push's report
// and answer.

#include "store/push_job.h"

#include <map>

#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/merge.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"

namespace rekap::central {

using protocol::PushResult;
using protocol::PushStatus;

PushResult refusedResult(const std::string& id, const std::string& code, const std::string& message,
                         const std::string& path) {
    PushResult r;
    r.id = id;
    r.status = PushStatus::Refused;
    r.error = protocol::ErrorBody{code, message, path};
    return r;
}

namespace {

Prepared prepareOne(const nlohmann::json& item, std::size_t i, const DeviceRecord& device,
                    const Regency& reg) {
    Prepared p;
    std::string path = "$.revisions[" + std::to_string(i) + "]";
    if (item.is_object() && item.contains("id") && item["id"].is_string())
        p.id = item["id"].get<std::string>(); // echoed whole: the device matches results by id
    try {
        p.rev = decodeRevision(item, reg, {}, path, &p.texts);
    } catch (const DecodeError& e) {
        p.refusal = refusedResult(p.id, protocol::error::kBadRequest, e.detail(), e.where());
        return p;
    }
    bool reading = p.rev.reason == merge::kSecondReading;
    if (device.role != protocol::Role::Operator && !reading)
        p.refusal = refusedResult(p.id, protocol::error::kForbidden,
                                  "a camat device sends only second readings (reason \"" +
                                      std::string(merge::kSecondReading) + "\") of its kecamatan");
    else if (device.role != protocol::Role::Operator &&
             !AreaCode::parse(device.scope).contains(p.rev.sheet.tps))
        p.refusal = refusedResult(p.id, protocol::error::kForbidden,
                                  "this camat reads kecamatan " + device.scope + ", not TPS " +
                                      p.rev.sheet.tps.str(),
                                  path + ".sheet.tps");
    else if (device.role == protocol::Role::Operator && reading)
        p.refusal =
            refusedResult(p.id, protocol::error::kForbidden,
                          "only the desk and the camat read a sheet a second time: the reason \"" +
                              std::string(merge::kSecondReading) + "\" is kept for them",
                          path + ".reason");
    else if (device.role == protocol::Role::Operator && p.rev.sheet.tps.str() != device.scope)
        p.refusal = refusedResult(p.id, protocol::error::kForbidden,
                                  "this device records TPS " + device.scope + ", not " +
                                      p.rev.sheet.tps.str(),
                                  path + ".sheet.tps");
    else if (p.rev.device != device.id)
        p.refusal = refusedResult(p.id, protocol::error::kForbidden,
                                  "the revision names device " + p.rev.device +
                                      " but was sent by " + device.id,
                                  path + ".device");
    else if (!device.publicKey)
        p.refusal =
            refusedResult(p.id, protocol::error::kSignature,
                          "this device has no key yet: update the app, which registers one");
    else if (!p.rev.signature)
        p.refusal = refusedResult(p.id, protocol::error::kSignature,
                                  "the revision is not signed: every revision carries its device's "
                                  "signature",
                                  path + ".signature");
    else if (!revisionSignatureValid(p.rev, p.texts.hash, *device.publicKey))
        p.refusal =
            refusedResult(p.id, protocol::error::kSignature,
                          "the signature is not this device's: the revision was changed after "
                          "it was signed, or signed with another key",
                          path + ".signature");
    else {
        p.findings = validateSheet(p.rev.sheet, reg);
        p.numbersHash = sha256Hex(p.texts.sheet);
        p.parentId = p.rev.parent;
    }
    return p;
}

} // namespace

std::vector<Prepared> preparePush(const nlohmann::json& revisions, const DeviceRecord& device,
                                  const Regency& reg) {
    std::vector<Prepared> items;
    items.reserve(revisions.size());
    for (std::size_t i = 0; i < revisions.size(); ++i)
        items.push_back(prepareOne(revisions[i], i, device, reg));
    return items;
}

std::vector<Prepared> prepareRelay(const nlohmann::json& revisions, const DeviceRecord& carrier,
                                   const SignerLookup& lookup, const Regency& reg) {
    // Each item is judged as its claimed device's own push; one job carries them all, so that
    // what is refused costs the carrier one ledger entry, whatever devices the items name.
    std::map<std::string, std::optional<DeviceRecord>> signers;
    std::vector<Prepared> items;
    items.reserve(revisions.size());
    for (std::size_t i = 0; i < revisions.size(); ++i) {
        const auto& item = revisions[i];
        std::string origin;
        if (item.is_object() && item.contains("device") && item["device"].is_string())
            origin = item["device"].get<std::string>();
        auto known = signers.find(origin);
        if (known == signers.end())
            known = signers.emplace(origin, origin.empty() ? std::nullopt : lookup(origin)).first;
        const auto& signer = known->second;
        auto path = "$.revisions[" + std::to_string(i) + "]";
        Prepared p;
        if (!signer || signer->revoked) {
            if (item.is_object() && item.contains("id") && item["id"].is_string())
                p.id = item["id"].get<std::string>();
            p.refusal =
                !signer
                    ? refusedResult(p.id, protocol::error::kForbidden,
                                    "relayed by " + carrier.id + ": no enrolled device " + origin,
                                    path + ".device")
                    : refusedResult(p.id, protocol::error::kDeviceRevoked,
                                    "device " + origin + " was revoked by the desk",
                                    path + ".device");
        } else {
            p = prepareOne(item, i, *signer, reg);
        }
        p.claimed = origin;
        items.push_back(std::move(p));
    }
    return items;
}

std::string encodeReport(const DeviceReport& report) {
    nlohmann::json j = nlohmann::json::object();
    if (report.queueDepth)
        j["queue_depth"] = *report.queueDepth;
    if (report.lastCaptureAt)
        j["last_capture_at"] = *report.lastCaptureAt;
    if (!report.appVersion.empty())
        j["app_version"] = report.appVersion;
    return j.dump();
}

DeviceReport decodeReport(const std::string& text) {
    auto j = nlohmann::json::parse(text);
    DeviceReport r;
    if (j.contains("queue_depth"))
        r.queueDepth = j["queue_depth"].get<int>();
    if (j.contains("last_capture_at"))
        r.lastCaptureAt = j["last_capture_at"].get<std::string>();
    if (j.contains("app_version"))
        r.appVersion = j["app_version"].get<std::string>();
    return r;
}

std::string encodeAnswer(const PushJob& job) {
    if (!job.error)
        return protocol::encode(job.results).dump();
    try {
        std::rethrow_exception(job.error);
    } catch (const ApiError& e) {
        return nlohmann::json{{"problem", kindOf(e.problem()).name}, {"message", e.what()}}.dump();
    } catch (const std::exception& e) {
        return nlohmann::json{{"problem", kindOf(Problem::Internal).name}, {"message", e.what()}}
            .dump();
    }
}

void decodeAnswer(const std::string& text, PushJob& job) {
    auto j = nlohmann::json::parse(text);
    if (!j.contains("problem")) {
        job.results = protocol::decodePushResponse(j);
        return;
    }
    auto name = j["problem"].get<std::string>();
    auto problem = Problem::Internal;
    for (const auto& k : problemCatalogue())
        if (k.name == name)
            problem = k.problem;
    job.error = std::make_exception_ptr(ApiError(problem, j["message"].get<std::string>()));
}

} // namespace rekap::central
