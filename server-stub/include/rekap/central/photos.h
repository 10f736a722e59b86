#pragma once
// Photos of the C.Hasil plano, named by their SHA-256, uploaded in resumable chunks: a cut
// upload continues at the offset the receiver reports. Stored once however often sent.
//
// Each upload belongs to the device that began it (only it may add chunks) and to that
// device's TPS (whose devices, the kecamatan's camat and the desk may read it). A photo that a
// revision names belongs to that revision's TPS: a device of that TPS takes over a partial
// upload anyone else began (a relay carrier saw the hash first and squatted it). Who owns what
// is kept in the photo folder's own small SQLite file, photos.db, beside the photos. A partial
// upload untouched for `partialTtl` is discarded, and a device may hold at most `quota` bytes.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace rekap::sqlite {
class Database;
}

namespace rekap::central {

struct PhotoStatus {
    bool complete = false;
    std::uint64_t offset = 0; ///< bytes received so far (the size, when complete)
};

/// Who an upload belongs to.
struct PhotoOwner {
    std::string device;
    std::string tps;
};

struct PhotoLimits {
    std::uint64_t maxSize = 20u << 20;                        ///< one photo
    std::uint64_t quota = 200u << 20;                         ///< all of one device's photos
    std::chrono::seconds partialTtl = std::chrono::hours(24); ///< an upload left unfinished
};

class PhotoStore {
public:
    explicit PhotoStore(std::filesystem::path dir, PhotoLimits limits = {});
    ~PhotoStore();
    PhotoStatus status(const std::string& sha256) const;
    /// Who began the upload; nullopt for none (or a photo stored before owners were kept).
    std::optional<PhotoOwner> owner(const std::string& sha256) const;
    /// Appends `data` at `offset` of a photo of `totalSize` bytes for `uploader`. Throws ApiError
    /// on an upload another device began (403), an offset that is not where the upload stands
    /// (409, with the right offset), a size over the limit or a quota used up (413), or a
    /// finished photo whose bytes do not hash to its name (422, upload discarded).
    PhotoStatus append(const std::string& sha256, std::uint64_t offset, std::uint64_t totalSize,
                       const std::string& data, const PhotoOwner& uploader);
    std::filesystem::path pathOf(const std::string& sha256) const;
    /// Discards partial uploads older than the limit; returns how many.
    int expirePartial();
    /// Bytes `device` holds (finished photos and the declared size of partial ones).
    std::uint64_t usedBy(const std::string& device) const;
    /// Whether a revision of TPS `tps` names the photo `sha256`: then that TPS's device may take
    /// over an upload another device began. Set where the receiver is built; unset, whoever
    /// begins an upload keeps it.
    using NamedBy = std::function<bool(const std::string& sha256, const std::string& tps)>;
    void setNamedBy(NamedBy namedBy) { namedBy_ = std::move(namedBy); }
    /// Whether `uploader` would take over the upload another device holds (see setNamedBy):
    /// then it starts from byte 0 whatever stands there.
    bool rightfulUploader(const std::string& sha256, const PhotoOwner& uploader) const;
    const std::filesystem::path& dir() const { return dir_; }

private:
    void discardLocked(const std::string& sha256);
    bool takesOver(const std::string& sha256, const PhotoOwner& owner,
                   const PhotoOwner& uploader) const;
    std::filesystem::path dir_;
    PhotoLimits limits_;
    mutable std::mutex mu_;
    std::unique_ptr<sqlite::Database> db_;
    NamedBy namedBy_;
};

} // namespace rekap::central
