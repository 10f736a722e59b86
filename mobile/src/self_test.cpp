#include "self_test.h"

#include <QDir>
#include <QFile>
#include <QQmlComponent>
#include <iostream>

#include "qml_warnings.h"
#include "services.h"

namespace rekap::tablet {

int runSelfTest(QQmlApplicationEngine& engine, Services&) {
    int failures = 0;
    // Every QML warning or critical, whoever logs it (the engine, a control, console.warn), is
    // a failure; it is printed by the handler before this one.
    QmlWarningTrap trap([&](QtMsgType, const QMessageLogContext&, const QString&) { ++failures; });
    QDir qml(":/qt/qml/Rekap/Tablet");
    for (const auto& file : qml.entryList({"*.qml"})) {
        QFile source(qml.filePath(file));
        source.open(QIODevice::ReadOnly);
        if (source.readAll().contains("pragma Singleton"))
            continue; // singletons load through the files that use them
        QQmlComponent component(&engine, QUrl("qrc:/qt/qml/Rekap/Tablet/" + file));
        if (component.isError()) {
            ++failures;
            std::cerr << file.toStdString() << ": " << component.errorString().toStdString();
        } else {
            std::cout << "compiled " << file.toStdString() << "\n";
        }
    }
    engine.load(QUrl("qrc:/qt/qml/Rekap/Tablet/Main.qml"));
    if (engine.rootObjects().isEmpty())
        ++failures;
    std::cout << (failures ? "self-test failed" : "self-test passed") << std::endl;
    return failures ? 1 : 0;
}

} // namespace rekap::tablet
