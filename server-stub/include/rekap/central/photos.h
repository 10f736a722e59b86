#pragma once
// Photos of the C.Hasil plano, named by their SHA-256, uploaded in resumable chunks: a cut
// upload continues at the offset the receiver reports. Stored once however often sent.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

namespace rekap::central {

struct PhotoStatus {
    bool complete = false;
    std::uint64_t offset = 0; ///< bytes received so far (the size, when complete)
};

class PhotoStore {
public:
    explicit PhotoStore(std::filesystem::path dir, std::uint64_t maxSize = 20u << 20);
    PhotoStatus status(const std::string& sha256) const;
    /// Appends `data` at `offset` of a photo of `totalSize` bytes. Throws ApiError on an offset
    /// that is not where the upload stands (409, with the right offset), a size over the limit
    /// (413), or a finished photo whose bytes do not hash to its name (422, upload discarded).
    PhotoStatus append(const std::string& sha256, std::uint64_t offset, std::uint64_t totalSize,
                       const std::string& data);
    std::filesystem::path pathOf(const std::string& sha256) const;

private:
    std::filesystem::path dir_;
    std::uint64_t maxSize_;
    mutable std::mutex mu_;
};

} // namespace rekap::central
