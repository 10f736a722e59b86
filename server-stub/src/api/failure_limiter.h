#pragma once
// Counts failed attempts (wrong enrolment codes, wrong desk tokens) per key in a sliding window:
// past a key's limit, further attempts on it are refused (429) until the oldest failure leaves
// the window. Only failures count, so a kecamatan office enrolling fifty tablets from one address
// in a minute is never slowed.
//
// An attempt is counted as a failure when it begins, in the same step as the check, and given
// back when it turns out not to have failed: checking first and counting after the answer let
// 150 attempts sent at once all pass a check of 20. Keys say what failed (an address and the
// code's first group, say), so that one client's wrong codes do not lock out another's right one
// behind the same address.

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace rekap::central {

class FailureLimiter {
public:
    using Clock = std::chrono::steady_clock;
    /// A key and the failures it may have within the window.
    struct Limit {
        std::string key;
        int max = 0;
    };

    /// One attempt, counted on its keys: a failure unless `succeeded()` (or nothing decided: an
    /// exception other than a wrong credential) gives it back.
    class Attempt {
    public:
        Attempt() = default;
        Attempt(Attempt&& o) noexcept { *this = std::move(o); }
        Attempt& operator=(Attempt&& o) noexcept {
            giveBack();
            owner_ = o.owner_;
            keys_ = std::move(o.keys_);
            at_ = o.at_;
            o.owner_ = nullptr;
            return *this;
        }
        ~Attempt() { giveBack(); }
        /// The attempt failed: it stays counted.
        void failed() { owner_ = nullptr; }
        /// The attempt did not fail: it no longer counts.
        void succeeded() { giveBack(); }

    private:
        friend class FailureLimiter;
        void giveBack() {
            if (owner_)
                owner_->giveBack(keys_, at_);
            owner_ = nullptr;
        }
        FailureLimiter* owner_ = nullptr;
        std::vector<std::string> keys_;
        Clock::time_point at_;
    };

    explicit FailureLimiter(Clock::duration window)
        : window_(window) {}

    /// Seconds until every key in `limits` may try again (0: now). When 0, `attempt` holds the
    /// attempt, already counted on each key.
    int begin(const std::vector<Limit>& limits, Attempt& attempt) {
        std::lock_guard lock(mu_);
        auto now = Clock::now();
        int wait = 0;
        for (const auto& l : limits) {
            auto it = failures_.find(l.key);
            if (it == failures_.end())
                continue;
            prune(it->second, now);
            if (static_cast<int>(it->second.size()) < l.max)
                continue;
            auto left =
                it->second[it->second.size() - static_cast<std::size_t>(l.max)] + window_ - now;
            wait = std::max(
                wait, std::max(1, static_cast<int>(
                                      std::chrono::ceil<std::chrono::seconds>(left).count())));
        }
        if (wait > 0)
            return wait;
        if (failures_.size() > kMaxKeys) // bounded memory under a spray of addresses and codes
            for (auto it = failures_.begin(); it != failures_.end();) {
                prune(it->second, now);
                it = it->second.empty() ? failures_.erase(it) : std::next(it);
            }
        attempt = Attempt();
        attempt.owner_ = this;
        attempt.at_ = now;
        for (const auto& l : limits) {
            auto& q = failures_[l.key];
            q.push_back(now);
            while (static_cast<int>(q.size()) > l.max)
                q.pop_front();
            attempt.keys_.push_back(l.key);
        }
        return 0;
    }

private:
    static constexpr std::size_t kMaxKeys = 100000;
    void prune(std::deque<Clock::time_point>& q, Clock::time_point now) const {
        while (!q.empty() && q.front() + window_ <= now)
            q.pop_front();
    }
    void giveBack(const std::vector<std::string>& keys, Clock::time_point at) {
        std::lock_guard lock(mu_);
        for (const auto& k : keys) {
            auto it = failures_.find(k);
            if (it == failures_.end())
                continue;
            auto& q = it->second;
            if (auto f = std::find(q.rbegin(), q.rend(), at); f != q.rend())
                q.erase(std::next(f).base());
            if (q.empty())
                failures_.erase(it);
        }
    }
    Clock::duration window_;
    std::mutex mu_;
    std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

} // namespace rekap::central
