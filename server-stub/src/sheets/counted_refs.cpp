#include "rekap/central/counted_refs.h"

namespace rekap::central {

void CountedRefs::reset(const Regency& regency) {
    regency_ = &regency;
    std::vector<CountedRef>(regency.tps.size() * regency.contests.size()).swap(slots_);
    strays_.clear();
}

void CountedRefs::clear() {
    regency_ = nullptr;
    std::vector<CountedRef>().swap(slots_);
    strays_.clear();
}

std::int64_t CountedRefs::slotOf(const std::string& key) const {
    if (!regency_)
        return -1;
    auto slash = key.find('/');
    if (slash == std::string::npos)
        return -1;
    auto tps = regency_->tpsIndexOf(std::string_view(key).substr(0, slash));
    if (!tps)
        return -1;
    auto contest = std::string_view(key).substr(slash + 1);
    const auto& contests = regency_->contests;
    for (std::size_t c = 0; c < contests.size(); ++c)
        if (contests[c].code == contest)
            return static_cast<std::int64_t>(*tps * contests.size() + c);
    return -1;
}

CountedRef CountedRefs::find(const std::string& key) const {
    auto slot = slotOf(key);
    if (slot >= 0)
        return slots_[static_cast<std::size_t>(slot)];
    auto it = strays_.find(key);
    return it == strays_.end() ? CountedRef{} : it->second;
}

void CountedRefs::set(const std::string& key, const CountedRef& ref) {
    auto slot = slotOf(key);
    if (slot >= 0) {
        slots_[static_cast<std::size_t>(slot)] = ref;
        return;
    }
    if (ref == CountedRef{})
        strays_.erase(key);
    else
        strays_.insert_or_assign(key, ref);
}

void CountedRefs::forEach(
    const std::function<void(const std::string& key, const CountedRef&)>& f) const {
    if (regency_) {
        const auto& contests = regency_->contests;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i] == CountedRef{})
                continue;
            const auto& tps = regency_->tps[i / contests.size()];
            f(tps.code.str() + "/" + contests[i % contests.size()].code, slots_[i]);
        }
    }
    for (const auto& [key, ref] : strays_)
        f(key, ref);
}

} // namespace rekap::central
