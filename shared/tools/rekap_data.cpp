// rekap-data: makes, summarizes and checks Rekap's data files.
//   make-hss, make-hss-pilkada, make-banyuasin  regenerate the sample regency files
//                             (deterministic)
//   summary                   counts and totals of regency files
//   validate                  decode sheets and check them against the rules
//   sirekap                   run KPU's published per-TPS numbers through the rules
//   pilkada-sample            a generated Pilkada night: sheets and a KPU-shaped sample

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/rules.h"
#include "rekap/sheet_codec.h"

#include "pilkada_sample.h"
#include "regencies.h"
#include "sirekap.h"

using namespace rekap;

namespace {

void writeRegency(const Regency& reg, const std::string& out) {
    // One element per line keeps the shipped files diffable.
    auto text = encodeRegency(reg).dump(1, ' ', true) + "\n";
    if (out == "-") {
        std::cout << text;
        return;
    }
    std::ofstream f(out, std::ios::binary);
    if (!(f << text))
        throw std::runtime_error(out + ": cannot write");
    // Round-trip through the loader, so a generator bug cannot ship a file the loader refuses.
    loadRegencyFile(out);
}

nlohmann::json summaryJson(const Regency& reg) {
    long l = 0, p = 0, maxDpt = 0;
    std::map<std::string, int> sources;
    for (const auto& t : reg.tps) {
        l += t.dptL;
        p += t.dptP;
        maxDpt = std::max<long>(maxDpt, t.dpt());
        ++sources[t.dptSource.empty() ? "unspecified" : t.dptSource];
    }
    auto contests = nlohmann::json::array();
    for (const auto& c : reg.contests)
        contests.push_back(c.code);
    return {{"code", reg.code.str()},
            {"name", reg.name},
            {"time_zone", std::string(timeZoneName(reg.timeZone))},
            {"kecamatan", reg.kecamatan.size()},
            {"desa", reg.desa.size()},
            {"tps", reg.tps.size()},
            {"dpt", l + p},
            {"dpt_l", l},
            {"dpt_p", p},
            {"max_tps_dpt", maxDpt},
            {"dpt_sources", sources},
            {"contests", contests},
            {"content_hash", reg.contentHash}};
}

void printFinding(std::ostream& out, const std::string& where, const Finding& f) {
    out << where << ": " << f.rule << " " << severityName(f.severity) << ": " << f.messageEn
        << "\n";
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"rekap-data: make, summarize and check Rekap's data files"};
    app.require_subcommand(1);

    std::string out, wilayah = "data/source/hss-6306-wilayah.csv",
                     sirekap = "data/source/hss-6306-sirekap-ppwp-snapshot.csv";
    auto* hss = app.add_subcommand("make-hss", "Generate the Hulu Sungai Selatan regency file");
    hss->add_option("--wilayah", wilayah, "KPU TPS list CSV")->check(CLI::ExistingFile);
    hss->add_option("--sirekap", sirekap, "Sirekap per-TPS snapshot CSV")->check(CLI::ExistingFile);
    hss->add_option("-o,--output", out, "Output file, - for stdout")->required();

    auto* pilkada = app.add_subcommand(
        "make-hss-pilkada", "Generate the Hulu Sungai Selatan Pilkada 2024 regency file");
    pilkada->add_option("--wilayah", wilayah, "KPU TPS list CSV")->check(CLI::ExistingFile);
    pilkada->add_option("--sirekap", sirekap, "Sirekap per-TPS snapshot CSV (February's DPT)")
        ->check(CLI::ExistingFile);
    pilkada->add_option("-o,--output", out, "Output file, - for stdout")->required();

    std::string sampleDir, sampleRegency;
    int sampleTps = 40;
    auto* sample = app.add_subcommand(
        "pilkada-sample", "Generate Pilkada sheets and a KPU Sirekap-shaped sample (GENERATED)");
    sample->add_option("--regency", sampleRegency, "Pilkada regency file")->required();
    sample->add_option("--tps", sampleTps, "TPS with sheets (the first N of the file)")
        ->capture_default_str();
    sample
        ->add_option("-o,--output", sampleDir,
                     "Folder: sheets/<TPS>-<contest>.json and "
                     "kpu-sirekap-<contest>-GENERATED.csv")
        ->required();

    auto* bya = app.add_subcommand("make-banyuasin", "Generate the Banyuasin regency file");
    bya->add_option("-o,--output", out, "Output file, - for stdout")->required();

    std::vector<std::string> files;
    bool json = false;
    auto* summary = app.add_subcommand("summary", "Print counts and DPT totals of regency files");
    summary->add_option("files", files, "Regency files")->required();
    summary->add_flag("--json", json, "JSON output");

    std::string regencyFile;
    auto* validate = app.add_subcommand("validate", "Check sheet JSON files against the rules");
    validate->add_option("--regency", regencyFile, "Regency file")->required();
    validate->add_option("sheets", files, "Sheet JSON files")->required();

    auto* replay =
        app.add_subcommand("sirekap", "Run KPU's published PPWP numbers through the rules");
    replay->add_option("--regency", regencyFile, "Regency file")->required();
    replay->add_option("--csv", sirekap, "Sirekap per-TPS snapshot CSV")->check(CLI::ExistingFile);
    replay->add_flag("--json", json, "JSON output");
    std::string sheetDir;
    replay->add_option("--write-sheets", sheetDir,
                       "Also write each sheet as <TPS>-ppwp.json in this folder");

    CLI11_PARSE(app, argc, argv);

    try {
        if (*hss) {
            writeRegency(tools::makeHuluSungaiSelatan(wilayah, sirekap), out);
        } else if (*pilkada) {
            writeRegency(tools::makeHuluSungaiSelatanPilkada(wilayah, sirekap), out);
        } else if (*sample) {
            auto reg = loadRegencyFile(sampleRegency);
            auto made = tools::makePilkadaSample(reg, sampleTps);
            std::filesystem::create_directories(sampleDir + "/sheets");
            for (const auto& s : made.sheets)
                std::ofstream(sampleDir + "/sheets/" + s.tps.str() + "-" + s.contest + ".json")
                    << encodeSheet(s).dump() << "\n";
            for (const auto& [contest, text] : made.kpuCsv) {
                std::ofstream(sampleDir + "/" + tools::pilkadaSampleCsvName(contest),
                              std::ios::binary)
                    << text;
                std::cout << contest << ": GENERATED KPU sample, "
                          << made.kpuMisread[contest].size() << " misread by KPU, "
                          << made.deskOnly[contest].size() << " desk only, "
                          << made.kpuOnly[contest].size() << " KPU only\n";
            }
            std::cout << made.sheets.size() << " sheets in " << sampleDir << "/sheets\n";
        } else if (*bya) {
            writeRegency(tools::makeBanyuasin(), out);
        } else if (*summary) {
            auto all = nlohmann::json::array();
            for (const auto& f : files)
                all.push_back(summaryJson(loadRegencyFile(f)));
            if (json) {
                std::cout << all.dump(2) << "\n";
            } else {
                for (const auto& s : all)
                    std::cout << s["code"].get<std::string>() << " " << s["name"].get<std::string>()
                              << " (" << s["time_zone"].get<std::string>()
                              << "): " << s["kecamatan"] << " kecamatan, " << s["desa"] << " desa, "
                              << s["tps"] << " TPS, DPT " << s["dpt"] << " (L " << s["dpt_l"]
                              << ", P " << s["dpt_p"] << "), contests " << s["contests"].dump()
                              << "\n";
            }
        } else if (*validate) {
            auto reg = loadRegencyFile(regencyFile);
            int bad = 0;
            for (const auto& f : files) {
                std::ifstream in(f, std::ios::binary);
                if (!in)
                    throw DecodeError(f, "cannot open");
                std::stringstream buf;
                buf << in.rdbuf();
                auto sheet = decodeSheet(parseJsonText(buf.str(), f), reg, f);
                auto findings = validateSheet(sheet, reg);
                for (const auto& finding : findings)
                    printFinding(std::cout, f, finding);
                if (hasErrors(findings))
                    ++bad;
                else
                    std::cout << f << ": " << sheet.key() << " ok\n";
            }
            return bad ? 1 : 0;
        } else if (*replay) {
            auto reg = loadRegencyFile(regencyFile);
            auto data = tools::readSirekapSnapshot(sirekap, reg);
            std::map<std::string, int> byRule;
            int clean = 0, flagged = 0;
            auto flaggedList = nlohmann::json::array();
            if (!sheetDir.empty())
                std::filesystem::create_directories(sheetDir);
            for (const auto& s : data.sheets) {
                if (!sheetDir.empty())
                    std::ofstream(sheetDir + "/" + s.sheet.tps.str() + "-ppwp.json")
                        << encodeSheet(s.sheet).dump() << "\n";
                auto findings = validateSheet(s.sheet, reg);
                if (!hasErrors(findings)) {
                    ++clean;
                    continue;
                }
                ++flagged;
                auto rules = nlohmann::json::array();
                for (const auto& f : findings) {
                    if (f.severity == Severity::Warning)
                        continue;
                    ++byRule[f.rule];
                    rules.push_back(f.rule);
                    if (!json)
                        printFinding(
                            std::cout,
                            sirekap + ":" + std::to_string(s.line) + " " + s.sheet.tps.str(), f);
                }
                flaggedList.push_back(
                    {{"tps", s.sheet.tps.str()}, {"line", s.line}, {"rules", rules}});
            }
            nlohmann::json result = {{"sheets", data.sheets.size()},
                                     {"without_votes", data.withoutVotes},
                                     {"clean", clean},
                                     {"flagged", flagged},
                                     {"by_rule", byRule},
                                     {"flagged_tps", flaggedList}};
            if (json)
                std::cout << result.dump(2) << "\n";
            else
                std::cout << "\n"
                          << data.sheets.size() << " sheets from Sirekap (" << data.withoutVotes
                          << " TPS published no votes): " << clean << " pass the rules, " << flagged
                          << " flagged; by rule " << nlohmann::json(byRule).dump() << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "rekap-data: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
