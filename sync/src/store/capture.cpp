#include "rekap/sync/store/capture.h"

#include "rekap/merge.h"
#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

FinalizeRefused::FinalizeRefused(std::vector<Finding> findings)
    : std::runtime_error(
          "the sheet breaks " + std::to_string(findings.size()) +
          " rule(s); first: " + (findings.empty() ? std::string() : findings.front().messageEn))
    , findings_(std::move(findings)) {}

Revision Capture::finalize(const Sheet& sheet, const std::string& operatorName,
                           const FinalizeOptions& options) {
    auto reg = masterData_.regency();
    auto enrol = identity_.enrolment();
    if (!enrol || !reg)
        throw std::invalid_argument("this device is not enrolled yet: enrol it first");
    if (enrol->role != protocol::Role::Operator)
        throw std::invalid_argument("a camat device does not record sheets");
    if (sheet.tps.str() != enrol->scope)
        throw std::invalid_argument("this device records TPS " + enrol->scope + ", not " +
                                    sheet.tps.str());
    if (operatorName.empty())
        throw std::invalid_argument("the operator's name is required");
    auto findings = validateSheet(sheet, *reg);
    if (hasErrors(findings) && !options.allowRuleErrors)
        throw FinalizeRefused(findings);

    Revision rev;
    file_.write([&](WriteTx& tx) {
        auto key = identity_.deviceKey(tx);
        rev.parent = outbox_.head(tx, sheet.key());
        if (rev.parent && options.reason.empty())
            throw std::invalid_argument("sheet " + sheet.key() +
                                        " was already finalized: a correction needs a reason");
        rev.id = newUuid();
        rev.device = enrol->device;
        rev.operatorName = operatorName;
        rev.capturedAt = utcNowText();
        rev.reason = options.reason;
        rev.photo = options.photo;
        rev.sheet = sheet;
        signRevision(rev, key.privateKey);
        outbox_.queue(tx, rev, findings, true);
        drafts_.drop(tx, sheet.key());
        file_.failPoint("finalize.written");
    });
    file_.failPoint("finalize.committed");
    return rev;
}

Revision Capture::finalizeReading(const Sheet& sheet, const std::string& parent,
                                  const std::optional<std::string>& photo,
                                  const std::string& operatorName) {
    auto reg = masterData_.regency();
    auto enrol = identity_.enrolment();
    if (!enrol || !reg)
        throw std::invalid_argument("this device is not enrolled yet: enrol it first");
    if (enrol->role != protocol::Role::Camat)
        throw std::invalid_argument("only a camat device reads a sheet a second time");
    if (!AreaCode::parse(enrol->scope).contains(sheet.tps))
        throw std::invalid_argument("this camat reads kecamatan " + enrol->scope + ", not TPS " +
                                    sheet.tps.str());
    if (operatorName.empty())
        throw std::invalid_argument("the reader's name is required");
    if (parent.empty())
        throw std::invalid_argument("a second reading names the revision it reads");
    auto findings = validateSheet(sheet, *reg);
    if (hasErrors(findings))
        throw FinalizeRefused(findings);

    Revision rev;
    file_.write([&](WriteTx& tx) {
        auto key = identity_.deviceKey(tx);
        rev.id = newUuid();
        rev.parent = parent;
        rev.device = enrol->device;
        rev.operatorName = operatorName;
        rev.capturedAt = utcNowText();
        rev.reason = std::string(merge::kSecondReading);
        rev.photo = photo;
        rev.sheet = sheet;
        signRevision(rev, key.privateKey);
        // Not the sheet's head on this device: a camat's tablet records no sheets of its own.
        outbox_.queue(tx, rev, findings, false);
        file_.failPoint("finalize.written");
    });
    file_.failPoint("finalize.committed");
    return rev;
}

} // namespace rekap::sync
