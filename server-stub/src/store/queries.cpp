// CentralStore: the read-side queries of the desk and the camat (and a desa's rows for the
// tally report), and desk logins.

#include <algorithm>

#include "desk/desk_tokens.h"
#include "devices/device_table.h"
#include "rekap/central/api_error.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/central/store.h"
#include "rekap/sha256.h"
#include "rekap/support/random.h"
#include "sheets/counted.h"
#include "sheets/counted_lines.h"
#include "sheets/send_backs.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

std::map<std::string, CountedSheet> LiveTally::countedLines(const AreaCode& area,
                                                            const std::string& contest) const {
    std::lock_guard lock(mu_);
    std::map<std::string, CountedSheet> out;
    db_.snapshot([&] { out = counted_lines::in(db_, area.str(), contest); });
    return out;
}

std::vector<TpsStatus> SheetDesk::status(const AreaCode& area) const {
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
    for (const auto& row : sheet_rows::sheetsIn(db_, prefix)) {
        auto it = index.find(row.tps);
        if (it != index.end())
            out[it->second].contests[row.contest] = row.state;
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
    for (const auto& [row, findings] : sheet_rows::rejectedIn(db_, prefix)) {
        auto it = index.find(row.tps);
        if (it != index.end())
            out[it->second].rejections[row.contest] =
                protocol::decodeFindings(nlohmann::json::parse(findings));
    }
    for (auto& d : device_table::operatorsIn(db_, prefix)) {
        auto it = index.find(d.scope);
        if (it != index.end())
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

std::vector<RejectedSheet> SheetDesk::rejected(const AreaCode& area) const {
    std::vector<std::string> keys;
    {
        std::lock_guard lock(mu_);
        keys = sheet_rows::keysInState(db_, SheetState::Rejected, area.str());
    }
    std::vector<RejectedSheet> out;
    for (const auto& k : keys) {
        auto revs = revisionsOf(k);
        if (!revs.empty())
            out.push_back({k, revs.back()});
    }
    return out;
}

std::string DeskTokens::createDeskToken(const std::string& name) {
    if (name.empty())
        throw std::invalid_argument("a desk token needs the name of who uses it");
    desk_accounts::checkName(name);
    auto token = randomHex(32);
    std::lock_guard lock(mu_);
    db_.write([&](const db::WriteTx& tx) {
        // A token is a login of its account (for scripts); a name without one becomes a
        // coordinator, as the desk tokens of before accounts did (schema step 10).
        desk_tokens::add(tx, name, sha256Hex(token));
    });
    return token;
}

int DeskTokens::revokeDeskTokens(const std::string& name) {
    std::lock_guard lock(mu_);
    int revoked = 0;
    db_.autocommit([&](const db::WriteTx& tx) { revoked = desk_tokens::revokeAll(tx, name); });
    return revoked;
}

std::string DeskTokens::authenticateDesk(const std::string& token) const {
    std::lock_guard lock(mu_);
    auto name = token.empty() ? std::nullopt : desk_tokens::nameOf(db_, sha256Hex(token));
    if (!name)
        throw ApiError(Problem::Unauthorized, "unknown desk token: log in again");
    return *name;
}

} // namespace rekap::central
