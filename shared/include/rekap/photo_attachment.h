#pragma once
// A plano photo attached to a revision already sent (issue 27: "foto menyusul"). A revision
// never changes, so a photo taken after it was finalized is not put into it: the device signs a
// small statement "this photo belongs to my revision R of sheet S" instead, which the receiver
// keeps in its ledger beside the revision (a `photo_attached` entry) and `verify` and
// `rekap-verify` check like a revision's signature. A sheet's photo is then the latest photo
// attached to its counted revision, else the one the revision carried; every earlier one stays in
// its history. The numbers are untouched: attaching a photo neither counts nor corrects anything.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "rekap/area_code.h"

namespace rekap {

struct PhotoAttachment {
    std::string revision;   ///< the id the device gave the revision it attaches the photo to
    std::string device;     ///< the revision's device, which signs this
    AreaCode tps;           ///< the revision's sheet
    std::string contest;    ///< the revision's sheet
    std::string photo;      ///< SHA-256 of the photo, 64 lower-case hex digits
    std::string attachedAt; ///< device clock, UTC; informative only
    std::optional<std::string> signature; ///< base64 Ed25519 over photoAttachmentSigningText()
    std::string sheetKey() const { return tps.str() + "/" + contest; }
};

/// The bytes the device signs: canonical JSON (sorted keys, no spaces, ASCII) of
/// {"attached_at", "contest", "device", "kind": "rekap-photo", "photo", "revision", "tps", "v": 1}.
std::string photoAttachmentSigningText(const PhotoAttachment& a);
void signPhotoAttachment(PhotoAttachment& a, const std::string& privateKey);
bool photoAttachmentSignatureValid(const PhotoAttachment& a, const std::string& publicKey);

/// {"revision", "device", "tps", "contest", "photo", "attached_at", "signature"}.
nlohmann::json encode(const PhotoAttachment& a);
/// Throws DecodeError naming the field under `path`. Whether the revision, its sheet and its
/// device agree is the receiver's check, against what it stored.
PhotoAttachment decodePhotoAttachment(const nlohmann::json& j, const std::string& path = "$");

} // namespace rekap
