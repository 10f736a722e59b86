#pragma once
// Downloads in progress per caller (a device, or a desk login): a photo is 20 MiB, and a tablet
// asking for it on a hundred connections without reading would hold a hundred answers. Past
// the limit the caller gets 429; a slot is given back when its answer is written or abandoned.

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace rekap::central {

class DownloadSlots {
public:
    explicit DownloadSlots(int perCaller)
        : state_(std::make_shared<State>()) {
        state_->perCaller = perCaller;
    }

    /// A slot for `caller`, held until the last copy of the pointer goes; null when `caller`
    /// holds all of its slots already.
    std::shared_ptr<void> take(const std::string& caller) {
        std::lock_guard lock(state_->mu);
        auto& n = state_->held[caller];
        if (n >= state_->perCaller)
            return nullptr;
        ++n;
        // The slot keeps the counts alive: an answer may be dropped after the server is gone.
        // Not null, so that the slot tests true; it points at the counts it keeps alive.
        return std::shared_ptr<void>(state_.get(), [s = state_, caller](void*) {
            std::lock_guard l(s->mu);
            if (auto it = s->held.find(caller); it != s->held.end() && --it->second <= 0)
                s->held.erase(it);
        });
    }

private:
    struct State {
        std::mutex mu;
        int perCaller = 0;
        std::map<std::string, int> held;
    };
    std::shared_ptr<State> state_;
};

} // namespace rekap::central
