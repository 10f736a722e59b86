#pragma once
// Freezing a sheet into a signed revision and queuing it: the rules, the device's key and the
// sheet's head decide what is queued. Owns no table: it hands one write transaction to the
// outbox (the revision and the head) and the drafts (the draft it replaces).

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "rekap/revision.h"
#include "rekap/rules.h"

namespace rekap::sync {

class DeviceFile;
class Identity;
class MasterCopy;
class Outbox;
class Drafts;

/// Thrown by finalize when the sheet breaks an error-level rule.
class FinalizeRefused : public std::runtime_error {
public:
    explicit FinalizeRefused(std::vector<Finding> findings);
    const std::vector<Finding>& findings() const { return findings_; }

private:
    std::vector<Finding> findings_;
};

class Capture {
public:
    Capture(DeviceFile& file, Identity& identity, const MasterCopy& masterData, Outbox& outbox,
            Drafts& drafts)
        : file_(file)
        , identity_(identity)
        , masterData_(masterData)
        , outbox_(outbox)
        , drafts_(drafts) {}

    struct FinalizeOptions {
        std::string reason;               ///< required for a correction
        std::optional<std::string> photo; ///< SHA-256 of a photo added with Photos::add
        bool allowRuleErrors = false;     ///< for simulations: let the receiver reject it
    };
    /// Freezes `sheet` into a revision whose parent is the sheet's current head, durably queues
    /// it and drops the draft. Throws FinalizeRefused, or std::invalid_argument (not enrolled,
    /// correction without reason, sheet outside this device's TPS).
    Revision finalize(const Sheet& sheet, const std::string& operatorName,
                      const FinalizeOptions& options);
    /// A camat device's second reading (docs/second-reading.md): `sheet` as typed blind from the
    /// photo, frozen into a revision whose parent is `parent` (the counted revision the receiver
    /// handed out with the claim), reason "bacaan kedua", naming `photo`, signed with this
    /// device's key and durably queued in the outbox like any revision. Throws FinalizeRefused
    /// on an error-level rule, std::invalid_argument when this is no camat device, the sheet lies
    /// outside its kecamatan, or the name or parent is missing.
    Revision finalizeReading(const Sheet& sheet, const std::string& parent,
                             const std::optional<std::string>& photo,
                             const std::string& operatorName);

private:
    DeviceFile& file_;
    Identity& identity_;
    const MasterCopy& masterData_;
    Outbox& outbox_;
    Drafts& drafts_;
};

} // namespace rekap::sync
