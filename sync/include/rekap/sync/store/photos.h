#pragma once
// Photos of plano sheets: the files, addressed by their SHA-256, in "<store>.photos", and which
// of them the receiver has (photos).

#include <filesystem>
#include <string>
#include <vector>

#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;

class Photos {
public:
    Photos(DeviceFile& file, std::filesystem::path dir)
        : file_(file)
        , dir_(std::move(dir)) {}

    /// Copies a photo into the store (durably) and returns its SHA-256.
    std::string add(const std::filesystem::path& file);
    /// Not yet uploaded, oldest first.
    std::vector<std::string> pending() const;
    std::filesystem::path path(const std::string& sha256) const;
    void markUploaded(const std::string& sha256);
    /// True when the photo was added and its file is here.
    bool has(const ReadTx& tx, const std::string& sha256) const;

private:
    DeviceFile& file_;
    std::filesystem::path dir_;
};

} // namespace rekap::sync
