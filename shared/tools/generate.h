#pragma once
// Deterministic helpers for the sample-regency generator: the same seed gives the same file on
// every machine, so the shipped files can be regenerated and compared byte for byte.

#include <cstdint>
#include <string>
#include <vector>

namespace rekap::tools {

/// splitmix64: tiny, portable, and (unlike std:: distributions) defined to the bit.
class Rng {
public:
    explicit Rng(std::uint64_t seed)
        : state_(seed) {}
    std::uint64_t next();
    /// Uniform in [lo, hi].
    int between(int lo, int hi);

private:
    std::uint64_t state_;
};

/// Splits `total` into `weights.size()` parts proportional to the weights (largest remainder),
/// each at least `minEach`. Sums to `total` exactly.
std::vector<long> apportion(long total, const std::vector<double>& weights, long minEach);

/// Moves parts up or down by one, round-robin, until they sum to `target`, keeping each part
/// within [lo, hi]. Throws when the target cannot be reached inside the bounds.
void adjustToSum(std::vector<long>& parts, long target, long lo, long hi);

/// "Sungai Raya" from "SUNGAI RAYA".
std::string titleCase(const std::string& upper);

} // namespace rekap::tools
