// GET /api/v1/tally as text: byte for byte what tallyReport(...).dump() prints (keys in byte
// order, as nlohmann::json's std::map keeps them; no spaces), written straight into one string
// from the live tally. Building that tree (a std::map per object, some 2,000 objects for a
// DPRD report) and dumping it was most of a kecamatan report's time at national scale; a
// desa's rows come from counted_lines (two statements, no sheet decoded whole) instead of
// readCounted() per TPS. tests/server/test_tally_text.cpp holds the two writers to each other
// on real regencies, every area level and contest.

#include <algorithm>
#include <charconv>
#include <cstring>

#include "api/report_parts.h"
#include "rekap/central/reports.h"
#include "rekap/protocol.h"
#include "rekap/support/random.h"
#include "rekap/winner_alert.h"

namespace rekap::central {

namespace {

void appendInt(std::string& out, long long v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

/// A double as nlohmann::json's serializer writes it (its own Grisu2 and format: "12.5", "0.0").
void appendDouble(std::string& out, double v) {
    char buf[64];
    auto* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

void appendBool(std::string& out, bool v) {
    out += v ? "true" : "false";
}

/// A JSON string as the route's dump writes it: printable ASCII but the quote and the backslash
/// is copied; anything else (a name with an accent, bytes that are not UTF-8) goes through the
/// serializer itself, with the route's error handler.
void appendString(std::string& out, const std::string& s) {
    bool plain = std::all_of(
        s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
    if (!plain) {
        out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

/// The members of one object whose keys come from several places (a summary and what a row or
/// the report adds to it), put in byte order when the object is closed. Each value is its
/// finished text.
class Members {
public:
    /// Room for the largest object (a report's 18 members): a value's reference stays valid
    /// while the next member is added. Finish a value before adding the next all the same.
    Members() { items_.reserve(24); }
    std::string& add(const char* key) {
        items_.push_back({key, {}});
        return items_.back().second;
    }
    void appendTo(std::string& out) {
        std::sort(items_.begin(), items_.end(),
                  [](const auto& a, const auto& b) { return std::strcmp(a.first, b.first) < 0; });
        out += '{';
        for (std::size_t i = 0; i < items_.size(); ++i) {
            if (i)
                out += ',';
            out += '"';
            out += items_[i].first;
            out += "\":";
            out += items_[i].second;
        }
        out += '}';
    }

private:
    std::vector<std::pair<const char*, std::string>> items_;
};

long votesOf(const AreaTally& t, VoteKey k) {
    auto it = t.votes.find(k.packed());
    return it == t.votes.end() ? 0 : it->second;
}

void appendArea(std::string& out, const Regency& reg, const AreaCode& a) {
    out += "{\"code\":\"";
    out += a.str();
    out += "\",\"level\":";
    appendString(out, std::string(levelName(a.level())));
    out += ",\"name\":";
    appendString(out, reg.areaName(a));
    out += '}';
}

/// Counts, votes, shares and coverage of one area (reports.cpp's summary()), as members.
void summary(Members& m, const Regency& reg, const Contest& contest, const AreaTally& t,
             bool withCalegs) {
    auto& tps = m.add("tps");
    tps += "{\"conflict\":";
    appendInt(tps, t.tpsConflict);
    tps += ",\"pending\":";
    appendInt(tps, t.tpsTotal - t.tpsReported - t.tpsRejected);
    tps += ",\"rejected\":";
    appendInt(tps, t.tpsRejected);
    tps += ",\"reported\":";
    appendInt(tps, t.tpsReported);
    tps += ",\"total\":";
    appendInt(tps, t.tpsTotal);
    tps += ",\"verified\":";
    appendInt(tps, t.tpsVerified);
    tps += '}';
    appendInt(m.add("dpt"), t.dpt);
    auto& votes = m.add("votes");
    votes += "{\"invalid\":";
    appendInt(votes, t.invalid);
    votes += ",\"total\":";
    appendInt(votes, t.total);
    votes += ",\"valid\":";
    appendInt(votes, t.valid);
    votes += '}';
    auto& masuk = m.add("data_masuk");
    masuk += "{\"tps_reported_over_total\":";
    appendDouble(masuk, percent(t.tpsReported, t.tpsTotal));
    masuk += ",\"votes_over_dpt\":";
    appendDouble(masuk, percent(t.total, t.dpt));
    masuk += '}';
    const bool verified = t.tpsTotal > 0 && t.tpsVerified == t.tpsTotal;
    appendBool(m.add("verified"), verified);
    auto& ver = m.add("verification");
    ver += "{\"provisional\":";
    appendBool(ver, !verified);
    ver += ",\"tps_verified_over_reported\":";
    appendDouble(ver, percent(t.tpsVerified, t.tpsReported));
    ver += ",\"valid_votes_verified\":";
    appendInt(ver, t.verifiedValid);
    ver += ",\"valid_votes_verified_over_valid\":";
    appendDouble(ver, percent(t.verifiedValid, t.valid));
    ver += '}';
    if (contest.kind == BallotKind::Party) {
        auto& out = m.add("parties");
        out += '[';
        bool firstParty = true;
        for (const auto& p : reg.parties) {
            if (!firstParty)
                out += ',';
            firstParty = false;
            auto n = static_cast<std::uint8_t>(p.number);
            long v = votesOf(t, {VoteKey::PartyTotal, 0, n, 0});
            out += "{\"abbreviation\":";
            appendString(out, p.abbreviation);
            if (withCalegs) {
                out += ",\"candidates\":[";
                bool first = true;
                for (std::size_t d = 0; d < contest.dapils.size(); ++d) {
                    const auto* list = contest.dapils[d].findList(p.number);
                    if (!list)
                        continue;
                    for (const auto& c : list->candidates) {
                        long cv = votesOf(t, {VoteKey::Caleg, static_cast<std::uint16_t>(d), n,
                                              static_cast<std::uint16_t>(c.number)});
                        if (cv == 0 && t.tpsReported == 0)
                            continue;
                        if (!first)
                            out += ',';
                        first = false;
                        out += "{\"dapil\":";
                        appendString(out, contest.dapils[d].code);
                        out += ",\"name\":";
                        appendString(out, c.name);
                        out += ",\"number\":";
                        appendInt(out, c.number);
                        out += ",\"share\":";
                        appendDouble(out, percent(cv, t.valid));
                        out += ",\"votes\":";
                        appendInt(out, cv);
                        out += '}';
                    }
                }
                out += ']';
            }
            out += ",\"name\":";
            appendString(out, p.name);
            out += ",\"number\":";
            appendInt(out, p.number);
            out += ",\"party_only\":";
            appendInt(out, votesOf(t, {VoteKey::PartyOnly, 0, n, 0}));
            out += ",\"share\":";
            appendDouble(out, percent(v, t.valid));
            out += ",\"votes\":";
            appendInt(out, v);
            out += '}';
        }
        out += ']';
    } else {
        auto& out = m.add("candidates");
        out += '[';
        bool first = true;
        for (const auto& c : contest.candidates) {
            if (!first)
                out += ',';
            first = false;
            long v = votesOf(t, {VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(c.number)});
            out += "{\"name\":";
            appendString(out, c.name);
            out += ",\"number\":";
            appendInt(out, c.number);
            out += ",\"share\":";
            appendDouble(out, percent(v, t.valid));
            out += ",\"votes\":";
            appendInt(out, v);
            out += '}';
        }
        out += ']';
    }
}

/// "Bisa mengubah pemenang" of an area (reports.cpp's winnerAlertJson()).
void winnerAlertText(std::string& out, const Regency& reg, const Contest& contest,
                     const AreaTally& t) {
    std::vector<LineCount> lines;
    std::vector<const std::string*> names;
    auto add = [&](int number, VoteKey k, const std::string& name) {
        auto d = t.doubtful.find(k.packed());
        lines.push_back({number, votesOf(t, k), d == t.doubtful.end() ? 0 : d->second});
        names.push_back(&name);
    };
    if (contest.kind == BallotKind::Party)
        for (const auto& p : reg.parties)
            add(p.number, {VoteKey::PartyTotal, 0, static_cast<std::uint8_t>(p.number), 0},
                p.abbreviation);
    else
        for (const auto& c : contest.candidates)
            add(c.number, {VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(c.number)}, c.name);
    auto open = uncertaintyOf(t);
    auto a = winnerAlert(lines, open);
    auto line = [&](std::optional<int> number) {
        if (number)
            for (std::size_t i = 0; i < lines.size(); ++i)
                if (lines[i].number == *number) {
                    out += "{\"name\":";
                    appendString(out, *names[i]);
                    out += ",\"number\":";
                    appendInt(out, *number);
                    out += '}';
                    return;
                }
        out += "null";
    };
    out += "{\"ballots_rule\":";
    appendString(out, report_parts::ballotsRule(contest));
    out += ",\"can_change\":";
    appendBool(out, a.canChange);
    out += ",\"challenger\":";
    line(a.challenger);
    out += ",\"challenger_votes\":";
    appendInt(out, a.challengerVotes);
    out += ",\"disputed\":";
    appendInt(out, a.disputed);
    out += ",\"leader\":";
    line(a.leader);
    out += ",\"leader_votes\":";
    appendInt(out, a.leaderVotes);
    out += ",\"margin\":";
    appendInt(out, a.margin);
    out += ",\"open\":{\"conflict_ballots\":";
    appendInt(out, open.conflictBallots);
    out += ",\"pending_ballots\":";
    appendInt(out, open.pendingBallots);
    out += ",\"rejected_ballots\":";
    appendInt(out, open.rejectedBallots);
    out += ",\"unverified_valid\":";
    appendInt(out, open.unverifiedValid);
    out += "},\"possible\":";
    appendInt(out, a.possible);
    out += ",\"tie\":";
    appendBool(out, a.tie);
    out += '}';
}

std::string dumped(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string tallyReportText(const CentralStore& store, const std::string& contestCode,
                            const AreaCode& area, std::chrono::system_clock::time_point now) {
    const auto& reg = store.masterData().regency();
    const auto& contest = report_parts::contestOf(reg, contestCode);
    if (area != reg.code && !reg.findArea(area) && !reg.findTps(area))
        throw ApiError(Problem::NotFound,
                       "area " + area.str() + " is not in regency " + reg.code.str());
    Members report;
    {
        auto& c = report.add("contest");
        c += "{\"code\":";
        appendString(c, contest.code);
        c += ",\"kind\":";
        appendString(c, std::string(ballotKindName(contest.kind)));
        c += ",\"name\":";
        appendString(c, contest.name);
        c += ",\"synthetic_candidates\":";
        appendBool(c, contest.syntheticCandidates);
        c += '}';
    }
    appendArea(report.add("area"), reg, area);
    {
        std::vector<AreaCode> path;
        for (auto a = std::optional<AreaCode>(area); a && reg.code.contains(*a); a = a->parent())
            path.push_back(*a);
        auto& p = report.add("path");
        p += '[';
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            if (it != path.rbegin())
                p += ',';
            appendArea(p, reg, *it);
        }
        p += ']';
    }
    {
        auto& asOf = report.add("as_of");
        asOf += "{\"clock\":";
        appendString(asOf, formatClock(now, reg.timeZone));
        asOf += ",\"local\":";
        appendString(asOf, formatDateTime(now, reg.timeZone));
        asOf += ",\"utc\":";
        appendString(asOf, utcNowText());
        asOf += '}';
    }
    appendInt(report.add("version"), store.live().version());
    appendString(report.add("notice"),
                 "Data sementara hasil rekap internal Pemkab, bukan hasil resmi KPU.");
    auto tally = store.live().tally(); // one snapshot for the area and its children
    // The seal is read after every figure, as in tallyReport(): the head it names covers every
    // entry the figures count.
    if (area.level() == AreaLevel::Tps) {
        const auto* tps = reg.findTps(area);
        const auto key = area.str() + "/" + contest.code;
        auto counted = store.live().counted(key);
        summary(report, reg, contest, report_parts::tpsTally(reg, contest, *tps, counted), true);
        appendString(report.add("state"), std::string(sheetStateName(counted.state)));
        appendString(report.add("sheet"), key);
        report.add("children") = "[]";
        report.add("seal") = dumped(sealReport(store, now));
        std::string out;
        report.appendTo(out);
        return out;
    }
    auto t = tally->area(contest.code, area);
    if (!t)
        throw ApiError(Problem::NotFound, "no tally for " + area.str());
    summary(report, reg, contest, *t, true);
    winnerAlertText(report.add("winner_alert"), reg, contest, *t);
    auto& children = report.add("children");
    children += '[';
    bool first = true;
    auto child = [&](Members& c) {
        if (!first)
            children += ',';
        first = false;
        c.appendTo(children);
    };
    if (area.level() == AreaLevel::Desa) {
        // Every TPS's counted lines from one state of the store, in two statements.
        auto sheets = store.live().countedLines(area, contest.code);
        const CountedSheet none;
        for (const auto* tps : reg.tpsIn(area)) {
            if (!reg.ballotFor(*tps, contest))
                continue;
            auto it = sheets.find(tps->code.str());
            const auto& counted = it == sheets.end() ? none : it->second;
            Members c;
            summary(c, reg, contest, report_parts::tpsTally(reg, contest, *tps, counted), false);
            appendArea(c.add("area"), reg, tps->code);
            appendString(c.add("state"), std::string(sheetStateName(counted.state)));
            child(c);
        }
    } else {
        for (const auto& code : report_parts::childrenOf(reg, area)) {
            auto ct = tally->area(contest.code, code);
            if (!ct)
                continue;
            Members c;
            summary(c, reg, contest, *ct, false);
            appendArea(c.add("area"), reg, code);
            winnerAlertText(c.add("winner_alert"), reg, contest, *ct);
            child(c);
        }
    }
    children += ']';
    report.add("seal") = dumped(sealReport(store, now));
    std::string out;
    report.appendTo(out);
    return out;
}

} // namespace rekap::central
