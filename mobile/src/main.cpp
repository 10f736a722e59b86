// rekap-tablet: the operator's and the camat's app. Services are built here and handed to QML.

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>
#include <cstring>
#include <iostream>

Q_IMPORT_QML_PLUGIN(Rekap_TabletPlugin)

#include "screenshots.h"
#include "self_test.h"
#include "services.h"
#include "startup_time.h"

using namespace rekap;

namespace {

void describe(QCommandLineParser& args) {
    args.setApplicationDescription("Rekap: C.Hasil capture and sync for TPS operators and camat");
    args.addHelpOption();
    args.addOptions({
        {"store", "The device's SQLite file.", "file"},
        {"self-test", "Open every screen and dialog, then exit (0 when all load)."},
        {"lang", "UI language: id (default) or en.", "lang"},
        {"ca", "Trust only this CA (PEM) for HTTPS.", "file"},
        {"server", "Enrol at start with this receiver...", "url"},
        {"code", "...and this one-time code.", "code"},
        {"enrol-qr",
         "Enrol at start with the desk's enrolment QR code in this image (read as the camera "
         "reads it).",
         "png"},
        {"screenshots", "Render every screen to PNG in this folder, then exit.", "dir"},
        {"orientation", "landscape (1280x800, default) or portrait (800x1280).", "orientation"},
        {"startup-time",
         "Print the milliseconds from process start to the first frame, then exit."},
    });
}

} // namespace

int main(int argc, char** argv) {
    // --help needs no display: answered before the window system is opened (which aborts
    // without one).
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h") ||
            !std::strcmp(argv[i], "-?") || !std::strcmp(argv[i], "--help-all")) {
            QCoreApplication core(argc, argv);
            QCommandLineParser help;
            describe(help);
            help.process(core); // prints the help and exits 0
        }

    QGuiApplication app(argc, argv);
    app.setApplicationName("rekap-tablet");
    app.setOrganizationName("Rekap");
    QQuickStyle::setStyle("Material");

    QCommandLineParser args;
    describe(args);
    args.process(app);
    const QString storeOpt = "store", selfTest = "self-test", langOpt = "lang", caOpt = "ca",
                  serverOpt = "server", codeOpt = "code", qrOpt = "enrol-qr",
                  shotsOpt = "screenshots", orientationOpt = "orientation",
                  startupOpt = "startup-time";

    auto storePath = args.value(storeOpt);
    if (storePath.isEmpty()) {
        auto dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        storePath = dir + "/rekap-tablet.db";
    }
    std::unique_ptr<sync::DeviceFile> store;
    try {
        store = std::make_unique<sync::DeviceFile>(storePath.toStdString());
    } catch (const std::exception& e) {
        std::cerr << "rekap-tablet: " << e.what() << "\n";
        return 2;
    }
    sync::SyncOptions options;
    options.http.caFile = args.value(caOpt).toStdString();
    options.appVersion = "rekap-tablet/0.2";
    tablet::Services services(*store, options, {},
                              QFileInfo(storePath).absolutePath() + "/capture");
    if (args.isSet(langOpt))
        services.settings.setLanguage(args.value(langOpt));

    QQmlApplicationEngine engine;
    engine.addImportPath("qrc:/qt/qml"); // where the static module lives; Qt 6.4 does not add it
    QTranslator translator;
    auto useLanguage = [&](const QString& lang) {
        tablet::installTranslation(translator, lang);
        engine.retranslate();
    };
    QObject::connect(&services.settings, &tablet::Settings::translationRequested, &app,
                     useLanguage);
    useLanguage(services.settings.language());

    auto properties = services.properties();
    if (args.value(orientationOpt) == "portrait")
        properties.insert(QVariantMap{{"width", 800}, {"height", 1280}});
    engine.setInitialProperties(properties);

    if (args.isSet(selfTest))
        return tablet::runSelfTest(engine, services);

    engine.load(QUrl("qrc:/qt/qml/Rekap/Tablet/Main.qml"));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());

    if (args.isSet(startupOpt))
        return tablet::printStartupTime(app, *window);
    if (args.isSet(shotsOpt))
        return tablet::renderScreenshots(*window, services, args.value(shotsOpt),
                                         args.value(serverOpt), args.value(codeOpt),
                                         args.value(orientationOpt) == "portrait");
    if (!services.enrolment.enrolled()) {
        if (args.isSet(qrOpt)) {
            // The same reading as the camera's, from a file: what the desk printed.
            auto text = services.scanner.decodeFile(args.value(qrOpt));
            if (text.isEmpty()) {
                std::cerr << "rekap-tablet: no QR code in " << args.value(qrOpt).toStdString()
                          << "\n";
                return 2;
            }
            std::cout << "enrolling with the QR code of " << args.value(qrOpt).toStdString()
                      << std::endl;
            services.enrolment.enrolWithLink(text);
        } else if (args.isSet(serverOpt) && args.isSet(codeOpt)) {
            services.enrolment.enrol(args.value(serverOpt), args.value(codeOpt));
        }
    } else {
        services.sync.start();
    }
    return app.exec();
}
