// The cross-check with KPU against a real store (docs/crosscheck.md): KPU's files read with
// errors that name file, line and column; each import kept; the desk's counted sheets compared
// box by box; KPU's misreads found by the rules; areas summed from both sources; and neither
// the tally nor the ledger touched by an import.

#include <httplib.h>

#include "crosscheck_test.h"
#include "live_central.h"
#include "rekap/central/api_error.h"
#include "rekap/central/reports.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

// Four TPS, one of each category: the same numbers, a misread (KPU's 91 against the desk's 90,
// which also breaks R2 at KPU), KPU's numbers for a TPS the desk has nothing from, and the
// desk's sheet for a TPS whose row KPU left blank.
TEST_F(CrosscheckTest, EachTpsFallsInOneCategoryAndAreasSumBothSources) {
    push("9901011001001", validPpwpSheet());
    push("9901011002001", validPpwpSheet());
    push("9901011001002", validPpwpSheet());
    auto tallyBefore = central::tallyReport(*store, "ppwp", AreaCode::parse("9901"));
    auto ledgerBefore = store->ledger().ledgerSize();
    auto im = central::importKpu(
        *store, "ppwp",
        write("snapshot.csv", kKpuHeader + "9901011001001,70,90,10,170,6,176,200,100,100,170,5,1,"
                                           "176,02-16 16:25\n"
                                           "9901011002001,70,91,10,170,6,176,,,,170,5,1,176,\n"
                                           "9901021001001,10,20,30,,,,,,,,,,,\n"
                                           "9901011001002,,,,,,,,,,,,,,\n"));
    EXPECT_EQ(im.rows, 4);
    EXPECT_EQ(im.fileName, "snapshot.csv");
    EXPECT_EQ(im.fileSha256.size(), 64u);

    auto r = check("9901");
    EXPECT_EQ(r["import"]["id"], im.id);
    EXPECT_EQ(r["counts"]["same"], 1);
    EXPECT_EQ(r["counts"]["different"], 1);
    EXPECT_EQ(r["counts"]["kpu_only"], 1);
    EXPECT_EQ(r["counts"]["desk_only"], 1);
    EXPECT_EQ(r["counts"]["kpu_misread"], 1);
    // Above desa level only the TPS that need a look are listed: a difference or a misread.
    EXPECT_TRUE(find(r, "9901011001001").is_null());
    auto diff = find(r, "9901011002001");
    EXPECT_EQ(diff["category"], "different");
    ASSERT_EQ(diff["differences"].size(), 1u);
    EXPECT_EQ(diff["differences"][0]["field"], "votes.candidates.2");
    EXPECT_EQ(diff["differences"][0]["label"], "IV 02");
    EXPECT_EQ(diff["differences"][0]["desk"], 90);
    EXPECT_EQ(diff["differences"][0]["kpu"], 91);
    EXPECT_EQ(diff["differences"][0]["delta"], 1);
    EXPECT_TRUE(diff["kpu_misread"].get<bool>());
    EXPECT_EQ(diff["kpu_rules"], json::array({"R2"}));
    EXPECT_EQ(diff["kpu_line"], 3);
    // At one source only: counted above, listed in their desa.
    EXPECT_TRUE(find(r, "9901021001001").is_null());
    auto only = find(check("9901021001"), "9901021001001");
    EXPECT_EQ(only["category"], "kpu_only");
    EXPECT_FALSE(only["kpu_misread"].get<bool>()); // votes only: nothing else to break
    EXPECT_EQ(find(check("9901011001"), "9901011001002")["category"], "desk_only");

    // The kabupaten's lines compare the two TPS both sources have; each source's whole sum
    // (the desk's three sheets, KPU's three rows with votes) is kept apart.
    EXPECT_EQ(r["lines"][0]["field"], "votes.candidates.1");
    EXPECT_EQ(r["lines"][0]["desk"], 140);
    EXPECT_EQ(r["lines"][0]["kpu"], 140);
    EXPECT_EQ(r["lines"][0]["delta"], 0);
    EXPECT_EQ(r["lines"][0]["desk_all"], 210);
    EXPECT_EQ(r["lines"][0]["kpu_all"], 150);
    EXPECT_EQ(r["lines"][1]["kpu"], 181);
    EXPECT_EQ(r["lines"][1]["delta"], 1);
    EXPECT_EQ(r["lines"][1]["kpu_all"], 201);
    ASSERT_EQ(r["children"].size(), 2u);
    EXPECT_EQ(r["children"][0]["area"]["code"], "990101");
    EXPECT_EQ(r["children"][0]["counts"]["same"], 1);
    EXPECT_EQ(r["children"][1]["counts"]["kpu_only"], 1);

    // A desa lists every TPS; a TPS shows every box of the form from both sources.
    EXPECT_EQ(check("9901011001")["tps"].size(), 2u);
    auto tps = check("9901011002001");
    int differing = 0;
    for (const auto& f : tps["tps"][0]["form"]) {
        differing += f["differs"].get<bool>();
        if (f["field"] == "voters.total.total") {
            EXPECT_EQ(f["desk"], 176);
            EXPECT_EQ(f["kpu"], 176);
        }
        if (f["field"] == "ballots.used") {
            EXPECT_TRUE(f["kpu"].is_null()); // KPU does not publish section II
        }
    }
    EXPECT_EQ(differing, 1);

    // KPU's numbers count nowhere: the tally and the ledger are as before.
    auto tallyAfter = central::tallyReport(*store, "ppwp", AreaCode::parse("9901"));
    EXPECT_EQ(tallyAfter["candidates"], tallyBefore["candidates"]);
    EXPECT_EQ(tallyAfter["votes"], tallyBefore["votes"]);
    EXPECT_EQ(store->ledger().ledgerSize(), ledgerBefore);
    EXPECT_TRUE(store->ledger().verify().ok);

    auto csv = central::crosscheckCsv(*store, "ppwp", AreaCode::parse("9901"));
    EXPECT_NE(csv.find("9901011002001,TPS 001,different,ya,R2,votes.candidates.2=90/91,70,70,90,"
                       "91,10,10,170,170,6,6,176,176,176,176,200,\n"),
              std::string::npos)
        << csv;
}

TEST_F(CrosscheckTest, ANewerImportKeepsTheEarlierOneAndShowsWhatChanged) {
    push("9901011001001", validPpwpSheet());
    auto first = central::importKpu(*store, "ppwp",
                                    write("a.csv", "kode,c1,c2,c3\n9901011001001,70,90,10\n"));
    auto second = central::importKpu(*store, "ppwp",
                                     write("b.csv", "kode,c1,c2,c3\n9901011001001,71,90,10\n"));
    ASSERT_EQ(central::kpuImports(*store, "ppwp").size(), 2u);
    auto now = check("9901");
    EXPECT_EQ(now["import"]["id"], second.id);
    EXPECT_EQ(now["previous_import"], first.id);
    EXPECT_EQ(now["counts"]["kpu_changed"], 1);
    auto t = find(now, "9901011001001");
    EXPECT_EQ(t["category"], "different");
    ASSERT_EQ(t["kpu_changes"].size(), 1u);
    EXPECT_EQ(t["kpu_changes"][0]["field"], "votes.candidates.1");
    EXPECT_EQ(t["kpu_changes"][0]["before"], 70);
    EXPECT_EQ(t["kpu_changes"][0]["after"], 71);
    auto then = check("9901", "ppwp", first.id);
    EXPECT_EQ(then["counts"]["same"], 1);
    EXPECT_TRUE(then["previous_import"].is_null());
    EXPECT_THROW(check("9901", "ppwp", 99), central::ApiError);
}

TEST_F(CrosscheckTest, ErrorsNameTheFileTheLineAndTheColumn) {
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,c3\n9901011001001,1,2,3\n9901011001002,4,1x3,5\n"),
              dir.file("kpu.csv") + ":3: column c2: \"1x3\" is not a number");
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,c3\n9901011001001,1,-2,3\n"),
              dir.file("kpu.csv") + ":2: column c2: \"-2\" is not a number");
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,c3\n9901099001001,1,2,3\n"),
              dir.file("kpu.csv") + ":2: column kode: TPS 9901099001001 is not in regency 9901");
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,c3\n9901011001001,1,2,3\n9901011001001,1,2,3\n"),
              dir.file("kpu.csv") + ":3: column kode: TPS 9901011001001 given twice");
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,c4\n9901011001001,1,2,3\n"),
              dir.file("kpu.csv") + ":2: column c4: the ppwp form of TPS 9901011001001 has no box "
                                    "votes.candidates.4");
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,suara\n"),
              dir.file("kpu.csv") + ":1: unknown column \"suara\"");
    EXPECT_EQ(errorOf("ppwp", "kode,c1,c2,c3\n9901011001001,1,2\n"),
              dir.file("kpu.csv") + ":2: 3 fields, the header has 4");
    EXPECT_NE(errorOf("pdpr", "kode,c1,c2,c3\n").find(":1: pdpr needs the long shape"),
              std::string::npos);
    EXPECT_EQ(errorOf("pdpr", "kode,partai,calon,suara\n9901011001001,3,partai,5\n"),
              dir.file("kpu.csv") +
                  ":2: column suara: the pdpr form of TPS 9901011001001 has no box "
                  "votes.parties.3.party_only");
    // A TPS without the contest on its ballot (this one has PPWP only).
    EXPECT_EQ(errorOf("pdpr", "kode,partai,calon,suara\n9901011002001,1,partai,5\n"),
              dir.file("kpu.csv") + ":2: column kode: TPS 9901011002001 has no pdpr ballot");
    // Nothing of a refused file is stored.
    EXPECT_THROW(central::importKpu(*store, "ppwp", write("bad.csv", "kode,c1\n1,2\n")),
                 std::runtime_error);
    EXPECT_TRUE(central::kpuImports(*store, "ppwp").empty());
}

// The long shape of the party contests, on a small synthetic DPR RI file: one caleg's votes
// differ from the desk's, and KPU's party total then breaks R9.
TEST_F(CrosscheckTest, DprInTheLongShapeComparesEveryPartyAndCaleg) {
    push("9901011001001", validPdprSheet());
    central::importKpu(*store, "pdpr",
                       write("dpr.csv", "kode,partai,calon,suara\n"
                                        "9901011001001,1,partai,30\n"
                                        "9901011001001,1,1,20\n"
                                        "9901011001001,1,2,10\n"
                                        "9901011001001,1,jumlah,60\n"
                                        "9901011001001,2,partai,50\n"
                                        "9901011001001,2,1,30\n"
                                        "9901011001001,2,2,25\n"
                                        "9901011001001,2,jumlah,100\n"
                                        "9901011001001,,suara_sah,160\n"
                                        "9901011001001,,suara_tidak_sah,16\n"
                                        "9901011001001,,suara_total,176\n"
                                        "9901011001002,1,partai,\n"));
    auto r = check("9901", "pdpr");
    EXPECT_EQ(r["counts"]["different"], 1);
    EXPECT_EQ(r["counts"]["none"], 1); // a row with nothing published is not at KPU
    auto t = find(r, "9901011001001");
    ASSERT_EQ(t["differences"].size(), 1u) << t.dump();
    EXPECT_EQ(t["differences"][0]["field"], "votes.parties.2.candidates.2");
    EXPECT_EQ(t["differences"][0]["label"], "IV P02 2");
    EXPECT_EQ(t["differences"][0]["delta"], 5);
    EXPECT_EQ(t["kpu_rules"], json::array({"R9"}));
    // Lines by party total: both 100 for party 2 (KPU's total is as published).
    EXPECT_EQ(r["lines"][1]["field"], "votes.parties.2.total");
    EXPECT_EQ(r["lines"][1]["label"], "Gerindra");
    EXPECT_EQ(r["lines"][1]["desk"], 100);
    EXPECT_EQ(r["lines"][1]["kpu"], 100);
}

TEST_F(CrosscheckTest, WithoutAnImportEverySheetIsAtTheDeskOnly) {
    push("9901011001001", validPpwpSheet());
    auto r = check("9901");
    EXPECT_TRUE(r["import"].is_null());
    EXPECT_EQ(r["counts"]["desk_only"], 1);
    EXPECT_THROW(check("9901", "nope"), central::ApiError);
    EXPECT_THROW(check("9909"), central::ApiError);
}

} // namespace

// Over HTTP from a real receiver on 127.0.0.1: the desk reads the cross-check as JSON and CSV,
// an older import by its id; a camat's or an operator's token is refused.
TEST(CrosscheckApi, TheDeskReadsItAndDevicesAreRefused) {
    LiveCentral live;
    httplib::Client client("127.0.0.1", live.port());
    auto desk = live.store().deskTokens().createDeskToken("Desk Uji");
    auto camat = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990101")).token;
    auto op = enrolSigned(live.store(), live.mint(protocol::Role::Operator, "9901011001001"));
    auto push = client.Post(
        "/api/v1/sync/push", {{"Authorization", "Bearer " + op.token}},
        json{{"revisions", {encodeRevision(makeRevision(op.device, validPpwpSheet()))}}}.dump(),
        "application/json");
    ASSERT_EQ(push->status, 200) << push->body;
    TempDir dir;
    auto file = dir.file("kpu.csv");
    std::ofstream(file) << "kode,c1,c2,c3\n9901011001001,70,90,10\n";
    auto first = central::importKpu(live.store(), "ppwp", file);
    std::ofstream(file) << "kode,c1,c2,c3\n9901011001001,70,90,11\n";
    central::importKpu(live.store(), "ppwp", file);

    auto get = [&](const std::string& path, const std::string& token) {
        return client.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
    };
    auto res = get("/api/v1/crosscheck?contest=ppwp&area=9901", desk);
    ASSERT_EQ(res->status, 200) << res->body;
    auto r = json::parse(res->body);
    EXPECT_EQ(r["counts"]["different"], 1);
    EXPECT_EQ(r["tps"][0]["differences"][0]["field"], "votes.candidates.3");
    res = get("/api/v1/crosscheck?contest=ppwp&import=" + std::to_string(first.id), desk);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body)["counts"]["same"], 1);
    EXPECT_EQ(get("/api/v1/crosscheck?contest=ppwp&import=x1", desk)->status, 400);
    EXPECT_EQ(get("/api/v1/crosscheck?contest=ppwp&import=77", desk)->status, 404);
    res = get("/api/v1/crosscheck.csv?contest=ppwp&area=990101", desk);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_NE(res->body.find("\n9901011001001,TPS 001,different,"), std::string::npos) << res->body;
    EXPECT_EQ(get("/api/v1/crosscheck?contest=ppwp", camat)->status, 403);
    EXPECT_EQ(get("/api/v1/crosscheck?contest=ppwp", op.token)->status, 403);
    EXPECT_EQ(client.Get("/api/v1/crosscheck?contest=ppwp")->status, 401);
}
