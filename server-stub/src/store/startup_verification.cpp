#include "rekap/central/startup_verification.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "rekap/central/store.h"
#include "rekap/support/storage_error.h"

namespace rekap::central {

bool verifyAtStartup(CentralStore& store, std::stop_token stop,
                     std::chrono::milliseconds firstWait) {
    std::mutex mu;
    std::condition_variable_any stopped;
    for (auto wait = firstWait; !stop.stop_requested();
         wait = std::min<std::chrono::milliseconds>(wait * 2, std::chrono::seconds(30))) {
        try {
            store.ledger().runStartupVerification();
            auto v = *store.ledger().startupVerification();
            if (v.ok)
                spdlog::info("ledger verified: {} entries, {} signed heads", v.entries, v.heads);
            else
                spdlog::error("LEDGER VERIFICATION FAILED: {}", v.failure);
            return true;
        } catch (const StorageError& e) {
            if (!e.unavailable() && !e.diskFull()) {
                spdlog::error("ledger verification could not run: {}", e.what());
                return false;
            }
            spdlog::warn("ledger verification waits for the database ({}); again in {} ms",
                         e.what(), wait.count());
        } catch (const std::exception& e) {
            // Never the end of a receiver that serves: the check is reported as not run.
            spdlog::error("ledger verification could not run: {}", e.what());
            return false;
        }
        std::unique_lock lock(mu);
        stopped.wait_for(lock, stop, wait, [] { return false; });
    }
    return false;
}

} // namespace rekap::central
