// Retry and back-off: a receiver (here the proxy in front of it) answering 503, 429 or 408 a
// number of times. The client retries each, waiting longer each time up to the cap, with jitter
// inside its bounds; gives up after its attempts, keeping the sheets queued; and stops at once
// when cancelled, whether it is waiting between attempts or in the middle of a request. Times are
// measured from the proxy's record of each attempt; the bounds leave room for a slow (sanitizer)
// build above them, never below: a wait is never shorter than its draw.

#include <gtest/gtest.h>

#include <future>
#include <set>

#include "revisions.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using namespace std::chrono_literals;
using sync::SyncError;
using Clock = std::chrono::steady_clock;

namespace {

long long ms(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

/// The requests matching `match`, in order.
std::vector<RequestRecord> attempts(const FaultProxy& proxy, const std::string& match) {
    std::vector<RequestRecord> out;
    for (const auto& r : proxy.requests())
        if (r.has(match))
            out.push_back(r);
    return out;
}

} // namespace

TEST(RetryDelay, TheDocumentedDefaults) {
    sync::SyncOptions o;
    EXPECT_EQ(o.baseBackoff, 500ms);
    EXPECT_EQ(o.maxBackoff, 60s);
    EXPECT_EQ(o.maxAttempts, 6);
}

// The draw itself, many times over: each wait lies in [c/2, c] for c = min(cap, base * 2^(n-1)),
// spreads over that whole range (jitter), and the range doubles until the cap, then stays.
TEST(RetryDelay, GrowsCapsAndJittersInsideItsBounds) {
    std::mt19937 rng(17);
    const auto base = 500ms, cap = 60000ms;
    long long expectedCap = 500;
    for (int retry = 1; retry <= 12; ++retry) {
        std::set<long long> seen;
        long long lo = LLONG_MAX, hi = 0, sum = 0;
        const int draws = 2000;
        for (int i = 0; i < draws; ++i) {
            long long d = sync::retryDelay(retry, base, cap, rng).count();
            lo = std::min(lo, d);
            hi = std::max(hi, d);
            sum += d;
            seen.insert(d);
        }
        SCOPED_TRACE("retry " + std::to_string(retry));
        EXPECT_GE(lo, expectedCap / 2);
        EXPECT_LE(hi, expectedCap);
        // Spread over the range, not stuck at one end or one value.
        EXPECT_LT(lo, expectedCap / 2 + expectedCap / 20);
        EXPECT_GT(hi, expectedCap - expectedCap / 20);
        EXPECT_NEAR(static_cast<double>(sum) / draws, 0.75 * expectedCap, 0.03 * expectedCap);
        EXPECT_GT(seen.size(), 100u);
        expectedCap = std::min<long long>(expectedCap * 2, 60000);
    }
    // Far beyond the cap's doubling, and nonsense retry numbers, stay within the cap.
    for (int retry : {30, 64, 1000, 0, -3}) {
        auto d = sync::retryDelay(retry, base, cap, rng);
        EXPECT_LE(d, cap) << retry;
        EXPECT_GE(d, retry >= 1 ? cap / 2 : base / 2) << retry;
    }
}

TEST(RetryDelay, TwoDevicesDoNotRetryInLockStep) {
    std::mt19937 a(std::random_device{}()), b(std::random_device{}());
    int same = 0;
    for (int retry = 1; retry <= 6; ++retry)
        same += sync::retryDelay(retry, 500ms, 60s, a) == sync::retryDelay(retry, 500ms, 60s, b);
    EXPECT_LT(same, 3);
}

// 503 five times, then through: five retries whose waits double from 100 ms and stop at the
// 400 ms cap. Were the cap not applied, the fifth wait would be at least 800 ms. The waits the
// client draws are read from it (onRetry), not guessed from a stopwatch on a busy machine: each
// within its cap, and the proxy saw each retry no sooner than its wait.
TEST_F(SyncFixture, A503ReceiverIsRetriedWithGrowingCappedWaits) {
    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.baseBackoff = 100ms;
    opts.maxBackoff = 400ms;
    opts.maxAttempts = 7;
    std::vector<long long> drawn;
    opts.onRetry = [&](int, std::chrono::milliseconds wait) { drawn.push_back(wait.count()); };
    auto d = device("9901011001001", proxy.url(), opts);
    auto r = record(d, validPpwpSheet());
    proxy.addRequestFault(RequestFault::answer("POST /api/v1/sync/push", 503, 5));
    auto report = d.client->sync();
    EXPECT_EQ(report.retries, 5);
    EXPECT_EQ(report.accepted, 1);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Accepted);
    auto tries = attempts(proxy, "POST /api/v1/sync/push");
    ASSERT_EQ(tries.size(), 6u);
    ASSERT_EQ(drawn.size(), 5u);
    const long long caps[] = {100, 200, 400, 400, 400};
    for (std::size_t k = 1; k < tries.size(); ++k) {
        auto gap = ms(tries[k].at - tries[k - 1].at);
        auto c = caps[k - 1], wait = drawn[k - 1];
        SCOPED_TRACE("retry " + std::to_string(k) + ": drew " + std::to_string(wait) +
                     " ms, came " + std::to_string(gap) + " ms after the attempt before; cap " +
                     std::to_string(c) + " ms");
        EXPECT_EQ(tries[k - 1].status, 503);
        std::cout << "[ measure  ] retry " << k << " drew " << wait << " ms and came " << gap
                  << " ms after attempt " << k << " (draw within [" << c / 2 << ", " << c
                  << "] ms)\n";
        EXPECT_GE(wait, c / 2) << "drew less than half its cap";
        EXPECT_LE(wait, c) << "drew more than its cap allows";
        EXPECT_GE(gap, wait) << "came before its wait was over";
    }
    EXPECT_EQ(tries.back().status, 200);
}

TEST_F(SyncFixture, A429Or408IsRetriedAnd400IsNot) {
    FaultProxy proxy(live.port());
    auto d = device("9901011001001", proxy.url());
    record(d, validPpwpSheet());
    proxy.addRequestFault(RequestFault::answer("POST /api/v1/sync/push", 429, 2));
    proxy.addRequestFault(RequestFault::answer("POST /api/v1/sync/push", 408, 2));
    auto report = d.client->sync();
    EXPECT_EQ(report.retries, 4);
    EXPECT_EQ(report.accepted, 1);
    auto tries = attempts(proxy, "POST /api/v1/sync/push");
    ASSERT_EQ(tries.size(), 5u);
    EXPECT_EQ(tries[0].status, 429);
    EXPECT_EQ(tries[2].status, 408);
    EXPECT_EQ(tries[4].status, 200);

    // A request the receiver cannot take is not repeated.
    record(d, validPdprSheet());
    proxy.addRequestFault(RequestFault::answer("POST /api/v1/sync/push", 400, 3));
    try {
        d.client->sync();
        FAIL() << "a 400 answer was retried into success";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Fatal);
        EXPECT_EQ(e.httpStatus(), 400);
    }
    EXPECT_EQ(attempts(proxy, "POST /api/v1/sync/push").size(), 6u) << "one attempt only";
    EXPECT_EQ(d.store->outbox().queueDepth(), 1) << "the sheet stays queued, not lost";
}

TEST_F(SyncFixture, AfterItsAttemptsTheSyncGivesUpAndKeepsTheSheetsQueued) {
    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.maxAttempts = 4;
    auto d = device("9901011001001", proxy.url(), opts);
    auto r = record(d, validPpwpSheet());
    proxy.addRequestFault(RequestFault::answer("POST /api/v1/sync/push", 503, 10));
    try {
        d.client->sync();
        FAIL() << "synced through a receiver answering 503";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Transient);
        EXPECT_NE(std::string(e.what()).find("gave up after 4 attempts"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(attempts(proxy, "POST /api/v1/sync/push").size(), 4u);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Queued);
    EXPECT_EQ(live.store().sheets().revisionCount(), 0);
}

// Cancelled while it waits 15 s or more before its second attempt: it stops at once.
TEST_F(SyncFixture, CancellingDuringABackoffWaitStopsAtOnce) {
    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.baseBackoff = 30s;
    opts.maxBackoff = 60s;
    std::promise<std::chrono::milliseconds> waiting;
    opts.onRetry = [&](int retry, std::chrono::milliseconds wait) {
        if (retry == 1)
            waiting.set_value(wait);
    };
    auto d = device("9901011001001", proxy.url(), opts);
    auto r = record(d, validPpwpSheet());
    proxy.addRequestFault(RequestFault::answer("POST /api/v1/sync/push", 503, 1));
    auto running = std::async(std::launch::async, [&] { return d.client->sync(); });
    // The 503 has reached the client, and it has drawn its wait: it is waiting now.
    auto waitingFor = waiting.get_future();
    ASSERT_EQ(waitingFor.wait_for(20s), std::future_status::ready);
    EXPECT_GE(waitingFor.get(), 15s);
    auto cancelledAt = Clock::now();
    d.client->cancel();
    ASSERT_EQ(running.wait_for(20s), std::future_status::ready) << "the cancel did not stop it";
    auto took = ms(Clock::now() - cancelledAt);
    try {
        running.get();
        FAIL() << "the sync finished despite the cancel";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Cancelled) << e.what();
    }
    // The time is the point (at once, not after the 15 s or more it drew). Idle it takes 0 ms
    // (measured December 2026); 5 s is far above that and far below the wait.
    EXPECT_LT(took, 5000) << "the wait was not interrupted";
    std::cout << "[ measure  ] cancel to stop during a back-off wait: " << took << " ms\n";
    EXPECT_EQ(attempts(proxy, "POST /api/v1/sync/push").size(), 1u);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Queued);
}

// Cancelled while a request is out and its answer not back (the proxy holds it): libcurl's
// progress check stops the transfer. Then the next sync finishes the work, photo included.
TEST_F(SyncFixture, CancellingMidTransferStopsAndTheNextSyncFinishes) {
    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.http.requestTimeoutMs = 60000; // a stop must come from the cancel, not a timeout
    opts.photoChunkBytes = 16 * 1024;
    auto d = device("9901011001001", proxy.url(), opts);
    sync::Capture::FinalizeOptions o;
    o.photo = d.store->photos().add(writePhoto(40000, 3));
    auto r = d.store->capture().finalize(validPpwpSheet(), "Siti", o);

    auto cancelWhileHeld = [&](const std::string& match, int skip) {
        auto before = proxy.requests().size();
        proxy.addRequestFault(RequestFault::hold(match, skip));
        auto running = std::async(std::launch::async, [&] { return d.client->sync(); });
        EXPECT_TRUE(proxy.waitFor(
            [&](const std::vector<RequestRecord>& rs) {
                for (auto i = before; i < rs.size(); ++i)
                    if (rs[i].fault == "held by the proxy" && rs[i].complete)
                        return true;
                return false;
            },
            20s))
            << match << " never reached the proxy";
        auto cancelledAt = Clock::now();
        d.client->cancel();
        EXPECT_EQ(running.wait_for(30s), std::future_status::ready);
        auto took = ms(Clock::now() - cancelledAt);
        try {
            running.get();
            ADD_FAILURE() << "the sync finished despite the cancel";
        } catch (const SyncError& e) {
            EXPECT_EQ(e.kind(), SyncError::Kind::Cancelled) << e.what();
        }
        // Idle: 203 ms for a push, 1001 ms for a photo chunk (libcurl's progress check runs
        // about once a second; measured December 2026). 10 s is ten times that, and far below
        // the 60 s request timeout that would otherwise end it.
        EXPECT_LT(took, 10000) << "the transfer was not stopped";
        std::cout << "[ measure  ] cancel to stop mid-request (" << match << "): " << took
                  << " ms\n";
        d.client->resetCancel();
    };

    cancelWhileHeld("POST /api/v1/sync/push", 0);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Queued) << "sending must go back to queued";
    EXPECT_EQ(live.store().sheets().revisionCount(), 0);

    proxy.passEverything();
    cancelWhileHeld("PATCH /api/v1/photos/", 1); // the second chunk
    EXPECT_EQ(stateOf(d, r.id), SheetState::Accepted);
    EXPECT_FALSE(d.store->photos().pending().empty());

    proxy.passEverything();
    auto report = d.client->sync();
    EXPECT_EQ(report.photos, 1);
    EXPECT_EQ(photoAtReceiver(*o.photo).size(), 40000u);
    EXPECT_EQ(live.store().sheets().revisionCount(), 1);
}
