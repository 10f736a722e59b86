// decodeRegencyText: a regency document decoded from its text without the whole document in
// memory as a JSON tree. A national regency (820,000 TPS, 75 MB of text) took about 800 MB as
// an nlohmann tree, the largest part of a receiver's peak at start (docs/benchmarks.md,
// "National memory"). Here one SAX pass builds the tree of everything but the TPS, and keeps each
// TPS as its own compact text; each is then parsed alone and decoded by the same code as
// decodeRegency (master_data_parts.h), and the content hash is the SHA-256 of the same canonical
// text, fed in parts.

#include <map>
#include <nlohmann/json.hpp>

#include "master_data_parts.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"

namespace rekap {

namespace {

using json = nlohmann::json;

/// The SAX handler: a tree like nlohmann's own parser builds, except the elements of the array
/// at `path` + "tps", which are kept as text (an empty array stands in the tree).
class SplitTps {
public:
    SplitTps(std::vector<std::string> path, const std::string& source)
        : path_(std::move(path))
        , source_(source) {
        path_.push_back("tps");
    }

    json root;
    bool sawTps = false;
    std::string elements;                     ///< each TPS's compact text, one after another
    std::vector<std::size_t> ends;            ///< where each ends in `elements`
    std::map<std::size_t, std::string> ascii; ///< the canonical text where it is not the same

    std::string_view element(std::size_t i) const {
        auto begin = i == 0 ? 0 : ends[i - 1];
        return std::string_view(elements).substr(begin, ends[i] - begin);
    }

    bool null() { return value(nullptr); }
    bool boolean(bool v) { return value(v); }
    bool number_integer(json::number_integer_t v) { return value(v); }
    bool number_unsigned(json::number_unsigned_t v) { return value(v); }
    bool number_float(json::number_float_t v, const std::string&) { return value(v); }
    bool string(json::string_t& v) { return value(std::move(v)); }
    bool binary(json::binary_t&) { return false; } // JSON text has none
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool key(json::string_t& k) {
        key_ = std::move(k);
        return true;
    }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string&, const json::exception& e) {
        // As parseJsonText words it for a whole-tree parse.
        throw DecodeError(source_, "not valid JSON at byte " + std::to_string(position) + ": " +
                                       std::string(e.what()));
    }

private:
    struct Level {
        json* node;
        bool onPath; ///< on the way from the root to the TPS array
        bool isTps;  ///< the TPS array itself: its elements are kept as text
    };

    /// Places `v` where the parser is; returns it and the level it would open.
    Level place(json&& v) {
        if (stack_.empty()) {
            root = std::move(v);
            return {&root, !path_.empty(), false};
        }
        auto& top = stack_.back();
        if (top.isTps) {
            element_ = std::move(v);
            return {&element_, false, false};
        }
        if (top.node->is_array()) {
            top.node->push_back(std::move(v));
            return {&top.node->back(), false, false};
        }
        auto depth = stack_.size() - 1; // of the parent
        bool onPath = top.onPath && depth < path_.size() && path_[depth] == key_;
        bool isTps = onPath && depth + 1 == path_.size() && v.is_array();
        if (isTps) {
            if (sawTps) // nlohmann would keep the last; two lists of TPS are a mistake
                throw DecodeError(source_, "$.tps appears twice");
            sawTps = true;
        }
        auto& slot = (*top.node)[key_];
        slot = std::move(v);
        return {&slot, onPath, isTps};
    }
    bool value(json&& v) {
        bool inTps = !stack_.empty() && stack_.back().isTps;
        place(std::move(v));
        if (inTps)
            keepElement();
        return true;
    }
    bool open(json&& container) {
        stack_.push_back(place(std::move(container)));
        return true;
    }
    bool close() {
        stack_.pop_back();
        if (!stack_.empty() && stack_.back().isTps)
            keepElement();
        return true;
    }
    void keepElement() {
        auto text = element_.dump();
        elements += text;
        ends.push_back(elements.size());
        // The canonical text escapes what is not ASCII; where nothing is, it is the same text.
        for (unsigned char c : text)
            if (c >= 0x80) {
                ascii.emplace(ends.size() - 1, element_.dump(-1, ' ', true));
                break;
            }
        element_ = json();
    }

    std::vector<std::string> path_;
    const std::string& source_;
    std::vector<Level> stack_;
    std::string key_;
    json element_; ///< the TPS being read
};

/// Writes `doc` (an object) as nlohmann's compact dump would, its TPS from `split`: canonical
/// (ASCII, as the content hash takes it) or as served.
template <class Out>
void writeDocument(const json& doc, const SplitTps& split, bool canonical, Out&& out) {
    auto dump = [&](const json& v) { return canonical ? v.dump(-1, ' ', true) : v.dump(); };
    out("{");
    bool first = true;
    for (const auto& [key, v] : doc.items()) { // keys in order, as dump() writes them
        if (!first)
            out(",");
        first = false;
        out(dump(json(key)));
        out(":");
        if (key != "tps" || !v.is_array() || !split.sawTps) {
            out(dump(v));
            continue;
        }
        out("[");
        for (std::size_t i = 0; i < split.ends.size(); ++i) {
            if (i > 0)
                out(",");
            auto a = canonical ? split.ascii.find(i) : split.ascii.end();
            out(a != split.ascii.end() ? std::string_view(a->second) : split.element(i));
        }
        out("]");
    }
    out("}");
}

} // namespace

RegencyText decodeRegencyText(std::string_view text, const std::string& source,
                              std::string_view at) {
    using namespace master_data_parts;
    std::vector<std::string> path;
    if (!at.empty())
        path.emplace_back(at);
    SplitTps split(path, source);
    try {
        json::sax_parse(text, &split);
    } catch (const json::exception& e) {
        throw DecodeError(source, std::string("not valid JSON: ") + e.what());
    }
    const json* doc = &split.root;
    if (!at.empty()) {
        auto it = split.root.is_object() ? split.root.find(at) : split.root.end();
        if (it == split.root.end())
            throw DecodeError(source, "no \"" + std::string(at) + "\" in it");
        doc = &*it;
    }
    JsonReader root(*doc, source);
    RegencyText out{decodeHead(root), {}};
    auto& reg = out.regency;
    root.field("tps").size(); // present and a list, or the error decodeRegency gives
    std::unordered_set<std::uint64_t> seen;
    seen.reserve(split.ends.size());
    reg.tps.reserve(split.ends.size());
    for (std::size_t i = 0; i < split.ends.size(); ++i) {
        auto element = json::parse(split.element(i));
        decodeTps(JsonReader(element, source, "$.tps[" + std::to_string(i) + "]"), reg, seen);
    }
    reg.index();
    Sha256 hash;
    writeDocument(*doc, split, true, [&](std::string_view s) { hash.update(s); });
    reg.contentHash = hash.hexDigest();
    out.document.reserve(split.elements.size() + split.elements.size() / 16);
    writeDocument(*doc, split, false, [&](std::string_view s) { out.document += s; });
    return out;
}

} // namespace rekap
