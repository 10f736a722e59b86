#include "store/batch_look_ahead.h"

#include "devices/device_table.h"
#include "sheets/derive.h"
#include "store/push_job.h"

namespace rekap::central {

namespace {
std::vector<std::string> listOf(const std::set<std::string>& s) {
    return {s.begin(), s.end()};
}
} // namespace

BatchLookAhead::BatchLookAhead(const db::ReadTx& tx,
                               const std::vector<std::shared_ptr<PushJob>>& jobs)
    : tx_(tx) {
    for (const auto& job : jobs) {
        devices_.insert(job->device.id);
        for (const auto& p : job->items) {
            if (p.refusal)
                continue;
            devices_.insert(p.rev.device); // a relayed item's signer
            names_.insert(p.id);
            if (p.parentId)
                names_.insert(*p.parentId);
            sheetKeys_.insert(p.rev.sheet.key());
        }
    }
    if (devices_.empty())
        return;
    active_ = device_table::activeAmong(tx, listOf(devices_));
    if (names_.empty())
        return;
    named_ = derive::namedAmong(tx, listOf(names_));
    // The keys the revisions will take, as ingestOne derives them (a retry's key is among the
    // names read; a fresh one is looked up and found absent).
    for (const auto& job : jobs)
        for (const auto& p : job->items)
            if (!p.refusal)
                keys_.insert(revision_key::keyFor(p.id, p.rev.device, named(p.id)));
    revisions_ = sheet_rows::revisionsAmong(tx, listOf(keys_));
    sheets_ = derive::sheetsAmong(tx, listOf(sheetKeys_));
}

std::optional<bool> BatchLookAhead::active(const std::string& device) const {
    if (!devices_.count(device))
        return device_table::active(tx_, device);
    auto it = active_.find(device);
    return it == active_.end() ? std::nullopt : std::optional<bool>(it->second);
}

std::vector<revision_key::Named> BatchLookAhead::named(const std::string& name) const {
    if (!names_.count(name) || writtenNames_.count(name))
        return derive::named(tx_, name);
    auto it = named_.find(name);
    return it == named_.end() ? std::vector<revision_key::Named>{} : it->second;
}

std::optional<sheet_rows::RevisionRow> BatchLookAhead::revision(const std::string& key) const {
    if (!keys_.count(key) || writtenKeys_.count(key))
        return sheet_rows::revision(tx_, key);
    auto it = revisions_.find(key);
    return it == revisions_.end() ? std::nullopt : std::optional(it->second);
}

bool BatchLookAhead::sheetAbsent(const std::string& sheetKey) const {
    return sheetKeys_.count(sheetKey) && !writtenSheets_.count(sheetKey) &&
           !sheets_.count(sheetKey);
}

void BatchLookAhead::wrote(const std::string& key, const std::string& sheetKey) {
    writtenNames_.insert(std::string(revision_key::nameOf(key)));
    writtenKeys_.insert(key);
    writtenSheets_.insert(sheetKey);
}

} // namespace rekap::central
