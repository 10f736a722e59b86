// VoteCounts, the tally's votes by line as one sorted array (rekap/vote_counts.h): it must hold
// what a std::map would, in the same order, whatever order lines arrive in.

#include <gtest/gtest.h>
#include <map>
#include <random>

#include "rekap/vote_counts.h"

using rekap::VoteCounts;

namespace {

std::map<std::uint64_t, long> asMap(const VoteCounts& v) {
    std::map<std::uint64_t, long> out;
    std::uint64_t last = 0;
    bool first = true;
    for (const auto& [k, n] : v) {
        EXPECT_TRUE(first || k > last) << "line " << k << " after " << last;
        first = false;
        last = k;
        out[k] = n;
    }
    return out;
}

} // namespace

TEST(VoteCounts, HoldsWhatAMapHoldsInKeyOrderWhateverOrderLinesArriveIn) {
    std::mt19937_64 rng(30);
    VoteCounts counts;
    std::map<std::uint64_t, long> model;
    for (int i = 0; i < 20000; ++i) {
        auto key = rng() % 700; // a DPR contest's lines at a desa: a few hundred
        long by = static_cast<long>(rng() % 11) - 5;
        counts[key] += by;
        model[key] += by;
        if (i % 1000 == 0) {
            counts.dropZeros();
            std::erase_if(model, [](const auto& kv) { return kv.second == 0; });
            ASSERT_EQ(asMap(counts), model);
        }
    }
    counts.dropZeros();
    std::erase_if(model, [](const auto& kv) { return kv.second == 0; });
    EXPECT_EQ(asMap(counts), model);
    EXPECT_EQ(counts.size(), model.size());
    for (const auto& [k, n] : model) {
        ASSERT_NE(counts.find(k), counts.end());
        EXPECT_EQ(counts.at(k), n);
    }
}

TEST(VoteCounts, AMissingLineIsNotFoundAndAtSaysWhichLine) {
    VoteCounts counts;
    counts[7] = 3;
    counts[2] = 0;
    EXPECT_EQ(counts.find(5), counts.end());
    EXPECT_EQ(counts.size(), 2u);
    counts.dropZeros();
    EXPECT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts.find(2), counts.end());
    try {
        (void)counts.at(2);
        FAIL() << "at() of a missing line returned";
    } catch (const std::out_of_range& e) {
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
}

TEST(VoteCounts, EqualWhenTheSameLinesHoldTheSameCounts) {
    VoteCounts a, b;
    a[1] = 4;
    a[9] = 2;
    b[9] = 2;
    b[1] = 4;
    EXPECT_EQ(a, b);
    b[9] = 3;
    EXPECT_NE(a, b);
}

TEST(VoteCounts, AppendingInOrderRefusesALineThatDoesNotAscend) {
    VoteCounts counts;
    EXPECT_TRUE(counts.appendAscending(3, 1));
    EXPECT_TRUE(counts.appendAscending(8, 2));
    EXPECT_FALSE(counts.appendAscending(8, 5)); // the same line twice
    EXPECT_FALSE(counts.appendAscending(4, 5)); // below the last
    EXPECT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts.at(8), 2);
}
