#pragma once
// Votes by line (VoteKey::packed()) as one sorted array rather than a tree of nodes: an area's
// tally holds a few hundred lines (the DPR contests' caleg), and a national tally 8,283 areas of
// five contests, so a std::map's 64 bytes a line came to about 400 MB where this takes 16
// (docs/benchmarks.md, "National memory"). Lines are few per area, so inserting one keeps the
// array sorted by moving what follows it; look-ups are binary searches.

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rekap {

class VoteCounts {
public:
    using value_type = std::pair<std::uint64_t, long>;
    using const_iterator = std::vector<value_type>::const_iterator;
    using iterator = std::vector<value_type>::iterator;

    /// The line's count, added as 0 when missing.
    long& operator[](std::uint64_t key) {
        auto it = lowerBound(key);
        if (it == lines_.end() || it->first != key)
            it = lines_.insert(it, {key, 0});
        return it->second;
    }
    const_iterator find(std::uint64_t key) const {
        auto it = std::lower_bound(lines_.begin(), lines_.end(), key, keyLess);
        return it != lines_.end() && it->first == key ? it : lines_.end();
    }
    /// The line's count; throws std::out_of_range when missing, like std::map::at.
    long at(std::uint64_t key) const {
        auto it = find(key);
        if (it == end())
            throw std::out_of_range("no votes counted on line " + std::to_string(key));
        return it->second;
    }
    /// Appends a line whose key is above every key held (a decoder reading keys in order);
    /// false, adding nothing, otherwise.
    bool appendAscending(std::uint64_t key, long count) {
        if (!lines_.empty() && lines_.back().first >= key)
            return false;
        lines_.emplace_back(key, count);
        return true;
    }
    /// Drops the lines counted down to zero, so that an incremental tally and a recount hold
    /// the same lines.
    void dropZeros() {
        std::erase_if(lines_, [](const value_type& l) { return l.second == 0; });
    }
    void reserve(std::size_t n) { lines_.reserve(n); }
    void shrinkToFit() { lines_.shrink_to_fit(); }

    const_iterator begin() const { return lines_.begin(); }
    const_iterator end() const { return lines_.end(); }
    std::size_t size() const { return lines_.size(); }
    bool empty() const { return lines_.empty(); }
    bool operator==(const VoteCounts&) const = default;

private:
    static bool keyLess(const value_type& l, std::uint64_t key) { return l.first < key; }
    iterator lowerBound(std::uint64_t key) {
        return std::lower_bound(lines_.begin(), lines_.end(), key, keyLess);
    }
    std::vector<value_type> lines_; ///< ascending by key, no two alike
};

} // namespace rekap
