#include "sirekap.h"

#include <stdexcept>

#include "csv.h"

namespace rekap::tools {

namespace {
int cell(const CsvRow& row, const char* name) {
    const auto& v = row.at(name);
    try {
        return std::stoi(v);
    } catch (const std::exception&) {
        throw std::runtime_error(row.file + ":" + std::to_string(row.line) + ": column " + name +
                                 ": '" + v + "' is not a number");
    }
}

/// The snapshot gives totals only; the form's L/P boxes are split evenly so that R1 holds and
/// the rules judge what was published.
LpCount split(int total) {
    return {total / 2, total - total / 2, total};
}
} // namespace

SirekapReplay readSirekapSnapshot(const std::filesystem::path& csv, const Regency& regency) {
    SirekapReplay out;
    const Contest* ppwp = regency.findContest("ppwp");
    if (!ppwp)
        throw std::runtime_error("the regency has no ppwp contest");
    for (const auto& row : readCsv(csv)) {
        if (row.at("c1").empty()) {
            ++out.withoutVotes;
            continue;
        }
        auto code = AreaCode::parse(row.at("kode"));
        const Tps* tps = regency.findTps(code);
        if (!tps)
            throw std::runtime_error(row.file + ":" + std::to_string(row.line) + ": TPS " +
                                     code.str() + " is not in the regency");
        SirekapSheet s;
        s.line = row.line;
        s.sheet = blankSheet(code, *regency.ballotFor(*tps, *ppwp));
        s.sheet.candidates = {{1, cell(row, "c1")}, {2, cell(row, "c2")}, {3, cell(row, "c3")}};
        s.partial = row.at("suara_sah").empty() || row.at("pengguna_total_j").empty();
        auto& sum = s.sheet.summary;
        if (s.partial) {
            sum.valid = s.sheet.candidates[0].votes + s.sheet.candidates[1].votes +
                        s.sheet.candidates[2].votes;
            sum.invalid = 0;
            sum.total = sum.valid;
        } else {
            sum = {cell(row, "suara_sah"), cell(row, "suara_tidak_sah"), cell(row, "suara_total")};
        }
        auto& v = s.sheet.voters;
        if (!row.at("dpt_j").empty())
            v.dpt = {cell(row, "dpt_l"), cell(row, "dpt_p"), cell(row, "dpt_j")};
        else
            v.dpt = {tps->dptL, tps->dptP, tps->dpt()};
        if (s.partial) {
            v.fromDpt = split(sum.total);
        } else {
            v.fromDpt = split(cell(row, "pengguna_dpt_j"));
            v.fromDptb = split(cell(row, "pengguna_dptb_j"));
            v.fromDpk = split(cell(row, "pengguna_non_dpt_j"));
        }
        v.total = {v.fromDpt.l + v.fromDptb.l + v.fromDpk.l,
                   v.fromDpt.p + v.fromDptb.p + v.fromDpk.p,
                   v.fromDpt.total + v.fromDptb.total + v.fromDpk.total};
        if (!s.partial && v.total.total != cell(row, "pengguna_total_j")) {
            // Keep the published B4 so that a B4 that does not add up is judged, not repaired.
            v.total = split(cell(row, "pengguna_total_j"));
        }
        auto& b = s.sheet.ballots;
        b.used = sum.total;
        b.received = (tps->dpt() * 102 + 99) / 100;
        b.unused = std::max(0, b.received - b.used);
        b.received = b.used + b.unused;
        out.sheets.push_back(std::move(s));
    }
    return out;
}

} // namespace rekap::tools
