// CentralStore: a sheet sent back to its operator ("perlu perbaikan", rekap/send_back.h,
// docs/protocol.md "Sheets sent back"). The desk gives a reason; the receiver names the sheet's
// latest first entry by an operator's tablet, signs the mark with its key like a decision, and
// records one send_back ledger entry, one send_backs row and one pull-feed item for the TPS's
// devices. The numbers and the merge are untouched: the operator's correction is an ordinary
// revision, which answers the mark when it arrives (derive::addRevision).

#include "rekap/send_back.h"
#include "devices/device_table.h"
#include "ledger/ledger_log.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/merge.h"
#include "rekap/revision_key.h"
#include "rekap/support/random.h"
#include "sheets/derive.h"
#include "sheets/send_backs.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

SendBackRecord SheetDesk::sendBack(const std::string& sheetKey, const std::string& reason,
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
    writeLedger([&](const db::WriteTx& tx) {
        // The sheet's latest first entry by an operator's tablet: what its operator corrects.
        std::optional<sheet_rows::RevisionRow> latest;
        for (auto& r : sheet_rows::firstEntriesOf(tx, sheetKey)) {
            auto d = device_table::byId(tx, r.device);
            if (d && d->role == protocol::Role::Operator) {
                latest = std::move(r);
                break;
            }
        }
        if (!latest)
            throw ApiError(Problem::NotFound,
                           "no operator's tablet has sent sheet " + sheetKey +
                               ": there is nothing to send back",
                           "$.sheet");
        SendBack mark;
        const auto& key = latest->id;
        mark.revision = std::string(revision_key::nameOf(key)); // devices know ids, not keys
        mark.device = latest->device;
        mark.tps = AreaCode::parse(latest->tps);
        mark.contest = latest->contest;
        mark.reason = reason;
        mark.by = by;
        if (auto w = send_backs::waiting(tx, sheetKey))
            throw ApiError(Problem::Conflict,
                           "sheet " + sheetKey + " was sent back at " + w->at + " by " + w->by +
                               " and waits for its operator's correction",
                           "$.sheet");
        auto at = utcNowText();
        mark.at = at;
        mark.signature = ledger_->sign(tx, sendBackSigningText(mark));
        auto idx =
            ledger_->append(tx, ledger::Kind::SendBack, sheetKey, mark.device, at, [&](auto n) {
                return ledger::entryText(ledger::Kind::SendBack, n, at,
                                         {{"mark", encode(mark)}, {"revision", key}});
            });
        out = SendBackRecord{idx, key, sheetKey,        mark.tps.str(), mark.device, reason,
                             by,  at,  *mark.signature, std::nullopt,   std::nullopt};
        send_backs::add(tx, out);
        // To every device of the TPS (and the camat's), as a decision is: the tablet checks the
        // receiver's signature before it shows the mark.
        sheet_rows::addChange(tx, "send_back", sheetKey, mark.tps.str(),
                              nlohmann::json{{"mark", encode(mark)}}.dump(), at);
    });
    applied_ = ledger_->size();
    version_ = applied_;
    return out;
}

std::vector<SendBackRecord> SheetDesk::sendBacks(const AreaCode& area) const {
    std::lock_guard lock(mu_);
    return send_backs::inArea(db_, area.str());
}

std::vector<SendBackRecord> SheetDesk::sendBacksOf(const std::string& sheetKey) const {
    std::lock_guard lock(mu_);
    return send_backs::ofSheet(db_, sheetKey);
}

} // namespace rekap::central
