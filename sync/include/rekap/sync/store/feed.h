#pragma once
// The pull feed as applied on this device: its checkpoint (in settings) and each page, handed in
// one transaction to the units its items belong to (outbox, send-backs).

#include <cstdint>

#include "rekap/protocol.h"

namespace rekap::sync {

class DeviceFile;
class Settings;
class Outbox;
class SendBacks;

class Feed {
public:
    Feed(DeviceFile& file, const Settings& settings, Outbox& outbox, SendBacks& sendBacks)
        : file_(file)
        , settings_(settings)
        , outbox_(outbox)
        , sendBacks_(sendBacks) {}

    std::int64_t checkpoint() const;
    /// Applies a pulled page and moves the checkpoint (never backwards), in one transaction.
    void apply(const protocol::PullResponse& pull);

private:
    DeviceFile& file_;
    const Settings& settings_;
    Outbox& outbox_;
    SendBacks& sendBacks_;
};

} // namespace rekap::sync
