#include "rekap/sync/store/identity.h"

#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

std::optional<Enrolment> Identity::enrolment() const {
    return enrolment(file_.read());
}

std::optional<Enrolment> Identity::enrolment(const ReadTx& tx) const {
    auto get = [&](const char* key) { return settings_.get(tx, key); };
    if (get("device").empty())
        return std::nullopt;
    return Enrolment{
        get("server"),      get("device"),
        get("token"),       protocol::parseRole(get("role")).value_or(protocol::Role::Operator),
        get("scope"),       get("regency"),
        get("receiver_key")};
}

void Identity::save(const Enrolment& e) {
    file_.write([&](WriteTx& tx) {
        settings_.set(tx, "server", e.server);
        settings_.set(tx, "device", e.device);
        settings_.set(tx, "token", e.token);
        settings_.set(tx, "role", std::string(protocol::roleName(e.role)));
        settings_.set(tx, "scope", e.scope);
        settings_.set(tx, "regency", e.regency);
        settings_.set(tx, "receiver_key", e.receiverKey);
    });
}

std::string Identity::pendingEnrolmentId() {
    return file_.write([&](WriteTx& tx) {
        auto id = settings_.get(tx, "enrolment_id");
        if (id.empty()) {
            id = newUuid();
            settings_.set(tx, "enrolment_id", id);
        }
        return id;
    });
}

signing::KeyPair Identity::deviceKey() {
    return file_.write([&](WriteTx& tx) { return deviceKey(tx); });
}

signing::KeyPair Identity::deviceKey(WriteTx& tx) {
    auto priv = settings_.get(tx, "device_private_key");
    if (!priv.empty())
        return {settings_.get(tx, "device_public_key"), priv};
    auto pair = signing::generateKeyPair();
    settings_.set(tx, "device_private_key", pair.privateKey);
    settings_.set(tx, "device_public_key", pair.publicKey);
    return pair;
}

bool Identity::keyRegistered() const {
    return settings_.get(file_.read(), "key_registered") == "1";
}

void Identity::setKeyRegistered() {
    file_.write([&](WriteTx& tx) { settings_.set(tx, "key_registered", "1"); });
}

void Identity::markKeyUnregistered(WriteTx& tx) {
    if (settings_.get(tx, "key_registered").empty())
        settings_.set(tx, "key_registered", "0");
}

void Identity::setReceiverKey(const std::string& publicKey) {
    file_.write([&](WriteTx& tx) { settings_.set(tx, "receiver_key", publicKey); });
}

} // namespace rekap::sync
