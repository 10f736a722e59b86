#pragma once
// The QR relay on the carrying (camat's) tablet (docs/relay.md): the codes scanned from
// operators' tablets (relay_codes), and the revisions they carried until the receiver has
// answered for each (relayed).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rekap/protocol.h"
#include "rekap/sheet_state.h"
#include "rekap/sync/relay_code.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;
class MasterCopy;

/// What scanning one relay code did.
struct RelayScan {
    std::string series;
    int number = 0;
    int count = 0;            ///< codes in the series
    int scanned = 0;          ///< of them scanned so far
    bool repeated = false;    ///< this code was scanned before: nothing changed
    int added = 0;            ///< revisions its group completed (0 while the group lacks codes)
    std::vector<int> missing; ///< numbers of the series' codes not scanned yet
};

/// A revision a camat's tablet carries for an operator's tablet.
struct RelayedRevision {
    std::string id;
    std::string origin;                    ///< the operator's device
    std::string sheet;                     ///< TPS/contest
    SheetState state = SheetState::Queued; ///< then the receiver's answer: Accepted,
                                           ///< Conflict, Rejected, Superseded or Refused
    std::string error;
    std::string receivedAt;
};

class Relay {
public:
    Relay(DeviceFile& file, const MasterCopy& masterData)
        : file_(file)
        , masterData_(masterData) {}

    /// Keeps a scanned code; when it completes its group, decodes the group and queues its
    /// revisions for forwarding, each once however often it is scanned, all in one transaction.
    /// Throws DecodeError naming the code when the code or its group is malformed (a bad group's
    /// codes are dropped, to be scanned again).
    RelayScan addCode(const std::string& text);
    std::vector<RelayedRevision> relayed() const;
    /// Queued relayed revisions as sent (their JSON), oldest first, within the limits.
    std::vector<nlohmann::json> batch(std::size_t maxCount, std::size_t maxBytes) const;
    void applyResults(const std::vector<protocol::PushResult>& results);
    int queueDepth() const;

private:
    /// Decodes a group whose codes are all scanned and queues its revisions; in addCode's
    /// transaction. Returns how many were new.
    int queueGroup(WriteTx& tx, const std::vector<relay::Frame>& group);

    DeviceFile& file_;
    const MasterCopy& masterData_;
};

} // namespace rekap::sync
