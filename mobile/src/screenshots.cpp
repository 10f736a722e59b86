#include "screenshots.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>
#include <iostream>

namespace rekap::tablet {

namespace {

void settle(int ms = 400) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template <typename Signal> bool waitFor(AppController* c, Signal signal, int ms = 20000) {
    QEventLoop loop;
    bool fired = false;
    auto conn = QObject::connect(c, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(conn);
    return fired;
}

} // namespace

int renderScreenshots(QGuiApplication&, QQuickWindow& window, AppController& controller,
                      const QString& dir, const QString& server, const QString& code) {
    QDir().mkpath(dir);
    auto lang = controller.language();
    auto shot = [&](const QString& name) {
        settle();
        auto path = dir + "/tablet-" + name + "-" + lang + ".png";
        if (!window.grabWindow().save(path)) {
            std::cerr << "cannot write " << path.toStdString() << "\n";
            return false;
        }
        std::cout << "wrote " << path.toStdString() << std::endl;
        return true;
    };
    if (!controller.enrolled()) {
        shot("enrol");
        controller.enrol(server, code, "Tablet");
        if (!waitFor(&controller, &AppController::enrolFinished) || !controller.enrolled()) {
            std::cerr << "enrolment failed\n";
            return 1;
        }
        QMetaObject::invokeMethod(&window, "home");
    }
    if (controller.camat()) {
        controller.refreshStatus();
        waitFor(&controller, &AppController::statusRefreshed);
        shot("camat");
        return 0;
    }
    controller.setOperatorName("Siti Aminah");
    shot("overview");
    QVariant ret;
    QMetaObject::invokeMethod(&window, "showSheet", Q_RETURN_ARG(QVariant, ret),
                              Q_ARG(QVariant, QString("ppwp")));
    auto* editor = qobject_cast<SheetEditor*>(ret.value<QObject*>());
    if (!editor)
        return 1;
    // Numbers of a real TPS, with ballots used typed wrong: rule R4 shows beside the fields.
    const std::pair<const char*, int> values[] = {
        {"voters.from_dpt.l", 110}, {"voters.from_dpt.p", 123},  {"voters.from_dptb.l", 3},
        {"voters.from_dptb.p", 3},  {"ballots.received", 297},   {"ballots.used", 293},
        {"ballots.unused", 58},     {"votes.candidates.1", 119}, {"votes.candidates.2", 105},
        {"votes.candidates.3", 9},  {"summary.valid", 233},      {"summary.invalid", 6}};
    for (const auto& [f, v] : values)
        editor->setValue(f, v);
    shot("sheet-error");
    editor->setValue("ballots.used", 239);
    QMetaObject::invokeMethod(&window, "showReview");
    shot("review");
    editor->finalize("Siti Aminah", "");
    controller.syncNow();
    waitFor(&controller, &AppController::syncFinished);
    QMetaObject::invokeMethod(&window, "home");
    QMetaObject::invokeMethod(&window, "showOutbox");
    shot("outbox");
    return 0;
}

} // namespace rekap::tablet
