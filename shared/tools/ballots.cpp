#include "ballots.h"

#include <set>

namespace rekap::tools {

namespace {

const char* const kGiven[] = {
    "Ahmad",  "Muhammad", "Siti",   "Nur",     "Rahmat", "Dewi",   "Budi",   "Sri",
    "Agus",   "Hendra",   "Rina",   "Yusuf",   "Fitri",  "Rizky",  "Hasan",  "Aisyah",
    "Fauzan", "Lestari",  "Rudi",   "Wahyu",   "Indah",  "Ilham",  "Nurul",  "Syarif",
    "Ratna",  "Bayu",     "Maya",   "Hadi",    "Lina",   "Arif",   "Zainal", "Halimah",
    "Taufik", "Yuliana",  "Ridwan", "Kartini", "Fadli",  "Salmah", "Irwan",  "Mardiana"};
const char* const kFamily[] = {"Saputra",   "Hidayat",   "Rahman",     "Wijaya",   "Santoso",
                               "Fadillah",  "Kurniawan", "Setiawan",   "Hakim",    "Pratama",
                               "Syahputra", "Maulana",   "Nasution",   "Lubis",    "Siregar",
                               "Harahap",   "Gunawan",   "Firmansyah", "Ramadhan", "Anwar",
                               "Noor",      "Aziz",      "Hamdani",    "Basri",    "Mahmud",
                               "Rusdi",     "Iskandar",  "Zulkifli",   "Sulaiman", "Arsyad"};

template <std::size_t N> const char* pick(const char* const (&list)[N], Rng& rng) {
    return list[rng.next() % N];
}

std::vector<Candidate> candidateList(int count, Rng& rng, std::set<std::string>& used) {
    std::vector<Candidate> out;
    for (int i = 1; i <= count; ++i) {
        std::string name;
        do {
            name = syntheticPersonName(rng);
        } while (!used.insert(name).second);
        out.push_back({i, name});
    }
    return out;
}

Dapil partyDapil(std::string code, std::string name, std::vector<AreaCode> areas,
                 const std::vector<Party>& parties, int seats, Rng& rng,
                 std::set<std::string>& used) {
    Dapil d{std::move(code), std::move(name), std::move(areas), {}};
    for (const auto& p : parties)
        d.lists.push_back({p.number, candidateList(seats, rng, used)});
    return d;
}

Contest contest(std::string code, std::string name, BallotKind kind,
                std::vector<Candidate> candidates, bool synthetic) {
    Contest c;
    c.code = std::move(code);
    c.name = std::move(name);
    c.kind = kind;
    c.candidates = std::move(candidates);
    c.syntheticCandidates = synthetic;
    return c;
}

} // namespace

std::string syntheticPersonName(Rng& rng) {
    // Two statements, not one expression: the order of the draws must not depend on the
    // compiler (g++ and clang++ evaluate the operands of + in different orders). This is the
    // order the shipped regency files were generated with.
    const char* family = pick(kFamily, rng);
    const char* given = pick(kGiven, rng);
    return std::string(given) + " " + family;
}

void addGeneralElection(Regency& reg, const ElectionPlan& plan, Rng& rng) {
    reg.parties = {
        {1, "PKB", "Partai Kebangkitan Bangsa"},
        {2, "Gerindra", "Partai Gerakan Indonesia Raya"},
        {3, "PDI-P", "Partai Demokrasi Indonesia Perjuangan"},
        {4, "Golkar", "Partai Golongan Karya"},
        {5, "NasDem", "Partai NasDem"},
        {6, "Buruh", "Partai Buruh"},
        {7, "Gelora", "Partai Gelombang Rakyat Indonesia"},
        {8, "PKS", "Partai Keadilan Sejahtera"},
        {9, "PKN", "Partai Kebangkitan Nusantara"},
        {10, "Hanura", "Partai Hati Nurani Rakyat"},
        {11, "Garuda", "Partai Garda Republik Indonesia"},
        {12, "PAN", "Partai Amanat Nasional"},
        {13, "PBB", "Partai Bulan Bintang"},
        {14, "Demokrat", "Partai Demokrat"},
        {15, "PSI", "Partai Solidaritas Indonesia"},
        {16, "Perindo", "Partai Persatuan Indonesia"},
        {17, "PPP", "Partai Persatuan Pembangunan"},
        {24, "Ummat", "Partai Ummat"},
    };
    // Names are unique within a contest, so a list never shows the same person twice.
    std::set<std::string> usedDpr, usedDpd, usedProvinsi, usedKabupaten;

    Contest ppwp = contest("ppwp", "Presiden dan Wakil Presiden", BallotKind::Paslon,
                           {{1, "Anies Rasyid Baswedan - Muhaimin Iskandar"},
                            {2, "Prabowo Subianto - Gibran Rakabuming Raka"},
                            {3, "Ganjar Pranowo - Mahfud MD"}},
                           false);

    Contest pdpr = contest("pdpr", "DPR RI", BallotKind::Party, {}, true);
    pdpr.dapils.push_back(
        partyDapil("DPR-1", plan.dprDapil, {reg.code}, reg.parties, plan.dprSeats, rng, usedDpr));

    Contest pdpd = contest("pdpd", "DPD RI", BallotKind::Individual,
                           candidateList(plan.dpdCandidates, rng, usedDpd), true);

    Contest pdprdp = contest("pdprdp", "DPRD Provinsi", BallotKind::Party, {}, true);
    pdprdp.dapils.push_back(partyDapil("DPRDP-1", plan.dprdProvinsiDapil, {reg.code}, reg.parties,
                                       plan.provinsiSeats, rng, usedProvinsi));

    Contest pdprdk = contest("pdprdk", "DPRD Kabupaten/Kota", BallotKind::Party, {}, true);
    std::vector<double> even(plan.kabupatenDapils, 1.0);
    auto sizes = apportion(static_cast<long>(reg.kecamatan.size()), even, 1);
    std::size_t next = 0;
    for (int d = 0; d < plan.kabupatenDapils; ++d) {
        std::vector<AreaCode> areas;
        for (long k = 0; k < sizes[d]; ++k)
            areas.push_back(reg.kecamatan[next++].code);
        auto name = reg.name + " " + std::to_string(d + 1);
        pdprdk.dapils.push_back(partyDapil("DPRDK-" + std::to_string(d + 1), name, std::move(areas),
                                           reg.parties, plan.kabupatenSeats, rng, usedKabupaten));
    }
    reg.contests = {std::move(ppwp), std::move(pdpr), std::move(pdpd), std::move(pdprdp),
                    std::move(pdprdk)};
}

} // namespace rekap::tools
