#pragma once
// One catalogue of what can go wrong on the tablet, each with a short sentence in the UI
// language that says what to do (the English source, Bahasa Indonesia in mobile/i18n). Errors
// are kept as a Problem and turned into words when shown, so a language switch re-words them.

#include <QCoreApplication>
#include <QObject>
#include <QQmlEngine>
#include <QString>
#include <exception>
#include <filesystem>
#include <system_error>

namespace rekap::tablet {

namespace Problem {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None,
    NoConnection,   ///< no route, refused, name not resolved
    TimedOut,       ///< the receiver took too long
    Tls,            ///< certificate not trusted
    Interrupted,    ///< the connection broke during the exchange
    ServerError,    ///< 5xx: the receiver's trouble, retried
    ServerFull,     ///< 507: the receiver's disk is full
    NotRekap,       ///< something answered, but not a Rekap receiver
    BadAddress,     ///< not an http(s) address
    CodeUnknown,    ///< enrolment code not known
    CodeExpired,    ///< enrolment code expired
    CodeUsed,       ///< enrolment code used by another tablet
    Unauthorized,   ///< the receiver no longer knows this tablet
    Revoked,        ///< the desk blocked this tablet
    ProtocolTooOld, ///< the app is too old
    TooLarge,       ///< a request over the receiver's limit
    Refused,        ///< 4xx the receiver explains (bad_request, forbidden)
    QrNotRekap,     ///< a QR code that is not a Rekap enrolment
    QrNewer,        ///< an enrolment QR of a newer format
    DeviceStorage,  ///< the tablet could not save
    PhotoUnreadable,
    LedgerAlarm, ///< the receiver's signed record disagrees with what this tablet saw before
    Unknown,
};
Q_ENUM_NS(Value)
} // namespace Problem

/// A problem and its technical detail (for the log, never the only thing shown).
struct Failure {
    Problem::Value problem = Problem::None;
    QString detail;
    explicit operator bool() const { return problem != Problem::None; }
};

class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(ErrorText)
public:
    /// Sorts an exception from the sync library, the store or the domain into a Problem.
    static Failure classify(const std::exception& e);
    /// The sentence for a problem, in the current UI language; "" for None.
    static QString describe(Problem::Value p);
    static QString describe(const Failure& f) { return describe(f.problem); }
};

} // namespace rekap::tablet
