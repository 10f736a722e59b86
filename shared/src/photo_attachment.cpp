#include "rekap/photo_attachment.h"

#include "rekap/json_reader.h"
#include "rekap/revision.h"
#include "rekap/sha256.h"
#include "rekap/signing.h"

namespace rekap {

std::string photoAttachmentSigningText(const PhotoAttachment& a) {
    nlohmann::json j = {{"attached_at", a.attachedAt},
                        {"contest", a.contest},
                        {"device", a.device},
                        {"kind", "rekap-photo"},
                        {"photo", a.photo},
                        {"revision", a.revision},
                        {"tps", a.tps.str()},
                        {"v", 1}};
    return j.dump(-1, ' ', true);
}

void signPhotoAttachment(PhotoAttachment& a, const std::string& privateKey) {
    a.signature = signing::sign(privateKey, photoAttachmentSigningText(a));
}

bool photoAttachmentSignatureValid(const PhotoAttachment& a, const std::string& publicKey) {
    return a.signature && signing::verify(publicKey, photoAttachmentSigningText(a), *a.signature);
}

nlohmann::json encode(const PhotoAttachment& a) {
    nlohmann::json j = {{"revision", a.revision}, {"device", a.device},
                        {"tps", a.tps.str()},     {"contest", a.contest},
                        {"photo", a.photo},       {"attached_at", a.attachedAt}};
    if (a.signature)
        j["signature"] = *a.signature;
    return j;
}

PhotoAttachment decodePhotoAttachment(const nlohmann::json& j, const std::string& path) {
    JsonReader r(j, {}, path);
    r.rejectUnknownKeys(
        {"revision", "device", "tps", "contest", "photo", "attached_at", "signature"});
    PhotoAttachment a;
    a.revision = r.field("revision").string();
    if (!isUuid(a.revision))
        r.field("revision").fail("'" + a.revision + "' is not a lower-case UUID");
    a.device = r.field("device").name(64);
    auto tps = r.field("tps").string();
    try {
        a.tps = AreaCode::parse(tps);
    } catch (const std::exception& e) {
        r.field("tps").fail(e.what());
    }
    if (a.tps.level() != AreaLevel::Tps)
        r.field("tps").fail("expected a 13-digit TPS code");
    a.contest = r.field("contest").name(32);
    a.photo = r.field("photo").string();
    if (!isSha256Hex(a.photo))
        r.field("photo").fail("expected the photo's SHA-256 as 64 lower-case hex digits");
    a.attachedAt = r.field("attached_at").string();
    if (!isUtcTimestamp(a.attachedAt))
        r.field("attached_at").fail("expected a UTC time like 2024-02-14T10:06:00Z");
    if (auto sig = r.optionalField("signature")) {
        a.signature = sig->string();
        auto raw = signing::base64Decode(*a.signature);
        if (!raw || raw->size() != 64)
            sig->fail("expected an Ed25519 signature (base64 of 64 bytes)");
    }
    return a;
}

} // namespace rekap
