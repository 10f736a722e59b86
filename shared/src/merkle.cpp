#include "rekap/merkle.h"

#include <openssl/evp.h>
#include <stdexcept>

namespace rekap::merkle {

namespace {

Hash digest(unsigned char prefix, std::string_view a, std::string_view b = {}) {
    Hash out{};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(ctx, &prefix, 1) == 1 &&
              EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
              EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
              EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok || len != out.size())
        throw std::runtime_error("OpenSSL SHA-256 failed");
    return out;
}

std::string_view view(const Hash& h) {
    return {reinterpret_cast<const char*>(h.data()), h.size()};
}

/// The largest power of two smaller than n (n > 1): where the RFC splits a tree.
std::uint64_t split(std::uint64_t n) {
    std::uint64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

bool lsb(std::uint64_t v) {
    return v & 1;
}

} // namespace

Hash leafHash(std::string_view entry) {
    return digest(0x00, entry);
}

Hash nodeHash(const Hash& left, const Hash& right) {
    return digest(0x01, view(left), view(right));
}

Hash emptyRoot() {
    Hash out{};
    unsigned int len = 0;
    if (EVP_Digest("", 0, out.data(), &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL SHA-256 failed");
    return out;
}

std::string toHex(const Hash& h) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(64, '0');
    for (std::size_t i = 0; i < h.size(); ++i) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 0xf];
    }
    return out;
}

std::optional<Hash> fromHex(std::string_view hex) {
    if (hex.size() != 64)
        return std::nullopt;
    Hash out{};
    for (std::size_t i = 0; i < 64; ++i) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return std::nullopt;
        out[i / 2] = static_cast<unsigned char>(i % 2 ? (out[i / 2] | v) : (v << 4));
    }
    return out;
}

void Tree::append(const Hash& leaf) {
    if (levels_.empty()) {
        levels_.emplace_back();
        dropped_.push_back(0);
    }
    levels_[0].push_back(leaf);
    // Each time a level gains an even count, a complete subtree one level up is finished.
    for (std::size_t k = 0; count(k) % 2 == 0; ++k) {
        if (levels_.size() == k + 1) {
            levels_.emplace_back();
            dropped_.push_back(0);
        }
        const auto& level = levels_[k];
        levels_[k + 1].push_back(nodeHash(level[level.size() - 2], level.back()));
        // The next node up needs this one and the one before it; the current root needs only
        // the last of each level.
        if (keep_ == Keep::LeavesAndFrontier && levels_[k + 1].size() > 2) {
            levels_[k + 1].pop_front();
            ++dropped_[k + 1];
        }
    }
}

std::uint64_t Tree::nodesHeld() const {
    std::uint64_t n = 0;
    for (const auto& level : levels_)
        n += level.size();
    return n;
}

Hash Tree::range(std::uint64_t begin, std::uint64_t end) const {
    auto n = end - begin;
    if (n == 0)
        return emptyRoot();
    // A complete subtree whose start is a multiple of its size is stored.
    if ((n & (n - 1)) == 0) {
        std::size_t k = 0;
        while ((std::uint64_t{1} << k) < n)
            ++k;
        if (begin % n == 0 && k < levels_.size() && (begin >> k) >= dropped_[k] &&
            (begin >> k) < count(k))
            return levels_[k][(begin >> k) - dropped_[k]];
    }
    auto k = split(n);
    return nodeHash(range(begin, begin + k), range(begin + k, end));
}

Hash Tree::root(std::uint64_t n) const {
    if (n > size())
        throw std::out_of_range("the tree has " + std::to_string(size()) + " leaves, not " +
                                std::to_string(n));
    return range(0, n);
}

void Tree::path(std::uint64_t m, std::uint64_t begin, std::uint64_t end,
                std::vector<Hash>& out) const {
    auto n = end - begin;
    if (n == 1)
        return;
    auto k = split(n);
    if (m < k) {
        path(m, begin, begin + k, out);
        out.push_back(range(begin + k, end));
    } else {
        path(m - k, begin + k, end, out);
        out.push_back(range(begin, begin + k));
    }
}

std::vector<Hash> Tree::inclusionProof(std::uint64_t index, std::uint64_t n) const {
    if (index >= n || n > size())
        throw std::out_of_range("no entry " + std::to_string(index) + " in a tree of " +
                                std::to_string(n) + " (the ledger holds " + std::to_string(size()) +
                                ")");
    std::vector<Hash> out;
    path(index, 0, n, out);
    return out;
}

void Tree::subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                    std::vector<Hash>& out) const {
    auto n = end - begin;
    if (m == n) {
        if (!whole)
            out.push_back(range(begin, end));
        return;
    }
    auto k = split(n);
    if (m <= k) {
        subproof(m, begin, begin + k, whole, out);
        out.push_back(range(begin + k, end));
    } else {
        subproof(m - k, begin + k, end, false, out);
        out.push_back(range(begin, begin + k));
    }
}

std::vector<Hash> Tree::consistencyProof(std::uint64_t from, std::uint64_t to) const {
    if (from == 0 || from > to || to > size())
        throw std::out_of_range("no consistency proof from " + std::to_string(from) + " to " +
                                std::to_string(to) + " (the ledger holds " +
                                std::to_string(size()) + ")");
    std::vector<Hash> out;
    subproof(from, 0, to, true, out);
    return out;
}

bool verifyInclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                     const std::vector<Hash>& proof, const Hash& root) {
    if (index >= size)
        return false;
    std::uint64_t fn = index, sn = size - 1;
    Hash r = leaf;
    for (const auto& p : proof) {
        if (sn == 0)
            return false;
        if (lsb(fn) || fn == sn) {
            r = nodeHash(p, r);
            if (!lsb(fn))
                while (!lsb(fn) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verifyConsistency(std::uint64_t size1, std::uint64_t size2, const Hash& root1,
                       const Hash& root2, const std::vector<Hash>& proof) {
    if (size1 > size2)
        return false;
    if (size1 == size2)
        return proof.empty() && root1 == root2;
    if (size1 == 0)
        return proof.empty(); // the empty tree is a prefix of every tree
    if (proof.empty())
        return false;
    std::vector<Hash> path;
    if ((size1 & (size1 - 1)) == 0)
        path.push_back(root1);
    path.insert(path.end(), proof.begin(), proof.end());
    std::uint64_t fn = size1 - 1, sn = size2 - 1;
    while (lsb(fn)) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path[0], sr = path[0];
    for (std::size_t i = 1; i < path.size(); ++i) {
        const auto& c = path[i];
        if (sn == 0)
            return false;
        if (lsb(fn) || fn == sn) {
            fr = nodeHash(c, fr);
            sr = nodeHash(c, sr);
            if (!lsb(fn))
                while (!lsb(fn) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            sr = nodeHash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == root1 && sr == root2 && sn == 0;
}

std::vector<std::string> toHex(const std::vector<Hash>& proof) {
    std::vector<std::string> out;
    out.reserve(proof.size());
    for (const auto& h : proof)
        out.push_back(toHex(h));
    return out;
}

std::optional<std::vector<Hash>> fromHex(const std::vector<std::string>& proof) {
    std::vector<Hash> out;
    out.reserve(proof.size());
    for (const auto& s : proof) {
        auto h = fromHex(s);
        if (!h)
            return std::nullopt;
        out.push_back(*h);
    }
    return out;
}

} // namespace rekap::merkle
