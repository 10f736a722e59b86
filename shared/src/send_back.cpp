#include "rekap/send_back.h"

#include "rekap/json_reader.h"
#include "rekap/revision.h"
#include "rekap/signing.h"

namespace rekap {

std::string sendBackSigningText(const SendBack& s) {
    nlohmann::json j = {{"at", s.at},
                        {"by", s.by},
                        {"contest", s.contest},
                        {"device", s.device},
                        {"kind", "rekap-send-back"},
                        {"reason", s.reason},
                        {"revision", s.revision},
                        {"tps", s.tps.str()},
                        {"v", 1}};
    return j.dump(-1, ' ', true);
}

void signSendBack(SendBack& s, const std::string& privateKey) {
    s.signature = signing::sign(privateKey, sendBackSigningText(s));
}

bool sendBackSignatureValid(const SendBack& s, const std::string& publicKey) {
    return s.signature && signing::verify(publicKey, sendBackSigningText(s), *s.signature);
}

nlohmann::json encode(const SendBack& s) {
    nlohmann::json j = {{"tps", s.tps.str()}, {"contest", s.contest}, {"revision", s.revision},
                        {"device", s.device}, {"reason", s.reason},   {"by", s.by},
                        {"at", s.at}};
    if (s.signature)
        j["signature"] = *s.signature;
    return j;
}

SendBack decodeSendBack(const nlohmann::json& j, const std::string& path) {
    JsonReader r(j, {}, path);
    r.rejectUnknownKeys(
        {"tps", "contest", "revision", "device", "reason", "by", "at", "signature"});
    SendBack s;
    auto tps = r.field("tps").string();
    try {
        s.tps = AreaCode::parse(tps);
    } catch (const std::exception& e) {
        r.field("tps").fail(e.what());
    }
    if (s.tps.level() != AreaLevel::Tps)
        r.field("tps").fail("expected a 13-digit TPS code");
    s.contest = r.field("contest").name(32);
    s.revision = r.field("revision").string();
    if (!isUuid(s.revision))
        r.field("revision").fail("'" + s.revision + "' is not a lower-case UUID");
    s.device = r.field("device").name(64);
    s.reason = r.field("reason").name(kMaxSendBackReason);
    s.by = r.field("by").name(200);
    s.at = r.field("at").string();
    if (!isUtcTimestamp(s.at))
        r.field("at").fail("expected a UTC time like 2024-02-14T10:06:00Z");
    if (auto sig = r.optionalField("signature")) {
        s.signature = sig->string();
        auto raw = signing::base64Decode(*s.signature);
        if (!raw || raw->size() != 64)
            sig->fail("expected an Ed25519 signature (base64 of 64 bytes)");
    }
    return s;
}

} // namespace rekap
