#pragma once
// Revision ids belong to the device that signed them (docs/protocol.md, "Revision ids"). A
// device picks its revisions' ids; another device that saw one (a relay carrier is shown every
// sheet it carries as QR codes) could push a revision of its own under it first, and the genuine
// one would be refused as changed content forever. So a revision is stored under its key: its
// id, or "<id>@<device>" when another device's revision already holds the id. The device that
// signed it, not the one that carried it, decides the key: a relayed sheet and the same sheet
// pushed directly are one. Keys are the receiver's (its tables, its ledger's decisions, the
// dashboard); a device is only ever told ids, and a revision's own JSON, as signed, holds ids.
// The receiver and the verifiers give every revision the same key from the ledger's order.

#include <string>
#include <string_view>
#include <vector>

namespace rekap::revision_key {

/// A stored revision whose key is `name` or starts with `name` + "@".
struct Named {
    std::string key;
    std::string device; ///< who signed it (or "desk")
    std::string sheet;
};

/// The id a key stands for: the key up to "@" (a UUID never holds one).
std::string_view nameOf(std::string_view key);

/// The key of `device`'s revision `id`, given every stored revision named `id`: the key it has
/// when stored already (a retry), else `id` when free, else "<id>@<device>".
std::string keyFor(const std::string& id, const std::string& device,
                   const std::vector<Named>& named);

/// What a revision of `sheet` signed by `device` means by its parent id `name`: the revision
/// of that device with that id, else the one holding the plain id when it is of the same device
/// or sheet, else the first of the same sheet. A parent not received yet: the key it will get
/// (the id, or "<id>@<device>" when another sheet's revision of another device holds the id).
std::string parentKey(const std::string& name, const std::string& device, const std::string& sheet,
                      const std::vector<Named>& named);

} // namespace rekap::revision_key
