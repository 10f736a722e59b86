// CentralStore: building the ledger of a store made before it (schema steps 1-3), the first time
// such a store is opened. The old tables become entries in the order things happened (device
// enrolments, revisions, desk decisions, revocations, by their recorded times), marked
// "migrated": those revisions were never signed, and rekap-verify counts them apart. The derived
// tables are then rebuilt from the new ledger under today's authorship rules, so a sheet where
// another device's revision once replaced a head is now a conflict for the desk; devices learn
// of every sheet whose state or winner moved through the pull feed. One transaction: a crash
// leaves the old store as it was.

#include <algorithm>
#include <map>

#include "ledger/ledger_log.h"
#include "rekap/central/store.h"
#include "rekap/json_reader.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"
#include "sheets/derive.h"

namespace rekap::central {

namespace {

struct OldRevision {
    std::int64_t seq;
    std::string id, sheet, device, status, findings, receivedAt, body;
    std::optional<std::string> parent;
};

struct Event {
    std::string at;
    int order; ///< at the same second: enrolments, then revisions, then revocations
    std::int64_t seq;
    std::size_t ref;
};

} // namespace

void StoreCore::migrateIntoLedger() {
    const auto& reg = regencyLocked();
    writeLedger([&](const db::WriteTx& tx) {
        std::string loadedAt;
        {
            auto st = db_.prepare("SELECT loaded_at FROM regency WHERE id = 1");
            st.step();
            loadedAt = st.text(0);
        }
        ledger_->append(tx, ledger::Kind::MasterData, "", std::nullopt, loadedAt, [&](auto idx) {
            return ledger::entryText(ledger::Kind::MasterData, idx, loadedAt,
                                     {{"version", reg.contentHash},
                                      {"document", nlohmann::json::parse(regencyDocument_)},
                                      {"migrated", true}});
        });
        ledger_->ensureKey(tx, loadedAt);

        struct OldDevice {
            std::string id, name, role, scope, enrolledAt;
            std::optional<std::string> revokedAt;
        };
        std::vector<OldDevice> devices;
        auto ds = db_.prepare(
            "SELECT id, name, role, scope, enrolled_at, revoked_at FROM devices ORDER BY rowid");
        while (ds.step())
            devices.push_back(
                {ds.text(0), ds.text(1), ds.text(2), ds.text(3), ds.text(4), ds.optionalText(5)});
        std::vector<OldRevision> revisions;
        auto rs = db_.prepare("SELECT seq, id, sheet, device, status, findings, received_at, "
                              "body, parent FROM revisions ORDER BY seq");
        while (rs.step())
            revisions.push_back({rs.int64(0), rs.text(1), rs.text(2), rs.text(3), rs.text(4),
                                 rs.text(5), rs.text(6), rs.text(7), rs.optionalText(8)});
        std::map<std::string, std::string> lastRevisionAt; // by device
        for (const auto& r : revisions)
            lastRevisionAt[r.device] = std::max(lastRevisionAt[r.device], r.receivedAt);

        std::vector<Event> events;
        for (std::size_t i = 0; i < devices.size(); ++i) {
            events.push_back({devices[i].enrolledAt, 0, static_cast<std::int64_t>(i), i});
            // A revocation goes after the device's last revision: a receiver before the ledger
            // could accept a push after a revocation (its token cache), and the ledger must not
            // claim the revision came from a revoked device.
            if (devices[i].revokedAt)
                events.push_back({std::max(*devices[i].revokedAt, lastRevisionAt[devices[i].id]), 2,
                                  static_cast<std::int64_t>(i), i});
        }
        for (std::size_t i = 0; i < revisions.size(); ++i)
            events.push_back({revisions[i].receivedAt, 1, revisions[i].seq, i});
        std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
            return std::tie(a.at, a.order, a.seq) < std::tie(b.at, b.order, b.seq);
        });

        // The old state of each sheet, to tell devices only of what moves.
        std::map<std::string, std::pair<std::string, std::optional<std::string>>> oldSheets;
        auto os = db_.prepare("SELECT sheet, state, winner FROM sheets");
        while (os.step())
            oldSheets[os.text(0)] = {os.text(1), os.optionalText(2)};
        auto lastChange = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
        lastChange.step();
        auto changesBefore = lastChange.int64(0);
        for (const char* table : {"sheet_heads", "superseded", "sheets", "revisions"})
            db_.exec(std::string("DELETE FROM ") + table);

        for (const auto& ev : events) {
            if (ev.order != 1) {
                const auto& d = devices[ev.ref];
                if (ev.order == 0)
                    ledger_->append(
                        tx, ledger::Kind::DeviceEnrolled, "", d.id, ev.at, [&](auto idx) {
                            return ledger::entryText(ledger::Kind::DeviceEnrolled, idx, ev.at,
                                                     {{"device", d.id},
                                                      {"name", d.name},
                                                      {"role", d.role},
                                                      {"scope", d.scope},
                                                      {"migrated", true}});
                        });
                else
                    ledger_->append(
                        tx, ledger::Kind::DeviceRevoked, "", d.id, ev.at, [&](auto idx) {
                            return ledger::entryText(ledger::Kind::DeviceRevoked, idx, ev.at,
                                                     {{"device", d.id}, {"migrated", true}});
                        });
                continue;
            }
            const auto& old = revisions[ev.ref];
            auto rev = decodeRevision(nlohmann::json::parse(old.body), reg);
            if (merge::isDecision(rev.device)) {
                auto heads = derive::loadSheet(tx, old.sheet).heads;
                std::vector<std::string> superseded;
                for (const auto& h : heads)
                    if (h.id != *rev.parent)
                        superseded.push_back(h.id);
                rev.signature = ledger_->sign(tx, revisionSigningText(rev, rev.hash()));
                auto texts = revisionTexts(rev);
                auto idx = ledger_->append(tx, ledger::Kind::Decision, old.sheet, std::nullopt,
                                           old.receivedAt, [&](auto i) {
                                               return ledger::entryText(
                                                   ledger::Kind::Decision, i, old.receivedAt,
                                                   {{"sheet", old.sheet},
                                                    {"chosen", *rev.parent},
                                                    {"superseded", superseded},
                                                    {"revision", nlohmann::json::parse(texts.body)},
                                                    {"migrated", true}});
                                           });
                derive::addDecision(tx, rev, texts, idx, old.receivedAt);
                continue;
            }
            auto texts = revisionTexts(rev);
            auto findings = protocol::decodeFindings(nlohmann::json::parse(old.findings));
            bool rejected =
                storedSheetState(old.status, "revisions.status") == SheetState::Rejected;
            auto idx = ledger_->append(
                tx, ledger::Kind::Revision, old.sheet, rev.device, old.receivedAt, [&](auto i) {
                    return ledger::entryText(
                        ledger::Kind::Revision, i, old.receivedAt,
                        {{"revision", nlohmann::json::parse(texts.body)},
                         {"outcome", rejected ? SheetState::Rejected : SheetState::Accepted},
                         {"findings", nlohmann::json::parse(old.findings)},
                         {"migrated", true}});
                });
            derive::addRevision(
                tx, {rev, texts, sha256Hex(texts.sheet), findings, rejected, idx, old.receivedAt});
        }
        // The rebuild wrote a change for every sheet; devices hear only of what moved.
        db_.prepare("DELETE FROM changes WHERE seq > ?").bindAll(changesBefore).run();
        auto now = db_.prepare("SELECT sheet, tps, state, winner FROM sheets");
        while (now.step()) {
            auto key = now.text(0);
            if (storedSheetState(now.text(2), "sheets.state") == SheetState::Rejected)
                continue; // devices hear of rejections addressed to them, not as sheet states
            auto it = oldSheets.find(key);
            if (it != oldSheets.end() && it->second.first == now.text(2) &&
                it->second.second == now.optionalText(3))
                continue;
            auto heads = nlohmann::json::array();
            for (const auto& h : derive::loadSheet(tx, key).heads)
                heads.push_back(h.id);
            db_.prepare("INSERT INTO changes (kind, sheet, tps, data, created_at) VALUES "
                        "('sheet_state', ?, ?, ?, ?)")
                .bindAll(key, now.text(1),
                         nlohmann::json{{"state", now.text(2)},
                                        {"winner", now.optionalText(3).value_or("")},
                                        {"heads", heads}}
                             .dump(),
                         utcNowText())
                .run();
        }
    });
}

} // namespace rekap::central
