#pragma once
// SHA-256 (OpenSSL) as lower-case hex: the content hash of revisions, photos and regency files.

#include <string>
#include <string_view>

namespace rekap {

std::string sha256Hex(std::string_view data);

/// SHA-256 of data given in parts: sha256Hex of their concatenation, without building it (a
/// national regency document is 75 MB).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view data);
    /// The digest of everything given; call once, last.
    std::string hexDigest();

private:
    void* ctx_; ///< OpenSSL's EVP_MD_CTX, kept out of this header
};
/// True for 64 lower-case hex digits.
bool isSha256Hex(std::string_view text);

} // namespace rekap
