// Qt Quick Test of the tablet app: the real services (as main() builds them) and the real
// window (Main.qml, Material style) against a real rekap-central on 127.0.0.1 with Hulu Sungai
// Selatan, rendered offscreen. Each tst_*.qml file gets a fresh receiver and fresh tablets.
// No camera exists here: frames are fed to the preview's video sink, where a camera's arrive.

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QTest>
#include <QTranslator>
#include <QUrl>
#include <QVideoSink>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>
#include <cstdio>
#include <optional>

#include "error_text.h"
#include "live_central.h"
#include "qml_warnings.h"
#include "rekap/central/enrolment_qr.h"
#include "rekap/sync/sync_client.h"
#include "services.h"
#include "store_sql.h"

Q_IMPORT_QML_PLUGIN(Rekap_TabletPlugin)

using namespace rekap;

/// One simulated tablet: its store and services, for QML.
class Device : public QObject {
    Q_OBJECT
    Q_PROPERTY(QVariantMap properties READ properties CONSTANT)
    Q_PROPERTY(QObject* settings READ settings CONSTANT)
    Q_PROPERTY(QObject* enrolment READ enrolment CONSTANT)
    Q_PROPERTY(QObject* sync READ sync CONSTANT)
    Q_PROPERTY(QObject* sheets READ sheets CONSTANT)
    Q_PROPERTY(QObject* outbox READ outbox CONSTANT)
    Q_PROPERTY(QObject* camat READ camat CONSTANT)
    Q_PROPERTY(QObject* photos READ photos CONSTANT)
    Q_PROPERTY(QObject* scanner READ scanner CONSTANT)
    Q_PROPERTY(QObject* relayCodes READ relayCodes CONSTANT)
    Q_PROPERTY(QObject* relayInbox READ relayInbox CONSTANT)
    Q_PROPERTY(QObject* reading READ reading CONSTANT)
public:
    Device(const test::TempDir& dir, const std::string& name) {
        store_ = std::make_unique<sync::DeviceFile>(dir.file(name + ".db"));
        sync::SyncOptions options;
        options.baseBackoff = std::chrono::milliseconds(50);
        options.maxAttempts = 2;
        options.http.connectTimeoutMs = 2000;
        // Automatic sync in test time: first retry after 0.3 s, doubling to 1.2 s.
        capture_ = QString::fromStdString(dir.file(name + "-capture"));
        services_ = std::make_unique<tablet::Services>(
            *store_, options, tablet::SyncService::Timing{60000, 300, 1200}, capture_);
    }
    QVariantMap properties() { return services_->properties(); }
    QObject* settings() { return &services_->settings; }
    QObject* enrolment() { return &services_->enrolment; }
    QObject* sync() { return &services_->sync; }
    QObject* sheets() { return &services_->sheets; }
    QObject* outbox() { return &services_->outbox; }
    QObject* camat() { return &services_->camat; }
    QObject* photos() { return &services_->photos; }
    QObject* scanner() { return &services_->scanner; }
    QObject* relayCodes() { return &services_->relayCodes; }
    QObject* relayInbox() { return &services_->relayInbox; }
    QObject* reading() { return &services_->reading; }
    /// The photo attached to the last finalized revision (SHA-256), "" if none.
    Q_INVOKABLE QString lastPhoto() const {
        auto all = store_->outbox().all();
        return all.empty() || !all.back().revision.photo
                   ? QString()
                   : QString::fromStdString(*all.back().revision.photo);
    }
    /// A second reading's editor for `contest` at `tps`, as SecondReading opens one from a
    /// claim (without a photo): for the pages' reading mode.
    Q_INVOKABLE QObject* readingEditor(const QString& tps, const QString& contest) {
        auto* editor = tablet::SheetEditor::openReading(*store_, tps, contest, "parent", "", "",
                                                        services_->settings);
        if (editor)
            QQmlEngine::setObjectOwnership(editor, QQmlEngine::JavaScriptOwnership);
        return editor;
    }
    /// "Terakhir tersambung" as a tablet restarted on this store would say it: new services.
    Q_INVOKABLE QString lastSyncTextAfterRestart() {
        tablet::Services again(*store_, {}, {}, capture_);
        return again.sync.lastSyncText();
    }
    /// The size of the receiver's signed head this tablet last checked (0: none).
    Q_INVOKABLE int keptHeadSize() const {
        auto h = store_->receipts().lastTreeHead();
        return h ? static_cast<int>(h->size) : 0;
    }
    /// The photo last attached to a sent revision (SHA-256), "" if none.
    Q_INVOKABLE QString lastAttachedPhoto() const {
        auto all = store_->attachments().of();
        return all.empty() ? QString() : QString::fromStdString(all.back().photo);
    }
    Q_INVOKABLE QString photoFile(const QString& sha) const {
        return QString::fromStdString(store_->photos().path(sha.toStdString()).string());
    }
    sync::DeviceFile& store() { return *store_; }

private:
    std::unique_ptr<sync::DeviceFile> store_;
    std::unique_ptr<tablet::Services> services_;
    QString capture_;
};

/// The receiver, and what a test needs besides: images, frames, the printed QR code.
class Fixture : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString url READ url NOTIFY receiverChanged)
public:
    Fixture() { live_.emplace(central::ServerOptions{}, REKAP_TEST_REGENCY); }
    QString url() const { return QString::fromStdString(live_->url()); }
    /// A fresh receiver on another shipped regency file (data/regencies/NAME), for a test file
    /// that runs another election (tst_pilkada.qml): call before enrolling any tablet.
    Q_INVOKABLE void useRegency(const QString& name) {
        live_.reset();
        live_.emplace(central::ServerOptions{},
                      std::string(REKAP_TEST_DATA_DIR) + "/regencies/" + name.toStdString());
        emit receiverChanged();
    }
    Q_INVOKABLE QString mint(const QString& role, const QString& area) {
        return QString::fromStdString(
            live_->mint(role == "camat" ? protocol::Role::Camat : protocol::Role::Operator,
                        area.toStdString()));
    }
    Q_INVOKABLE void stopReceiver() { live_->stop(); }
    /// The desk sends `key` back to its operator ("perlu perbaikan"), as its route does.
    Q_INVOKABLE void sendBack(const QString& key, const QString& reason) {
        live_->store().sheets().sendBack(key.toStdString(), reason.toStdString(),
                                         "Koordinator Rina");
    }
    /// "waiting" or "answered" for the newest mark on `key`, "" without one.
    Q_INVOKABLE QString sendBackState(const QString& key) {
        auto marks = live_->store().sheets().sendBacksOf(key.toStdString());
        return marks.empty() ? QString()
                             : QString(marks.back().answeredBy ? "answered" : "waiting");
    }
    /// Another tablet, of TPS `tps`, sends the sheet `from`'s tablet holds of `contest` with one
    /// vote too many (rule R2): the receiver rejects it, and nothing else of that sheet is in.
    Q_INVOKABLE QString sendRejected(QObject* from, const QString& contest, const QString& tps) {
        auto& source = static_cast<Device*>(from)->store();
        auto e = source.identity().enrolment();
        auto head = source.outbox().head(e->scope + "/" + contest.toStdString());
        auto sheet = source.outbox().entry(*head)->revision.sheet;
        sheet.tps = AreaCode::parse(tps.toStdString());
        sheet.candidates[1].votes += 1;
        sync::DeviceFile other(live_->dir().file("rejecting-" + tps.toStdString() + ".db"));
        sync::SyncClient client(other, {});
        client.enrol(live_->url(), live_->mint(protocol::Role::Operator, tps.toStdString()),
                     "tablet lain");
        sync::Capture::FinalizeOptions o;
        o.allowRuleErrors = true;
        other.capture().finalize(sheet, "Budi", o);
        client.sync();
        return sheetState(tps + "/" + contest);
    }
    /// Where a test's screenshots go: $REKAP_SCREENSHOT_DIR when set (to look at them), else
    /// the receiver's temporary folder.
    Q_INVOKABLE QString screenshot(const QString& name) const {
        auto dir = qEnvironmentVariable("REKAP_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return tempFile(name);
        QDir().mkpath(dir);
        return dir + "/" + name;
    }
    /// The receiver rolled back, as a restored backup would: its signed heads above `size` gone.
    Q_INVOKABLE void rollBackHeadsTo(int size) {
        test::execOn(live_->store(),
                     "DELETE FROM tree_heads WHERE size > " + std::to_string(size) + ";");
    }
    Q_INVOKABLE void startReceiver() { live_->start(); }
    /// A free port nobody listens on: the address of a receiver that is not there.
    Q_INVOKABLE QString deadUrl() const { return "http://127.0.0.1:9"; }

    Q_INVOKABLE QString sheetState(const QString& key) {
        auto s = live_->store().sheets().sheet(key.toStdString());
        return s ? QString::fromStdString(std::string(sheetStateName(s->state))) : QString();
    }
    Q_INVOKABLE int revisionCount() {
        return static_cast<int>(live_->store().sheets().revisionCount());
    }
    /// The photo the sheet's newest revision stands on at the receiver (attached later or its
    /// own), "" when none.
    Q_INVOKABLE QString currentPhoto(const QString& key) {
        auto all = live_->store().sheets().revisionsOf(key.toStdString());
        return all.empty() || !all.back().currentPhoto()
                   ? QString()
                   : QString::fromStdString(*all.back().currentPhoto());
    }
    Q_INVOKABLE int votes(const QString& key, int number) {
        auto c = live_->store().live().counted(key.toStdString());
        if (!c.sheet)
            return -1;
        for (const auto& v : c.sheet->candidates)
            if (v.number == number)
                return v.votes;
        return -1;
    }
    /// Verified at the receiver (by a second reading that agrees, or a desk decision).
    Q_INVOKABLE bool verified(const QString& key) {
        return live_->store().live().counted(key.toStdString()).verified;
    }
    /// The operator name and reason of the sheet's newest revision at the receiver.
    Q_INVOKABLE QString latestOperator(const QString& key) {
        auto all = live_->store().sheets().revisionsOf(key.toStdString());
        return all.empty() ? QString() : QString::fromStdString(all.back().revision.operatorName);
    }
    /// The reason of the sheet's newest revision at the receiver.
    Q_INVOKABLE QString latestReason(const QString& key) {
        auto all = live_->store().sheets().revisionsOf(key.toStdString());
        return all.empty() ? QString() : QString::fromStdString(all.back().revision.reason);
    }

    /// The enrolment QR code exactly as `rekap-central mint --qr` prints it, as an image file.
    Q_INVOKABLE QString printQr(const QString& server, const QString& code) {
        auto path = live_->dir().file("slip-" + std::to_string(++files_) + ".png");
        central::writeEnrolmentQr({server.toStdString(), code.toStdString()}, path);
        return QString::fromStdString(path);
    }
    /// A file name in the test's folder, for pictures a test takes of the screen.
    Q_INVOKABLE QString tempFile(const QString& name) const {
        return QString::fromStdString(live_->dir().file(name.toStdString()));
    }
    /// Shows an image file to the "camera": as a frame at the video sink of a VideoOutput.
    Q_INVOKABLE bool showToCamera(QObject* videoOutput, const QString& file) {
        QImage image(file);
        return feed(videoOutput, image);
    }
    /// A synthetic photo of a plano: a sheet of `paper` colour with ruled rows.
    Q_INVOKABLE bool showPlanoToCamera(QObject* videoOutput, const QColor& paper) {
        QImage frame(3000, 2000, QImage::Format_RGB32);
        frame.fill(paper);
        QPainter p(&frame);
        p.setPen(QPen(Qt::black, 6));
        for (int y = 100; y < 2000; y += 120)
            p.drawLine(100, y, 2900, y);
        return feed(videoOutput, frame);
    }
    /// A folder with `n` pictures, each one solid colour (red, green, blue, ...), as file: URL.
    Q_INVOKABLE QString pictureFolder(int n) {
        auto dir = QString::fromStdString(live_->dir().file("Pictures"));
        QDir().mkpath(dir);
        const QColor colours[] = {Qt::red, Qt::green, Qt::blue, Qt::yellow};
        for (int i = 0; i < n && i < 4; ++i) {
            QImage image(1200, 900, QImage::Format_RGB32);
            image.fill(colours[i]);
            image.save(QStringLiteral("%1/plano-%2.jpg").arg(dir).arg(i + 1));
        }
        return QUrl::fromLocalFile(dir).toString();
    }
    /// Sets a file's time (ISO 8601, as a camera would have written it), file: URL or path.
    Q_INVOKABLE bool setFileTime(const QString& file, const QString& iso) {
        QFile f(file.startsWith("file:") ? QUrl(file).toLocalFile() : file);
        return f.open(QIODevice::ReadWrite) &&
               f.setFileTime(QDateTime::fromString(iso, Qt::ISODate),
                             QFileDevice::FileModificationTime);
    }
    /// The colour in the middle of an image file, and its size.
    Q_INVOKABLE QColor colourOf(const QString& file) const {
        QImage image(file);
        return image.isNull() ? QColor() : image.pixelColor(image.width() / 2, image.height() / 2);
    }
    Q_INVOKABLE QSize sizeOf(const QString& file) const { return QImage(file).size(); }
    Q_INVOKABLE qint64 bytesOf(const QString& file) const { return QFileInfo(file).size(); }
    /// The sentence for a problem (error_text.h), for tests that check the mapping.
    Q_INVOKABLE QString describe(int problem) const {
        return tablet::ErrorText::describe(static_cast<tablet::Problem::Value>(problem));
    }

private:
    bool feed(QObject* videoOutput, const QImage& image) {
        auto* sink =
            videoOutput ? videoOutput->property("videoSink").value<QVideoSink*>() : nullptr;
        if (!sink || image.isNull())
            return false;
        sink->setVideoFrame(tablet::videoFrameFromImage(image));
        return true;
    }
    std::optional<test::LiveCentral> live_;
    int files_ = 0;

signals:
    void receiverChanged();
};

/// Every QML warning fails the test function that caused it (no list of tolerated ones); one
/// outside any test function (loading or destroying a test file) fails the run.
class WarningsFail : public QObject {
    Q_OBJECT
public:
    /// Called as each test case starts running (TabletCase): by then QtTest has installed its
    /// logger, which passes nothing on, so the trap goes on top of it and hands it every message.
    Q_INVOKABLE void install() {
        if (trap_) {
            trap_->reinstall();
            return;
        }
        trap_.emplace([this](QtMsgType, const QMessageLogContext& context, const QString& message) {
            auto text = ("QML warning: " + message).toUtf8();
            if (QTest::currentTestFunction())
                QTest::qFail(text.constData(), context.file ? context.file : "", context.line);
            else
                ++outside_;
        });
    }
    int outside() const { return outside_; }

private:
    std::optional<tablet::QmlWarningTrap> trap_;
    int outside_ = 0;
};

class Setup : public QObject {
    Q_OBJECT
public:
    explicit Setup(WarningsFail& warnings)
        : warnings_(warnings) {
        QQuickStyle::setStyle("Material");
    }
public slots:
    void qmlEngineAvailable(QQmlEngine* engine) {
        warnings_.install(); // for what happens while the file loads
        // Each test file: a fresh receiver and fresh tablets (the engine goes with the file).
        auto* fixture = new Fixture;
        fixture->setParent(engine);
        auto* op = new Device(dirs_.emplace_back(), "operator");
        op->setParent(engine);
        auto* camat = new Device(dirs_.back(), "camat");
        camat->setParent(engine);
        engine->addImportPath("qrc:/qt/qml"); // Qt 6.4 does not add it itself
        auto* ctx = engine->rootContext();
        ctx->setContextProperty("fixture", fixture);
        ctx->setContextProperty("op", op);
        ctx->setContextProperty("camatDevice", camat);
        ctx->setContextProperty("qmlWarnings", &warnings_);
        // The app's language switch, as main() wires it.
        for (auto* device : {op, camat})
            connect(qobject_cast<tablet::Settings*>(device->settings()),
                    &tablet::Settings::translationRequested, engine,
                    [this, engine](const QString& lang) {
                        tablet::installTranslation(translator_, lang);
                        engine->retranslate();
                    });
        tablet::installTranslation(translator_, "id");
    }

private:
    WarningsFail& warnings_;
    std::list<test::TempDir> dirs_;
    QTranslator translator_;
};

int main(int argc, char** argv) {
    WarningsFail warnings;
    Setup setup(warnings);
    int failed = quick_test_main_with_setup(argc, argv, "tablet", QUICK_TEST_SOURCE_DIR, &setup);
    if (warnings.outside() > 0)
        std::fprintf(stderr, "FAIL: %d QML warning(s) outside any test function (above)\n",
                     warnings.outside());
    return failed ? failed : warnings.outside() > 0 ? 1 : 0;
}

#include "tst_tablet.moc"
