// CentralStore: a photo attached to a revision already sent (rekap/photo_attachment.h,
// docs/protocol.md "Photos attached later"). Each attachment is checked on its own, like a
// pushed revision: signed by the revision's own device with its key, for a revision that device
// sent of the sheet it names. What passes is one photo_attached ledger entry and one
// photo_attachments row; the numbers and the merge are untouched.

#include "ledger/ledger_log.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/error.h"
#include "rekap/photo_attachment.h"
#include "rekap/revision_key.h"
#include "rekap/support/random.h"
#include "sheets/derive.h"
#include "sheets/photo_attachments.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

using protocol::PushResult;
using protocol::PushStatus;

namespace {

PushResult refusedAttachment(const std::string& id, const std::string& code,
                             const std::string& message, const std::string& path) {
    PushResult r;
    r.id = id;
    r.status = PushStatus::Refused;
    r.error = protocol::ErrorBody{code, message, path};
    return r;
}

} // namespace

PushAnswer Intake::attachPhotos(const DeviceRecord& device, const nlohmann::json& attachments) {
    if (!attachments.is_array())
        throw ApiError(Problem::BadRequest, "expected an array", "$.attachments");
    if (attachments.size() > protocol::kMaxPhotoAttachments)
        throw ApiError(Problem::PayloadTooLarge,
                       "more than " + std::to_string(protocol::kMaxPhotoAttachments) +
                           " photos in one request: send fewer at once",
                       "$.attachments");
    if (device.role != protocol::Role::Operator)
        throw ApiError(Problem::Forbidden,
                       "a camat device attaches no photos: its readings carry theirs");
    PushAnswer answer;
    std::lock_guard lock(mu_);
    writeLedger([&](const db::WriteTx& tx) {
        answer.results.clear();
        auto at = utcNowText();
        for (std::size_t i = 0; i < attachments.size(); ++i) {
            const auto& item = attachments[i];
            auto path = "$.attachments[" + std::to_string(i) + "]";
            std::string id;
            if (item.is_object() && item.contains("revision") && item["revision"].is_string())
                id = item["revision"].get<std::string>();
            auto refuse = [&](const char* code, const std::string& why, const std::string& where) {
                answer.results.push_back(refusedAttachment(id, code, why, where));
            };
            PhotoAttachment a;
            try {
                a = decodePhotoAttachment(item, path);
            } catch (const DecodeError& e) {
                refuse(protocol::error::kBadRequest, e.detail(), e.where());
                continue;
            }
            if (a.device != device.id) {
                refuse(protocol::error::kForbidden,
                       "the photo is attached by device " + a.device + " but sent by " + device.id,
                       path + ".device");
                continue;
            }
            if (a.tps.str() != device.scope) {
                refuse(protocol::error::kForbidden,
                       "this device records TPS " + device.scope + ", not " + a.tps.str(),
                       path + ".tps");
                continue;
            }
            // The device's own revision of that id (revision_key.h): never another's.
            std::optional<revision_key::Named> own;
            for (auto& n : derive::named(tx, a.revision))
                if (n.device == device.id)
                    own = std::move(n);
            if (!own) {
                refuse(protocol::error::kNotFound,
                       "this device sent no revision " + a.revision + " (yet): push it first",
                       path + ".revision");
                continue;
            }
            if (own->sheet != a.sheetKey()) {
                refuse(protocol::error::kForbidden,
                       "revision " + a.revision + " is of sheet " + own->sheet + ", not " +
                           a.sheetKey(),
                       path + ".contest");
                continue;
            }
            if (!device.publicKey || !photoAttachmentSignatureValid(a, *device.publicKey)) {
                refuse(protocol::error::kSignature,
                       "the attachment is not signed by this device's key (changed after it was "
                       "signed, or signed with another key)",
                       path + ".signature");
                continue;
            }
            PushResult r;
            r.id = a.revision;
            r.state = derive::standing(tx, own->key);
            auto carried = derive::revisionJson(tx, own->key).value("photo", std::string());
            auto earlier = photo_attachments::find(tx, own->key, a.photo);
            if (earlier || carried == a.photo) {
                // A retry (or the photo the revision carries already): the same receipt.
                r.status = PushStatus::Duplicate;
                if (!earlier) {
                    earlier = sheet_rows::revision(tx, own->key).value().ledgerIdx;
                }
                r.ledgerIndex = *earlier;
                r.receipt = ledger::receiptCode(*earlier, ledger_->leafHex(*earlier));
                answer.results.push_back(std::move(r));
                continue;
            }
            auto key = own->key;
            auto idx = ledger_->append(
                tx, ledger::Kind::PhotoAttached, a.sheetKey(), device.id, at, [&](auto n) {
                    return ledger::entryText(ledger::Kind::PhotoAttached, n, at,
                                             {{"attachment", encode(a)}, {"revision", key}});
                });
            photo_attachments::add(tx,
                                   {idx, key, a.sheetKey(), a.photo, device.id, a.attachedAt, at});
            r.status = PushStatus::Accepted;
            r.ledgerIndex = idx;
            r.receipt = ledger::receiptCode(idx, ledger_->leafHex(idx));
            answer.results.push_back(std::move(r));
        }
    });
    applied_ = ledger_->size();
    version_ = applied_;
    answer.treeHead = ledger_->latestHead(db_);
    return answer;
}

} // namespace rekap::central
