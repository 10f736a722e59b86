#include "rekap/revision.h"

#include "rekap/canonical_text.h"
#include "rekap/json_reader.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"

namespace rekap {

bool isUuid(std::string_view t) {
    if (t.size() != 36)
        return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

bool isUtcTimestamp(std::string_view t) {
    // YYYY-MM-DDTHH:MM:SSZ
    static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
    if (t.size() != shape.size())
        return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i])
            return false;
    }
    auto num = [&](std::size_t pos, std::size_t len) {
        return std::stoi(std::string(t.substr(pos, len)));
    };
    int month = num(5, 2), day = num(8, 2), hour = num(11, 2), min = num(14, 2), sec = num(17, 2);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && min < 60 && sec < 61;
}

std::string canonicalRevisionText(const Revision& r) {
    // Sorted keys as nlohmann::json prints them; ensure_ascii makes the bytes independent of how
    // a platform would print non-ASCII names.
    std::string out;
    out.reserve(1024);
    canonical::appendRevision(out, r, nullptr, true);
    return out;
}

std::string Revision::hash() const {
    return sha256Hex(canonicalRevisionText(*this));
}

RevisionTexts revisionTexts(const Revision& r) {
    RevisionTexts t;
    t.hash = r.hash();
    canonical::appendSheet(t.sheet, r.sheet);
    t.body.reserve(t.sheet.size() + 512);
    canonical::appendRevision(t.body, r, &t.hash, false);
    return t;
}

nlohmann::json encodeRevision(const Revision& r) {
    nlohmann::json j = {{"id", r.id},
                        {"device", r.device},
                        {"operator", r.operatorName},
                        {"captured_at", r.capturedAt},
                        {"sheet", encodeSheet(r.sheet)},
                        {"hash", r.hash()}};
    if (r.parent)
        j["parent"] = *r.parent;
    if (!r.reason.empty())
        j["reason"] = r.reason;
    if (r.photo)
        j["photo"] = *r.photo;
    if (r.signature)
        j["signature"] = *r.signature;
    return j;
}

std::string revisionSigningText(const Revision& r, const std::string& hash) {
    nlohmann::json j = {{"captured_at", r.capturedAt},
                        {"contest", r.sheet.contest},
                        {"device", r.device},
                        {"hash", hash},
                        {"id", r.id},
                        {"kind", "rekap-revision"},
                        {"operator", r.operatorName},
                        {"parent", r.parent ? nlohmann::json(*r.parent) : nlohmann::json()},
                        {"tps", r.sheet.tps.str()},
                        {"v", 1}};
    return j.dump(-1, ' ', true);
}

void signRevision(Revision& r, const std::string& privateKey) {
    r.signature = signing::sign(privateKey, revisionSigningText(r, r.hash()));
}

bool revisionSignatureValid(const Revision& r, const std::string& hash,
                            const std::string& publicKey) {
    return r.signature && signing::verify(publicKey, revisionSigningText(r, hash), *r.signature);
}

Revision decodeRevision(const nlohmann::json& j, const Regency& regency, const std::string& source,
                        const std::string& path, RevisionTexts* texts) {
    JsonReader r(j, source, path);
    r.rejectUnknownKeys({"id", "parent", "device", "operator", "captured_at", "reason", "photo",
                         "sheet", "hash", "signature"});
    Revision rev;
    rev.id = r.field("id").string();
    if (!isUuid(rev.id))
        r.field("id").fail("'" + rev.id + "' is not a lower-case UUID");
    if (auto p = r.optionalField("parent")) {
        rev.parent = p->string();
        if (!isUuid(*rev.parent))
            p->fail("'" + *rev.parent + "' is not a lower-case UUID");
        if (*rev.parent == rev.id)
            p->fail("a revision cannot be its own parent");
    }
    rev.device = r.field("device").name(64);
    rev.operatorName = r.field("operator").name(100);
    rev.capturedAt = r.field("captured_at").string();
    if (!isUtcTimestamp(rev.capturedAt))
        r.field("captured_at").fail("expected a UTC time like 2024-02-14T10:06:00Z");
    if (auto reason = r.optionalField("reason"))
        rev.reason = reason->name(500);
    if (rev.parent && rev.reason.empty())
        r.fail("a correction (a revision with a parent) needs a reason");
    if (auto photo = r.optionalField("photo")) {
        rev.photo = photo->string();
        if (!isSha256Hex(*rev.photo))
            photo->fail("expected the photo's SHA-256 as 64 lower-case hex digits");
    }
    rev.sheet = decodeSheet(r.field("sheet").json(), regency, source, path + ".sheet");
    if (auto sig = r.optionalField("signature")) {
        rev.signature = sig->string();
        auto raw = signing::base64Decode(*rev.signature);
        if (!raw || raw->size() != 64)
            sig->fail("expected an Ed25519 signature (base64 of 64 bytes)");
    }
    RevisionTexts mine;
    auto& t = texts ? *texts : mine;
    if (auto h = r.optionalField("hash")) {
        auto given = h->string();
        t = revisionTexts(rev);
        if (given != t.hash)
            h->fail("does not match the content (expected " + t.hash + "): damaged or altered");
    } else if (texts) {
        t = revisionTexts(rev);
    }
    return rev;
}

} // namespace rekap
