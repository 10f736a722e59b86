// The ledger's Merkle tree against Certificate Transparency's published test vectors (the
// eight-leaf corpus of RFC 6962/9162's reference implementation); beyond eight leaves, against
// reference vectors computed once by an implementation of its own (merkle_vectors.py, written
// from RFC 9162 with nothing but hashlib) for every tree of 1 to 130 leaves; and proofs for every
// shape of tree up to 40 leaves checked by the RFC's own verification algorithms.

#include <gtest/gtest.h>

#include "rekap/merkle.h"
#include "rekap/sha256.h"

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

Tree counting(std::uint64_t n, Tree::Keep keep = Tree::Keep::Everything) {
    Tree t(keep);
    for (std::uint64_t i = 0; i < n; ++i)
        t.append(leafHash("entry " + std::to_string(i)));
    return t;
}

// Output of `python3 tests/shared/merkle_vectors.py` (run once, December 2026; the test does not
// need it). Its leaves are counting()'s. The digests are SHA-256 of one line per root or proof,
// "n i hash hash ...\n" (see the script), over every size 1..130 and every index or older size.
constexpr std::uint64_t kReferenceSize = 130;
const std::vector<std::pair<std::uint64_t, std::string>> kRootsBeyondEight = {
    {9, "240d9bb6a55f0cb375b5d008251e7145458b7b1adc8463ab8fef76fd14f75f6b"},
    {10, "21dda70e81f54ded05c6c0109fcddd8ea1d10c61af4778df5d625618e9253767"},
    {11, "32922087074b42fbbf3a3a36723ab27825fd9badb1e29bddebc3fea83e9ec04d"},
    {12, "67521318d2ac201b6c6ffca7bdf17fd917d78006ac33ddde2c9d89e69e038b91"},
    {13, "c0c1289f00605f8d7d8780b9f4264c736ccfb84ce91708c2b27e6426bfc7d8a8"},
    {14, "90d7c5e347a5e6636ddff710547388ca7213fed9c85c21d69ced19b15317e64a"},
    {15, "dd979d9ddb8aa36b9dcdb5760613a5602f6ef38fa731b49da8217ada36f1b8c8"},
    {16, "c71e4e22f9da1d6aa1121e96ed7e085765ac67b45568326a8ff8b7c8dde23a5f"},
    {17, "8dd8d5c55caa45c3b95982fc165e5edd722e7923ef190bb29d2dd4ec1184b9ef"},
    {18, "523ab63a0d173f314f18460ed4329102e235a3889bb68f7f9b87c5655f585756"},
    {19, "b60234b07f8d6cf6a57cc9c5000e5a1335a47d730200acf23c52d1ef434c1d60"},
    {20, "21ffe1e73ce0f4f1e5df9e158090347e422e2578a22f9142b0b9585b50ba0f30"},
    {21, "4af79aefc15c473e67b2e0c893e2f7bc3d5cc421c7edb9b843b776fdb8406e83"},
    {22, "a593118c34dd24e38228ae782f38a407679292685d581e55ee4907ebfd6c9a73"},
    {23, "7ceca0b413b7cea1d70acc1580e1b544d03c92600564f2f25322318feb497582"},
    {24, "783013ea7e0d504876241d1a6a9139a6460438cf2916117da970397d974b1eb9"},
    {25, "d278a67951b368676cded2fe854293624078fb57dfbe1c6ec5bcb662e6955d58"},
    {26, "f08fa61f352ce48b387bda176892318497f347d81d8376b776652c9f4faae97c"},
    {27, "98a33ff331e8df5e1ae203df8f3f05811aa5b6797809b0053cd06b32bb400bb8"},
    {28, "b4a635fafa34acfc7aa0e7c34dd2d62249c529bb0ef77258401dc875fe12341f"},
    {29, "962789333164f8715d0d6b053685f2a09aa9e28ca2640265ce05beb26d517359"},
    {30, "b4b4630d6c7d039cc4351b356dceeabee629ffb3c7f801f82e93ed03fb37afc0"},
    {31, "684159040cbddb2eb7e472046204eb3c3a97eb6e2d9add0aa8d99cbee55ba871"},
    {32, "1a03bd9e0d1e263be168ea07a6b2e7d34c564bda3b73da6a0c8da42fb56d2760"},
    {33, "6310a0cfe4ad3a9ffb3f27b780dcf3f33d0f4fca0611184d6386627cb2949305"},
    {34, "5d9175e9b7afda08e433aa7b235752e8dbc802aafa87212ae1c552c3c4467542"},
    {35, "c7495f576d5b47ecdbbc1485de31b833c01896a183d154e6b8d4bb51f2e740d8"},
    {36, "093253a5c7a51a9e592780c3d87a136dc1b337d9ef7b4fada5a05988d4f922f6"},
    {37, "1947677d6cb02a6a5eb18178f1864b0c7896730ebab6837fa29724e353d618e3"},
    {38, "aa3de6cfe05b4ad1ff7c1fd25a8001115491208463a9ed1549bfe0660fdb00fb"},
    {39, "bbf4c0f7a16fe5530f994594d8e5269e01bbd3c3f1709cf4959e646843f9d6f7"},
    {40, "2038f618fc3b98afa5a7f4c8e65b8647860a963100fdaa47ca36a23836a27991"},
    {63, "120cebc05918ffb1b2510dd3c057d81d741669e311b9cfdde9185dfaa51edf07"},
    {64, "5cbcc083e8000afd157308cca3eb54947a391878cc03736b0fc471bdcd9c4c1c"},
    {65, "afb49a97d20d93db5be319883024c71a024e5a655d42f46cb3541f96df3a994e"},
    {127, "74abdde09284f4377a1407f3ef67f9796cfc71e6ac441505241d4987941e9794"},
    {128, "63d4e574ef6b57606f9f5aeb871f23b10b21406bd750824dc4170a356e807729"},
    {129, "cd4f8b2717c5d89e79923e9a506227449db90ccd2e679bbc39bdcda48aff9072"},
    {130, "b9efe5d46c61e879811280f51e734c72b6877dcb850e5c69409cded1b937cbea"},
};
const char* const kRootsDigest = "bbb4ff91e02fa545b5dffc85780f0e2d8ebe16fea5c6b9f86e08c030632adf8b";
const char* const kInclusionDigest =
    "b12ab1f2503cf45b0e31114f6acd913553e8b1794affb71b69ca8fd5a4a5cf74";
const char* const kConsistencyDigest =
    "7086a303a173577ba3a377e00770649ed79177da20012b928277a415f6230c8e";
struct PinnedProof {
    std::uint64_t a, b;
    std::vector<std::string> hashes;
};
const std::vector<PinnedProof> kInclusionProofs = {
    {0,
     9,
     {"2dfb36c6f66cac361429cf46df868ab8242d3a6441f1099c8fb3f98ec5d108a4",
      "ddbde80fccdeb3198ef69b8e1f0934fbce296c6babfb738574a4f62972266793",
      "1a167fbc6b82c2a744f6ffa0a6276175edb00bd30592a5e74f7a21a9d203a828",
      "94910e42789c1962450908451ff9b1c050a7d6cde7d4d2d4e97f2f7509694b9f"}},
    {8, 9, {"b69732ce5c914162ca9accfaf4e95d3f9874d68805437088aaff184a4db96773"}},
    {6,
     13,
     {"467ef706ab0230c53b48662b5376e81556dd0b1e12b3674103ff73ee2e0587f4",
      "dd0379d83ac7f164e7eea30cdcefb57508254c48f766afccd3d976365e328ccc",
      "9799f307517ef517c2205df9b67762bf34756b20099fb7dfcce76bcebd273b2e",
      "a6d1de13cc71aa0f7b24243007b83afbd53f12487254742ad238a14dd3288b76"}},
    {16, 17, {"c71e4e22f9da1d6aa1121e96ed7e085765ac67b45568326a8ff8b7c8dde23a5f"}},
    {30,
     31,
     {"31ebda8b475402e7779abdc7a0220cea25f54f89037e5336b078fc7a7e15560f",
      "f36827bfa1b3196ea4c18c82d00966f78a3735b6cd667397949f5d3eaf1db23e",
      "090d08dd0a4936bb0ac73b7540e32049d6e2a79d01122b3a91a553428fc7d7e8",
      "c71e4e22f9da1d6aa1121e96ed7e085765ac67b45568326a8ff8b7c8dde23a5f"}},
    {32, 33, {"1a03bd9e0d1e263be168ea07a6b2e7d34c564bda3b73da6a0c8da42fb56d2760"}},
    {23,
     40,
     {"361b99915357d4b8bc85a925b96395b8a7cdbbb9aedbbf0cb86bd4f4e3cf61e3",
      "dc963c15d412ec865d69046d6da288b88e0534cf1880f0bd58454d0c30cdd172",
      "27718d059bb8b8224f5c8bf382ed4493bcf1b479026149fc0ab2441181c1a8f8",
      "fa1b538d93d23a5433f8d7482fa1acfdf8de086a79caf0f2d38de667d51983d9",
      "c71e4e22f9da1d6aa1121e96ed7e085765ac67b45568326a8ff8b7c8dde23a5f",
      "f4825b6bb86355c2a377cd27ac6d8b81905193ff64835c3d3936c3337bf7be46"}},
    {128, 129, {"63d4e574ef6b57606f9f5aeb871f23b10b21406bd750824dc4170a356e807729"}},
    {65,
     130,
     {"ff07acef681d80c5e030dcd4c8410d43c45e3e33ffd2a10144452a395912fd28",
      "21c0973e742485ba70c5685a165f6f7a5c708bafa13a501644cd5238957237d4",
      "aa5aae78515b195ff8c3d5bb9944577cd03d98797cc9cc93d6e1404588d4ea37",
      "594dbeada2d7b98d8c4f290d31d4eda8d188fc6974a7faaac5277ce060256295",
      "ac91ef9a480e9b7fe89040c3aa593014ed6ebf99100236e12927f721dbf57286",
      "6a6f737090ff8c9bdb501077632b0749dc9cdbf792aee57de2b7f5e66979f3dd",
      "5cbcc083e8000afd157308cca3eb54947a391878cc03736b0fc471bdcd9c4c1c",
      "46b988ff4dd12925f34068024afcaa689236d3fd8eb9701cd5dd01eb3074adc0"}},
};
const std::vector<PinnedProof> kConsistencyProofs = {
    {8, 9, {"94910e42789c1962450908451ff9b1c050a7d6cde7d4d2d4e97f2f7509694b9f"}},
    {5,
     13,
     {"485335db7cfec965f15ff745fc625c41d5ea2646936930165828f73dd4b68854",
      "9ff537b618a257ef82908c45915acbaeb6d9dea035d6d93964fc88c19e98c8b3",
      "ff0e32c20ff65b97ac10b3b2677b872aa3d5a0287d9457acba47e57cf4a4a73f",
      "9799f307517ef517c2205df9b67762bf34756b20099fb7dfcce76bcebd273b2e",
      "a6d1de13cc71aa0f7b24243007b83afbd53f12487254742ad238a14dd3288b76"}},
    {16, 17, {"ca38c904b0239f7e38d1bf48dc1c9468455f3b27395669c80209ffdc87a89746"}},
    {9,
     40,
     {"94910e42789c1962450908451ff9b1c050a7d6cde7d4d2d4e97f2f7509694b9f",
      "9005e32af079473777f97bb93e3033a9e870c79be7f359d7bd67e2b442156e24",
      "18022be8c6e5f675db5ef3ee00845cde3bd1459584072a5b33f52d18b89457fd",
      "6a6f7bdce15f6b7cfa21d41b6b76f5108dedb0b3ac8b5da1e8dabc803d9eea35",
      "b69732ce5c914162ca9accfaf4e95d3f9874d68805437088aaff184a4db96773",
      "14ac03bb1a8b799a7e1ca3571c7e82732b87134edd4c169a232c049c664053f6",
      "f4825b6bb86355c2a377cd27ac6d8b81905193ff64835c3d3936c3337bf7be46"}},
    {31,
     33,
     {"fdb5da95beab1346d893bb4ea2ccb4c5e4cb96800c07d9cc66869b470f58e284",
      "4c6065130898eb4422f4b412e969c1a8a889174835f2f4665b9bf5e9a566099b",
      "31ebda8b475402e7779abdc7a0220cea25f54f89037e5336b078fc7a7e15560f",
      "f36827bfa1b3196ea4c18c82d00966f78a3735b6cd667397949f5d3eaf1db23e",
      "090d08dd0a4936bb0ac73b7540e32049d6e2a79d01122b3a91a553428fc7d7e8",
      "c71e4e22f9da1d6aa1121e96ed7e085765ac67b45568326a8ff8b7c8dde23a5f",
      "b90de8cf8d8aaed63d15205e86c5efd1f8c0f6a8fef0fd2d71e12a42d3a10bb1"}},
    {64,
     129,
     {"65ef11b93a553157969833cbd449c3c9bbed4b8539ca4ffbbcc57777aa944685",
      "d34ace5dff1ca76ea6ef2d5f663a09a0a09e26ef048f962b30bdd27c07890230"}},
    {100,
     130,
     {"2dfd364a377e087da512ae4440591ee50b7c6435be9a324e24599515d819e6f7",
      "2a780333d997edad9214755be32b60146224ed64ed2c36e944f6ebe0c5656608",
      "cf85452f2da515748ea2c5aa178e1802811bd21ad5235d5f8c76334eea752f94",
      "f9bce9d529c9c4ff15cddd2b155f047de6c3d5d36becf775fbaf6713195056ca",
      "c7877067c417bf82b54123ead665d62eeb25a329b4e20f79338b78286b031310",
      "5cbcc083e8000afd157308cca3eb54947a391878cc03736b0fc471bdcd9c4c1c",
      "46b988ff4dd12925f34068024afcaa689236d3fd8eb9701cd5dd01eb3074adc0"}},
};

std::string line(std::uint64_t a, std::uint64_t b, const std::vector<Hash>& proof) {
    std::string out = std::to_string(a) + " " + std::to_string(b) + " ";
    for (std::size_t i = 0; i < proof.size(); ++i) {
        if (i) // appended apart: GCC 12 at -O3 warns (-Werror=restrict, its bug 105329)
            out += ' ';
        out += toHex(proof[i]);
    }
    return out + "\n";
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

// The oracle is not this project's verifier: every root and proof of every tree of 1 to 130
// leaves equals what an independent implementation of RFC 9162 computed (the pinned vectors),
// some shown in full, all of them through their digests.
TEST(Merkle, RootsAndProofsBeyondEightLeavesEqualTheIndependentReference) {
    auto t = counting(kReferenceSize);
    for (const auto& [n, root] : kRootsBeyondEight)
        EXPECT_EQ(toHex(t.root(n)), root) << "size " << n;
    for (const auto& p : kInclusionProofs)
        EXPECT_EQ(toHex(t.inclusionProof(p.a, p.b)), p.hashes) << p.a << " in " << p.b;
    for (const auto& p : kConsistencyProofs)
        EXPECT_EQ(toHex(t.consistencyProof(p.a, p.b)), p.hashes) << p.a << " -> " << p.b;
    std::string roots, inclusion, consistency;
    for (std::uint64_t n = 1; n <= kReferenceSize; ++n) {
        roots += std::to_string(n) + " " + toHex(t.root(n)) + "\n";
        for (std::uint64_t i = 0; i < n; ++i)
            inclusion += line(n, i, t.inclusionProof(i, n));
        for (std::uint64_t m = 1; m <= n; ++m)
            consistency += line(n, m, t.consistencyProof(m, n));
    }
    EXPECT_EQ(rekap::sha256Hex(roots), kRootsDigest);
    EXPECT_EQ(rekap::sha256Hex(inclusion), kInclusionDigest);
    EXPECT_EQ(rekap::sha256Hex(consistency), kConsistencyDigest);
}

// A replay that checks each signed head as it reaches its size keeps the leaves and the nodes the
// current root needs, not every inner node: the same roots and proofs, rebuilt from the leaves
// where they are no longer kept, in about half the memory.
TEST(Merkle, ACompactTreeGivesTheSameRootsAndProofsAndHoldsLittleMoreThanItsLeaves) {
    Tree compact(Tree::Keep::LeavesAndFrontier), full;
    std::string roots;
    for (std::uint64_t n = 1; n <= kReferenceSize; ++n) {
        auto leaf = leafHash("entry " + std::to_string(n - 1));
        compact.append(leaf);
        full.append(leaf);
        ASSERT_EQ(compact.root(), full.root()) << "size " << n;
        roots += std::to_string(n) + " " + toHex(compact.root()) + "\n";
    }
    EXPECT_EQ(rekap::sha256Hex(roots), kRootsDigest);
    // Every level above the leaves holds at most its last two nodes.
    // 130 leaves and 128 inner nodes (a complete subtree per leaf, less one per one bit of 130).
    EXPECT_EQ(full.nodesHeld(), 2 * kReferenceSize - 2);
    EXPECT_LE(compact.nodesHeld(), kReferenceSize + 2 * 8);
    // Earlier roots and proofs: rebuilt, the same.
    for (std::uint64_t n = 1; n <= kReferenceSize; n += 7) {
        EXPECT_EQ(compact.root(n), full.root(n)) << "size " << n;
        for (std::uint64_t i = 0; i < n; i += 5)
            EXPECT_EQ(compact.inclusionProof(i, n), full.inclusionProof(i, n)) << i << " in " << n;
        for (std::uint64_t m = 1; m <= n; m += 3)
            EXPECT_EQ(compact.consistencyProof(m, n), full.consistencyProof(m, n))
                << m << " -> " << n;
    }
    auto large = counting(100000, Tree::Keep::LeavesAndFrontier);
    EXPECT_LE(large.nodesHeld(), 100000u + 2 * 17);
    EXPECT_EQ(large.root(), counting(100000).root());
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
