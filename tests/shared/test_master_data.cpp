// The regency-file loader: what it accepts and every way it names a bad file.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "fixtures.h"
#include "rekap/error.h"
#include "rekap/master_data.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {
std::string loadError(const json& j) {
    try {
        decodeRegency(j, "bad.json");
    } catch (const DecodeError& e) {
        return e.what();
    }
    return "ok";
}
} // namespace

TEST(MasterData, LoadsTheFixture) {
    const auto& reg = tinyRegency();
    EXPECT_EQ(reg.name, "Uji");
    EXPECT_EQ(reg.timeZone, TimeZone::WITA);
    EXPECT_EQ(reg.tps.size(), 4u);
    EXPECT_EQ(reg.dptIn(reg.code), 550);
    EXPECT_EQ(reg.dptIn(AreaCode::parse("9901011001")), 200);
    EXPECT_EQ(reg.tpsIn(AreaCode::parse("990101")).size(), 3u);
    EXPECT_EQ(reg.areaName(AreaCode::parse("9901011002")), "Desa Dua");
    EXPECT_TRUE(reg.findContest("pdpr")->syntheticCandidates);
    EXPECT_EQ(reg.contentHash.size(), 64u);
    const auto* tps = reg.findTps(AreaCode::parse("9901011002001"));
    EXPECT_FALSE(reg.ballotFor(*tps, *reg.findContest("pdpr")).has_value());
    EXPECT_TRUE(reg.ballotFor(*tps, *reg.findContest("ppwp")).has_value());
}

TEST(MasterData, EncodeIsTheInverseOfDecode) {
    auto again = decodeRegency(encodeRegency(tinyRegency()), "again.json");
    EXPECT_EQ(encodeRegency(again), encodeRegency(tinyRegency()));
}

TEST(MasterData, ErrorsNameFileAndPath) {
    auto j = tinyRegencyJson();
    j["tps"][1]["dpt_l"] = -1;
    EXPECT_EQ(loadError(j), "bad.json: $.tps[1].dpt_l: must be at least 0, got -1");

    j = tinyRegencyJson();
    j["tps"][0]["code"] = "9901011003001";
    EXPECT_EQ(loadError(j), "bad.json: $.tps[0].code: TPS 9901011003001 lies in desa 9901011003, "
                            "which is not in $.desa");

    j = tinyRegencyJson();
    j["tps"][1]["code"] = "9901011001001";
    EXPECT_EQ(loadError(j), "bad.json: $.tps[1].code: duplicate TPS 9901011001001");

    j = tinyRegencyJson();
    j["desa"][2]["code"] = "9901031001";
    EXPECT_EQ(loadError(j), "bad.json: $.desa[2].code: desa 9901031001 lies in 990103, which is "
                            "not in this file");

    j = tinyRegencyJson();
    j["regency"]["time_zone"] = "CET";
    EXPECT_EQ(loadError(j),
              "bad.json: $.regency.time_zone: unknown time zone 'CET' (WIB, WITA or WIT)");

    j = tinyRegencyJson();
    j["tps"][0]["dpt_l"] = 250;
    EXPECT_EQ(loadError(j), "bad.json: $.tps[0]: DPT 350 exceeds the 300 voters a TPS may have");

    j = tinyRegencyJson();
    j["contests"][1]["dapils"][0]["lists"][1]["party"] = 7;
    EXPECT_EQ(loadError(j), "bad.json: $.contests[1].dapils[0].lists[1].party: party 7 is not in "
                            "$.parties");

    j = tinyRegencyJson();
    j["contests"][1]["dapils"][0]["areas"] = {"990101100"};
    EXPECT_NE(loadError(j).find("$.contests[1].dapils[0].areas[0]: area code '990101100'"),
              std::string::npos);

    j = tinyRegencyJson();
    j["contests"][1]["dapils"][0]["areas"] = {"9901011002"};
    EXPECT_EQ(loadError(j), "bad.json: $.tps[0].code: no dapil of contest pdpr covers TPS "
                            "9901011001001");

    j = tinyRegencyJson();
    j["contests"][0]["kind"] = "party-list";
    EXPECT_EQ(loadError(j), "bad.json: $.contests[0].kind: unknown ballot kind 'party-list' "
                            "(expected paslon, party or individual)");

    j = tinyRegencyJson();
    j["contests"][2]["candidates"][1]["number"] = 1;
    EXPECT_EQ(loadError(j), "bad.json: $.contests[2].candidates[1].number: duplicate candidate "
                            "number 1");

    j = tinyRegencyJson();
    j["tps"][2]["contests"] = {"pilbup"};
    EXPECT_EQ(loadError(j), "bad.json: $.tps[2].contests[0]: unknown contest 'pilbup'");

    j = tinyRegencyJson();
    j["format_version"] = 2;
    EXPECT_NE(loadError(j).find("format version 2 is not supported"), std::string::npos);

    j = tinyRegencyJson();
    j["extra"] = 1;
    EXPECT_EQ(loadError(j), "bad.json: $.extra: unknown field 'extra'");
}

TEST(MasterData, PilkadaIsConfigurationNotCode) {
    // The same build runs the Pilkada: a regency file with pilgub and pilbup paslon contests and
    // TPS of up to 600 voters.
    auto j = tinyRegencyJson();
    j["max_voters_per_tps"] = 600;
    j["contests"] = json::parse(R"([
        {"code": "pilgub", "name": "Gubernur", "kind": "paslon",
         "candidates": [{"number": 1, "name": "A - B"}, {"number": 2, "name": "C - D"}]},
        {"code": "pilbup", "name": "Bupati", "kind": "paslon",
         "candidates": [{"number": 1, "name": "E - F"}]}])");
    j["tps"][2]["contests"] = {"pilgub"};
    j["tps"][3]["contests"] = {"pilbup"};
    j["tps"][0]["dpt_l"] = 290;
    j["tps"][0]["dpt_p"] = 280;
    auto reg = decodeRegency(j, "pilkada.json");
    EXPECT_EQ(reg.contests.size(), 2u);
    EXPECT_EQ(reg.findTps(AreaCode::parse("9901011001001"))->dpt(), 570);
}

TEST(MasterData, FileErrors) {
    // Its own folder: other builds and worktrees run this test at the same time.
    auto dir = std::filesystem::temp_directory_path() /
               ("rekap-master-data-test-" + std::to_string(::getpid()) + "-" +
                std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    auto path = dir / "broken.json";
    std::ofstream(path) << "{\"format\": \"rekap-regency\",";
    try {
        loadRegencyFile(path);
        FAIL() << "no error";
    } catch (const DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find(path.string() + ": not valid JSON"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(loadRegencyFile(dir / "missing.json"), DecodeError);
    std::filesystem::remove_all(dir);
}
