#pragma once
// Sheets being typed, one draft per sheet (drafts), until they are finalized.

#include <optional>
#include <string>

#include "rekap/sync/store/tx.h"
#include <nlohmann/json.hpp>

namespace rekap::sync {

class DeviceFile;

class Drafts {
public:
    explicit Drafts(DeviceFile& file)
        : file_(file) {}

    void save(const std::string& sheetKey, const nlohmann::json& draft);
    std::optional<nlohmann::json> of(const std::string& sheetKey) const;
    /// In the transaction that finalizes the sheet.
    void drop(WriteTx& tx, const std::string& sheetKey);

private:
    DeviceFile& file_;
};

} // namespace rekap::sync
