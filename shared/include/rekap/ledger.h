#pragma once
// The ledger: one ordered, append-only list of every event that changes what counts, hashed
// into a Merkle tree (rekap/merkle.h) whose heads the receiver signs. Everything else the
// receiver keeps (sheet heads, the tally, devices, the pull feed) is derived from it and can be
// rebuilt from it; rekap-verify does that with nothing but an export (docs/integrity.md).
//
// An entry is a JSON object (UTF-8, keys sorted, no spaces); its leaf in the tree is the hash of
// exactly the bytes stored, so the text is kept as it was written. Every entry has "kind",
// "index" (its 0-based place in the ledger) and "at" (the receiver's UTC time).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rekap/rules.h"

namespace rekap::ledger {

enum class Kind {
    MasterData,     ///< {"version", "document"}: a regency file became current
    ReceiverKey,    ///< {"public_key"}: the key that signs decisions and tree heads from here on
    DeviceEnrolled, ///< {"device", "name", "role", "scope", "public_key" (absent: a legacy device)}
    DeviceKey,      ///< {"device", "public_key"}: a legacy device registered its first key
    DeviceRevoked,  ///< {"device"}
    Revision,       ///< {"revision", "outcome": accepted|rejected, "findings"}
    Refusal,        ///< {"device", "revision_id", "hash" (when known), "code", "message"}
    Decision,       ///< {"sheet", "chosen", "superseded", "revision", "by", "reason", "signature"}
    PhotoAttached,  ///< {"attachment" (signed, rekap/photo_attachment.h), "revision" (its key)}
    SendBack,       ///< {"mark" (signed by the receiver, rekap/send_back.h), "revision" (its key)}
};
std::string_view kindName(Kind k);
std::optional<Kind> parseKind(std::string_view s);

/// A signed tree head: the receiver's statement that its ledger held `size` entries with this
/// root at this time.
struct TreeHead {
    std::string regency; ///< regency code: a head of one regency is no head of another
    std::uint64_t size = 0;
    std::string root;      ///< hex
    std::string timestamp; ///< UTC, "2024-02-14T10:06:00Z"
    std::string signature; ///< base64 Ed25519 over signingText()
    bool operator==(const TreeHead&) const = default;
};
/// Canonical JSON (sorted keys, no spaces, ASCII) of {"kind": "rekap-tree-head", "regency",
/// "root", "size", "timestamp", "v": 1}.
std::string signingText(const TreeHead& head);
nlohmann::json encode(const TreeHead& head);
/// Throws DecodeError naming the field.
TreeHead decodeTreeHead(const nlohmann::json& j, const std::string& source = {},
                        const std::string& path = "$");

/// The text of a revision entry: `revisionBody` is the revision's JSON as the receiver stores it
/// (revisionTexts().body, with "hash" and "signature"). Built by concatenation because a DPRD
/// sheet's JSON is large and ingest builds one entry per revision.
std::string revisionEntry(std::int64_t index, const std::string& at,
                          const std::string& revisionBody, bool rejected,
                          const std::vector<Finding>& findings);
/// The text of any other entry: `fields` without kind, index and at, which are added.
std::string entryText(Kind kind, std::int64_t index, const std::string& at, nlohmann::json fields);

/// What an operator keeps of an accepted revision: the entry's place and a short code made of
/// it and the first 8 hex digits of the entry's leaf hash ("1234-9f3a0c1e"), which anyone with
/// the published ledger can look up and check.
std::string receiptCode(std::int64_t index, const std::string& leafHashHex);
/// nullopt when `code` is not of that shape.
std::optional<std::pair<std::int64_t, std::string>> parseReceiptCode(std::string_view code);

} // namespace rekap::ledger
