#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "rekap/support/random.h"
#include "rekap/support/sqlite.h"

using namespace rekap;

namespace {

std::filesystem::path freshDirectory() {
    auto dir = std::filesystem::temp_directory_path() / ("rekap-sqlite-" + randomHex(8));
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace

TEST(SqliteDatabase, ConnectionsOpeningANewFileTogetherAllGetIt) {
    // Receivers started together on a new photo folder each open photos.db at once. Switching a
    // new file to WAL needs a lock the busy handler does not wait for, so one opener saw
    // "database is locked (in: PRAGMA journal_mode=WAL)" and the receiver exited (CI, 2026-12-07).
    const auto dir = freshDirectory();
    constexpr int kRounds = 40;
    constexpr int kTogether = 8;
    for (int round = 0; round < kRounds; ++round) {
        const auto path = (dir / ("round-" + std::to_string(round) + ".db")).string();
        std::atomic<int> waiting{kTogether};
        std::vector<std::string> errors(kTogether);
        std::vector<std::thread> openers;
        for (int i = 0; i < kTogether; ++i)
            openers.emplace_back([&, i] {
                waiting.fetch_sub(1);
                while (waiting.load() > 0)
                    std::this_thread::yield();
                try {
                    sqlite::Database db(path);
                    auto mode = db.prepare("PRAGMA journal_mode");
                    mode.step();
                    if (mode.text(0) != "wal")
                        errors[i] = "journal mode " + mode.text(0);
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            });
        for (auto& t : openers)
            t.join();
        for (int i = 0; i < kTogether; ++i)
            ASSERT_EQ(errors[i], "") << "round " << round << ", connection " << i;
    }
    std::filesystem::remove_all(dir);
}
