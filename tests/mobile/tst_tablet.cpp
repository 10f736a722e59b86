// Qt Quick Test of the tablet app: the real app types (AppController, SheetEditor, the pages)
// against a real rekap-central on 127.0.0.1, rendered offscreen. The controllers are built here as
// main() builds them and handed to QML as context properties.

#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include "app_controller.h"
#include "live_central.h"

Q_IMPORT_QML_PLUGIN(Rekap_TabletPlugin)

using namespace rekap;

/// What the test asks the receiver directly.
class CentralProbe : public QObject {
    Q_OBJECT
public:
    explicit CentralProbe(test::LiveCentral& live)
        : live_(live) {}
    Q_INVOKABLE QString sheetState(const QString& key) {
        auto s = live_.store().sheet(key.toStdString());
        return s ? QString::fromStdString(s->state) : QString();
    }
    Q_INVOKABLE int revisionCount() { return static_cast<int>(live_.store().revisionCount()); }
    Q_INVOKABLE int votes(const QString& key, int number) {
        auto c = live_.store().counted(key.toStdString());
        if (!c.sheet)
            return -1;
        for (const auto& v : c.sheet->candidates)
            if (v.number == number)
                return v.votes;
        return -1;
    }

private:
    test::LiveCentral& live_;
};

class Setup : public QObject {
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine* engine) {
        live_ = std::make_unique<test::LiveCentral>();
        sync::SyncOptions options;
        options.baseBackoff = std::chrono::milliseconds(50);
        options.maxAttempts = 3;
        operatorStore_ = std::make_unique<sync::DeviceStore>(live_->dir().file("operator.db"));
        camatStore_ = std::make_unique<sync::DeviceStore>(live_->dir().file("camat.db"));
        operatorApp_ = new tablet::AppController(*operatorStore_, options, this);
        camatApp_ = new tablet::AppController(*camatStore_, options, this);
        probe_ = new CentralProbe(*live_);
        engine->addImportPath("qrc:/qt/qml"); // Qt 6.4 does not add it itself
        auto* ctx = engine->rootContext();
        ctx->setContextProperty("operatorApp", operatorApp_);
        ctx->setContextProperty("camatApp", camatApp_);
        ctx->setContextProperty("central", probe_);
        ctx->setContextProperty("serverUrl", QString::fromStdString(live_->url()));
        ctx->setContextProperty("operatorCode", QString::fromStdString(live_->mint(
                                                    protocol::Role::Operator, "9901011001001")));
        ctx->setContextProperty(
            "camatCode", QString::fromStdString(live_->mint(protocol::Role::Camat, "990101")));
    }
    void cleanupTestCase() {
        delete operatorApp_;
        delete camatApp_;
        live_.reset();
    }

private:
    std::unique_ptr<test::LiveCentral> live_;
    std::unique_ptr<sync::DeviceStore> operatorStore_, camatStore_;
    tablet::AppController* operatorApp_ = nullptr;
    tablet::AppController* camatApp_ = nullptr;
    CentralProbe* probe_ = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tablet, Setup)

#include "tst_tablet.moc"
