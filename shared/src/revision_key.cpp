#include "rekap/revision_key.h"

namespace rekap::revision_key {

std::string_view nameOf(std::string_view key) {
    return key.substr(0, key.find('@'));
}

std::string keyFor(const std::string& id, const std::string& device,
                   const std::vector<Named>& named) {
    const auto own = id + "@" + device;
    bool taken = false;
    for (const auto& n : named) {
        if (n.key == own || (n.key == id && n.device == device))
            return n.key;
        taken = taken || n.key == id;
    }
    return taken ? own : id;
}

std::string parentKey(const std::string& name, const std::string& device, const std::string& sheet,
                      const std::vector<Named>& named) {
    const auto own = name + "@" + device;
    for (const auto& n : named)
        if (n.key == own)
            return n.key;
    for (const auto& n : named)
        if (n.key == name && (n.device == device || n.sheet == sheet))
            return n.key;
    bool taken = false;
    for (const auto& n : named) {
        if (n.sheet == sheet)
            return n.key;
        taken = taken || n.key == name;
    }
    return taken ? own : name;
}

} // namespace rekap::revision_key
