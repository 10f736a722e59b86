#include "checkpoint/derived_checkpoint.h"

#include <zlib.h>

#include <array>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "rekap/merge.h"
#include "rekap/merkle.h"
#include "rekap/signing.h"

namespace rekap::central::derived_checkpoint {

namespace {

constexpr std::string_view kMagic = "RKCP1";
constexpr std::uint8_t kEnd = 0xff;     ///< after the last sheet
constexpr std::uint8_t kRawTps = 0;     ///< a TPS code kept as its bytes
constexpr std::size_t kMaxDigits = 18;  ///< a TPS code of digits only fits a uint64 up to here
constexpr std::uint8_t kVerified = 0x8; ///< beside the state's code

// The states a counted reference can hold, by their code in the encoding (never the enum's own
// numbers, which may be reordered).
constexpr std::array<SheetState, 4> kStates = {SheetState::NotReceived, SheetState::Accepted,
                                               SheetState::Conflict, SheetState::Rejected};

// Every field of AreaTally, in the encoding's order. A field added to AreaTally without a place
// here would be lost by every checkpoint: the size check below fails the build first.
constexpr std::array<long AreaTally::*, 16> kFields = {
    &AreaTally::tpsTotal,        &AreaTally::dpt,
    &AreaTally::tpsReported,     &AreaTally::tpsConflict,
    &AreaTally::tpsRejected,     &AreaTally::tpsVerified,
    &AreaTally::valid,           &AreaTally::invalid,
    &AreaTally::total,           &AreaTally::voters,
    &AreaTally::verifiedValid,   &AreaTally::ballots,
    &AreaTally::ballotsReported, &AreaTally::ballotsRejected,
    &AreaTally::ballotsConflict, &AreaTally::unverifiedValid};
constexpr std::array<const char*, 16> kFieldNames = {
    "tpsTotal",       "dpt",     "tpsReported",     "tpsConflict",     "tpsRejected",
    "tpsVerified",    "valid",   "invalid",         "total",           "voters",
    "verifiedValid",  "ballots", "ballotsReported", "ballotsRejected", "ballotsConflict",
    "unverifiedValid"};
static_assert(sizeof(AreaTally) == kFields.size() * sizeof(long) + 2 * sizeof(VoteCounts),
              "AreaTally has a field the checkpoint does not keep: add it to kFields");

class Writer {
public:
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
            v >>= 7;
        }
        out_.push_back(static_cast<char>(v));
    }
    void signedVarint(std::int64_t v) {
        varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    }
    void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
    void str(std::string_view s) {
        varint(s.size());
        out_.append(s);
    }
    void map(const VoteCounts& m) {
        varint(m.size());
        std::uint64_t last = 0;
        for (const auto& [k, v] : m) { // keys ascend: their differences are small
            varint(k - last);
            signedVarint(v);
            last = k;
        }
    }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

class Reader {
public:
    explicit Reader(std::string_view in)
        : in_(in) {}
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            auto b = byte();
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        throw std::runtime_error("a number runs past 64 bits at byte " + std::to_string(at_));
    }
    std::int64_t signedVarint() {
        auto u = varint();
        return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
    }
    std::uint8_t byte() {
        if (at_ >= in_.size())
            throw std::runtime_error("it ends early, at byte " + std::to_string(at_));
        return static_cast<std::uint8_t>(in_[at_++]);
    }
    std::string str() {
        auto n = varint();
        if (n > in_.size() - at_)
            throw std::runtime_error("a string runs past the end at byte " + std::to_string(at_));
        std::string s(in_.substr(at_, n));
        at_ += n;
        return s;
    }
    VoteCounts map() {
        VoteCounts m;
        auto n = varint();
        if (n > in_.size() - at_) // each line takes at least two bytes
            throw std::runtime_error("a list of votes runs past the end at byte " +
                                     std::to_string(at_));
        m.reserve(n);
        std::uint64_t key = 0;
        for (std::uint64_t i = 0; i < n; ++i) {
            key += varint();
            if (!m.appendAscending(key, static_cast<long>(signedVarint())))
                throw std::runtime_error("the lines of votes do not ascend at byte " +
                                         std::to_string(at_));
        }
        return m;
    }
    bool done() const { return at_ == in_.size(); }

private:
    std::string_view in_;
    std::size_t at_ = 0;
};

std::uint8_t stateCode(SheetState s) {
    for (std::size_t i = 0; i < kStates.size(); ++i)
        if (kStates[i] == s)
            return static_cast<std::uint8_t>(i);
    throw std::logic_error("a counted sheet in state " + std::string(sheetStateName(s)));
}

bool allDigits(std::string_view s) {
    if (s.empty() || s.size() > kMaxDigits)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::string deflate(const std::string& raw) {
    auto bound = compressBound(raw.size());
    std::string out(bound, '\0');
    // Level 1: the state is written every few seconds under way; speed matters more than bytes.
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &bound,
                  reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 1) != Z_OK)
        throw std::runtime_error("the checkpoint could not be compressed");
    out.resize(bound);
    return out;
}

std::string inflate(std::string_view packed, std::size_t rawSize) {
    std::string out(rawSize, '\0');
    uLongf n = rawSize;
    if (uncompress(reinterpret_cast<Bytef*>(out.data()), &n,
                   reinterpret_cast<const Bytef*>(packed.data()), packed.size()) != Z_OK ||
        n != rawSize)
        throw std::runtime_error("its compressed state does not inflate");
    return out;
}

std::string describe(const SheetRef& r) {
    return "entry " + std::to_string(r.winnerIdx) + ", " + std::string(sheetStateName(r.state)) +
           (r.verified ? ", verified" : "");
}

} // namespace

std::string
encode(const Tally& tally,
       const std::function<void(const std::function<void(const std::string&, const SheetRef&)>&)>&
           sheets) {
    Writer w;
    w.bytes().append(kMagic);
    std::uint64_t areaCount = 0;
    Writer a;
    tally.forEachArea([&](const std::string& contest, const std::string& area, const AreaTally& t) {
        a.str(contest);
        a.str(area);
        for (auto field : kFields)
            a.signedVarint(t.*field);
        a.map(t.votes);
        a.map(t.doubtful);
        ++areaCount;
    });
    w.varint(areaCount);
    w.bytes().append(a.bytes());
    std::unordered_map<std::string, std::uint64_t> contests; // contest -> its number, from 1
    sheets([&](const std::string& key, const SheetRef& ref) {
        auto slash = key.find('/');
        if (slash == std::string::npos)
            throw std::logic_error("a sheet key without a contest: " + key);
        std::string_view tps(key.data(), slash),
            contest(key.data() + slash + 1, key.size() - slash - 1);
        if (allDigits(tps)) {
            w.byte(static_cast<std::uint8_t>(tps.size()));
            w.varint(std::stoull(std::string(tps)));
        } else {
            w.byte(kRawTps);
            w.str(tps);
        }
        auto [it, added] = contests.try_emplace(std::string(contest), contests.size() + 1);
        w.varint(added ? 0 : it->second);
        if (added)
            w.str(contest);
        w.varint(static_cast<std::uint64_t>(ref.winnerIdx + 1));
        w.byte(static_cast<std::uint8_t>(stateCode(ref.state) | (ref.verified ? kVerified : 0)));
    });
    w.byte(kEnd);
    const auto& raw = w.bytes();
    return std::to_string(raw.size()) + ":" + signing::base64Encode(deflate(raw));
}

void decode(
    std::string_view text,
    const std::function<void(const std::string&, const std::string&, const AreaTally&)>& area,
    const std::function<void(std::string, const SheetRef&)>& sheet) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 12)
        throw std::runtime_error("it does not start with its size");
    std::size_t rawSize = 0;
    for (char c : text.substr(0, colon)) {
        if (c < '0' || c > '9')
            throw std::runtime_error("it does not start with its size");
        rawSize = rawSize * 10 + static_cast<std::size_t>(c - '0');
    }
    auto packed = signing::base64Decode(text.substr(colon + 1));
    if (!packed)
        throw std::runtime_error("its state is not base64");
    auto raw = inflate(*packed, rawSize);
    if (std::string_view(raw).substr(0, kMagic.size()) != kMagic)
        throw std::runtime_error("it is not a checkpoint of this format");
    Reader r(std::string_view(raw).substr(kMagic.size()));
    for (auto n = r.varint(); n > 0; --n) {
        auto contest = r.str();
        auto code = r.str();
        AreaTally t;
        for (auto field : kFields)
            t.*field = static_cast<long>(r.signedVarint());
        t.votes = r.map();
        t.doubtful = r.map();
        area(contest, code, t);
    }
    std::vector<std::string> contests;
    for (;;) {
        auto tag = r.byte();
        if (tag == kEnd)
            break;
        std::string key;
        if (tag == kRawTps) {
            key = r.str();
        } else if (tag <= kMaxDigits) {
            key = std::to_string(r.varint());
            if (key.size() > tag)
                throw std::runtime_error("a TPS code longer than its " + std::to_string(tag) +
                                         " digits");
            key.insert(0, tag - key.size(), '0');
        } else {
            throw std::runtime_error("a sheet with an unknown tag " + std::to_string(tag));
        }
        auto ref = r.varint();
        if (ref == 0) {
            contests.push_back(r.str());
        } else if (ref > contests.size()) {
            throw std::runtime_error("a sheet names contest " + std::to_string(ref) + " of " +
                                     std::to_string(contests.size()));
        }
        key += "/" + contests[ref == 0 ? contests.size() - 1 : ref - 1];
        SheetRef s;
        s.winnerIdx = static_cast<std::int64_t>(r.varint()) - 1;
        auto flags = r.byte();
        if ((flags & ~kVerified) >= kStates.size())
            throw std::runtime_error("sheet " + key + " has an unknown state");
        s.state = kStates[flags & ~kVerified];
        s.verified = (flags & kVerified) != 0;
        sheet(std::move(key), s);
    }
    if (!r.done())
        throw std::runtime_error("bytes follow its last sheet");
}

std::optional<Stored> read(const db::ReadTx& db) {
    auto st = db.prepare("SELECT ledger_size, root_hash, master_data, state, written_at FROM "
                         "derived_checkpoint WHERE id = 1");
    if (!st.step())
        return std::nullopt;
    return Stored{st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4)};
}

bool write(const db::WriteTx& db, const Stored& c) {
    {
        auto st = db.prepare("SELECT ledger_size FROM derived_checkpoint WHERE id = 1");
        if (st.step() && st.int64(0) >= c.size)
            return false;
    }
    db.prepare("DELETE FROM derived_checkpoint").run();
    db.prepare("INSERT INTO derived_checkpoint (id, ledger_size, root_hash, master_data, state, "
               "written_at) VALUES (1, ?, ?, ?, ?, ?)")
        .bindAll(c.size, c.root, c.masterData, c.state, c.writtenAt)
        .run();
    return true;
}

std::optional<std::string> differs(const Stored& c, const ledger::Replay& replay,
                                   const Tally* given) {
    const auto at = " at " + std::to_string(c.size) + " entries";
    if (c.size != replay.size())
        return "the checkpoint of derived state covers " + std::to_string(c.size) +
               " entries, the ledger holds " + std::to_string(replay.size());
    if (c.size == 0 ||
        merkle::toHex(replay.tree().root(static_cast<std::uint64_t>(c.size))) != c.root)
        return "the checkpoint of derived state names root " + c.root.substr(0, 12) +
               "…, not the ledger's root" + at;
    if (c.masterData != replay.regency().contentHash)
        return "the checkpoint of derived state was counted with master data " +
               c.masterData.substr(0, 12) + "…, not the ledger's" + at;
    std::unique_ptr<Tally> own;
    if (!given)
        own = replay.tally();
    const Tally* rebuilt = given ? given : own.get();
    std::optional<std::string> diff;
    std::size_t areas = 0;
    std::unordered_map<std::string, SheetRef> refs;
    try {
        decode(
            c.state,
            [&](const std::string& contest, const std::string& code, const AreaTally& sums) {
                ++areas;
                if (diff)
                    return;
                auto where =
                    "the checkpoint of derived state, contest " + contest + " area " + code + ": ";
                std::optional<AreaTally> want;
                try {
                    want = rebuilt->area(contest, AreaCode::parse(code));
                } catch (const std::exception&) {
                }
                if (!want) {
                    diff = where + "no such area in the ledger's master data";
                    return;
                }
                for (std::size_t i = 0; i < kFields.size() && !diff; ++i)
                    if (sums.*kFields[i] != (*want).*kFields[i])
                        diff = where + kFieldNames[i] + " " + std::to_string(sums.*kFields[i]) +
                               ", the ledger's rebuild " + std::to_string((*want).*kFields[i]) + at;
                if (!diff && sums.votes != want->votes)
                    diff = where + "its votes differ from the ledger's rebuild" + at;
                if (!diff && sums.doubtful != want->doubtful)
                    diff = where + "its doubtful votes differ from the ledger's rebuild" + at;
            },
            [&](std::string key, const SheetRef& ref) {
                if (ref.state != SheetState::NotReceived)
                    refs.emplace(std::move(key), ref);
            });
    } catch (const std::exception& e) {
        return "the checkpoint of derived state is unreadable: " + std::string(e.what());
    }
    if (diff)
        return diff;
    std::size_t wantAreas = 0;
    rebuilt->forEachArea(
        [&](const std::string&, const std::string&, const AreaTally&) { ++wantAreas; });
    if (areas != wantAreas)
        return "the checkpoint of derived state holds " + std::to_string(areas) +
               " areas, the ledger's master data " + std::to_string(wantAreas);
    for (const auto& [key, heads] : replay.sheets()) {
        SheetRef want;
        want.state = heads.state();
        if (const auto* w = heads.winner()) {
            want.winnerIdx = replay.revisions().at(w->id).index;
            want.verified = merge::verified(heads);
        }
        if (want.state == SheetState::NotReceived)
            continue;
        auto it = refs.find(key);
        if (it == refs.end())
            return "the checkpoint of derived state lacks sheet " + key + " (the ledger counts " +
                   describe(want) + at + ")";
        if (!(it->second == want))
            return "the checkpoint of derived state, sheet " + key + ": it counts " +
                   describe(it->second) + ", the ledger " + describe(want) + at;
        refs.erase(it);
    }
    if (!refs.empty())
        return "the checkpoint of derived state counts sheet " + refs.begin()->first +
               ", which the ledger does not hold" + at;
    return std::nullopt;
}

} // namespace rekap::central::derived_checkpoint
