#include "desk/password_hash.h"

#include <sodium.h>
#include <stdexcept>

namespace rekap::central {

namespace {
void initSodium() {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
}
} // namespace

std::string passwordProblem(const std::string& password) {
    if (password.size() < 10)
        return "a desk password has at least 10 characters";
    if (password.size() > 1024)
        return "a desk password has at most 1024 bytes";
    return {};
}

std::string hashPassword(const std::string& password) {
    if (auto why = passwordProblem(password); !why.empty())
        throw std::invalid_argument(why);
    initSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw std::runtime_error("out of memory while hashing a password");
    return out;
}

bool passwordMatches(const std::string& hash, const std::string& password) {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || password.size() > 1024)
        return false;
    initSodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

HashingSlots::HashingSlots(int slots)
    : free_(slots) {}

bool HashingSlots::take(std::chrono::milliseconds wait) {
    return free_.try_acquire_for(wait);
}

void HashingSlots::give() {
    free_.release();
}

} // namespace rekap::central
