#include "rekap/sync/store/drafts.h"

#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

void Drafts::save(const std::string& sheetKey, const nlohmann::json& draft) {
    file_.write([&](WriteTx& tx) {
        tx.prepare("INSERT INTO drafts (sheet, body, updated_at) VALUES (?, ?, ?) ON CONFLICT "
                   "(sheet) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")
            .bindAll(sheetKey, draft.dump(), utcNowText())
            .run();
    });
}

std::optional<nlohmann::json> Drafts::of(const std::string& sheetKey) const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT body FROM drafts WHERE sheet = ?");
    st.bindAll(sheetKey);
    if (!st.step())
        return std::nullopt;
    return nlohmann::json::parse(st.text(0));
}

void Drafts::drop(WriteTx& tx, const std::string& sheetKey) {
    tx.prepare("DELETE FROM drafts WHERE sheet = ?").bindAll(sheetKey).run();
}

} // namespace rekap::sync
