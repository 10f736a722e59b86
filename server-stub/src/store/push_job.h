#pragma once
// A push on its way from the request to the ledger: checked on the request's thread (decoding,
// scope, signature, rules: pure work, on every core), stored in the intake, then integrated by
// the integrator (integrate.cpp). Shared by ingest.cpp (sequencing) and integrate.cpp.

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/store.h"
#include "rekap/rules.h"

namespace rekap::central {

/// One pushed revision, checked before it is stored.
struct Prepared {
    std::string id;
    std::string claimed; ///< relayed: the device the item names (who signed it, if anyone)
    std::optional<std::string> parentId;         ///< the parent as the device named it
    std::optional<protocol::PushResult> refusal; ///< decided without the store
    Revision rev;
    RevisionTexts texts;
    std::string numbersHash;
    std::vector<Finding> findings;
    bool inserted = false;    ///< stored by this push (neither a retry nor refused)
    bool firstWinner = false; ///< the first accepted revision of its sheet: what it now counts
};

struct PushJob {
    DeviceRecord device; ///< who sent it: the signer, or a relay's carrier
    std::vector<Prepared> items;
    DeviceReport report;
    bool relayed = false;
    std::string itemsText; ///< the items as received, as the intake keeps them
    std::int64_t seq = 0;  ///< its place in the intake, once stored
    std::vector<protocol::PushResult> results;
    std::exception_ptr error;
    bool done = false; ///< integrated (results) or failed (error)
};

/// The device a relayed item names, as the store knows it (nullopt: none).
using SignerLookup = std::function<std::optional<DeviceRecord>(const std::string&)>;

protocol::PushResult refusedResult(const std::string& id, const std::string& code,
                                   const std::string& message, const std::string& path = {});

/// Checks a device's own push, item by item.
std::vector<Prepared> preparePush(const nlohmann::json& revisions, const DeviceRecord& device,
                                  const Regency& reg);
/// Checks a relay: each item as its claimed device's own push.
std::vector<Prepared> prepareRelay(const nlohmann::json& revisions, const DeviceRecord& carrier,
                                   const SignerLookup& signer, const Regency& reg);

/// The intake's record of a device's report, and back.
std::string encodeReport(const DeviceReport& report);
DeviceReport decodeReport(const std::string& text);

/// A push's answer as the intake keeps it: the results, or the error that refused it whole.
std::string encodeAnswer(const PushJob& job);
/// Fills `job` from a kept answer (results, or an error to rethrow).
void decodeAnswer(const std::string& text, PushJob& job);

} // namespace rekap::central
