#pragma once
// What the desk and the camat read, as JSON (and CSV): built from the live tally and the store.
// Field names are documented in docs/protocol.md ("Desk and camat API").

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "rekap/central/store.h"

namespace rekap::central {

/// The tally of `contest` for `area` (kabupaten, kecamatan, desa or TPS) with its children.
/// Throws ApiError 404 for an unknown contest or area.
nlohmann::json
tallyReport(const CentralStore& store, const std::string& contest, const AreaCode& area,
            std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
/// tallyReport(...) as the route sends it (dumped, no spaces), byte for byte, written as text
/// straight from the live tally and, for a desa, its TPS's counted lines (tally_text.cpp).
std::string
tallyReportText(const CentralStore& store, const std::string& contest, const AreaCode& area,
                std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
/// One row per child area (or TPS), with the votes of each candidate or party.
std::string tallyCsv(const CentralStore& store, const std::string& contest, const AreaCode& area);
/// A sheet's counted numbers and its whole revision history.
nlohmann::json sheetReport(const CentralStore& store, const std::string& sheetKey);
/// Sync status per TPS of `area`, grouped by desa.
nlohmann::json statusReport(const CentralStore& store, const AreaCode& area);
/// Sheets in conflict inside `area`, each head with its numbers.
nlohmann::json conflictsReport(const CentralStore& store, const AreaCode& area);
/// Sheets rejected inside `area`, with their findings.
nlohmann::json rejectedReport(const CentralStore& store, const AreaCode& area);

/// Sheets sent back to their operator inside `area` ("perlu perbaikan"), newest first, each
/// waiting or answered (send_back_reports.cpp).
nlohmann::json sendBacksReport(const CentralStore& store, const AreaCode& area);
/// One mark as the desk, the camat and the sheet page read it.
nlohmann::json sendBackJson(const Regency& reg, const SendBackRecord& mark);

/// The signed tree head ("Segel data") the figures stand under, the receiver's key and whether
/// the ledger passed verification when the receiver started.
nlohmann::json
sealReport(const CentralStore& store,
           std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// 12.3456 -> 12.35: shares are given with two decimals.
double percent(long part, long whole);

} // namespace rekap::central
