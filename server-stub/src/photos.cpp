#include "rekap/central/photos.h"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "rekap/central/api_error.h"
#include "rekap/sha256.h"

namespace rekap::central {

namespace fs = std::filesystem;

PhotoStore::PhotoStore(fs::path dir, std::uint64_t maxSize)
    : dir_(std::move(dir))
    , maxSize_(maxSize) {
    fs::create_directories(dir_);
}

fs::path PhotoStore::pathOf(const std::string& sha) const {
    return dir_ / (sha + ".jpg");
}

PhotoStatus PhotoStore::status(const std::string& sha) const {
    std::lock_guard lock(mu_);
    std::error_code ec;
    if (fs::exists(pathOf(sha), ec))
        return {true, fs::file_size(pathOf(sha))};
    auto part = dir_ / (sha + ".part");
    return {false, fs::exists(part, ec) ? fs::file_size(part) : 0};
}

namespace {
void appendDurably(const fs::path& file, const std::string& data) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        throw ApiError(507, protocol::error::kStorage, "cannot open " + file.string());
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) {
            ::close(fd);
            throw ApiError(507, protocol::error::kStorage, "cannot write " + file.string());
        }
        done += static_cast<std::size_t>(n);
    }
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced)
        throw ApiError(507, protocol::error::kStorage, "cannot sync " + file.string());
}
} // namespace

PhotoStatus PhotoStore::append(const std::string& sha, std::uint64_t offset,
                               std::uint64_t totalSize, const std::string& data) {
    std::lock_guard lock(mu_);
    if (totalSize > maxSize_)
        throw ApiError(413, protocol::error::kPayloadTooLarge,
                       "a photo may have at most " + std::to_string(maxSize_) + " bytes");
    std::error_code ec;
    if (fs::exists(pathOf(sha), ec))
        return {true, fs::file_size(pathOf(sha))};
    auto part = dir_ / (sha + ".part");
    std::uint64_t have = fs::exists(part, ec) ? fs::file_size(part) : 0;
    if (offset != have)
        throw ApiError(409, protocol::error::kOffsetMismatch,
                       "upload stands at byte " + std::to_string(have) + ", not " +
                           std::to_string(offset));
    if (have + data.size() > totalSize)
        throw ApiError(400, protocol::error::kBadRequest, "chunk runs past the photo's size");
    appendDurably(part, data);
    have += data.size();
    if (have < totalSize)
        return {false, have};
    std::ifstream in(part, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    if (sha256Hex(buf.str()) != sha) {
        fs::remove(part, ec);
        throw ApiError(422, protocol::error::kHashMismatch,
                       "the uploaded bytes do not hash to " + sha + "; upload discarded");
    }
    fs::rename(part, pathOf(sha));
    return {true, have};
}

} // namespace rekap::central
