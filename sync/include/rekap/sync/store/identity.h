#pragma once
// Who this device is to the receiver: its enrolment (server, device id, token, role, scope,
// regency), its Ed25519 key pair, and the receiver's public key. Kept in settings (keys listed
// in settings.h).

#include <optional>
#include <string>

#include "rekap/protocol.h"
#include "rekap/signing.h"
#include "rekap/sync/store/tx.h"

namespace rekap::sync {

class DeviceFile;
class Settings;

struct Enrolment {
    std::string server; ///< base URL, e.g. https://rekap.example.go.id
    std::string device;
    std::string token;
    protocol::Role role = protocol::Role::Operator;
    std::string scope;
    std::string regency;
    std::string receiverKey; ///< checks the receiver's signed tree heads
};

class Identity {
public:
    Identity(DeviceFile& file, const Settings& settings)
        : file_(file)
        , settings_(settings) {}

    std::optional<Enrolment> enrolment() const;
    std::optional<Enrolment> enrolment(const ReadTx& tx) const;
    void save(const Enrolment& e);
    /// The enrolment id to send: made once and kept, so a retried enrolment is the same one.
    std::string pendingEnrolmentId();
    /// The device's Ed25519 key pair: made once (before enrolling) and kept; it signs every
    /// revision this device finalizes.
    signing::KeyPair deviceKey();
    signing::KeyPair deviceKey(WriteTx& tx);
    /// False for a device enrolled before devices signed: its key still has to be registered.
    bool keyRegistered() const;
    void setKeyRegistered();
    /// A device enrolled or upgraded before keys: its key is registered on the next sync.
    void markKeyUnregistered(WriteTx& tx);
    /// The receiver's public key, learned on first use by a device enrolled before keys.
    void setReceiverKey(const std::string& publicKey);

private:
    DeviceFile& file_;
    const Settings& settings_;
};

} // namespace rekap::sync
