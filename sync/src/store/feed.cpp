#include "rekap/sync/store/feed.h"

#include "rekap/sync/store/file.h"

namespace rekap::sync {

std::int64_t Feed::checkpoint() const {
    auto v = settings_.get(file_.read(), "checkpoint");
    return v.empty() ? 0 : std::stoll(v);
}

void Feed::apply(const protocol::PullResponse& pull) {
    file_.write([&](WriteTx& tx) {
        for (const auto& c : pull.changes) {
            if (c.kind == "resolution" || c.kind == "sheet_state" || c.kind == "rejection")
                outbox_.applyChange(tx, c);
            else if (c.kind == "send_back")
                sendBacks_.keep(tx, c); // its signature was checked by the sync client
            // "master_data" is acted on by the sync client, which fetches the new version; a
            // kind this version does not know is passed over, as older versions pass over
            // "send_back".
        }
        // Never backwards: a page taken before a later one was applied (a push answer's page
        // racing a pull, a replayed answer) must not make the device fetch history again.
        auto now = settings_.get(tx, "checkpoint");
        std::int64_t current = now.empty() ? 0 : std::stoll(now);
        settings_.set(tx, "checkpoint", std::to_string(std::max(current, pull.next)));
    });
}

} // namespace rekap::sync
