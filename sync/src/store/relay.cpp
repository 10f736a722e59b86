// The codes are kept as scanned; a group whose codes are all here is decoded and its revisions
// queued in the same transaction, so that a crash between the two can neither lose nor repeat a
// revision.

#include "rekap/sync/store/relay.h"

#include "rekap/error.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

using protocol::PushStatus;

namespace {

SheetState stateOf(const protocol::PushResult& r) {
    switch (r.status) {
    case PushStatus::Accepted:
        return SheetState::Accepted;
    case PushStatus::Conflict:
        return SheetState::Conflict;
    case PushStatus::Rejected:
        return SheetState::Rejected;
    case PushStatus::Refused:
        return SheetState::Refused;
    case PushStatus::Queued:
        return SheetState::Queued;
    case PushStatus::Duplicate:
        break;
    }
    return r.state.value_or(SheetState::Accepted);
}

} // namespace

RelayScan Relay::addCode(const std::string& text) {
    auto frame = relay::parseFrame(text);
    if (!frame)
        throw DecodeError("relay code", "this QR code is not a Rekap relay code");
    if (!masterData_.regency())
        throw std::invalid_argument("no master data yet: sync this tablet once first");
    RelayScan scan;
    scan.series = frame->series;
    scan.number = frame->number;
    scan.count = frame->count;
    bool badGroup = false;
    try {
        file_.write([&](WriteTx& tx) {
            auto known = tx.prepare("SELECT count FROM relay_codes WHERE series = ? LIMIT 1");
            known.bindAll(frame->series);
            if (known.step() && known.int64(0) != frame->count)
                throw DecodeError("relay code " + std::to_string(frame->number),
                                  "claims " + std::to_string(frame->count) +
                                      " codes in a series of " + std::to_string(known.int64(0)));
            auto ins = tx.prepare("INSERT INTO relay_codes (series, number, count, group_start, "
                                  "group_size, data, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (series, number) DO NOTHING");
            ins.bindAll(frame->series, frame->number, frame->count, frame->groupStart,
                        frame->groupSize, frame->data, utcNowText());
            ins.run();
            scan.repeated = tx.changes() == 0;
            if (!scan.repeated) {
                std::vector<relay::Frame> group;
                auto st = tx.prepare("SELECT number, count, group_start, group_size, data FROM "
                                     "relay_codes WHERE series = ? AND number >= ? AND number < ? "
                                     "ORDER BY number");
                st.bindAll(frame->series, frame->groupStart, frame->groupStart + frame->groupSize);
                while (st.step())
                    group.push_back({frame->series, static_cast<int>(st.int64(0)),
                                     static_cast<int>(st.int64(1)), static_cast<int>(st.int64(2)),
                                     static_cast<int>(st.int64(3)), st.text(4)});
                if (static_cast<int>(group.size()) == frame->groupSize) {
                    badGroup = true; // until it decodes
                    scan.added = queueGroup(tx, group);
                    badGroup = false;
                }
            }
            auto have =
                tx.prepare("SELECT number FROM relay_codes WHERE series = ? ORDER BY number");
            have.bindAll(frame->series);
            int next = 1;
            while (have.step()) {
                int n = static_cast<int>(have.int64(0));
                for (; next < n; ++next)
                    scan.missing.push_back(next);
                next = n + 1;
                ++scan.scanned;
            }
            for (; next <= frame->count; ++next)
                scan.missing.push_back(next);
        });
    } catch (const DecodeError&) {
        // Misread despite the QR code's own checks, or made up: the group's codes are dropped,
        // so that scanning them again can complete it.
        if (badGroup)
            file_.write([&](WriteTx& tx) {
                tx.prepare("DELETE FROM relay_codes WHERE series = ? AND number >= ? AND number "
                           "< ?")
                    .bindAll(frame->series, frame->groupStart, frame->groupStart + frame->groupSize)
                    .run();
            });
        throw;
    }
    return scan;
}

int Relay::queueGroup(WriteTx& tx, const std::vector<relay::Frame>& group) {
    auto reg = masterData_.regency();
    nlohmann::json revisions;
    try {
        revisions = relay::decodeGroup(group);
        for (std::size_t i = 0; i < revisions.size(); ++i)
            decodeRevision(revisions[i], *reg, {}, "$[" + std::to_string(i) + "]");
    } catch (const DecodeError& e) {
        throw DecodeError("relay codes " + std::to_string(group.front().number) + "-" +
                              std::to_string(group.back().number),
                          e.what());
    }
    int added = 0;
    for (const auto& r : revisions) {
        auto rev = decodeRevision(r, *reg);
        auto st = tx.prepare("INSERT INTO relayed (id, origin, sheet, body, state, received_at, "
                             "updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?) "
                             "ON CONFLICT (id) DO NOTHING");
        auto now = utcNowText();
        st.bindAll(rev.id, rev.device, rev.sheet.key(), r.dump(), now, now);
        st.run();
        added += tx.changes() > 0 ? 1 : 0;
    }
    return added;
}

std::vector<RelayedRevision> Relay::relayed() const {
    auto tx = file_.read();
    auto st =
        tx.prepare("SELECT id, origin, sheet, state, error, received_at FROM relayed ORDER BY seq");
    std::vector<RelayedRevision> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.text(2),
                       storedSheetState(st.text(3), "relayed revision state"), st.text(4),
                       st.text(5)});
    return out;
}

std::vector<nlohmann::json> Relay::batch(std::size_t maxCount, std::size_t maxBytes) const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT body FROM relayed WHERE state = 'queued' ORDER BY seq");
    std::vector<nlohmann::json> out;
    std::size_t bytes = 0;
    while (out.size() < maxCount && st.step()) {
        auto body = st.text(0);
        if (!out.empty() && bytes + body.size() > maxBytes)
            break;
        bytes += body.size();
        out.push_back(nlohmann::json::parse(body));
    }
    return out;
}

void Relay::applyResults(const std::vector<protocol::PushResult>& results) {
    file_.write([&](WriteTx& tx) {
        for (const auto& r : results) {
            std::string error;
            if (r.error)
                error = r.error->code + ": " + r.error->message;
            tx.prepare("UPDATE relayed SET state = ?, error = ?, updated_at = ? WHERE id = ?")
                .bindAll(sheetStateName(stateOf(r)), error, utcNowText(), r.id)
                .run();
        }
    });
}

int Relay::queueDepth() const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT COUNT(*) FROM relayed WHERE state = 'queued'");
    st.step();
    return static_cast<int>(st.int64(0));
}

} // namespace rekap::sync
