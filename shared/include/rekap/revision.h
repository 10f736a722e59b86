#pragma once
// A revision: a finalized, immutable sheet with its identity and lineage. See
// docs/protocol.md and the revision model in docs/architecture.md.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap {

struct Revision {
    std::string id;                    ///< client-generated UUID (lower-case, 8-4-4-4-12)
    std::optional<std::string> parent; ///< the revision this one corrects
    std::string device;                ///< device id assigned at enrolment
    std::string operatorName;          ///< who finalized it ("operator" in JSON)
    std::string capturedAt;            ///< device clock, UTC, "2024-02-14T10:06:00Z"; informative
    std::string reason;                ///< why it corrects its parent; required with a parent
    std::optional<std::string> photo;  ///< SHA-256 of the C.Hasil plano photo, if any
    Sheet sheet;
    /// The device's Ed25519 signature of revisionSigningText() (base64). Not part of the hash:
    /// it signs the hash.
    std::optional<std::string> signature;

    /// SHA-256 of the canonical encoding of everything above but the signature. Equal content,
    /// equal hash.
    std::string hash() const;
    bool operator==(const Revision&) const = default;
};

/// The canonical bytes that hash() digests: sorted keys, no spaces, ASCII-escaped, no "hash".
std::string canonicalRevisionText(const Revision& r);
/// JSON with every field and "hash".
nlohmann::json encodeRevision(const Revision& r);
/// What the receiver stores of a revision, from one encoding of it (each encoding of a DPRD
/// sheet's hundreds of lines costs more than the rest of ingest): the hash, encodeRevision()'s
/// text, and encodeSheet()'s text.
struct RevisionTexts {
    std::string hash, body, sheet;
};
RevisionTexts revisionTexts(const Revision& r);
/// Strict decode; the sheet is checked against master data. When "hash" is present it must equal
/// the hash of the content (a mismatch is an error at $.hash: the bytes were damaged or forged).
/// With `texts`, also gives revisionTexts() of the result from the same encoding.
Revision decodeRevision(const nlohmann::json& j, const Regency& regency,
                        const std::string& source = {}, const std::string& path = "$",
                        RevisionTexts* texts = nullptr);

/// The bytes a device signs for a revision whose hash() is `hash`: the canonical JSON (sorted
/// keys, no spaces, ASCII-escaped) of {"captured_at", "contest", "device", "hash", "id",
/// "kind": "rekap-revision", "operator", "parent" (null for none), "tps", "v": 1}. The hash
/// covers everything else (numbers, reason, photo), so the signature covers the whole revision.
std::string revisionSigningText(const Revision& r, const std::string& hash);
/// Sets r.signature with the device's private key (signing::KeyPair::privateKey).
void signRevision(Revision& r, const std::string& privateKey);
/// True when r.signature is `publicKey`'s signature of revisionSigningText(r, hash).
bool revisionSignatureValid(const Revision& r, const std::string& hash,
                            const std::string& publicKey);

bool isUuid(std::string_view text);
/// "2024-02-14T10:06:00Z" (seconds, UTC).
bool isUtcTimestamp(std::string_view text);

} // namespace rekap
