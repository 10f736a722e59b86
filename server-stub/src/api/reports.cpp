#include "rekap/central/reports.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "api/report_parts.h"
#include "rekap/central/api_error.h"
#include "rekap/merge.h"
#include "rekap/protocol.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"
#include "rekap/winner_alert.h"

namespace rekap::central {

using nlohmann::json;

double percent(long part, long whole) {
    if (whole <= 0)
        return 0.0;
    return std::round(10000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 100.0;
}

namespace {

using report_parts::childrenOf;
using report_parts::contestOf;

json areaJson(const Regency& reg, const AreaCode& a) {
    return {
        {"code", a.str()}, {"name", reg.areaName(a)}, {"level", std::string(levelName(a.level()))}};
}

long votesOf(const AreaTally& t, VoteKey k) {
    auto it = t.votes.find(k.packed());
    return it == t.votes.end() ? 0 : it->second;
}

/// Counts, votes, shares and coverage of one area, without its children.
json summary(const Regency& reg, const Contest& contest, const AreaTally& t, bool withCalegs) {
    json j = {
        {"tps",
         {{"total", t.tpsTotal},
          {"reported", t.tpsReported},
          {"pending", t.tpsTotal - t.tpsReported - t.tpsRejected},
          {"conflict", t.tpsConflict},
          {"rejected", t.tpsRejected},
          {"verified", t.tpsVerified}}},
        {"dpt", t.dpt},
        {"votes", {{"valid", t.valid}, {"invalid", t.invalid}, {"total", t.total}}},
        // As the desks report it: votes counted so far over the area's DPT, beside coverage.
        {"data_masuk",
         {{"votes_over_dpt", percent(t.total, t.dpt)},
          {"tps_reported_over_total", percent(t.tpsReported, t.tpsTotal)}}},
        {"verified", t.tpsTotal > 0 && t.tpsVerified == t.tpsTotal},
        // Second reading (docs/second-reading.md): how much of what counts two people agree on.
        {"verification",
         {{"tps_verified_over_reported", percent(t.tpsVerified, t.tpsReported)},
          {"valid_votes_verified", t.verifiedValid},
          {"valid_votes_verified_over_valid", percent(t.verifiedValid, t.valid)},
          {"provisional", !(t.tpsTotal > 0 && t.tpsVerified == t.tpsTotal)}}},
    };
    if (contest.kind == BallotKind::Party) {
        auto parties = json::array();
        for (const auto& p : reg.parties) {
            auto n = static_cast<std::uint8_t>(p.number);
            long v = votesOf(t, {VoteKey::PartyTotal, 0, n, 0});
            json pj = {{"number", p.number},
                       {"abbreviation", p.abbreviation},
                       {"name", p.name},
                       {"votes", v},
                       {"party_only", votesOf(t, {VoteKey::PartyOnly, 0, n, 0})},
                       {"share", percent(v, t.valid)}};
            if (withCalegs) {
                auto calegs = json::array();
                for (std::size_t d = 0; d < contest.dapils.size(); ++d) {
                    const auto* list = contest.dapils[d].findList(p.number);
                    if (!list)
                        continue;
                    for (const auto& c : list->candidates) {
                        long cv = votesOf(t, {VoteKey::Caleg, static_cast<std::uint16_t>(d), n,
                                              static_cast<std::uint16_t>(c.number)});
                        if (cv == 0 && t.tpsReported == 0)
                            continue;
                        calegs.push_back({{"dapil", contest.dapils[d].code},
                                          {"number", c.number},
                                          {"name", c.name},
                                          {"votes", cv},
                                          {"share", percent(cv, t.valid)}});
                    }
                }
                pj["candidates"] = std::move(calegs);
            }
            parties.push_back(std::move(pj));
        }
        j["parties"] = std::move(parties);
    } else {
        auto cands = json::array();
        for (const auto& c : contest.candidates) {
            long v = votesOf(t, {VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(c.number)});
            cands.push_back({{"number", c.number},
                             {"name", c.name},
                             {"votes", v},
                             {"share", percent(v, t.valid)}});
        }
        j["candidates"] = std::move(cands);
    }
    return j;
}

/// "Bisa mengubah pemenang" for an area above TPS (rekap/winner_alert.h, docs/tally.md): the
/// paslon, DPD candidates or parties (their totals: votes, not seats) in ballot order.
json winnerAlertJson(const Regency& reg, const Contest& contest, const AreaTally& t) {
    std::vector<LineCount> lines;
    std::vector<std::string> names;
    auto add = [&](int number, VoteKey k, const std::string& name) {
        auto d = t.doubtful.find(k.packed());
        lines.push_back({number, votesOf(t, k), d == t.doubtful.end() ? 0 : d->second});
        names.push_back(name);
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
        if (!number)
            return json();
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (lines[i].number == *number)
                return json{{"number", *number}, {"name", names[i]}};
        return json();
    };
    return {{"can_change", a.canChange},
            {"leader", line(a.leader)},
            {"challenger", line(a.challenger)},
            {"leader_votes", a.leaderVotes},
            {"challenger_votes", a.challengerVotes},
            {"margin", a.margin},
            {"tie", a.tie},
            {"possible", a.possible},
            {"disputed", a.disputed},
            {"open",
             {{"pending_ballots", open.pendingBallots},
              {"rejected_ballots", open.rejectedBallots},
              {"conflict_ballots", open.conflictBallots},
              {"unverified_valid", open.unverifiedValid}}},
            {"ballots_rule", report_parts::ballotsRule(contest)}};
}

/// A TPS as a one-sheet "area", and its sheet's state by name.
AreaTally tpsTally(const Regency& reg, const Contest& contest, const Tps& tps,
                   const CountedSheet& counted, std::string& state) {
    state = sheetStateName(counted.state);
    return report_parts::tpsTally(reg, contest, tps, counted);
}

/// Where a sheet is and what its lines are, by name (the regency's master data): the desk names
/// a sheet "TPS 003 · Desa X · Kec. Y — PPWP" and a line "01 Anies ..." rather than by code.
json placeJson(const Regency& reg, const std::string& key) {
    auto slash = key.find('/');
    auto tps = AreaCode::parse(key.substr(0, slash));
    auto contestCode = slash == std::string::npos ? std::string() : key.substr(slash + 1);
    auto desa = tps.parent();
    auto kec = desa ? desa->parent() : std::nullopt;
    json out = {
        {"tps", {{"code", tps.str()}, {"name", reg.areaName(tps)}}},
        {"desa", {{"code", desa ? desa->str() : ""}, {"name", desa ? reg.areaName(*desa) : ""}}},
        {"kecamatan", {{"code", kec ? kec->str() : ""}, {"name", kec ? reg.areaName(*kec) : ""}}},
        {"contest", {{"code", contestCode}, {"name", ""}}}};
    const auto* contest = reg.findContest(contestCode);
    if (!contest)
        return out;
    out["contest"]["name"] = contest->name;
    if (!contest->form.empty()) // KPU's form for it, e.g. the Pilkada's "C.Hasil-KWK"
        out["contest"]["form"] = contest->form;
    if (contest->kind == BallotKind::Party) {
        const auto* dapil = contest->dapilFor(tps);
        auto parties = json::array();
        for (const auto& p : reg.parties) {
            auto calegs = json::array();
            if (const auto* list = dapil ? dapil->findList(p.number) : nullptr)
                for (const auto& c : list->candidates)
                    calegs.push_back({{"number", c.number}, {"name", c.name}});
            parties.push_back({{"number", p.number},
                               {"abbreviation", p.abbreviation},
                               {"name", p.name},
                               {"candidates", std::move(calegs)}});
        }
        out["parties"] = std::move(parties);
    } else {
        auto cands = json::array();
        for (const auto& c : contest->candidates)
            cands.push_back({{"number", c.number}, {"name", c.name}});
        out["candidates"] = std::move(cands);
    }
    return out;
}

/// json::update() copies every value; a report's summary is built to be moved in whole.
void moveInto(json& out, json&& from) {
    for (auto& [key, value] : from.items())
        out[key] = std::move(value);
}

} // namespace

json tallyReport(const CentralStore& store, const std::string& contestCode, const AreaCode& area,
                 std::chrono::system_clock::time_point now) {
    const auto& reg = store.masterData().regency();
    const auto& contest = contestOf(reg, contestCode);
    if (area != reg.code && !reg.findArea(area) && !reg.findTps(area))
        throw ApiError(Problem::NotFound,
                       "area " + area.str() + " is not in regency " + reg.code.str());
    json out;
    out["contest"] = {{"code", contest.code},
                      {"name", contest.name},
                      {"kind", std::string(ballotKindName(contest.kind))},
                      {"synthetic_candidates", contest.syntheticCandidates}};
    out["area"] = areaJson(reg, area);
    auto path = json::array();
    for (auto a = std::optional<AreaCode>(area); a && reg.code.contains(*a); a = a->parent())
        path.insert(path.begin(), areaJson(reg, *a));
    out["path"] = std::move(path);
    out["as_of"] = {{"utc", utcNowText()},
                    {"local", formatDateTime(now, reg.timeZone)},
                    {"clock", formatClock(now, reg.timeZone)}};
    out["version"] = store.live().version();
    out["notice"] = "Data sementara hasil rekap internal Pemkab, bukan hasil resmi KPU.";
    auto tally = store.live().tally(); // one snapshot for the area and its children
    // The seal is read after every figure (the tally, and a TPS's or a desa's sheets read from
    // the store): the head it names covers every entry the figures count (it may cover a few
    // more, never fewer), even when another receiver commits meanwhile.
    if (area.level() == AreaLevel::Tps) {
        const auto* tps = reg.findTps(area);
        std::string state;
        auto t = tpsTally(reg, contest, *tps, store.live().counted(area.str() + "/" + contest.code),
                          state);
        moveInto(out, summary(reg, contest, t, true));
        out["state"] = state;
        out["sheet"] = area.str() + "/" + contest.code;
        out["children"] = json::array();
        out["seal"] = sealReport(store, now);
        return out;
    }
    auto t = tally->area(contest.code, area);
    if (!t)
        throw ApiError(Problem::NotFound, "no tally for " + area.str());
    moveInto(out, summary(reg, contest, *t, true));
    out["winner_alert"] = winnerAlertJson(reg, contest, *t);
    auto children = json::array();
    if (area.level() == AreaLevel::Desa) {
        // Every TPS's sheet from one state of the store, in one round of reads.
        std::vector<const Tps*> places;
        std::vector<std::string> keys;
        for (const auto* tps : reg.tpsIn(area))
            if (reg.ballotFor(*tps, contest)) {
                places.push_back(tps);
                keys.push_back(tps->code.str() + "/" + contest.code);
            }
        auto sheets = store.live().counted(keys);
        for (std::size_t i = 0; i < places.size(); ++i) {
            const auto* tps = places[i];
            std::string state;
            auto tt = tpsTally(reg, contest, *tps, sheets[i], state);
            auto c = summary(reg, contest, tt, false);
            c["area"] = areaJson(reg, tps->code);
            c["state"] = state;
            children.push_back(std::move(c));
        }
    } else {
        for (const auto& code : childrenOf(reg, area)) {
            auto ct = tally->area(contest.code, code);
            if (!ct)
                continue;
            auto c = summary(reg, contest, *ct, false);
            c["area"] = areaJson(reg, code);
            c["winner_alert"] = winnerAlertJson(reg, contest, *ct);
            children.push_back(std::move(c));
        }
    }
    out["children"] = std::move(children);
    out["seal"] = sealReport(store, now);
    return out;
}

namespace {
std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}
} // namespace

std::string tallyCsv(const CentralStore& store, const std::string& contest, const AreaCode& area) {
    // From the text the route sends (TallyText.* holds it to the tree): a desa's rows come from
    // its counted lines rather than from each TPS's sheet decoded whole.
    auto report = json::parse(tallyReportText(store, contest, area));
    bool party = report.contains("parties");
    const auto& lines = party ? report["parties"] : report["candidates"];
    std::ostringstream out;
    // The winner alert's figures (docs/tally.md) follow data masuk: whether the TPS still open
    // or in doubt could change who leads, the leader, its margin, and the votes still possible
    // and disputed. Empty for a TPS row (the alert is of areas).
    out << "kode,nama,tingkat,tps_total,tps_masuk,tps_tertunda,tps_konflik,tps_ditolak,dpt,"
           "suara_sah,suara_tidak_sah,suara_total,data_masuk_persen,bisa_mengubah_pemenang,"
           "unggul,selisih_unggul,suara_mungkin,suara_diragukan";
    for (const auto& l : lines)
        out << ","
            << csvField((party ? l["abbreviation"].get<std::string>()
                               : std::to_string(l["number"].get<int>()) + " " +
                                     l["name"].get<std::string>()));
    out << "\n";
    auto row = [&](const json& a, const json& s) {
        out << a["code"].get<std::string>() << "," << csvField(a["name"].get<std::string>()) << ","
            << a["level"].get<std::string>() << "," << s["tps"]["total"] << ","
            << s["tps"]["reported"] << "," << s["tps"]["pending"] << "," << s["tps"]["conflict"]
            << "," << s["tps"]["rejected"] << "," << s["dpt"] << "," << s["votes"]["valid"] << ","
            << s["votes"]["invalid"] << "," << s["votes"]["total"] << ","
            << s["data_masuk"]["votes_over_dpt"];
        if (const auto w = s.find("winner_alert"); w != s.end() && !(*w)["leader"].is_null())
            out << "," << ((*w)["can_change"].get<bool>() ? "ya" : "tidak") << ","
                << csvField((*w)["leader"]["name"].get<std::string>()) << "," << (*w)["margin"]
                << "," << (*w)["possible"] << "," << (*w)["disputed"];
        else if (w != s.end())
            out << "," << ((*w)["can_change"].get<bool>() ? "ya" : "tidak") << ",,,"
                << (*w)["possible"] << "," << (*w)["disputed"];
        else
            out << ",,,,,";
        for (const auto& l : party ? s["parties"] : s["candidates"])
            out << "," << l["votes"];
        out << "\n";
    };
    row(report["area"], report);
    for (const auto& c : report["children"])
        row(c["area"], c);
    // The signed head these figures were read under, so that a printout can be held against the
    // published ledger. Last, so that the header stays the first line.
    const auto& seal = report["seal"];
    if (seal.contains("size"))
        out << "# Segel data: " << seal["size"] << " entri, akar "
            << seal["root_short"].get<std::string>() << ", " << seal["local"].get<std::string>()
            << ", kunci penerima " << seal["receiver_key_fingerprint"].get<std::string>() << "\n";
    return out.str();
}

json sealReport(const CentralStore& store, std::chrono::system_clock::time_point now) {
    json out = json::object();
    auto key = store.masterData().receiverKey();
    out["receiver_key"] = key;
    out["receiver_key_fingerprint"] = key.empty() ? "" : signing::fingerprint(key);
    if (auto head = store.ledger().latestHead()) {
        out["size"] = head->size;
        out["root"] = head->root;
        out["root_short"] = head->root.substr(0, 12);
        out["timestamp"] = head->timestamp;
        out["signature"] = head->signature;
        const auto& reg = store.masterData().regency();
        auto at = parseUtcTimestamp(head->timestamp).value_or(now);
        out["local"] = formatDateTime(at, reg.timeZone);
    }
    if (auto v = store.ledger().startupVerification())
        out["verification"] = {{"state", v->ok ? "ok" : "failed"},
                               {"message", v->ok ? "" : v->failure},
                               {"entry", v->failedEntry}};
    else
        out["verification"] = {{"state", "not_run"}, {"message", ""}, {"entry", -1}};
    return out;
}

json sheetReport(const CentralStore& store, const std::string& key) {
    auto sheet = store.sheets().sheet(key);
    auto revisions = store.sheets().revisionsOf(key);
    if (!sheet && revisions.empty())
        throw ApiError(Problem::NotFound, "no sheet " + key + " received yet");
    auto history = json::array();
    for (const auto& r : revisions) {
        json h = {{"seq", r.seq},
                  {"id", r.revision.id},
                  {"parent", r.revision.parent ? json(*r.revision.parent) : json()},
                  {"device", r.revision.device},
                  {"operator", r.revision.operatorName},
                  {"captured_at", r.revision.capturedAt},
                  {"received_at", r.receivedAt},
                  {"reason", r.revision.reason},
                  {"state", std::string(sheetStateName(r.state))},
                  {"findings", protocol::encodeFindings(r.findings)},
                  {"hash", r.hash},
                  {"sheet", encodeSheet(r.revision.sheet)},
                  {"decision", merge::isDecision(r.revision.device)},
                  {"from_desk", merge::isDecision(r.revision.device)}, // the name before 2026-12
                  {"reading", r.revision.reason == merge::kSecondReading}};
        if (auto photo = r.currentPhoto())
            h["photo"] = "/api/v1/photos/" + *photo + "/content";
        // The sheet's photo history: what the revision carried, then each photo attached later.
        auto photos = json::array();
        if (r.revision.photo)
            photos.push_back({{"photo", "/api/v1/photos/" + *r.revision.photo + "/content"},
                              {"received_at", r.receivedAt},
                              {"ledger_index", r.ledgerIndex},
                              {"later", false}});
        for (const auto& p : r.laterPhotos)
            photos.push_back({{"photo", "/api/v1/photos/" + p.photo + "/content"},
                              {"attached_at", p.attachedAt},
                              {"received_at", p.receivedAt},
                              {"ledger_index", p.ledgerIndex},
                              {"later", true}});
        h["photos"] = std::move(photos);
        history.push_back(std::move(h));
    }
    json out = {{"sheet", key},
                {"place", placeJson(store.masterData().regency(), key)},
                {"history", history}};
    auto marks = json::array();
    for (const auto& m : store.sheets().sendBacksOf(key))
        marks.push_back(sendBackJson(store.masterData().regency(), m));
    out["send_backs"] = std::move(marks);
    if (sheet) {
        out["state"] = sheet->state;
        out["winner"] = sheet->winner ? json(*sheet->winner) : json();
        out["heads"] = sheet->heads;
    }
    return out;
}

/// contest -> state name, as the status API has always said them.
json namesOf(const std::map<std::string, SheetState>& states) {
    json out = json::object();
    for (const auto& [contest, state] : states)
        out[contest] = sheetStateName(state);
    return out;
}

json statusReport(const CentralStore& store, const AreaCode& area) {
    const auto& reg = store.masterData().regency();
    json desa = json::array();
    std::map<std::string, long> totals;
    std::string currentDesa;
    for (const auto& s : store.sheets().status(area)) {
        auto code = AreaCode::parse(s.tps);
        auto d = code.parent()->str();
        if (d != currentDesa) {
            desa.push_back(
                {{"code", d}, {"name", reg.areaName(*code.parent())}, {"tps", json::array()}});
            currentDesa = d;
        }
        auto devices = json::array();
        for (const auto& dev : s.devices)
            devices.push_back({{"device", dev.id},
                               {"name", dev.name},
                               {"queue_depth", dev.queueDepth},
                               {"last_seen_at", dev.lastSeenAt.value_or("")},
                               {"last_capture_at", dev.lastCaptureAt.value_or("")},
                               {"revoked", dev.revoked}});
        ++totals[std::string(sheetStateName(s.status))];
        // What the camat tells the TPS: the desk's "perlu perbaikan" with its reason, and the
        // rule and message that rejected a sheet.
        json sendBacks = json::object();
        for (const auto& [contest, mark] : s.sendBacks)
            sendBacks[contest] = sendBackJson(reg, mark);
        json rejections = json::object();
        for (const auto& [contest, findings] : s.rejections)
            rejections[contest] = protocol::encodeFindings(findings);
        desa.back()["tps"].push_back({{"tps", s.tps},
                                      {"name", reg.areaName(code)},
                                      {"status", sheetStateName(s.status)},
                                      {"contests", namesOf(s.contests)},
                                      {"expected_contests", s.expectedContests},
                                      {"send_backs", std::move(sendBacks)},
                                      {"rejections", std::move(rejections)},
                                      {"devices", devices}});
    }
    return {
        {"area", areaJson(reg, area)}, {"as_of", utcNowText()}, {"totals", totals}, {"desa", desa}};
}

json conflictsReport(const CentralStore& store, const AreaCode& area) {
    auto out = json::array();
    for (const auto& s : store.sheets().conflicts()) {
        if (!area.contains(AreaCode::parse(s.key.substr(0, s.key.find('/')))))
            continue;
        auto heads = json::array();
        for (const auto& r : store.sheets().revisionsOf(s.key)) {
            if (std::find(s.heads.begin(), s.heads.end(), r.revision.id) == s.heads.end())
                continue;
            heads.push_back({{"id", r.revision.id},
                             {"device", r.revision.device},
                             {"operator", r.revision.operatorName},
                             {"received_at", r.receivedAt},
                             {"reason", r.revision.reason},
                             {"sheet", encodeSheet(r.revision.sheet)},
                             {"provisional_winner", s.winner == r.revision.id},
                             {"reading", r.revision.reason == merge::kSecondReading},
                             {"photo", r.currentPhoto() ? json("/api/v1/photos/" +
                                                               *r.currentPhoto() + "/content")
                                                        : json()}});
        }
        // "Beda bacaan": a second reading disagrees with what the sheet counts.
        bool differ = std::any_of(heads.begin(), heads.end(),
                                  [](const json& h) { return h["reading"].get<bool>(); });
        out.push_back({{"sheet", s.key},
                       {"place", placeJson(store.masterData().regency(), s.key)},
                       {"winner", s.winner.value_or("")},
                       {"heads", heads},
                       {"reading_differs", differ}});
    }
    return {{"conflicts", out}};
}

json rejectedReport(const CentralStore& store, const AreaCode& area) {
    auto out = json::array();
    for (const auto& r : store.sheets().rejected(area))
        out.push_back({{"sheet", r.key},
                       {"place", placeJson(store.masterData().regency(), r.key)},
                       {"revision", r.latest.revision.id},
                       {"device", r.latest.revision.device},
                       {"operator", r.latest.revision.operatorName},
                       {"received_at", r.latest.receivedAt},
                       {"findings", protocol::encodeFindings(r.latest.findings)},
                       {"sheet_numbers", encodeSheet(r.latest.revision.sheet)}});
    return {{"rejected", out}};
}

} // namespace rekap::central
