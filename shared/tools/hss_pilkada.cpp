// Hulu Sungai Selatan at the Pilkada of 27 November 2024: the real kecamatan and desa of KPU's
// list, Pilkada TPS generated over them (KPU's Pilkada TPS list is not at hand), the Pilkada's
// DPT and the two contests' real paslon.

#include <cmath>
#include <map>
#include <stdexcept>

#include "generate.h"
#include "regencies.h"

namespace rekap::tools {

namespace {

/// The two contests every TPS of the regency held, each on KPU's C.Hasil-KWK form.
std::vector<Contest> pilkadaContests() {
    Contest gub;
    gub.code = "pilgub";
    gub.name = "Gubernur dan Wakil Gubernur Kalimantan Selatan";
    gub.nameEn = "Governor and Vice-Governor of Kalimantan Selatan";
    gub.form = "C.Hasil-KWK";
    gub.kind = BallotKind::Paslon;
    gub.ballotReservePermille = kPilkadaBallotReservePermille;
    gub.candidates = {{1, "H. Muhidin - Hasnuryadi Sulaiman"},
                      {2, "Hj. Raudatul Jannah - Akhmad Rozanie Himawan Nugraha"}};
    Contest bup;
    bup.code = "pilbup";
    bup.name = "Bupati dan Wakil Bupati Hulu Sungai Selatan";
    bup.nameEn = "Regent and Vice-Regent of Hulu Sungai Selatan";
    bup.form = "C.Hasil-KWK";
    bup.kind = BallotKind::Paslon;
    bup.ballotReservePermille = kPilkadaBallotReservePermille;
    bup.candidates = {
        {1, "Hermansyah - Yopie"}, {2, "Ja'far - Faizal"}, {3, "Syafrudin Noor - Suriani"}};
    std::vector<Contest> out;
    out.push_back(std::move(gub));
    out.push_back(std::move(bup));
    return out;
}

struct DesaDpt {
    long l = 0, p = 0;
    long total() const { return l + p; }
};

} // namespace

Regency makeHuluSungaiSelatanPilkada(const std::filesystem::path& wilayahCsv,
                                     const std::filesystem::path& sirekapCsv) {
    // February's file gives the real areas and how the voters are spread over the desa.
    const Regency general = makeHuluSungaiSelatan(wilayahCsv, sirekapCsv);
    Regency reg;
    reg.code = general.code;
    reg.name = general.name;
    reg.province = general.province;
    reg.timeZone = general.timeZone;
    reg.version = "2024-pilkada-1";
    reg.election = Election{"pilkada-2024", "Pilkada Serentak 2024",
                            "2024 simultaneous regional head elections", "2024-11-27"};
    reg.maxVotersPerTps = kPilkadaMaxVotersPerTps;
    reg.provenance =
        "Pilkada of 27 November 2024. Kecamatan and desa with KPU codes and names: the public TPS "
        "list of the JagaPemilu2024 project (data/source/hss-6306-wilayah.csv), as in the general "
        "election's file. DPT 174,224: KPU Hulu Sungai Selatan's recapitulation as reported by the "
        "local press. Paslon and their numbers: the draws of KPU Kalimantan Selatan (gubernur) and "
        "KPU Hulu Sungai Selatan (bupati), September 2024. GENERATED: KPU's Pilkada TPS list is "
        "not at hand, so every TPS (code, name and DPT L/P; \"synthetic\": true, dpt_source "
        "\"generated\") is generated, deterministically: each desa's DPT is its share of the "
        "general election's DPT scaled to 174,224, split over as few TPS as keep each at most 500 "
        "voters (a Pilkada TPS may serve 600), L/P in the desa's February proportion.";
    reg.contests = pilkadaContests();
    reg.kecamatan = general.kecamatan;
    reg.desa = general.desa;

    std::map<std::string, DesaDpt> february;
    for (const auto& t : general.tps) {
        auto& d = february[t.code.parent()->str()];
        d.l += t.dptL;
        d.p += t.dptP;
    }
    std::vector<double> weights;
    for (const auto& d : reg.desa)
        weights.push_back(static_cast<double>(february.at(d.code.str()).total()));
    auto desaDpt = apportion(kHssPilkadaDpt, weights, 1);

    Rng rng(630627);
    for (std::size_t i = 0; i < reg.desa.size(); ++i) {
        const auto& feb = february.at(reg.desa[i].code.str());
        const long dpt = desaDpt[i];
        const long count = (dpt + kPilkadaTpsTarget - 1) / kPilkadaTpsTarget;
        std::vector<double> w;
        for (long k = 0; k < count; ++k)
            w.push_back(rng.between(90, 110));
        auto sizes = apportion(dpt, w, 1);
        const double shareL = static_cast<double>(feb.l) / static_cast<double>(feb.total());
        for (long k = 0; k < count; ++k) {
            if (sizes[k] > kPilkadaMaxVotersPerTps)
                throw std::logic_error("generated TPS above the Pilkada's limit");
            Tps t;
            std::string number = std::to_string(k + 1);
            number.insert(0, 3 - number.size(), '0'); // a desa has far fewer than 1,000 TPS
            t.code = AreaCode::parse(reg.desa[i].code.str() + number);
            t.name = "TPS " + number;
            t.dptL = static_cast<int>(std::lround(static_cast<double>(sizes[k]) * shareL));
            t.dptP = static_cast<int>(sizes[k]) - t.dptL;
            t.dptSource = "generated";
            t.synthetic = true;
            reg.tps.push_back(std::move(t));
        }
    }
    reg.index();
    return reg;
}

} // namespace rekap::tools
