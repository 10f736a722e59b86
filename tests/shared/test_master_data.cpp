// The regency-file loader: what it accepts and every way it names a bad file.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "fixtures.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {
/// The error of both decoders, which must agree: the tree's and the one reading TPS by TPS.
std::string loadError(const json& j) {
    auto error = [](const auto& decode) -> std::string {
        try {
            decode();
        } catch (const DecodeError& e) {
            return e.what();
        }
        return "ok";
    };
    auto tree = error([&] { decodeRegency(j, "bad.json"); });
    auto text = error([&] { decodeRegencyText(j.dump(), "bad.json"); });
    EXPECT_EQ(text, tree) << "decodeRegencyText words it otherwise";
    return tree;
}

/// Both decoders on `text`: the same regency, content hash and served text.
void expectSameDecoding(const std::string& text, const std::string& what) {
    SCOPED_TRACE(what);
    auto tree = decodeRegency(parseJsonText(text, what), what);
    auto read = decodeRegencyText(text, what);
    EXPECT_EQ(read.regency.contentHash, tree.contentHash);
    EXPECT_EQ(encodeRegency(read.regency), encodeRegency(tree));
    EXPECT_EQ(read.document, json::parse(text).dump());
    ASSERT_EQ(read.regency.tps.size(), tree.tps.size());
    for (const auto& t : tree.tps)
        ASSERT_NE(read.regency.findTps(t.code), nullptr) << t.code.str();
    // Inside a ledger entry, as the receiver reads it.
    auto entry = json{{"kind", "master_data"},
                      {"version", tree.contentHash},
                      {"document", json::parse(text)},
                      {"z", {{"tps", json::array({1})}}}};
    auto inEntry = decodeRegencyText(entry.dump(), what, "document");
    EXPECT_EQ(inEntry.regency.contentHash, tree.contentHash);
    EXPECT_EQ(inEntry.document, entry.at("document").dump());
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

TEST(MasterData, TheTextDecoderGivesWhatTheTreeDecoderGives) {
    expectSameDecoding(tinyRegencyJson().dump(), "tiny");
    // Names that are not ASCII: the content hash takes them escaped, the served text as they are.
    auto j = tinyRegencyJson();
    j["tps"][1]["name"] = "TPS Désa Ünggul";
    j["desa"][0]["name"] = "Désa Satu";
    expectSameDecoding(j.dump(), "not ascii");
    // The TPS first in the file, before what they refer to.
    std::string tpsFirst = "{\"tps\":" + j["tps"].dump();
    for (const auto& [key, v] : j.items())
        if (key != "tps")
            tpsFirst += ",\"" + key + "\":" + v.dump();
    expectSameDecoding(tpsFirst + "}", "tps first");
    for (const auto& file : std::filesystem::directory_iterator(
             std::filesystem::path(REKAP_SOURCE_DIR) / "data" / "regencies")) {
        std::ifstream in(file.path());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        expectSameDecoding(text, file.path().filename().string());
    }
}

TEST(MasterData, TheTextDecoderNamesWhatIsWrongAsTheTreeDecoderDoes) {
    // Not JSON: the byte where it stops, as parseJsonText says it.
    std::string broken = tinyRegencyJson().dump();
    broken.resize(broken.size() / 2);
    std::string tree;
    try {
        parseJsonText(broken, "bad.json");
    } catch (const DecodeError& e) {
        tree = e.what();
    }
    try {
        decodeRegencyText(broken, "bad.json");
        FAIL() << "half a document was decoded";
    } catch (const DecodeError& e) {
        EXPECT_EQ(std::string(e.what()), tree);
    }
    // TPS that are not a list, or missing.
    auto j = tinyRegencyJson();
    j["tps"] = json::object();
    loadError(j);
    j.erase("tps");
    EXPECT_NE(loadError(j), "ok");
    // Two lists of TPS: a tree keeps the last; the text decoder refuses.
    std::string twice = tinyRegencyJson().dump();
    twice.insert(twice.size() - 1, ",\"tps\":[]");
    try {
        decodeRegencyText(twice, "bad.json");
        FAIL() << "two lists of TPS were decoded";
    } catch (const DecodeError& e) {
        EXPECT_EQ(std::string(e.what()), "bad.json: $.tps appears twice");
    }
    try {
        decodeRegencyText(json{{"kind", "master_data"}}.dump(), "entry", "document");
        FAIL() << "an entry without a document was decoded";
    } catch (const DecodeError& e) {
        EXPECT_EQ(std::string(e.what()), "entry: no \"document\" in it");
    }
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
