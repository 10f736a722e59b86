#pragma once
// Ed25519 signatures (OpenSSL 3) and the base64 text they travel as. A device signs each
// revision it finalizes; the receiver signs its desk decisions and the ledger's tree heads.
// Keys and signatures are raw Ed25519 bytes (32-byte keys, 64-byte signatures) in standard
// base64 with padding, so that any other implementation can check them (docs/integrity.md).

#include <optional>
#include <string>
#include <string_view>

namespace rekap::signing {

struct KeyPair {
    std::string publicKey;  ///< base64 of the 32-byte public key
    std::string privateKey; ///< base64 of the 32-byte private key (the seed); keep it secret
};

/// A fresh key pair from the system's random source.
KeyPair generateKeyPair();
/// The public key belonging to `privateKey`. Throws std::invalid_argument for a malformed key.
std::string publicKeyOf(const std::string& privateKey);
/// The base64 signature of `message`. Throws std::invalid_argument for a malformed key.
std::string sign(const std::string& privateKey, std::string_view message);
/// True when `signature` is `publicKey`'s signature of `message`; false for any malformed input.
bool verify(const std::string& publicKey, std::string_view message, const std::string& signature);
/// True for the base64 of exactly 32 bytes.
bool isPublicKey(std::string_view text);

std::string base64Encode(std::string_view bytes);
/// Strict: standard alphabet, padding required, nothing else; nullopt otherwise.
std::optional<std::string> base64Decode(std::string_view text);

/// A short, readable fingerprint of a public key (first 16 hex digits of its SHA-256, grouped):
/// what the dashboard and the printed recap show, and what an observer compares by eye.
std::string fingerprint(const std::string& publicKey);

} // namespace rekap::signing
