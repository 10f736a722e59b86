// The ledger's Merkle tree against Certificate Transparency's published test vectors (the
// eight-leaf corpus of RFC 6962/9162's reference implementation), and proofs for every shape of
// tree up to 40 leaves checked by the RFC's own verification algorithms.

#include <gtest/gtest.h>

#include "rekap/merkle.h"

using namespace rekap::merkle;

namespace {

std::string bytes(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

const std::vector<std::string> kLeaves = {"",
                                          "00",
                                          "10",
                                          "2021",
                                          "3031",
                                          "40414243",
                                          "5051525354555657",
                                          "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kRoots = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

Tree corpus() {
    Tree t;
    for (const auto& l : kLeaves)
        t.append(leafHash(bytes(l)));
    return t;
}

Hash h(const std::string& hex) {
    return *fromHex(hex);
}

Tree counting(std::uint64_t n) {
    Tree t;
    for (std::uint64_t i = 0; i < n; ++i)
        t.append(leafHash("entry " + std::to_string(i)));
    return t;
}

} // namespace

TEST(Merkle, EmptyTreeIsTheHashOfNothing) {
    EXPECT_EQ(toHex(emptyRoot()),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(Tree().root(), emptyRoot());
}

TEST(Merkle, RootsOfTheReferenceCorpusAtEverySize) {
    auto t = corpus();
    for (std::uint64_t n = 1; n <= 8; ++n)
        EXPECT_EQ(toHex(t.root(n)), kRoots[n - 1]) << "size " << n;
    // Grown one leaf at a time, the current root is the same as the stored one's.
    Tree grown;
    for (std::size_t i = 0; i < kLeaves.size(); ++i) {
        grown.append(leafHash(bytes(kLeaves[i])));
        EXPECT_EQ(toHex(grown.root()), kRoots[i]);
    }
}

TEST(Merkle, InclusionProofsOfTheReferenceCorpus) {
    auto t = corpus();
    // PATH(0, D[8]) from the CT reference tests.
    EXPECT_EQ(toHex(t.inclusionProof(0, 8)),
              (std::vector<std::string>{
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
    for (std::uint64_t n = 1; n <= 8; ++n)
        for (std::uint64_t i = 0; i < n; ++i)
            EXPECT_TRUE(verifyInclusion(t.leaf(i), i, n, t.inclusionProof(i, n), h(kRoots[n - 1])))
                << i << " in " << n;
}

TEST(Merkle, ConsistencyProofsOfTheReferenceCorpus) {
    auto t = corpus();
    struct Vector {
        std::uint64_t from, to;
        std::vector<std::string> proof;
    };
    const std::vector<Vector> vectors = {
        {1, 1, {}},
        {1,
         8,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {6,
         8,
         {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2,
         5,
         {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    };
    for (const auto& v : vectors) {
        EXPECT_EQ(toHex(t.consistencyProof(v.from, v.to)), v.proof) << v.from << " -> " << v.to;
        EXPECT_TRUE(verifyConsistency(v.from, v.to, h(kRoots[v.from - 1]), h(kRoots[v.to - 1]),
                                      *fromHex(v.proof)));
    }
}

TEST(Merkle, EveryProofOfEveryShapeChecksAndNoOtherDoes) {
    auto t = counting(40);
    for (std::uint64_t n = 1; n <= 40; ++n) {
        auto root = t.root(n);
        for (std::uint64_t i = 0; i < n; ++i) {
            auto proof = t.inclusionProof(i, n);
            ASSERT_TRUE(verifyInclusion(t.leaf(i), i, n, proof, root)) << i << " in " << n;
            // The same proof for another index, another leaf, or another size fails.
            EXPECT_FALSE(
                verifyInclusion(t.leaf(i), (i + 1) % n == i ? n : (i + 1) % n, n, proof, root) &&
                n > 1);
            EXPECT_FALSE(verifyInclusion(leafHash("forged"), i, n, proof, root));
            // (A proof may also fit another size of the same shape: the size is bound by the
            // signed head that carries the root, not by the proof.)
            if (!proof.empty()) {
                auto damaged = proof;
                damaged.back()[0] ^= 1;
                EXPECT_FALSE(verifyInclusion(t.leaf(i), i, n, damaged, root));
                damaged.pop_back();
                EXPECT_FALSE(verifyInclusion(t.leaf(i), i, n, damaged, root));
            }
        }
        for (std::uint64_t m = 1; m <= n; ++m) {
            auto proof = t.consistencyProof(m, n);
            ASSERT_TRUE(verifyConsistency(m, n, t.root(m), root, proof)) << m << " -> " << n;
            if (m < n) {
                // A rewritten history (another root for the first m entries) is caught.
                EXPECT_FALSE(verifyConsistency(m, n, leafHash("rewritten"), root, proof));
                EXPECT_FALSE(verifyConsistency(m, n, t.root(m), leafHash("rewritten"), proof));
                auto damaged = proof;
                damaged.front()[31] ^= 0x80;
                EXPECT_FALSE(verifyConsistency(m, n, t.root(m), root, damaged));
            }
        }
    }
}

TEST(Merkle, ProofsOutsideTheTreeAreRefused) {
    auto t = counting(5);
    EXPECT_THROW(t.inclusionProof(5, 5), std::out_of_range);
    EXPECT_THROW(t.inclusionProof(0, 6), std::out_of_range);
    EXPECT_THROW(t.consistencyProof(0, 5), std::out_of_range);
    EXPECT_THROW(t.consistencyProof(4, 3), std::out_of_range);
    EXPECT_THROW(t.root(6), std::out_of_range);
    EXPECT_FALSE(verifyInclusion(t.leaf(0), 5, 5, {}, t.root()));
    EXPECT_FALSE(verifyConsistency(5, 4, t.root(5), t.root(4), {}));
    EXPECT_FALSE(fromHex("zz"));
    EXPECT_FALSE(fromHex(std::string(64, 'A')));
}
