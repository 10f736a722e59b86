#include "rekap/sync/store/master_copy.h"

#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

void MasterCopy::load(const ReadTx& tx) {
    auto st = tx.prepare("SELECT document FROM master_data WHERE id = 1");
    if (!st.step())
        return;
    auto reg = std::make_shared<const Regency>(
        decodeRegency(parseJsonText(st.text(0), "master data"), "master data"));
    std::lock_guard lock(mu_);
    regency_ = std::move(reg);
}

void MasterCopy::save(const std::string& document) {
    auto reg = std::make_shared<const Regency>(
        decodeRegency(parseJsonText(document, "master data"), "master data"));
    file_.write([&](WriteTx& tx) {
        tx.prepare("INSERT INTO master_data (id, document, version) VALUES (1, ?, ?) ON CONFLICT "
                   "(id) DO UPDATE SET document = excluded.document, version = excluded.version")
            .bindAll(document, reg->contentHash)
            .run();
    });
    std::lock_guard lock(mu_);
    regency_ = std::move(reg);
}

std::shared_ptr<const Regency> MasterCopy::regency() const {
    std::lock_guard lock(mu_);
    return regency_;
}

std::string MasterCopy::version() const {
    std::lock_guard lock(mu_);
    return regency_ ? regency_->contentHash : std::string();
}

} // namespace rekap::sync
