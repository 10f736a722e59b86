#pragma once
// The tablet's services for one device store, built and wired together once: by main() for the
// app, by the tests for each simulated tablet. Each service is small and does one thing; this
// only builds them in order, connects them, and hands them to QML as the pages' properties.

#include <QThread>
#include <QVariantMap>
#include <memory>

#include "camat_model.h"
#include "enrolment.h"
#include "outbox_model.h"
#include "photo_capture.h"
#include "qr_scanner.h"
#include "relay_codes.h"
#include "relay_inbox.h"
#include "second_reading.h"
#include "settings.h"
#include "sheets_model.h"
#include "store_events.h"
#include "sync_service.h"
#include "sync_worker.h"

namespace rekap::tablet {

class Services {
public:
    /// `workDir` holds photos being captured (next to the store, on the same disk).
    Services(sync::DeviceFile& store, sync::SyncOptions options, SyncService::Timing timing,
             const QString& workDir);
    ~Services();
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    /// Main.qml's required properties: {"settings": ..., "enrolment": ..., ...}.
    QVariantMap properties();

    sync::DeviceFile& store;
    Settings settings;
    StoreEvents events;
    QThread thread;
    SyncWorker* worker; ///< lives on `thread`
    Enrolment enrolment;
    SyncService sync;
    SheetsModel sheets;
    OutboxModel outbox;
    CamatModel camat;
    PhotoCapture photos;
    QrScanner scanner;
    RelayCodes relayCodes;
    RelayInbox relayInbox;
    SecondReading reading;
};

} // namespace rekap::tablet
