#include "devices/enrolment_codes.h"

namespace rekap::central::enrolment_codes {

void add(const db::WriteTx& db, const std::string& codeHash, const std::string& role,
         const std::string& scope, const std::string& label, const std::string& createdAt,
         std::int64_t expiresAt) {
    db.prepare("INSERT INTO enrolment_codes (code_hash, role, scope, label, created_at, "
               "expires_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bindAll(codeHash, role, scope, label, createdAt, expiresAt)
        .run();
}

std::optional<Code> find(const db::ReadTx& db, const std::string& codeHash) {
    auto st = db.prepare("SELECT role, scope, expires_at, device, enrolment_id FROM "
                         "enrolment_codes WHERE code_hash = ?");
    st.bindAll(codeHash);
    if (!st.step())
        return std::nullopt;
    return Code{st.text(0), st.text(1), st.int64(2), st.optionalText(3), st.optionalText(4)};
}

void markUsed(const db::WriteTx& db, const std::string& codeHash, const std::string& device,
              const std::string& enrolmentId) {
    db.prepare("UPDATE enrolment_codes SET device = ?, enrolment_id = ? WHERE code_hash = ?")
        .bindAll(device, enrolmentId, codeHash)
        .run();
}

} // namespace rekap::central::enrolment_codes
