#include "rekap/contest.h"

#include <algorithm>

namespace rekap {

std::string_view ballotKindName(BallotKind kind) {
    switch (kind) {
    case BallotKind::Paslon:
        return "paslon";
    case BallotKind::Party:
        return "party";
    case BallotKind::Individual:
        return "individual";
    }
    return "?";
}

std::optional<BallotKind> parseBallotKind(std::string_view name) {
    if (name == "paslon")
        return BallotKind::Paslon;
    if (name == "party")
        return BallotKind::Party;
    if (name == "individual")
        return BallotKind::Individual;
    return std::nullopt;
}

namespace {
template <typename T> const T* findByNumber(const std::vector<T>& items, int number) {
    auto it = std::find_if(items.begin(), items.end(),
                           [number](const T& c) { return c.number == number; });
    return it == items.end() ? nullptr : &*it;
}
} // namespace

const Candidate* PartyList::findCandidate(int number) const {
    return findByNumber(candidates, number);
}

bool Dapil::covers(const AreaCode& tps) const {
    return std::any_of(areas.begin(), areas.end(),
                       [&](const AreaCode& a) { return a.contains(tps); });
}

const PartyList* Dapil::findList(int party) const {
    auto it = std::find_if(lists.begin(), lists.end(),
                           [party](const PartyList& l) { return l.party == party; });
    return it == lists.end() ? nullptr : &*it;
}

const Candidate* Contest::findCandidate(int number) const {
    return findByNumber(candidates, number);
}

const Dapil* Contest::dapilFor(const AreaCode& tps) const {
    auto it =
        std::find_if(dapils.begin(), dapils.end(), [&](const Dapil& d) { return d.covers(tps); });
    return it == dapils.end() ? nullptr : &*it;
}

} // namespace rekap
