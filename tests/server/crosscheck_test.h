#pragma once
// A store with the tiny regency for the cross-check's tests (test_crosscheck*.cpp): KPU's files
// written and imported, sheets pushed by enrolled devices, reports read by area.

#include <fstream>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/crosscheck.h"
#include "rekap/sheet_codec.h"
#include "store_test.h"

namespace rekap::test {

/// The per-TPS shape's header (docs/crosscheck.md), every column.
inline const std::string kKpuHeader =
    "kode,c1,c2,c3,suara_sah,suara_tidak_sah,suara_total,dpt_j,dpt_l,dpt_p,pengguna_dpt_j,"
    "pengguna_dptb_j,pengguna_non_dpt_j,pengguna_total_j,ts\n";

class CrosscheckTest : public StoreTest {
protected:
    std::string write(const std::string& name, const std::string& text) {
        auto path = dir.file(name);
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    void push(const std::string& tps, Sheet sheet) {
        sheet.tps = AreaCode::parse(tps);
        auto d = enrol(tps);
        auto r = store->intake().ingest(
            d, nlohmann::json::array({encodeRevision(makeRevision(d.id, sheet))}));
        ASSERT_EQ(r.results[0].status, protocol::PushStatus::Accepted);
    }
    nlohmann::json check(const std::string& area, const std::string& contest = "ppwp",
                         std::optional<std::int64_t> import = std::nullopt) {
        return central::crosscheckReport(*store, contest, AreaCode::parse(area), import);
    }
    static nlohmann::json find(const nlohmann::json& report, const std::string& tps) {
        for (const auto& t : report["tps"])
            if (t["tps"] == tps)
                return t;
        return nullptr;
    }
    /// The area line of `field` in `lines` (a report's or a child's).
    static nlohmann::json line(const nlohmann::json& lines, const std::string& field) {
        for (const auto& l : lines)
            if (l["field"] == field)
                return l;
        ADD_FAILURE() << "no line " << field << " in " << lines.dump();
        return nlohmann::json::object();
    }
    std::string errorOf(const std::string& contest, const std::string& text) {
        try {
            central::readKpuFile(write("kpu.csv", text), store->masterData().regency(), contest);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "no error";
    }
};

} // namespace rekap::test
