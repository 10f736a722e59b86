// The desk's second reading over HTTP (docs/second-reading.md, docs/protocol.md): the work
// queue by kecamatan, claiming the next sheet, and submitting a reading. What a reader is
// given is the sheet's place, its photo and the empty form: never the first entry's numbers.

#include "api/desk_request.h"
#include "http/router.h"
#include "rekap/central/server.h"
#include "rekap/json_reader.h"
#include "rekap/protocol.h"
#include "rekap/sheet_codec.h"
#include "rekap/sheet_form.h"
#include "rekap/support/random.h"
#include "rekap/time_zone.h"

namespace rekap::central {

namespace {

using nlohmann::json;

/// How long a claimed sheet stays with its reader.
constexpr std::chrono::minutes kReadingLease{15};

/// The form's rows and boxes, blank: what the reader fills in.
json formJson(const Regency& reg, const Contest& contest, const SheetForm& form) {
    auto rows = json::array();
    for (const auto& r : form.rows()) {
        auto fields = json::array();
        for (const auto& f : r.fields)
            fields.push_back({{"id", f}, {"computed", form.isComputed(f)}});
        json row = {{"code", r.code},
                    {"kind", std::string(formRowKindName(r.kind))},
                    {"section", r.section},
                    {"fields", fields}};
        if (r.kind == FormRow::Kind::Candidate) {
            row["number"] = r.number;
            for (const auto& c : contest.candidates)
                if (c.number == r.number)
                    row["name"] = c.name;
        }
        if (r.party) {
            row["party"] = r.party;
            for (const auto& p : reg.parties)
                if (p.number == r.party)
                    row["party_name"] = p.abbreviation;
            if (r.number)
                row["number"] = r.number;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

struct Place {
    const Tps* tps = nullptr;
    const Contest* contest = nullptr;
};

Place placeOf(const Regency& reg, const std::string& sheet) {
    auto slash = sheet.find('/');
    std::string why;
    auto code = AreaCode::tryParse(sheet.substr(0, slash), &why);
    Place p;
    p.tps = code ? reg.findTps(*code) : nullptr;
    p.contest = slash == std::string::npos ? nullptr : reg.findContest(sheet.substr(slash + 1));
    if (!p.tps || !p.contest || !reg.ballotFor(*p.tps, *p.contest))
        throw ApiError(Problem::NotFound, "no sheet " + sheet + " in this regency", "sheet");
    return p;
}

json claimJson(const CentralStore& store, const ReadingClaim& c) {
    const auto& reg = store.masterData().regency();
    auto place = placeOf(reg, c.sheet);
    const auto& code = place.tps->code;
    auto layout = blankSheet(code, *reg.ballotFor(*place.tps, *place.contest));
    auto expires = std::chrono::system_clock::time_point(std::chrono::seconds(c.expiresAt));
    return {{"sheet", c.sheet},
            {"tps", code.str()},
            {"contest", place.contest->code},
            {"contest_name", place.contest->name},
            {"tps_name", reg.areaName(code)},
            {"desa_name", reg.areaName(code.ancestor(AreaLevel::Desa))},
            {"kecamatan_name", reg.areaName(code.ancestor(AreaLevel::Kecamatan))},
            {"parent", c.parent},
            {"photo", "/api/v1/photos/" + c.photo + "/content"},
            {"expires_at", formatDateTime(expires, reg.timeZone)},
            {"form", formJson(reg, *place.contest, SheetForm(layout))}};
}

/// The boxes where the reading and what the sheet counts differ, with the reading's value only:
/// the first entry's numbers are never the reader's to see, before or after (the coordinator
/// compares both on the Konflik page).
json differences(const SheetForm& counted, const SheetForm& reading) {
    auto out = json::array();
    for (const auto& row : reading.rows())
        for (const auto& f : row.fields) {
            auto a = counted.value(f), b = reading.value(f);
            if (a != b)
                out.push_back({{"field", f}, {"row", row.code}, {"second", b ? json(*b) : json()}});
        }
    return out;
}

} // namespace

void CentralServer::readingRoutes() {
    auto& r = *router_;
    auto photoReady = [this](const std::string& sha) { return photos_.status(sha).complete; };

    r.get("/api/v1/reading/queue", [this, photoReady](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        auto area = areaParam(req, v);
        const auto& reg = store_.masterData().regency();
        auto rows = json::array();
        ReadingProgress total;
        for (const auto& p : store_.readings().readingProgress(area, photoReady)) {
            rows.push_back({{"code", p.kecamatan},
                            {"name", reg.areaName(AreaCode::parse(p.kecamatan))},
                            {"sheets", p.sheets},
                            {"verified", p.verified},
                            {"differ", p.differ},
                            {"conflict", p.conflict},
                            {"to_read", p.toRead},
                            {"no_photo", p.noPhoto},
                            {"claimed", p.claimed}});
            total.sheets += p.sheets;
            total.verified += p.verified;
            total.differ += p.differ;
            total.conflict += p.conflict;
            total.toRead += p.toRead;
            total.noPhoto += p.noPhoto;
            total.claimed += p.claimed;
        }
        sendJson(res, 200,
                 {{"area", {{"code", area.str()}, {"name", reg.areaName(area)}}},
                  {"kecamatan", rows},
                  {"totals",
                   {{"sheets", total.sheets},
                    {"verified", total.verified},
                    {"differ", total.differ},
                    {"conflict", total.conflict},
                    {"to_read", total.toRead},
                    {"no_photo", total.noPhoto},
                    {"claimed", total.claimed}}}});
    });

    // A desk login claims for itself ("desk:<name>"); a camat device claims for itself (its id),
    // within its kecamatan, and sends the reading it types as a revision it signs, through
    // /api/v1/sync/push. An operator device never reads.
    auto holderOf = [](const Viewer& v) {
        if (v.desk)
            return "desk:" + v.name;
        if (v.scope.level() != AreaLevel::Kecamatan)
            throw ApiError(Problem::Forbidden,
                           "second readings: a desk login or a camat device only");
        return v.device;
    };

    r.post("/api/v1/reading/next",
           [this, photoReady, holderOf](http::Request& req, http::Response& res) {
               auto v = viewerFor(req);
               auto holder = holderOf(v);
               requireSameOriginJson(req);
               auto j = parseJsonText(req.body().empty() ? "{}" : req.body(), "request");
               JsonReader rd(j);
               rd.rejectUnknownKeys({"area", "contest", "operator"});
               auto area = v.scope;
               if (auto a = rd.optionalField("area")) {
                   std::string why;
                   auto parsed = AreaCode::tryParse(a->string(), &why);
                   if (!parsed || !v.scope.contains(*parsed))
                       throw ApiError(Problem::BadRequest,
                                      parsed ? "outside this login's scope" : why, "$.area");
                   area = *parsed;
               }
               std::string contest;
               if (auto c = rd.optionalField("contest"))
                   contest = c->string();
               // Who will type it: the desk login's name; on a camat tablet, the name typed there
               // (else the device's name). Nobody is handed a sheet they entered first.
               auto reader = v.name;
               if (!v.desk)
                   if (auto o = rd.optionalField("operator"); o && !o->string().empty())
                       reader = o->string();
               auto claim = store_.readings().claimReading(area, contest, holder, reader,
                                                           kReadingLease, photoReady);
               sendJson(res, 200, {{"claim", claim ? claimJson(store_, *claim) : json()}});
           });

    r.post("/api/v1/reading/release", [this, holderOf](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        auto holder = holderOf(v);
        requireSameOriginJson(req);
        auto j = parseJsonText(req.body(), "request");
        JsonReader rd(j);
        rd.rejectUnknownKeys({"sheet"});
        store_.readings().releaseReading(rd.field("sheet").name(), holder);
        sendJson(res, 200, {{"ok", true}});
    });

    r.post("/api/v1/reading/submit", [this, photoReady](http::Request& req, http::Response& res) {
        // A reader account's (desk_access.cpp); the reader is the account, never a typed name.
        auto v = viewerFor(req);
        if (!v.desk)
            throw ApiError(Problem::Forbidden, "second readings at the desk: a desk login only");
        requireSameOriginJson(req);
        auto j = parseJsonText(req.body(), "request");
        JsonReader rd(j);
        rd.rejectUnknownKeys({"sheet", "parent", "values"});
        auto key = rd.field("sheet").name();
        auto parent = rd.field("parent").name();
        const auto& reg = store_.masterData().regency();
        auto place = placeOf(reg, key);
        auto layout = blankSheet(place.tps->code, *reg.ballotFor(*place.tps, *place.contest));
        auto values = rd.field("values").json();
        auto form = SheetForm::decodeDraft({{"form", 1}, {"values", values}}, layout, reg);
        auto blank = form.blankFields();
        if (!blank.empty())
            throw ApiError(Problem::BadRequest,
                           std::to_string(blank.size()) +
                               " boxes are still blank: a blank box is not a zero",
                           blank.front());
        auto result = store_.readings().submitReading(key, parent, form.sheet(), v.name,
                                                      "desk:" + v.name, photoReady);
        json out = {{"revision", result.revision},
                    {"outcome", result.outcome},
                    {"findings", protocol::encodeFindings(result.findings)},
                    {"differences", json::array()}};
        if (result.outcome == "differs" && result.counted)
            out["differences"] = differences(SheetForm::filled(*result.counted), form);
        sendJson(res, 200, out);
    });
}

} // namespace rekap::central
