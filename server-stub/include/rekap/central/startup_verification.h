#pragma once
// The ledger check a receiver makes when `serve` starts, beside serving (docs/integrity.md).

#include <chrono>
#include <stop_token>

namespace rekap::central {

class CentralStore;

/// Runs `store.runStartupVerification()` and logs what it found. A database out of reach (a
/// PostgreSQL restart or failover, no connection left, a full disk) says nothing about the
/// ledger: that is logged, no failure is recorded, and the check is tried again `firstWait`
/// later, the wait doubling up to 30 s, until it runs or `stop` is requested. Until then the
/// receiver reports the check as not run. True when it ran.
bool verifyAtStartup(CentralStore& store, std::stop_token stop,
                     std::chrono::milliseconds firstWait = std::chrono::seconds(1));

} // namespace rekap::central
