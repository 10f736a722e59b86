#pragma once
// A warning from QML (the engine, a binding, a control, console.warn) is a defect, never noise:
// a page that silently creates nothing logs one and nothing else. The tests and the app's
// self-test fail on every such message; there is no list of tolerated ones.

#include <QString>
#include <QtGlobal>
#include <functional>

namespace rekap::tablet {

/// Whether a message is a QML warning or critical (or worse).
bool isQmlWarning(QtMsgType type, const QMessageLogContext& context, const QString& message);

/// While alive, hands every QML warning to `onWarning`, then passes every message on to the
/// handler installed before it (QtTest's logger, or stderr). One trap at a time.
class QmlWarningTrap {
public:
    using Callback = std::function<void(QtMsgType, const QMessageLogContext&, const QString&)>;
    explicit QmlWarningTrap(Callback onWarning);
    ~QmlWarningTrap();
    /// Puts the trap back on top when a handler was installed after it (QtTest installs its
    /// logger when the first test case runs, and does not pass messages on).
    void reinstall();
    QmlWarningTrap(const QmlWarningTrap&) = delete;
    QmlWarningTrap& operator=(const QmlWarningTrap&) = delete;

private:
    static void handle(QtMsgType type, const QMessageLogContext& context, const QString& message);
    Callback onWarning_;
    QtMessageHandler previous_;
};

} // namespace rekap::tablet
