// The cross-check compares like with like (docs/crosscheck.md, "By area"): an area's lines sum
// both sources over the TPS both have, box by box where KPU published the box; what only one
// source has is summed apart; and every box KPU publishes is compared on its own, each caught
// by a test here when its comparison is left out (tests/mutants crosscheck-*).

#include "crosscheck_test.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

/// The lines of a paslon contest's area, in order: votes, then sections V and I.
const std::vector<std::string> kPpwpLines = {
    "votes.candidates.1", "votes.candidates.2", "votes.candidates.3", "summary.valid",
    "summary.invalid",    "summary.total",      "voters.total.total", "voters.dpt.total"};

std::vector<std::string> fieldsOf(const json& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines)
        out.push_back(l["field"]);
    return out;
}

// Four TPS: the same at both; different at KPU in votes, V.C, voters and DPT with V.A left
// blank there; KPU's only (votes, no administrative block); the desk's only (KPU's row blank).
// The kabupaten's lines differ by exactly what the one differing TPS differs by, and only the
// kecamatan holding it has a line that differs.
TEST_F(CrosscheckTest, AreaLinesCompareOnlyTheTpsBothSourcesHave) {
    push("9901011001001", validPpwpSheet());
    push("9901011002001", validPpwpSheet());
    push("9901011001002", validPpwpSheet());
    central::importKpu(*store, "ppwp",
                       write("kpu.csv", kKpuHeader +
                                            "9901011001001,70,90,10,170,6,176,200,100,100,170,5,"
                                            "1,176,\n"
                                            "9901011002001,70,91,10,,6,177,201,,,170,5,1,177,\n"
                                            "9901021001001,10,20,30,,,,,,,,,,,\n"
                                            "9901011001002,,,,,,,,,,,,,,\n"));
    auto r = check("9901");
    EXPECT_EQ(fieldsOf(r["lines"]), kPpwpLines);
    struct Want {
        std::string field;
        int tps, desk, kpu, differing, kpuBlank, deskOnly, kpuOnly, deskAll, kpuAll;
    };
    const std::vector<Want> want = {
        {"votes.candidates.1", 2, 140, 140, 0, 0, 70, 10, 210, 150},
        {"votes.candidates.2", 2, 180, 181, 1, 0, 90, 20, 270, 201},
        {"votes.candidates.3", 2, 20, 20, 0, 0, 10, 30, 30, 50},
        // KPU left V.A blank at one TPS in both: that TPS is not compared on V.A.
        {"summary.valid", 1, 170, 170, 0, 1, 170, 0, 510, 170},
        {"summary.invalid", 2, 12, 12, 0, 0, 6, 0, 18, 12},
        {"summary.total", 2, 352, 353, 1, 0, 176, 0, 528, 353},
        {"voters.total.total", 2, 352, 353, 1, 0, 176, 0, 528, 353},
        {"voters.dpt.total", 2, 400, 401, 1, 0, 200, 0, 600, 401}};
    for (const auto& w : want) {
        SCOPED_TRACE(w.field);
        auto l = line(r["lines"], w.field);
        EXPECT_EQ(l["tps"], w.tps);
        EXPECT_EQ(l["desk"], w.desk);
        EXPECT_EQ(l["kpu"], w.kpu);
        EXPECT_EQ(l["delta"], w.kpu - w.desk);
        EXPECT_EQ(l["differing"], w.differing);
        EXPECT_EQ(l["kpu_blank"], w.kpuBlank);
        EXPECT_EQ(l["desk_only"], w.deskOnly);
        EXPECT_EQ(l["kpu_only"], w.kpuOnly);
        EXPECT_EQ(l["desk_all"], w.deskAll);
        EXPECT_EQ(l["kpu_all"], w.kpuAll);
    }
    ASSERT_EQ(r["children"].size(), 2u);
    // The kecamatan with KPU's only TPS: nothing compared, so nothing differs; its votes are
    // KPU's only.
    const auto& other = r["children"][1];
    EXPECT_EQ(other["area"]["code"], "990102");
    for (const auto& l : other["lines"]) {
        SCOPED_TRACE(l["field"].get<std::string>());
        EXPECT_EQ(l["tps"], 0);
        EXPECT_EQ(l["desk"], 0);
        EXPECT_EQ(l["kpu"], 0);
        EXPECT_EQ(l["delta"], 0);
        EXPECT_EQ(l["differing"], 0);
    }
    EXPECT_EQ(line(other["lines"], "votes.candidates.3")["kpu_only"], 30);
    EXPECT_EQ(line(r["children"][0]["lines"], "votes.candidates.2")["differing"], 1);
    EXPECT_EQ(line(r["children"][0]["lines"], "votes.candidates.2")["delta"], 1);
    // A desa with the same TPS and the desk's only one: nothing differs.
    // Kept: a range over a temporary's member would read it after it is gone.
    const auto desa = check("9901011001");
    for (const auto& l : desa["lines"]) {
        SCOPED_TRACE(l["field"].get<std::string>());
        EXPECT_EQ(l["delta"], 0);
        EXPECT_EQ(l["differing"], 0);
        EXPECT_EQ(l["tps"], 1);
    }
}

// Every box KPU publishes is compared on its own: one box off by one at KPU, all else equal,
// makes the TPS "different" with exactly that box named, and moves that box's area line by one
// with one TPS differing. (A comparison left out, V.B's among them, fails here.)
TEST_F(CrosscheckTest, EveryPublishedBoxIsComparedOnItsOwn) {
    push("9901011001001", validPpwpSheet());
    const std::vector<std::pair<std::string, std::string>> columns = {
        {"c1", "votes.candidates.1"},
        {"c2", "votes.candidates.2"},
        {"c3", "votes.candidates.3"},
        {"suara_sah", "summary.valid"},
        {"suara_tidak_sah", "summary.invalid"},
        {"suara_total", "summary.total"},
        {"dpt_j", "voters.dpt.total"},
        {"dpt_l", "voters.dpt.l"},
        {"dpt_p", "voters.dpt.p"},
        {"pengguna_dpt_j", "voters.from_dpt.total"},
        {"pengguna_dptb_j", "voters.from_dptb.total"},
        {"pengguna_non_dpt_j", "voters.from_dpk.total"},
        {"pengguna_total_j", "voters.total.total"}};
    // The desk's own numbers (validPpwpSheet), as KPU would publish them.
    const std::vector<int> same = {70, 90, 10, 170, 6, 176, 200, 100, 100, 170, 5, 1, 176};
    for (std::size_t col = 0; col < columns.size(); ++col) {
        SCOPED_TRACE(columns[col].first);
        std::string row = "9901011001001";
        for (std::size_t i = 0; i < same.size(); ++i) {
            row += ','; // appended apart: GCC 12 at -O3 warns on "," + std::to_string (105329)
            row += std::to_string(same[i] + (i == col ? 1 : 0));
        }
        central::importKpu(*store, "ppwp",
                           write("kpu-" + columns[col].first + ".csv", kKpuHeader + row + ",\n"));
        auto r = check("9901011001001");
        auto t = find(r, "9901011001001");
        EXPECT_EQ(t["category"], "different");
        ASSERT_EQ(t["differences"].size(), 1u) << t["differences"].dump();
        EXPECT_EQ(t["differences"][0]["field"], columns[col].second);
        EXPECT_EQ(t["differences"][0]["desk"], same[col]);
        EXPECT_EQ(t["differences"][0]["kpu"], same[col] + 1);
        // The area's lines: the bumped one differs by one at one TPS, the others not at all.
        auto area = check("9901"); // kept: a loop over a temporary's member would dangle
        EXPECT_EQ(fieldsOf(area["lines"]), kPpwpLines);
        for (const auto& l : area["lines"]) {
            bool bumped = l["field"] == columns[col].second;
            EXPECT_EQ(l["delta"], bumped ? 1 : 0) << l["field"];
            EXPECT_EQ(l["differing"], bumped ? 1 : 0) << l["field"];
            EXPECT_EQ(l["tps"], 1) << l["field"];
        }
    }
    // With KPU's row equal to the desk's in every box, nothing differs.
    std::string row = "9901011001001";
    for (int v : same) {
        row += ',';
        row += std::to_string(v);
    }
    central::importKpu(*store, "ppwp", write("kpu-same.csv", kKpuHeader + row + ",\n"));
    EXPECT_EQ(find(check("9901011001001"), "9901011001001")["category"], "same");
}

// The party contests' long shape, box by box: each party's party-only votes, each caleg, each
// party total and the administrative boxes, one at a time off by one at KPU.
TEST_F(CrosscheckTest, EveryBoxOfAPartyContestIsComparedOnItsOwn) {
    push("9901011001001", validPdprSheet());
    // KPU's rows equal to the desk's sheet (validPdprSheet): partai, calon, field, value.
    const std::vector<std::tuple<std::string, std::string, std::string, int>> rows = {
        {"1", "partai", "votes.parties.1.party_only", 30},
        {"1", "1", "votes.parties.1.candidates.1", 20},
        {"1", "2", "votes.parties.1.candidates.2", 10},
        {"1", "jumlah", "votes.parties.1.total", 60},
        {"2", "partai", "votes.parties.2.party_only", 50},
        {"2", "1", "votes.parties.2.candidates.1", 30},
        {"2", "2", "votes.parties.2.candidates.2", 20},
        {"2", "jumlah", "votes.parties.2.total", 100},
        {"", "suara_sah", "summary.valid", 160},
        {"", "suara_tidak_sah", "summary.invalid", 16},
        {"", "suara_total", "summary.total", 176},
        {"", "dpt_j", "voters.dpt.total", 200},
        {"", "pengguna_total_j", "voters.total.total", 176}};
    const std::vector<std::string> lines = {
        "votes.parties.1.total", "votes.parties.2.total", "summary.valid",   "summary.invalid",
        "summary.total",         "voters.total.total",    "voters.dpt.total"};
    for (std::size_t bump = 0; bump <= rows.size(); ++bump) { // the last: none bumped
        std::string text = "kode,partai,calon,suara\n";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& [party, calon, field, value] = rows[i];
            text += "9901011001001,";
            text += party;
            text += ',';
            text += calon;
            text += ',';
            text += std::to_string(value + (i == bump ? 1 : 0));
            text += '\n';
        }
        std::string bumped = bump < rows.size() ? std::get<2>(rows[bump]) : "";
        SCOPED_TRACE(bump < rows.size() ? bumped : "none");
        central::importKpu(*store, "pdpr", write("dpr.csv", text));
        auto t = check("9901011001001", "pdpr")["tps"][0];
        if (bumped.empty()) {
            EXPECT_EQ(t["category"], "same");
            EXPECT_TRUE(t["differences"].empty());
        } else {
            ASSERT_EQ(t["differences"].size(), 1u) << t["differences"].dump();
            EXPECT_EQ(t["differences"][0]["field"], bumped);
            EXPECT_EQ(t["differences"][0]["delta"], 1);
        }
        auto r = check("9901", "pdpr");
        EXPECT_EQ(fieldsOf(r["lines"]), lines);
        for (const auto& l : r["lines"])
            EXPECT_EQ(l["differing"], l["field"] == bumped ? 1 : 0) << l["field"];
    }
}

// KPU publishes nothing of section II (ballots) nor the L/P split of the voters who voted: its
// files have no column for them, and the desk's boxes stand beside "not published", never a
// difference.
TEST_F(CrosscheckTest, BallotsAreNotPublishedByKpuSoNeverDiffer) {
    EXPECT_NE(errorOf("ppwp", "kode,c1,c2,c3,surat_suara_diterima\n").find("unknown column"),
              std::string::npos);
    push("9901011001001", validPpwpSheet());
    central::importKpu(*store, "ppwp", write("kpu.csv", "kode,c1,c2,c3\n9901011001001,70,90,10\n"));
    auto t = check("9901011001001")["tps"][0];
    EXPECT_EQ(t["category"], "same");
    int ballots = 0;
    for (const auto& f : t["form"])
        if (f["field"].get<std::string>().rfind("ballots.", 0) == 0) {
            ++ballots;
            EXPECT_FALSE(f["desk"].is_null());
            EXPECT_TRUE(f["kpu"].is_null());
            EXPECT_FALSE(f["differs"].get<bool>());
        }
    EXPECT_EQ(ballots, 4);
}

} // namespace
