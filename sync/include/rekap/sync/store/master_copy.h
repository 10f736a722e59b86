#pragma once
// The device's copy of the regency's master data (master_data), decoded once and kept in memory:
// every sheet, rule and revision on the device is read against it.

#include <memory>
#include <mutex>
#include <string>

#include "rekap/regency.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;

class MasterCopy {
public:
    explicit MasterCopy(DeviceFile& file)
        : file_(file) {}

    /// Replaces the copy after checking it decodes. Throws DecodeError otherwise.
    void save(const std::string& document);
    /// Nullptr before the first master data arrives.
    std::shared_ptr<const Regency> regency() const;
    /// The copy's content hash; "" before the first.
    std::string version() const;
    /// Decodes the stored copy; when the file is opened.
    void load(const ReadTx& tx);

private:
    DeviceFile& file_;
    mutable std::mutex mu_; // guards regency_ alone: readers need no transaction
    std::shared_ptr<const Regency> regency_;
};

} // namespace rekap::sync
