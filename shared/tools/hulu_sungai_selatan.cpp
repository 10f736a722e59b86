#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "ballots.h"
#include "csv.h"
#include "generate.h"
#include "regencies.h"

namespace rekap::tools {

namespace {
struct SnapshotDpt {
    int l = 0, p = 0;
    bool adjusted = false;
};

/// The TPS whose published DPT is plausible (1-300 voters).
std::map<std::string, SnapshotDpt> plausibleDpt(const std::filesystem::path& sirekapCsv) {
    std::map<std::string, SnapshotDpt> out;
    for (const auto& row : readCsv(sirekapCsv)) {
        const auto& j = row.at("dpt_j");
        if (j.empty())
            continue;
        int total = std::stoi(j), l = std::stoi(row.at("dpt_l")), p = std::stoi(row.at("dpt_p"));
        if (total < 1 || total > 300)
            continue;
        SnapshotDpt d{l, p, false};
        if (l + p != total) {
            // One published row has L + P != total (79 + 177 against 150): keep the total and L.
            d.l = std::min(l, total);
            d.p = total - d.l;
            d.adjusted = true;
        }
        out.emplace(row.at("kode"), d);
    }
    return out;
}
} // namespace

Regency makeHuluSungaiSelatan(const std::filesystem::path& wilayahCsv,
                              const std::filesystem::path& sirekapCsv) {
    Regency reg;
    reg.code = AreaCode::parse("6306");
    reg.name = "Hulu Sungai Selatan";
    reg.province = "Kalimantan Selatan";
    reg.timeZone = TimeZone::WITA;
    reg.version = "2024-general-1";
    reg.provenance =
        "Kecamatan, desa and TPS with KPU codes and names: the public TPS list of the "
        "JagaPemilu2024 project (data/source/hss-6306-wilayah.csv). DPT L/P per TPS: KPU Sirekap's "
        "published per-TPS data (data/source/hss-6306-sirekap-ppwp-snapshot.csv) where its DPT is "
        "plausible (1-300; dpt_source \"sirekap\", or \"sirekap-adjusted\" where L + P did not add "
        "up); generated for the other TPS (dpt_source \"generated\") so that the regency's DPT is "
        "174,547 as its desk reported. Paslon and parties are real; DPR, DPD and DPRD candidates "
        "and dapils are synthetic.";

    std::set<std::string> seenKec, seenDesa;
    std::vector<Tps> tpsList;
    for (const auto& row : readCsv(wilayahCsv)) {
        auto kec = row.at("kode_kec"), desa = row.at("kode_kel");
        if (seenKec.insert(kec).second)
            reg.kecamatan.push_back({AreaCode::parse(kec), row.at("nama_kec"), false});
        if (seenDesa.insert(desa).second)
            reg.desa.push_back({AreaCode::parse(desa), row.at("nama_kel"), false});
        Tps t;
        t.code = AreaCode::parse(row.at("kode_tps"));
        if (t.code.parent()->str() != desa)
            throw std::runtime_error(row.file + ":" + std::to_string(row.line) + ": TPS " +
                                     t.code.str() + " is not inside desa " + desa);
        t.name = row.at("nama_tps");
        tpsList.push_back(std::move(t));
    }
    std::sort(reg.kecamatan.begin(), reg.kecamatan.end(),
              [](auto& a, auto& b) { return a.code < b.code; });
    std::sort(reg.desa.begin(), reg.desa.end(), [](auto& a, auto& b) { return a.code < b.code; });

    auto snapshot = plausibleDpt(sirekapCsv);
    long known = 0, knownL = 0;
    std::vector<Tps*> generated;
    for (auto& t : tpsList) {
        auto it = snapshot.find(t.code.str());
        if (it == snapshot.end()) {
            generated.push_back(&t);
            continue;
        }
        t.dptL = it->second.l;
        t.dptP = it->second.p;
        t.dptSource = it->second.adjusted ? "sirekap-adjusted" : "sirekap";
        known += t.dpt();
        knownL += t.dptL;
    }
    // The rest share what the desk's total leaves, each between 150 and 300 voters, split L/P
    // in the proportion the published TPS show.
    Rng rng(6306);
    long rest = kHssDpt - known;
    std::vector<double> weights;
    for (std::size_t i = 0; i < generated.size(); ++i)
        weights.push_back(rng.between(80, 120));
    auto sizes = apportion(rest, weights, 150);
    adjustToSum(sizes, rest, 150, 300);
    double shareL = static_cast<double>(knownL) / static_cast<double>(known);
    for (std::size_t i = 0; i < generated.size(); ++i) {
        auto& t = *generated[i];
        t.dptL = static_cast<int>(sizes[i] * shareL + rng.between(-5, 5));
        t.dptP = static_cast<int>(sizes[i]) - t.dptL;
        t.dptSource = "generated";
    }
    reg.tps = std::move(tpsList);

    ElectionPlan plan;
    plan.dprDapil = "Kalimantan Selatan I";
    plan.dprdProvinsiDapil = "Kalimantan Selatan 5";
    plan.dpdCandidates = 16;
    plan.kabupatenDapils = 4;
    addGeneralElection(reg, plan, rng);
    reg.index();
    return reg;
}

} // namespace rekap::tools
