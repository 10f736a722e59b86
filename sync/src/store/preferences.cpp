#include "rekap/sync/store/preferences.h"

#include "rekap/sync/store/file.h"

namespace rekap::sync {

std::string Preferences::get(const std::string& key) const {
    return settings_.get(file_.read(), "pref." + key);
}

void Preferences::set(const std::string& key, const std::string& value) {
    file_.write([&](WriteTx& tx) { settings_.set(tx, "pref." + key, value); });
}

} // namespace rekap::sync
