#pragma once
// Building revisions by hand, for tests that play a device at the protocol level. Devices sign
// their revisions (protocol 2): the enrol helpers below give each test device a key pair and
// remember its private key by device id, and makeRevision signs with it.

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "rekap/protocol.h"
#include "rekap/revision.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

namespace rekap::test {

/// Private keys of the test devices, by device id.
class Keyring {
public:
    static Keyring& instance() {
        static Keyring k;
        return k;
    }
    void remember(const std::string& device, const std::string& privateKey) {
        std::lock_guard lock(mu_);
        keys_[device] = privateKey;
    }
    std::optional<std::string> privateKey(const std::string& device) const {
        std::lock_guard lock(mu_);
        auto it = keys_.find(device);
        return it == keys_.end() ? std::nullopt : std::optional(it->second);
    }

private:
    mutable std::mutex mu_;
    std::map<std::string, std::string> keys_;
};

/// Signs `r` with its device's key, when the keyring knows the device (after any change to the
/// revision, as a device that changed it would).
inline Revision& sign(Revision& r) {
    if (auto key = Keyring::instance().privateKey(r.device))
        signRevision(r, *key);
    return r;
}

/// An enrolment request with a fresh key pair; pass the answer to remember().
struct TestEnrolment {
    protocol::EnrolRequest request;
    signing::KeyPair key;
};
inline TestEnrolment enrolmentRequest(const std::string& code, const std::string& name = "t") {
    auto key = signing::generateKeyPair();
    return {{code, newUuid(), name, key.publicKey}, key};
}
inline protocol::EnrolResponse remember(const protocol::EnrolResponse& answer,
                                        const TestEnrolment& request) {
    Keyring::instance().remember(answer.device, request.key.privateKey);
    return answer;
}
/// Enrols through `store` (a CentralStore) and remembers the device's key.
template <typename Store>
protocol::EnrolResponse enrolSigned(Store& store, const std::string& code,
                                    const std::string& name = "t") {
    auto req = enrolmentRequest(code, name);
    return remember(store.registry().enrol(req.request), req);
}

inline Revision makeRevision(const std::string& device, const Sheet& sheet,
                             std::optional<std::string> parent = std::nullopt,
                             std::string reason = {}) {
    Revision r;
    r.id = newUuid();
    r.parent = std::move(parent);
    r.device = device;
    r.operatorName = "Operator " + device;
    r.capturedAt = "2024-02-14T09:00:00Z";
    r.reason = reason.empty() && r.parent ? "koreksi" : reason;
    r.sheet = sheet;
    return sign(r);
}

/// `sheet` with one vote moved from paslon 1 to paslon 2: different numbers, still valid.
inline Sheet moveOneVote(Sheet sheet) {
    sheet.candidates[0].votes -= 1;
    sheet.candidates[1].votes += 1;
    return sheet;
}

} // namespace rekap::test
