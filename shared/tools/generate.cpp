#include "generate.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace rekap::tools {

std::uint64_t Rng::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int Rng::between(int lo, int hi) {
    auto span = static_cast<std::uint64_t>(hi - lo + 1);
    return lo + static_cast<int>(next() % span);
}

std::vector<long> apportion(long total, const std::vector<double>& weights, long minEach) {
    const long n = static_cast<long>(weights.size());
    long spare = total - minEach * n;
    if (spare < 0)
        throw std::invalid_argument("cannot give each of " + std::to_string(n) + " parts " +
                                    std::to_string(minEach) + " out of " + std::to_string(total));
    double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<long> parts(n);
    std::vector<std::pair<double, long>> remainders;
    long given = 0;
    for (long i = 0; i < n; ++i) {
        double exact = spare * weights[i] / sum;
        parts[i] = minEach + static_cast<long>(std::floor(exact));
        given += parts[i] - minEach;
        remainders.emplace_back(exact - std::floor(exact), i);
    }
    // Ties are broken by index so that the result is the same everywhere.
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](auto& a, auto& b) { return a.first > b.first; });
    for (long k = 0; k < spare - given; ++k)
        ++parts[remainders[k].second];
    return parts;
}

void adjustToSum(std::vector<long>& parts, long target, long lo, long hi) {
    long sum = std::accumulate(parts.begin(), parts.end(), 0L);
    std::size_t i = 0, stuck = 0;
    while (sum != target) {
        long step = sum < target ? 1 : -1;
        long& p = parts[i % parts.size()];
        if (p + step >= lo && p + step <= hi) {
            p += step;
            sum += step;
            stuck = 0;
        } else if (++stuck > parts.size()) {
            throw std::invalid_argument("cannot reach sum " + std::to_string(target) +
                                        " within bounds");
        }
        ++i;
    }
}

std::string titleCase(const std::string& upper) {
    std::string out = upper;
    bool start = true;
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z' && !start)
            c = static_cast<char>(c - 'A' + 'a');
        start = (c == ' ' || c == '-' || c == '(' || c == '.');
    }
    return out;
}

} // namespace rekap::tools
