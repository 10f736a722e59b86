#pragma once
// Photos attached to revisions already sent (rekap/photo_attachment.h; photo_attachments). A
// revision never changes; a photo taken after it went ("foto menyusul") is a small statement the
// device signs and queues, sent on the next sync before the photo's bytes.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rekap/protocol.h"
#include "rekap/sheet_state.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;
class Identity;
class Outbox;
class Photos;

/// A photo attached to a revision after it was sent, as this device keeps it: queued until the
/// receiver answers, then accepted (with its receipt) or refused.
struct AttachedPhotoEntry {
    std::string revision, photo, sheet;
    SheetState state = SheetState::Queued; ///< then Accepted or Refused
    std::string error, receipt;
    std::string createdAt;
    nlohmann::json body; ///< the signed attachment as sent
};

class Attachments {
public:
    Attachments(DeviceFile& file, Identity& identity, const Outbox& outbox, const Photos& photos)
        : file_(file)
        , identity_(identity)
        , outbox_(outbox)
        , photos_(photos) {}

    /// Attaches photo `sha256` (added with Photos::add) to this device's revision `revisionId`,
    /// sent or not: signed with the device's key and durably queued (docs/protocol.md, "Photos
    /// attached later"). The revision's numbers are untouched. Attaching the same photo again
    /// returns the first attachment. Throws std::invalid_argument (no such revision of this
    /// device, a desk decision, a photo not in the store, a camat device).
    AttachedPhotoEntry attach(const std::string& revisionId, const std::string& sha256);
    /// Every attachment of `revisionId` (all when empty), oldest first.
    std::vector<AttachedPhotoEntry> of(const std::string& revisionId = {}) const;
    /// Queued attachments, oldest first, at most `maxCount`.
    std::vector<AttachedPhotoEntry> batch(std::size_t maxCount) const;
    /// The receiver's answers to `batch`, in its order (one result each).
    void applyResults(const std::vector<AttachedPhotoEntry>& batch,
                      const std::vector<protocol::PushResult>& results);
    int queueDepth() const;

private:
    DeviceFile& file_;
    Identity& identity_;
    const Outbox& outbox_;
    const Photos& photos_;
};

} // namespace rekap::sync
