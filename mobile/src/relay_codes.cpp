#include "relay_codes.h"

#include "store_events.h"

namespace rekap::tablet {

RelayCodes::RelayCodes(sync::DeviceFile& store, StoreEvents& events, QObject* parent)
    : QObject(parent)
    , store_(store) {
    connect(&events, &StoreEvents::changed, this, &RelayCodes::refresh);
}

void RelayCodes::refresh() {
    std::vector<nlohmann::json> queued;
    for (const auto& e : store_.outbox().all())
        if (e.state == SheetState::Queued || e.state == SheetState::Sending)
            queued.push_back(encodeRevision(e.revision));
    QStringList codes;
    QString problem;
    try {
        for (const auto& text : sync::relay::encodeSeries(queued))
            codes << QString::fromStdString(text);
    } catch (const std::length_error&) {
        problem = tr("Too many sheets for QR codes: send them when there is a signal.");
    }
    if (codes == codes_ && problem == problem_ && sheets_ == static_cast<int>(queued.size()))
        return;
    codes_ = codes;
    problem_ = problem;
    sheets_ = static_cast<int>(queued.size());
    emit changed();
}

} // namespace rekap::tablet
