#pragma once
// Sheets the desk sent back to this TPS ("perlu perbaikan", rekap/send_back.h; send_backs). The
// mark arrives in the pull feed, signed by the receiver (the sync client checks it before the
// page is applied). The operator answers it the normal way, with a correction of the sheet.

#include <optional>
#include <string>
#include <vector>

#include "rekap/protocol.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;
class Outbox;

/// A sheet sent back, as this device keeps it. It is answered once a revision of the sheet this
/// device made after the one the mark names has reached the receiver (any state but queued,
/// sending or refused).
struct SendBackEntry {
    std::string sheet;    ///< "<tps>/<contest>"
    std::string revision; ///< the revision the desk asks to be corrected
    std::string reason, by, at;
    bool answered = false;
    bool operator==(const SendBackEntry&) const = default;
};

class SendBacks {
public:
    SendBacks(DeviceFile& file, const Outbox& outbox)
        : file_(file)
        , outbox_(outbox) {}

    /// Every mark on one of this TPS's sheets, newest first.
    std::vector<SendBackEntry> all() const;
    /// The newest mark on `sheet`, answered or not.
    std::optional<SendBackEntry> of(const std::string& sheet) const;
    /// Keeps a send_back item of the pull feed; in Feed::apply's transaction.
    void keep(WriteTx& tx, const protocol::Change& c);

private:
    DeviceFile& file_;
    const Outbox& outbox_;
};

} // namespace rekap::sync
