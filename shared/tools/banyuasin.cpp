#include <set>
#include <stdexcept>

#include "ballots.h"
#include "generate.h"
#include "regencies.h"

namespace rekap::tools {

namespace {

const char* const kKecamatan[] = {"Air Kumbang",       "Air Salek",     "Banyuasin I",
                                  "Banyuasin II",      "Banyuasin III", "Betung",
                                  "Karang Agung Ilir", "Makarti Jaya",  "Muara Padang",
                                  "Muara Sugihan",     "Muara Telang",  "Pulau Rimau",
                                  "Rambutan",          "Rantau Bayur",  "Selat Penuguan",
                                  "Sembawa",           "Suak Tapeh",    "Sumber Marga Telang",
                                  "Talang Kelapa",     "Tanjung Lago",  "Tungkal Ilir"};

const char* const kFirst[] = {"Sungai", "Tanjung", "Muara",  "Pulau", "Karang", "Suka",
                              "Sido",   "Mekar",   "Talang", "Lubuk", "Teluk",  "Air",
                              "Sri",    "Banyu",   "Rantau", "Tirta", "Damar",  "Sumber"};
const char* const kSecond[] = {"Jaya",    "Makmur",  "Sari",  "Rejo",  "Mulya",  "Baru",
                               "Indah",   "Harapan", "Mukti", "Agung", "Tengah", "Lestari",
                               "Kencana", "Bakti",   "Asri",  "Damai", "Karya",  "Sejahtera"};

} // namespace

Regency makeBanyuasin() {
    Regency reg;
    reg.code = AreaCode::parse("1607");
    reg.name = "Banyuasin";
    reg.province = "Sumatera Selatan";
    reg.timeZone = TimeZone::WIB;
    reg.version = "2024-general-synthetic-1";
    reg.provenance =
        "SYNTHETIC below kecamatan level. The 21 kecamatan names are real (news reports of the "
        "regency's 2024 desk); their codes are assigned in alphabetical order and are not KPU's. "
        "Desa, TPS and DPT are generated deterministically by `rekap-data make-banyuasin` so "
        "that 313 desa, 2,549 TPS and DPT 625,988 (L 318,894, P 307,094) hold exactly, with no "
        "TPS above 300 voters. Paslon and parties are real; DPR, DPD and DPRD candidates and "
        "dapils are synthetic.";

    Rng rng(1607);
    constexpr int nKec = static_cast<int>(std::size(kKecamatan));
    for (int k = 0; k < nKec; ++k) {
        auto code = "1607" + std::to_string(101 + k).substr(1);
        reg.kecamatan.push_back({AreaCode::parse(code), kKecamatan[k], true});
    }

    std::vector<double> kecWeights;
    for (int k = 0; k < nKec; ++k)
        kecWeights.push_back(rng.between(60, 140));
    auto desaPerKec = apportion(kBanyuasinDesa, kecWeights, 4);

    std::vector<double> desaWeights;
    for (int k = 0; k < nKec; ++k) {
        std::set<std::string> names;
        for (long d = 0; d < desaPerKec[k]; ++d) {
            std::string name;
            do {
                // Drawn in separate statements, in the order the shipped file was made with:
                // operands of + are evaluated in a compiler-dependent order.
                const char* second = kSecond[rng.next() % std::size(kSecond)];
                const char* first = kFirst[rng.next() % std::size(kFirst)];
                name = std::string(first) + " " + second;
            } while (!names.insert(name).second);
            auto code = reg.kecamatan[k].code.str() + std::to_string(2001 + d);
            reg.desa.push_back({AreaCode::parse(code), name, true});
            desaWeights.push_back(rng.between(50, 150));
        }
    }

    auto tpsPerDesa = apportion(kBanyuasinTps, desaWeights, 2);
    for (std::size_t d = 0; d < reg.desa.size(); ++d) {
        if (tpsPerDesa[d] > 999)
            throw std::logic_error("a desa cannot hold more than 999 TPS");
        for (long t = 1; t <= tpsPerDesa[d]; ++t) {
            auto number = std::to_string(1000 + t).substr(1); // 3 digits, t < 1000
            Tps tps;
            tps.code = AreaCode::parse(reg.desa[d].code.str() + number);
            tps.name = "TPS " + number;
            tps.dptSource = "generated";
            reg.tps.push_back(std::move(tps));
        }
    }

    // DPT per TPS between 150 and 300 around the mean, then L split near the regency's ratio.
    std::vector<double> dptWeights;
    for (std::size_t i = 0; i < reg.tps.size(); ++i)
        dptWeights.push_back(rng.between(70, 130));
    auto dpt = apportion(kBanyuasinDpt, dptWeights, 150);
    adjustToSum(dpt, kBanyuasinDpt, 150, 300);
    double shareL = static_cast<double>(kBanyuasinDptL) / kBanyuasinDpt;
    std::vector<long> l;
    for (std::size_t i = 0; i < reg.tps.size(); ++i)
        l.push_back(static_cast<long>(dpt[i] * shareL) + rng.between(-4, 4));
    // Keep every TPS's L within [0, its DPT] while making the regency's L exact.
    long sumL = 0;
    for (auto v : l)
        sumL += v;
    std::size_t i = 0;
    while (sumL != kBanyuasinDptL) {
        long step = sumL < kBanyuasinDptL ? 1 : -1;
        auto k = i++ % l.size();
        if (l[k] + step >= 0 && l[k] + step <= dpt[k]) {
            l[k] += step;
            sumL += step;
        }
    }
    for (std::size_t k = 0; k < reg.tps.size(); ++k) {
        reg.tps[k].dptL = static_cast<int>(l[k]);
        reg.tps[k].dptP = static_cast<int>(dpt[k] - l[k]);
    }

    ElectionPlan plan;
    plan.dprDapil = "Sumatera Selatan II";
    plan.dprdProvinsiDapil = "Sumatera Selatan 3";
    plan.dpdCandidates = 20;
    plan.kabupatenDapils = 6;
    addGeneralElection(reg, plan, rng);
    reg.index();
    return reg;
}

} // namespace rekap::tools
