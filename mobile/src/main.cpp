// rekap-tablet: the operator's and the camat's app. Services are built here and handed to QML.

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <time.h>
#include <unistd.h>

Q_IMPORT_QML_PLUGIN(Rekap_TabletPlugin)

#include "app_controller.h"
#include "screenshots.h"

using namespace rekap;

namespace {
/// Milliseconds since this process started (the kernel's start time, so dynamic loading before
/// main() counts too; resolution one clock tick, 10 ms here).
double msSinceProcessStart() {
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Field 22 (starttime) counts from the end of the command name, which may hold spaces.
    std::istringstream rest(text.substr(text.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    double started = std::stod(field) / static_cast<double>(sysconf(_SC_CLK_TCK));
    return (static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9 - started) * 1000.0;
}
} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    app.setApplicationName("rekap-tablet");
    app.setOrganizationName("Rekap");
    QQuickStyle::setStyle("Basic");

    QCommandLineParser args;
    args.setApplicationDescription("Rekap: C.Hasil capture and sync for TPS operators and camat");
    args.addHelpOption();
    QCommandLineOption storeOpt("store", "The device's SQLite file.", "file");
    QCommandLineOption selfTest("self-test", "Load every QML file, then exit (0 when all load).");
    QCommandLineOption langOpt("lang", "UI language: id (default) or en.", "lang");
    QCommandLineOption caOpt("ca", "Trust only this CA (PEM) for HTTPS.", "file");
    QCommandLineOption serverOpt("server", "Enrol at start with this receiver...", "url");
    QCommandLineOption codeOpt("code", "...and this one-time code.", "code");
    QCommandLineOption shotsOpt("screenshots",
                                "Render the main screens to PNG in this folder, then exit.", "dir");
    QCommandLineOption startupOpt(
        "startup-time", "Print the milliseconds from process start to the first frame, then exit.");
    args.addOptions({storeOpt, selfTest, langOpt, caOpt, serverOpt, codeOpt, shotsOpt, startupOpt});
    args.process(app);

    auto storePath = args.value(storeOpt);
    if (storePath.isEmpty()) {
        auto dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        storePath = dir + "/rekap-tablet.db";
    }
    std::unique_ptr<sync::DeviceStore> store;
    try {
        store = std::make_unique<sync::DeviceStore>(storePath.toStdString());
    } catch (const std::exception& e) {
        std::cerr << "rekap-tablet: " << e.what() << "\n";
        return 2;
    }
    sync::SyncOptions options;
    options.http.caFile = args.value(caOpt).toStdString();
    options.appVersion = "rekap-tablet/0.1";
    tablet::AppController controller(*store, options);
    if (args.isSet(langOpt))
        controller.setLanguage(args.value(langOpt));

    QQmlApplicationEngine engine;
    engine.addImportPath("qrc:/qt/qml"); // where the static module lives; Qt 6.4 does not add it
    QTranslator translator;
    auto useLanguage = [&](const QString& lang) {
        QCoreApplication::removeTranslator(&translator);
        if (lang != "en" && translator.load(":/i18n/rekap_id.qm"))
            QCoreApplication::installTranslator(&translator);
        engine.retranslate();
    };
    QObject::connect(&controller, &tablet::AppController::translationRequested, &app, useLanguage);
    useLanguage(controller.language());

    if (args.isSet(selfTest)) {
        // Every QML file of the module must compile and resolve its types.
        int failures = 0;
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
                std::cout << "loaded " << file.toStdString() << "\n";
            }
        }
        engine.setInitialProperties({{"app", QVariant::fromValue(&controller)}});
        engine.load(QUrl("qrc:/qt/qml/Rekap/Tablet/Main.qml"));
        if (engine.rootObjects().isEmpty())
            ++failures;
        std::cout << (failures ? "self-test failed" : "self-test passed") << std::endl;
        return failures ? 1 : 0;
    }

    engine.setInitialProperties({{"app", QVariant::fromValue(&controller)}});
    engine.load(QUrl("qrc:/qt/qml/Rekap/Tablet/Main.qml"));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());

    if (args.isSet(startupOpt)) {
        // Cold start as the operator sees it: until the first screen is on the glass.
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&app] {
            std::cout << "first frame " << static_cast<long>(msSinceProcessStart())
                      << " ms after process start" << std::endl;
            app.exit(0);
        });
        return app.exec();
    }
    if (args.isSet(shotsOpt))
        return tablet::renderScreenshots(app, *window, controller, args.value(shotsOpt),
                                         args.value(serverOpt), args.value(codeOpt));
    if (args.isSet(serverOpt) && args.isSet(codeOpt) && !controller.enrolled()) {
        QObject::connect(&controller, &tablet::AppController::enrolFinished, window,
                         [window] { QMetaObject::invokeMethod(window, "home"); });
        controller.enrol(args.value(serverOpt), args.value(codeOpt), "rekap-tablet");
    }
    return app.exec();
}
