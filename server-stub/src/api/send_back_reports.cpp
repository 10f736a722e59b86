// Sheets sent back to their operator ("perlu perbaikan") as the desk, the camat and the sheet
// page read them: each mark with its place, its reason and whether the correction came back.

#include "rekap/central/reports.h"
#include "rekap/revision_key.h"

namespace rekap::central {

using nlohmann::json;

json sendBackJson(const Regency& reg, const SendBackRecord& m) {
    auto tps = AreaCode::parse(m.tps);
    auto desa = tps.parent();
    auto kec = desa ? desa->parent() : std::nullopt;
    auto contest = m.sheet.substr(m.sheet.find('/') + 1);
    const auto* c = reg.findContest(contest);
    json out = {
        {"ledger_index", m.ledgerIdx},
        {"sheet", m.sheet},
        {"place",
         {{"tps", {{"code", m.tps}, {"name", reg.areaName(tps)}}},
          {"desa", {{"code", desa ? desa->str() : ""}, {"name", desa ? reg.areaName(*desa) : ""}}},
          {"kecamatan", {{"code", kec ? kec->str() : ""}, {"name", kec ? reg.areaName(*kec) : ""}}},
          {"contest", {{"code", contest}, {"name", c ? c->name : ""}}}}},
        {"revision", m.revision},
        {"device", m.device},
        {"reason", m.reason},
        {"by", m.by},
        {"at", m.at},
        {"state", m.answeredBy ? "answered" : "waiting"},
        {"answered_by", m.answeredBy ? json(*m.answeredBy) : json()},
        {"answered_index", m.answeredIdx ? json(*m.answeredIdx) : json()}};
    return out;
}

json sendBacksReport(const CentralStore& store, const AreaCode& area) {
    const auto& reg = store.masterData().regency();
    auto out = json::array();
    long waiting = 0;
    for (const auto& m : store.sheets().sendBacks(area)) {
        if (!m.answeredBy)
            ++waiting;
        out.push_back(sendBackJson(reg, m));
    }
    return {{"send_backs", out},
            {"waiting", waiting},
            {"answered", static_cast<long>(out.size()) - waiting}};
}

} // namespace rekap::central
