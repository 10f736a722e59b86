#pragma once
// A fixed set of threads running request handlers, with a bounded queue: handlers block on
// SQLite and the group commit, so they run here, never on the threads that read and write
// sockets. A full queue refuses new work at once (the caller answers 503) instead of growing.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rekap::central::http {

class WorkerPool {
public:
    WorkerPool(int threads, std::size_t queueLimit)
        : limit_(queueLimit) {
        for (int i = 0; i < threads; ++i)
            threads_.emplace_back([this] { run(); });
    }
    ~WorkerPool() { stop(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues `task`; false when the queue is full or the pool stopping.
    bool trySubmit(std::function<void()> task) {
        {
            std::lock_guard lock(mu_);
            if (stopping_ || queue_.size() >= limit_)
                return false;
            queue_.push_back(std::move(task));
        }
        ready_.notify_one();
        return true;
    }
    std::size_t queued() const {
        std::lock_guard lock(mu_);
        return queue_.size();
    }
    std::size_t busy() const {
        std::lock_guard lock(mu_);
        return busy_;
    }
    /// Runs what is queued, then joins the threads.
    void stop() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        ready_.notify_all();
        for (auto& t : threads_)
            if (t.joinable())
                t.join();
        threads_.clear();
    }

private:
    void run() {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock lock(mu_);
                ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (queue_.empty())
                    return;
                task = std::move(queue_.front());
                queue_.pop_front();
                ++busy_;
            }
            task();
            std::lock_guard lock(mu_);
            --busy_;
        }
    }

    mutable std::mutex mu_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    std::size_t limit_;
    std::size_t busy_ = 0;
    bool stopping_ = false;
};

} // namespace rekap::central::http
