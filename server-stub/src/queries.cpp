// CentralStore: the read-side queries of the desk and the camat, and desk logins.

#include <algorithm>

#include "counted.h"
#include "rekap/central/api_error.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/central/store.h"
#include "rekap/sha256.h"
#include "rekap/support/random.h"
#include "send_backs.h"

namespace rekap::central {

std::vector<TpsStatus> CentralStore::status(const AreaCode& area) const {
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    std::vector<TpsStatus> out;
    std::map<std::string, std::size_t> index;
    for (const auto* t : reg.tpsIn(area)) {
        TpsStatus s;
        s.tps = t->code.str();
        for (const auto& c : reg.contests)
            if (reg.ballotFor(*t, c))
                ++s.expectedContests;
        index[s.tps] = out.size();
        out.push_back(std::move(s));
    }
    auto prefix = area.str();
    auto sheets =
        db_.prepare("SELECT tps, contest, state FROM sheets WHERE substr(tps, 1, ?1) = ?2");
    sheets.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    while (sheets.step()) {
        auto it = index.find(sheets.text(0));
        if (it != index.end())
            out[it->second].contests[sheets.text(1)] =
                storedSheetState(sheets.text(2), "sheets.state");
    }
    // The latest mark per sheet (marks come newest first) and each rejected sheet's latest
    // findings: what the camat passes on to the TPS.
    for (auto& mark : send_backs::inArea(db_, prefix)) {
        auto it = index.find(mark.tps);
        if (it == index.end())
            continue;
        auto contest = mark.sheet.substr(mark.sheet.find('/') + 1);
        out[it->second].sendBacks.try_emplace(contest, std::move(mark));
    }
    auto rejected = db_.prepare(
        "SELECT s.tps, s.contest, (SELECT r.findings FROM revisions r WHERE r.sheet = s.sheet "
        "ORDER BY r.ledger_idx DESC LIMIT 1) FROM sheets s WHERE s.state = 'rejected' AND "
        "substr(s.tps, 1, ?1) = ?2");
    rejected.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    while (rejected.step()) {
        auto it = index.find(rejected.text(0));
        if (it != index.end() && !rejected.isNull(2))
            out[it->second].rejections[rejected.text(1)] =
                protocol::decodeFindings(nlohmann::json::parse(rejected.text(2)));
    }
    auto devices = db_.prepare(
        "SELECT id, name, role, scope, revoked_at, last_seen_at, queue_depth, last_capture_at "
        "FROM devices WHERE role = 'operator' AND substr(scope, 1, ?1) = ?2 ORDER BY id");
    devices.bindAll(static_cast<std::int64_t>(prefix.size()), prefix);
    while (devices.step()) {
        auto it = index.find(devices.text(3));
        if (it == index.end())
            continue;
        DeviceRecord d;
        d.id = devices.text(0);
        d.name = devices.text(1);
        d.scope = devices.text(3);
        d.revoked = !devices.isNull(4);
        d.lastSeenAt = devices.optionalText(5);
        d.queueDepth = devices.integer(6);
        d.lastCaptureAt = devices.optionalText(7);
        out[it->second].devices.push_back(std::move(d));
    }
    // The overall status a camat reads at a glance: what needs someone's attention first.
    for (auto& s : out) {
        auto has = [&](SheetState state) {
            return std::any_of(s.contests.begin(), s.contests.end(),
                               [&](const auto& kv) { return kv.second == state; });
        };
        bool onDevice = std::any_of(s.devices.begin(), s.devices.end(),
                                    [](const DeviceRecord& d) { return d.queueDepth > 0; });
        if (has(SheetState::Conflict))
            s.status = SheetState::Conflict;
        else if (has(SheetState::Rejected))
            s.status = SheetState::Rejected;
        else if (onDevice)
            s.status = SheetState::OnDevice;
        else if (!s.contests.empty() && static_cast<int>(s.contests.size()) < s.expectedContests)
            s.status = SheetState::Partial; // 1 of 5 sheets in is not yet the TPS's result
        else if (!s.contests.empty())
            s.status = SheetState::Accepted;
        else
            s.status = SheetState::NotReceived;
    }
    return out;
}

std::vector<RejectedSheet> CentralStore::rejected(const AreaCode& area) const {
    std::vector<std::string> keys;
    {
        std::lock_guard lock(mu_);
        auto st = db_.prepare("SELECT sheet FROM sheets WHERE state = 'rejected' AND "
                              "substr(tps, 1, ?1) = ?2 ORDER BY sheet");
        st.bindAll(static_cast<std::int64_t>(area.str().size()), area.str());
        while (st.step())
            keys.push_back(st.text(0));
    }
    std::vector<RejectedSheet> out;
    for (const auto& k : keys) {
        auto revs = revisionsOf(k);
        if (!revs.empty())
            out.push_back({k, revs.back()});
    }
    return out;
}

std::string CentralStore::createDeskToken(const std::string& name) {
    if (name.empty())
        throw std::invalid_argument("a desk token needs the name of who uses it");
    desk_accounts::checkName(name);
    auto token = randomHex(32);
    std::lock_guard lock(mu_);
    db_.transaction([&] {
        // A token is a login of its account (for scripts); a name without one becomes a
        // coordinator, as the desk tokens of before accounts did (schema step 10).
        auto st = db_.prepare("SELECT disabled_at FROM desk_accounts WHERE name = ?");
        st.bindAll(name);
        if (!st.step())
            db_.prepare("INSERT INTO desk_accounts (name, role, created_at) VALUES (?, "
                        "'coordinator', ?)")
                .bindAll(name, utcNowText())
                .run();
        else if (!st.isNull(0))
            throw std::invalid_argument("the desk account " + name + " is disabled");
        db_.prepare("INSERT INTO desk_tokens (token_hash, name, created_at) VALUES (?, ?, ?)")
            .bindAll(sha256Hex(token), name, utcNowText())
            .run();
    });
    return token;
}

int CentralStore::revokeDeskTokens(const std::string& name) {
    std::lock_guard lock(mu_);
    db_.prepare("UPDATE desk_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
        .bindAll(utcNowText(), name)
        .run();
    return db_.changes();
}

std::string CentralStore::authenticateDesk(const std::string& token) const {
    std::lock_guard lock(mu_);
    auto st =
        db_.prepare("SELECT t.name FROM desk_tokens t JOIN desk_accounts a ON a.name = t.name "
                    "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled_at IS NULL");
    st.bindAll(sha256Hex(token));
    if (token.empty() || !st.step())
        throw ApiError(Problem::Unauthorized, "unknown desk token: log in again");
    return st.text(0);
}

} // namespace rekap::central
