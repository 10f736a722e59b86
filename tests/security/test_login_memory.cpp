// Desk password logins within the receiver's memory (docs/desk-accounts.md, docs/benchmarks.md):
// each login checks one argon2id hash of 64 MiB, and a real rekap-central hashes at most
// --password-hashing of them at once, so twenty logins sent together cost two hashes' memory,
// not twenty, and every one of them still opens its session.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

#include "central_process.h"

using namespace rekap::test;

TEST(LoginMemory, TwentyPasswordLoginsAtOnceHashTwoAtATime) {
    CentralProcess central({"--password-hashing", "2"});
    auto add = runProgram("/bin/sh",
                          {"-c", "printf 'sandi-rina-rahasia\\n' | '" + CentralProcess::binary() +
                                     "' --db '" + central.dir().file("central.db") +
                                     "' user add --name Rina --role reader 2>&1"});
    ASSERT_EQ(add.first, 0) << add.second;
    httplib::Client warm("127.0.0.1", central.port());
    ASSERT_TRUE(warm.Get("/api/v1/health"));
    central.resetPeak();
    auto idle = central.memoryKb("VmRSS");
    std::atomic<int> opened{0};
    std::vector<std::thread> logins;
    for (int i = 0; i < 20; ++i)
        logins.emplace_back([&] {
            httplib::Client c("127.0.0.1", central.port());
            c.set_read_timeout(60, 0);
            auto res = c.Post("/desk/login", R"({"name":"Rina","password":"sandi-rina-rahasia"})",
                              "application/json");
            if (res && res->status == 200)
                ++opened;
        });
    for (auto& t : logins)
        t.join();
    auto peak = central.memoryKb("VmHWM");
    std::cout << "receiver memory: " << idle / 1024 << " MB idle, peak " << peak / 1024
              << " MB during 20 logins at once\n";
    EXPECT_EQ(opened, 20);
    // Two hashes of 64 MiB and what serving them takes; twenty at once would be 1,280 MiB.
    EXPECT_LT(peak - idle, 180 * 1024) << "peak grew by " << (peak - idle) / 1024 << " MB";
}
