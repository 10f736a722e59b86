#pragma once
// Desk passwords, hashed with argon2id (libsodium's crypto_pwhash_str at its "interactive"
// limits: 64 MiB and 2 passes). Memory-hard, so that a copy of the store costs a guesser that
// much per guess; the same cost falls on the receiver at every login, so HashingSlots lets only
// a few hashes run at once: logins wait for a slot rather than adding 64 MiB each
// (docs/benchmarks.md has one hash's measured memory and time).

#include <chrono>
#include <memory>
#include <semaphore>
#include <string>

namespace rekap::central {

/// The argon2id string of `password` (std::invalid_argument when it breaks passwordProblem()).
std::string hashPassword(const std::string& password);
/// Whether `password` matches `hash` (false for an empty or malformed hash).
bool passwordMatches(const std::string& hash, const std::string& password);
/// What is wrong with a new password ("" when nothing): 10 characters at least, 1024 at most.
std::string passwordProblem(const std::string& password);

class HashingSlots {
public:
    explicit HashingSlots(int slots);
    /// Waits up to `wait` for a slot; false when none came free.
    bool take(std::chrono::milliseconds wait);
    void give();

private:
    std::counting_semaphore<1024> free_;
};

} // namespace rekap::central
