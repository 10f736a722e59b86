#include "qml_warnings.h"

#include <cstring>

namespace rekap::tablet {

namespace {
QmlWarningTrap* current = nullptr;

bool endsWith(const char* s, const char* tail) {
    auto n = std::strlen(s), m = std::strlen(tail);
    return n >= m && std::strcmp(s + n - m, tail) == 0;
}
} // namespace

bool isQmlWarning(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (type == QtDebugMsg || type == QtInfoMsg)
        return false;
    // console.warn logs under "js" or "qml"; the engine's own categories are qt.qml.*, Qt
    // Quick's qt.quick.*.
    if (const char* c = context.category) {
        if (!std::strcmp(c, "js") || !std::strcmp(c, "qml") || !std::strncmp(c, "qt.qml", 6) ||
            !std::strncmp(c, "qt.quick", 8))
            return true;
    }
    // The engine's warnings (binding errors, qmlWarning() of a type) carry the QML file as
    // their location and start with its URL.
    if (const char* f = context.file) {
        if (endsWith(f, ".qml") || endsWith(f, ".js") || !std::strncmp(f, "qrc:", 4) ||
            !std::strncmp(f, "file:", 5))
            return true;
    }
    return message.contains(QLatin1String(".qml:")) || message.startsWith(QLatin1String("QML "));
}

QmlWarningTrap::QmlWarningTrap(Callback onWarning)
    : onWarning_(std::move(onWarning)) {
    Q_ASSERT(!current);
    current = this;
    previous_ = qInstallMessageHandler(&QmlWarningTrap::handle);
}

void QmlWarningTrap::reinstall() {
    auto installed = qInstallMessageHandler(&QmlWarningTrap::handle);
    if (installed != &QmlWarningTrap::handle)
        previous_ = installed;
}

QmlWarningTrap::~QmlWarningTrap() {
    // Only if still the one installed: QtTest restores its predecessor when it stops logging.
    auto installed = qInstallMessageHandler(previous_);
    if (installed != &QmlWarningTrap::handle)
        qInstallMessageHandler(installed);
    current = nullptr;
}

void QmlWarningTrap::handle(QtMsgType type, const QMessageLogContext& context,
                            const QString& message) {
    if (!current)
        return;
    // Printed first, so that the failure that follows has its cause above it.
    if (current->previous_) // Qt hands out its default handler, never null
        current->previous_(type, context, message);
    if (isQmlWarning(type, context, message))
        current->onWarning_(type, context, message);
}

} // namespace rekap::tablet
