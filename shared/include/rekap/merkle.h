#pragma once
// The ledger's Merkle tree, hashed exactly as Certificate Transparency's (RFC 9162 section 2.1):
// a leaf is SHA-256(0x00 || entry), a node SHA-256(0x01 || left || right), and a tree of n
// leaves splits at the largest power of two below n. Inclusion and consistency proofs and
// their checks follow the RFC's algorithms, so any CT tool can check Rekap's proofs.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rekap::merkle {

using Hash = std::array<unsigned char, 32>;

Hash leafHash(std::string_view entry);
Hash nodeHash(const Hash& left, const Hash& right);
/// The root of the empty tree: SHA-256 of nothing.
Hash emptyRoot();
std::string toHex(const Hash& h);
/// 64 lower-case hex digits; nullopt otherwise.
std::optional<Hash> fromHex(std::string_view hex);

/// An append-only tree that keeps the hash of every complete, aligned subtree, so that a root of
/// any earlier size and any proof take O(log n) hashes. Memory: about 64 bytes per leaf.
class Tree {
public:
    /// What a tree keeps of its inner nodes.
    enum class Keep {
        /// Every complete subtree's hash: any root and proof in O(log n) hashes.
        Everything,
        /// The leaves, and of the inner nodes only the last two of each level: the root of the
        /// current size stays O(log n), any other root or proof is rebuilt from the leaves.
        /// For a replay that checks each signed head as it reaches its size (32 bytes a leaf,
        /// not 64: about 160 MB less for a national ledger).
        LeavesAndFrontier,
    };
    explicit Tree(Keep keep = Keep::Everything)
        : keep_(keep) {}

    void append(const Hash& leaf);
    std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
    const Hash& leaf(std::uint64_t index) const { return levels_.at(0).at(index); }
    /// MTH(D[0:size]); size <= size().
    Hash root(std::uint64_t size) const;
    Hash root() const { return root(size()); }
    /// PATH(index, D[0:size]). Throws std::out_of_range unless index < size <= size().
    std::vector<Hash> inclusionProof(std::uint64_t index, std::uint64_t size) const;
    /// PROOF(from, D[0:to]). Throws std::out_of_range unless 0 < from <= to <= size().
    std::vector<Hash> consistencyProof(std::uint64_t from, std::uint64_t to) const;
    /// Leaves and inner nodes held in memory (32 bytes each).
    std::uint64_t nodesHeld() const;
    void clear() {
        levels_.clear();
        dropped_.clear();
    }

private:
    /// MTH(D[begin:end]); begin is aligned to the subtree sizes the RFC's split produces.
    Hash range(std::uint64_t begin, std::uint64_t end) const;
    void path(std::uint64_t m, std::uint64_t begin, std::uint64_t end,
              std::vector<Hash>& out) const;
    void subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                  std::vector<Hash>& out) const;
    /// levels_[k][i]: leaves [i*2^k, (i+1)*2^k). Deques, not vectors: a national ledger's
    /// 4,100,000 leaves are 131 MB, and a vector growing past its capacity holds the old array
    /// and one twice its size at once (about 400 MB for a moment) and keeps up to half unused.
    std::vector<std::deque<Hash>> levels_;
    /// How many nodes of each level were let go from its front (Keep::LeavesAndFrontier).
    std::vector<std::uint64_t> dropped_;
    Keep keep_;
    /// The complete subtrees level `k` has had, kept or let go.
    std::uint64_t count(std::size_t k) const { return dropped_[k] + levels_[k].size(); }
};

/// RFC 9162 2.1.3.2: is `leaf` at `index` of the tree of `size` leaves whose root is `root`?
bool verifyInclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                     const std::vector<Hash>& proof, const Hash& root);
/// RFC 9162 2.1.4.2: is the tree of `size2` leaves (root2) an append-only extension of the tree
/// of `size1` leaves (root1)?
bool verifyConsistency(std::uint64_t size1, std::uint64_t size2, const Hash& root1,
                       const Hash& root2, const std::vector<Hash>& proof);

/// Proofs travel as arrays of hex hashes.
std::vector<std::string> toHex(const std::vector<Hash>& proof);
/// nullopt when any element is not a hash.
std::optional<std::vector<Hash>> fromHex(const std::vector<std::string>& proof);

} // namespace rekap::merkle
