// The counters behind 429: failed attempts per key (counted when checked, given back when they
// did not fail) and photo downloads in progress per caller.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "api/download_slots.h"
#include "api/failure_limiter.h"

using namespace rekap::central;

TEST(FailureLimiter, AnAttemptCountsUntilItSucceeds) {
    FailureLimiter limiter(std::chrono::minutes(1));
    for (int i = 0; i < 3; ++i) {
        FailureLimiter::Attempt a;
        ASSERT_EQ(limiter.begin({{"k", 3}}, a), 0);
        a.failed();
    }
    FailureLimiter::Attempt refused;
    EXPECT_GT(limiter.begin({{"k", 3}}, refused), 0);
    EXPECT_EQ(limiter.begin({{"other", 3}}, refused), 0) << "another key is not affected";
}

TEST(FailureLimiter, ASucceededOrUndecidedAttemptIsGivenBack) {
    FailureLimiter limiter(std::chrono::minutes(1));
    for (int i = 0; i < 10; ++i) {
        FailureLimiter::Attempt a;
        ASSERT_EQ(limiter.begin({{"k", 2}}, a), 0) << i;
        if (i % 2)
            a.succeeded();
        // else: destroyed undecided (an error other than a wrong credential)
    }
}

TEST(FailureLimiter, EveryKeyMustHaveRoomAndEachIsCounted) {
    FailureLimiter limiter(std::chrono::minutes(1));
    for (int i = 0; i < 4; ++i) {
        FailureLimiter::Attempt a;
        ASSERT_EQ(limiter.begin({{"address", 4}, {"address " + std::to_string(i), 2}}, a), 0);
        a.failed();
    }
    FailureLimiter::Attempt a;
    EXPECT_GT(limiter.begin({{"address", 4}, {"address new", 2}}, a), 0)
        << "the address's total is used up";
}

TEST(FailureLimiter, AttemptsBegunAtOnceNeverPassTheLimit) {
    FailureLimiter limiter(std::chrono::minutes(1));
    std::atomic<int> passed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                FailureLimiter::Attempt a;
                if (limiter.begin({{"k", 20}}, a) == 0) {
                    ++passed;
                    a.failed();
                }
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(passed, 20);
}

TEST(DownloadSlots, APerCallerLimitFreedWhenTheSlotGoes) {
    DownloadSlots slots(2);
    auto a = slots.take("dev-a");
    auto b = slots.take("dev-a");
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_FALSE(slots.take("dev-a"));
    EXPECT_TRUE(slots.take("dev-b"));
    a.reset();
    EXPECT_TRUE(slots.take("dev-a"));
}
