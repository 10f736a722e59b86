#pragma once
// Counts failed attempts (wrong enrolment codes, wrong desk tokens) per client address in a
// sliding window: past the limit, further attempts from that address are refused (429) until
// the oldest failure leaves the window. Only failures count, so a kecamatan office enrolling
// fifty tablets from one address in a minute is never slowed.

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rekap::central {

class FailureLimiter {
public:
    using Clock = std::chrono::steady_clock;
    FailureLimiter(int maxFailures, Clock::duration window)
        : max_(maxFailures)
        , window_(window) {}

    /// Seconds until `key` may try again; 0 when it may now.
    int retryAfter(const std::string& key) {
        std::lock_guard lock(mu_);
        auto it = failures_.find(key);
        if (it == failures_.end())
            return 0;
        auto now = Clock::now();
        prune(it->second, now);
        if (static_cast<int>(it->second.size()) < max_)
            return 0;
        auto wait = it->second.front() + window_ - now;
        return std::max(1, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(wait).count()));
    }

    void failed(const std::string& key) {
        std::lock_guard lock(mu_);
        auto now = Clock::now();
        if (failures_.size() > kMaxKeys) // bounded memory under a spray of addresses
            for (auto it = failures_.begin(); it != failures_.end();) {
                prune(it->second, now);
                it = it->second.empty() ? failures_.erase(it) : std::next(it);
            }
        auto& q = failures_[key];
        prune(q, now);
        q.push_back(now);
        while (static_cast<int>(q.size()) > max_)
            q.pop_front();
    }

private:
    static constexpr std::size_t kMaxKeys = 100000;
    void prune(std::deque<Clock::time_point>& q, Clock::time_point now) const {
        while (!q.empty() && q.front() + window_ <= now)
            q.pop_front();
    }
    int max_;
    Clock::duration window_;
    std::mutex mu_;
    std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

} // namespace rekap::central
