#include "error_text.h"

#include "rekap/error.h"
#include "rekap/protocol.h"
#include "rekap/sync/sync_client.h"

namespace rekap::tablet {

namespace {
Problem::Value ofTransport(sync::TransportFailure f) {
    switch (f) {
    case sync::TransportFailure::NoConnection:
        return Problem::NoConnection;
    case sync::TransportFailure::TimedOut:
        return Problem::TimedOut;
    case sync::TransportFailure::Tls:
        return Problem::Tls;
    case sync::TransportFailure::Interrupted:
        return Problem::Interrupted;
    case sync::TransportFailure::None:
    case sync::TransportFailure::Cancelled:
    case sync::TransportFailure::Other:
        break;
    }
    return Problem::NoConnection;
}

Problem::Value ofAnswer(const sync::SyncError& e) {
    namespace code = protocol::error;
    const auto& c = e.code();
    const auto& d = e.detail();
    if (c == code::kCodeInvalid) {
        if (d.reason == protocol::reason::kCodeUsed)
            return Problem::CodeUsed;
        if (d.reason == protocol::reason::kCodeExpired)
            return Problem::CodeExpired;
        return Problem::CodeUnknown;
    }
    if (c == code::kDeviceRevoked)
        return Problem::Revoked;
    if (c == "ledger_inconsistent") // the device's own check, never an answer's code
        return Problem::LedgerAlarm;
    if (c == code::kUnauthorized)
        return Problem::Unauthorized;
    if (c == code::kProtocolTooOld)
        return Problem::ProtocolTooOld;
    if (c == code::kPayloadTooLarge)
        return Problem::TooLarge;
    if (d.httpStatus == 507)
        return Problem::ServerFull;
    if (d.httpStatus >= 500 || d.httpStatus == 408 || d.httpStatus == 429)
        return Problem::ServerError;
    if (c == "unknown") // an answer without Rekap's error body: another web server
        return Problem::NotRekap;
    return Problem::Refused;
}
} // namespace

Failure ErrorText::classify(const std::exception& e) {
    Failure f{Problem::Unknown, QString::fromStdString(e.what())};
    if (const auto* s = dynamic_cast<const sync::SyncError*>(&e)) {
        if (s->kind() == sync::SyncError::Kind::Cancelled)
            f.problem = Problem::None;
        else if (s->detail().httpStatus == 0 && s->code().empty())
            f.problem = ofTransport(s->detail().transport);
        else
            f.problem = ofAnswer(*s);
    } else if (const auto* t = dynamic_cast<const sync::TransportError*>(&e)) {
        f.problem = ofTransport(t->failure());
    } else if (const auto* d = dynamic_cast<const DecodeError*>(&e)) {
        // What the receiver sent could not be read (an answer from something else), or a
        // scanned enrolment link is not one.
        const auto& where = d->where();
        if (where.rfind("enrolment link: v", 0) == 0)
            f.problem = Problem::QrNewer;
        else if (where.rfind("enrolment link: server", 0) == 0)
            f.problem = Problem::BadAddress;
        else if (where.rfind("enrolment link", 0) == 0)
            f.problem = Problem::QrNotRekap;
        else
            f.problem = Problem::NotRekap;
    } else if (dynamic_cast<const std::system_error*>(&e) ||
               dynamic_cast<const std::filesystem::filesystem_error*>(&e)) {
        f.problem = Problem::DeviceStorage;
    }
    return f;
}

QString ErrorText::describe(Problem::Value p) {
    switch (p) {
    case Problem::None:
        return {};
    case Problem::NoConnection:
        return tr("No connection to the receiver. Your sheets stay saved on this tablet and are "
                  "sent as soon as there is signal.");
    case Problem::TimedOut:
        return tr("The receiver takes too long to answer. Move to a spot with better signal; "
                  "the tablet keeps trying.");
    case Problem::Tls:
        return tr("The receiver's security certificate is not trusted. Check the address with "
                  "the desk.");
    case Problem::Interrupted:
        return tr("The connection broke off. The tablet tries again by itself.");
    case Problem::ServerError:
        return tr("The receiver has a problem right now. The tablet tries again by itself; "
                  "tell the desk if it lasts.");
    case Problem::ServerFull:
        return tr("The receiver's disk is full. Tell the desk; your sheets stay on this tablet.");
    case Problem::NotRekap:
        return tr("No Rekap receiver answers at this address. Check the address with the desk.");
    case Problem::BadAddress:
        return tr("This is not a receiver address. It starts with https:// - check it with the "
                  "desk.");
    case Problem::CodeUnknown:
        return tr("This code is not known. Check the letters, or ask the desk for a new code.");
    case Problem::CodeExpired:
        return tr("This code has expired. Ask the desk for a new code.");
    case Problem::CodeUsed:
        return tr("This code was already used by another tablet. Ask the desk for a new code.");
    case Problem::Unauthorized:
        return tr("The receiver no longer knows this tablet. Enrol it again with a new code "
                  "from the desk.");
    case Problem::Revoked:
        return tr("The desk has blocked this tablet. Call the desk.");
    case Problem::ProtocolTooOld:
        return tr("This app is too old for the receiver. Update the app.");
    case Problem::TooLarge:
        return tr("A sheet or photo is too large for the receiver. Tell the desk.");
    case Problem::Refused:
        return tr("The receiver refused what was sent. Tell the desk.");
    case Problem::QrNotRekap:
        return tr("This QR code is not a Rekap enrolment code. Scan the code printed by the "
                  "desk.");
    case Problem::QrNewer:
        return tr("This enrolment code is for a newer app. Update the app.");
    case Problem::DeviceStorage:
        return tr("The tablet could not save. Free some storage space and try again.");
    case Problem::PhotoUnreadable:
        return tr("The photo could not be read. Take it again.");
    case Problem::LedgerAlarm:
        return tr("The receiver's record does not match what this tablet saw before: its history "
                  "was changed, or a decision was not made by the desk. Sending has stopped; "
                  "your sheets stay on this tablet. Call the desk.");
    case Problem::Unknown:
        return tr("Something went wrong. Try again; if it keeps happening, tell the desk.");
    }
    return {};
}

} // namespace rekap::tablet
