// CentralStore: a sheet sent back to its operator ("perlu perbaikan", rekap/send_back.h,
// docs/protocol.md "Sheets sent back"). The desk gives a reason; the receiver names the sheet's
// latest first entry by an operator's tablet, signs the mark with its key like a decision, and
// records one send_back ledger entry, one send_backs row and one pull-feed item for the TPS's
// devices. The numbers and the merge are untouched: the operator's correction is an ordinary
// revision, which answers the mark when it arrives (derive::addRevision).

#include "rekap/send_back.h"
#include "derive.h"
#include "ledger_log.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/merge.h"
#include "rekap/revision_key.h"
#include "rekap/support/random.h"
#include "send_backs.h"

namespace rekap::central {

SendBackRecord CentralStore::sendBack(const std::string& sheetKey, const std::string& reason,
                                      const std::string& by) {
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError(Problem::BadRequest, "say what the operator should correct", "$.reason");
    if (reason.size() > kMaxSendBackReason)
        throw ApiError(Problem::BadRequest,
                       "longer than " + std::to_string(kMaxSendBackReason) + " bytes", "$.reason");
    if (by.empty())
        throw ApiError(Problem::BadRequest, "a send-back needs who sent it back");
    SendBackRecord out;
    std::lock_guard lock(mu_);
    writeLedger([&] {
        // The sheet's latest first entry by an operator's tablet: what its operator corrects.
        auto st = db_.prepare(
            "SELECT r.id, r.device, r.tps, r.contest FROM revisions r JOIN devices d ON "
            "d.id = r.device WHERE r.sheet = ? AND r.reading = 0 AND d.role = 'operator' "
            "ORDER BY r.ledger_idx DESC LIMIT 1");
        st.bindAll(sheetKey);
        if (!st.step())
            throw ApiError(Problem::NotFound,
                           "no operator's tablet has sent sheet " + sheetKey +
                               ": there is nothing to send back",
                           "$.sheet");
        SendBack mark;
        auto key = st.text(0);
        mark.revision = std::string(revision_key::nameOf(key)); // devices know ids, not keys
        mark.device = st.text(1);
        mark.tps = AreaCode::parse(st.text(2));
        mark.contest = st.text(3);
        mark.reason = reason;
        mark.by = by;
        if (auto w = send_backs::waiting(db_, sheetKey))
            throw ApiError(Problem::Conflict,
                           "sheet " + sheetKey + " was sent back at " + w->at + " by " + w->by +
                               " and waits for its operator's correction",
                           "$.sheet");
        auto at = utcNowText();
        mark.at = at;
        mark.signature = ledger_->sign(db_, sendBackSigningText(mark));
        auto idx =
            ledger_->append(db_, ledger::Kind::SendBack, sheetKey, mark.device, at, [&](auto n) {
                return ledger::entryText(ledger::Kind::SendBack, n, at,
                                         {{"mark", encode(mark)}, {"revision", key}});
            });
        out = SendBackRecord{idx, key, sheetKey,        mark.tps.str(), mark.device, reason,
                             by,  at,  *mark.signature, std::nullopt,   std::nullopt};
        send_backs::add(db_, out);
        // To every device of the TPS (and the camat's), as a decision is: the tablet checks the
        // receiver's signature before it shows the mark.
        db_.prepare("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES "
                    "('send_back', ?, ?, NULL, ?, ?)")
            .bindAll(sheetKey, mark.tps.str(), nlohmann::json{{"mark", encode(mark)}}.dump(), at)
            .run();
    });
    applied_ = ledger_->size();
    version_ = applied_;
    return out;
}

std::vector<SendBackRecord> CentralStore::sendBacks(const AreaCode& area) const {
    std::lock_guard lock(mu_);
    return send_backs::inArea(db_, area.str());
}

std::vector<SendBackRecord> CentralStore::sendBacksOf(const std::string& sheetKey) const {
    std::lock_guard lock(mu_);
    return send_backs::ofSheet(db_, sheetKey);
}

} // namespace rekap::central
