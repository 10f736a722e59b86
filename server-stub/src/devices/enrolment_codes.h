#pragma once
// The enrolment_codes table: one-time codes the desk hands out, stored hashed, and the device
// each was traded for. Operational: an unused code decides nothing counted. This unit holds
// every statement on the table; the caller holds the store's lock (and its transaction).

#include <cstdint>
#include <optional>
#include <string>

#include "rekap/central/database.h"

namespace rekap::central::enrolment_codes {

struct Code {
    std::string role, scope;
    std::int64_t expiresAt = 0;                     ///< unix seconds
    std::optional<std::string> device, enrolmentId; ///< once traded
};

void add(const db::WriteTx& db, const std::string& codeHash, const std::string& role,
         const std::string& scope, const std::string& label, const std::string& createdAt,
         std::int64_t expiresAt);
std::optional<Code> find(const db::ReadTx& db, const std::string& codeHash);
void markUsed(const db::WriteTx& db, const std::string& codeHash, const std::string& device,
              const std::string& enrolmentId);

} // namespace rekap::central::enrolment_codes
