#include "fixtures.h"

namespace rekap::test {

nlohmann::json tinyRegencyJson() {
    return nlohmann::json::parse(R"({
      "format": "rekap-regency", "format_version": 1, "version": "test-1",
      "regency": {"code": "9901", "name": "Uji", "province": "Provinsi Uji", "time_zone": "WITA"},
      "parties": [{"number": 1, "abbreviation": "PKB", "name": "Partai Kebangkitan Bangsa"},
                  {"number": 2, "abbreviation": "Gerindra", "name": "Partai Gerindra"}],
      "contests": [
        {"code": "ppwp", "name": "Presiden", "kind": "paslon",
         "candidates": [{"number": 1, "name": "Satu"}, {"number": 2, "name": "Dua"},
                        {"number": 3, "name": "Tiga"}]},
        {"code": "pdpr", "name": "DPR RI", "kind": "party", "synthetic_candidates": true,
         "dapils": [{"code": "D1", "name": "Dapil Uji", "areas": ["9901"],
                     "lists": [{"party": 1, "candidates": [{"number": 1, "name": "A"},
                                                            {"number": 2, "name": "B"}]},
                               {"party": 2, "candidates": [{"number": 1, "name": "C"},
                                                            {"number": 2, "name": "D"}]}]}]},
        {"code": "pdpd", "name": "DPD RI", "kind": "individual",
         "candidates": [{"number": 1, "name": "E"}, {"number": 2, "name": "F"},
                        {"number": 3, "name": "G"}]}
      ],
      "kecamatan": [{"code": "990101", "name": "Kecamatan Uji"},
                    {"code": "990102", "name": "Kecamatan Lain"}],
      "desa": [{"code": "9901011001", "name": "Desa Satu"},
               {"code": "9901011002", "name": "Desa Dua"},
               {"code": "9901021001", "name": "Desa Tiga"}],
      "tps": [{"code": "9901011001001", "name": "TPS 001", "dpt_l": 100, "dpt_p": 100},
              {"code": "9901011001002", "name": "TPS 002", "dpt_l": 0, "dpt_p": 0},
              {"code": "9901011002001", "name": "TPS 001", "dpt_l": 120, "dpt_p": 130,
               "contests": ["ppwp"]},
              {"code": "9901021001001", "name": "TPS 001", "dpt_l": 50, "dpt_p": 50,
               "contests": ["ppwp"]}]
    })");
}

const Regency& tinyRegency() {
    static const Regency reg = decodeRegency(tinyRegencyJson(), "tiny.json");
    return reg;
}

namespace {
/// Sections I, II, III and V for `voted` voters of whom `invalid` cast invalid votes.
Sheet frame(const std::string& contest, int voted, int invalid) {
    Sheet s;
    s.tps = AreaCode::parse("9901011001001");
    s.contest = contest;
    s.voters.dpt = {100, 100, 200};
    s.voters.fromDpt = {80, 90, 170};
    s.voters.fromDptb = {3, 2, 5};
    s.voters.fromDpk = {1, 0, 1};
    s.voters.total = {84, 92, 176};
    (void)voted;
    s.ballots = {204, 176, 3, 25};
    s.disabledVoters = {2, 1, 3};
    s.summary = {176 - invalid, invalid, 176};
    return s;
}
} // namespace

Sheet validPpwpSheet() {
    auto s = frame("ppwp", 176, 6);
    s.candidates = {{1, 70}, {2, 90}, {3, 10}};
    return s;
}

Sheet validPdprSheet() {
    auto s = frame("pdpr", 176, 16);
    s.parties = {{1, 30, {{1, 20}, {2, 10}}, 60}, {2, 50, {{1, 30}, {2, 20}}, 100}};
    return s;
}

Sheet validPdpdSheet() {
    auto s = frame("pdpd", 176, 11);
    s.candidates = {{1, 100}, {2, 50}, {3, 15}};
    return s;
}

std::string dataDir() {
    return REKAP_TEST_DATA_DIR;
}

} // namespace rekap::test
