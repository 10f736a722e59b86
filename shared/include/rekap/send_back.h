#pragma once
// A sheet sent back to its operator ("perlu perbaikan", issue 28): the desk asks the TPS's
// operator to correct a sheet, with a reason. The mark names the revision it asks to be
// corrected (by the id its device gave it, and that device) and is signed by the receiver's key,
// like a desk decision, so a tablet takes it only when the desk made it. The receiver keeps it as
// a `send_back` ledger entry; the mark is answered by the next revision of the sheet that an
// operator's tablet sends (the normal correction path), which `verify` and `rekap-verify` derive
// from the ledger like everything else.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "rekap/area_code.h"

namespace rekap {

struct SendBack {
    AreaCode tps;
    std::string contest;
    std::string revision;                 ///< the id its device gave the revision to correct
    std::string device;                   ///< that revision's device
    std::string reason;                   ///< what the operator should look at, in the desk's words
    std::string by;                       ///< who at the desk sent it back
    std::string at;                       ///< the receiver's clock, UTC
    std::optional<std::string> signature; ///< base64 Ed25519 by the receiver's key
    std::string sheetKey() const { return tps.str() + "/" + contest; }
};

/// Longest reason kept (bytes): a sentence or two, as a resolution's reason.
inline constexpr std::size_t kMaxSendBackReason = 500;

/// The bytes the receiver signs: canonical JSON (sorted keys, no spaces, ASCII) of
/// {"at", "by", "contest", "device", "kind": "rekap-send-back", "reason", "revision", "tps",
/// "v": 1}.
std::string sendBackSigningText(const SendBack& s);
void signSendBack(SendBack& s, const std::string& privateKey);
bool sendBackSignatureValid(const SendBack& s, const std::string& publicKey);

/// {"tps", "contest", "revision", "device", "reason", "by", "at", "signature"}.
nlohmann::json encode(const SendBack& s);
/// Throws DecodeError naming the field under `path`.
SendBack decodeSendBack(const nlohmann::json& j, const std::string& path = "$");

} // namespace rekap
