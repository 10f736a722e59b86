#include "rekap/sync/store/settings.h"

namespace rekap::sync {

std::string Settings::get(const ReadTx& tx, const std::string& key) const {
    auto st = tx.prepare("SELECT value FROM settings WHERE key = ?");
    st.bindAll(key);
    return st.step() ? st.text(0) : std::string();
}

void Settings::set(WriteTx& tx, const std::string& key, const std::string& value) const {
    tx.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
               "value = excluded.value")
        .bindAll(key, value)
        .run();
}

} // namespace rekap::sync
