#include "screenshots.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QQmlEngine>
#include <QQuickItem>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <iostream>

#include "qml_warnings.h"
#include "rekap/enrolment_link.h"
#include "services.h"
#include "sheet_editor.h"

namespace rekap::tablet {

namespace {

void settle(int ms = 500) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template <typename Sender, typename Signal>
bool waitFor(Sender* sender, Signal signal, int ms = 20000) {
    QEventLoop loop;
    bool fired = false;
    auto conn = QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(conn);
    return fired;
}

/// The desk's slip as a camera would see it: the enrolment QR code on paper, a little tilted
/// into the light.
QImage slipPhoto(const QString& server, const QString& code) {
    auto text = encodeEnrolmentLink({server.toStdString(), code.toStdString()});
    auto matrix =
        ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(4).encode(text, 400, 400);
    QImage qr(matrix.width(), matrix.height(), QImage::Format_Grayscale8);
    for (int y = 0; y < matrix.height(); ++y)
        for (int x = 0; x < matrix.width(); ++x)
            qr.setPixel(x, y, matrix.get(x, y) ? qRgb(0, 0, 0) : qRgb(255, 255, 255));
    QImage frame(1280, 720, QImage::Format_RGB32);
    frame.fill(QColor(70, 62, 52));
    QPainter p(&frame);
    p.translate(640, 360);
    p.rotate(-4);
    p.fillRect(-260, -300, 520, 600, QColor(250, 248, 240));
    p.drawImage(QRect(-200, -240, 400, 400), qr);
    p.setPen(Qt::black);
    p.setFont(QFont("DejaVu Sans", 22));
    p.drawText(QRect(-240, 170, 480, 100), Qt::AlignCenter, code + "\nRekap - TPS");
    return frame;
}

/// A C.Hasil plano on a wall as a camera would see it (synthetic: ruled rows and digits).
QImage planoPhoto(QColor paper = QColor(255, 253, 245)) {
    QImage frame(1920, 1080, QImage::Format_RGB32);
    frame.fill(QColor(120, 110, 96));
    QPainter p(&frame);
    p.fillRect(360, 40, 1200, 1000, paper);
    p.setPen(QPen(Qt::black, 3));
    p.setFont(QFont("DejaVu Sans", 28, QFont::Bold));
    p.drawText(QRect(360, 60, 1200, 60), Qt::AlignCenter, "C.HASIL-PPWP  PLANO");
    p.setFont(QFont("DejaVu Sans", 22));
    const char* rows[] = {"I.B1 110 123 233", "I.B2 3 3 6", "II.1 297", "II.2 239", "IV 01 119",
                          "IV 02 105",        "IV 03 9",    "V.A 233",  "V.B 6",    "V.C 239"};
    int y = 150;
    for (const char* r : rows) {
        p.drawLine(400, y + 70, 1520, y + 70);
        p.drawText(QRect(420, y, 1080, 70), Qt::AlignVCenter, r);
        y += 85;
    }
    return frame;
}

class Shooter {
public:
    Shooter(QQuickWindow& window, Services& services, const QString& dir, bool portrait)
        : window_(window)
        , services_(services)
        , dir_(dir)
        , orientation_(portrait ? "portrait" : "landscape") {}
    void shot(const QString& name) {
        settle();
        auto path = QStringLiteral("%1/tablet-%2-%3-%4.png")
                        .arg(dir_, name, orientation_, services_.settings.language());
        if (!window_.grabWindow().save(path)) {
            std::cerr << "cannot write " << path.toStdString() << "\n";
            ++failures;
            return;
        }
        std::cout << "wrote " << path.toStdString() << std::endl;
    }
    QObject* call(const char* function, const QVariant& arg = {}) {
        QVariant ret;
        bool ok = arg.isValid()
                      ? QMetaObject::invokeMethod(&window_, function, Q_RETURN_ARG(QVariant, ret),
                                                  Q_ARG(QVariant, arg))
                      : QMetaObject::invokeMethod(&window_, function, Q_RETURN_ARG(QVariant, ret));
        auto* item = ret.value<QObject*>();
        if (!ok || !item) {
            std::cerr << "screen did not open: " << function << "\n";
            ++failures;
        }
        return item;
    }
    /// An object by name among QObject children and visual children (a Repeater's items are
    /// only the latter).
    static QObject* lookup(QObject* in, const QString& name) {
        if (!in)
            return nullptr;
        if (auto* o = in->findChild<QObject*>(name))
            return o;
        if (auto* item = qobject_cast<QQuickItem*>(in))
            for (auto* child : item->childItems()) {
                if (child->objectName() == name)
                    return child;
                if (auto* o = lookup(child, name))
                    return o;
            }
        for (auto* child : in->children())
            if (!qobject_cast<QQuickItem*>(child))
                if (auto* o = lookup(child, name))
                    return o;
        return nullptr;
    }
    QObject* find(QObject* in, const char* name) {
        auto* o = lookup(in, QString::fromLatin1(name));
        if (!o) {
            std::cerr << "not found: " << name << "\n";
            ++failures;
        }
        return o;
    }
    void click(QObject* in, const char* name) {
        if (auto* o = find(in, name))
            QMetaObject::invokeMethod(o, "clicked");
    }
    void back() { call("back"); }
    QImage grab() { return window_.grabWindow(); }
    /// Where the QR relay's pictures pass from the operator's run to the camat's (the script's
    /// REKAP_RELAY_PICTURES), named by orientation and language; "" when not set.
    QString relayPicture(int i) const {
        auto dir = qEnvironmentVariable("REKAP_RELAY_PICTURES");
        return dir.isEmpty() ? QString()
                             : QStringLiteral("%1/relay-%2-%3-%4.png")
                                   .arg(dir, orientation_, services_.settings.language())
                                   .arg(i);
    }
    int failures = 0;
    // Every QML warning, whoever logs it, fails the run (printed by the handler before it).
    QmlWarningTrap trap{
        [this](QtMsgType, const QMessageLogContext&, const QString&) { ++failures; }};

private:
    QQuickWindow& window_;
    Services& services_;
    QString dir_, orientation_;
};

/// The camat's second reading: the sheet claimed with its photo, its blank form, the reading
/// typed (the plano's numbers, but one vote read on paslon 02 instead of 01 in English, so that
/// both outcomes are pictured), and what the receiver made of it.
void readingScreens(Shooter& s, Services& services) {
    services.settings.setOperatorName("Rahmat Hidayat");
    s.call("home");
    s.call("showReading");
    for (int i = 0; i < 40 && services.reading.state() == ReadingState::Claiming; ++i)
        settle(250);
    s.shot("reading");
    auto* e = services.reading.editor();
    if (!e)
        return; // nothing waits: the picture above says so
    auto* page = s.call("current");
    if (page)
        QMetaObject::invokeMethod(page, "typeRequested");
    s.shot("reading-sheet");
    bool english = services.settings.english();
    const std::pair<const char*, const char*> values[] = {
        {"voters.from_dpt.l", "110"},
        {"voters.from_dpt.p", "123"},
        {"voters.from_dptb.l", "3"},
        {"voters.from_dptb.p", "3"},
        {"voters.from_dpk.l", "0"},
        {"voters.from_dpk.p", "0"},
        {"ballots.received", "297"},
        {"ballots.used", "239"},
        {"ballots.damaged", "0"},
        {"ballots.unused", "58"},
        {"disabled_voters.l", "1"},
        {"disabled_voters.p", "0"},
        {"votes.candidates.1", english ? "118" : "119"},
        {"votes.candidates.2", english ? "106" : "105"},
        {"votes.candidates.3", "9"},
        {"summary.valid", "233"},
        {"summary.invalid", "6"}};
    for (const auto& [f, v] : values)
        e->setText(f, v);
    // What else the plano shows (the DPT's printed numbers, the other ballots' boxes): as the
    // operator's form starts, else 0.
    if (auto reg = services.store.masterData().regency()) {
        const auto* tps = reg->findTps(AreaCode::parse(e->tps().toStdString()));
        const auto* contest = reg->findContest(e->contest().toStdString());
        std::optional<SheetForm> printed;
        if (tps && contest && reg->ballotFor(*tps, *contest))
            printed = SheetForm::start(*tps, *reg->ballotFor(*tps, *contest));
        for (auto f = e->firstBlank(); !f.isEmpty(); f = e->firstBlank()) {
            auto v = printed ? printed->value(f.toStdString()) : std::nullopt;
            if (!e->setText(f, QString::number(v ? *v : 0)))
                break;
        }
    }
    auto* review = s.call("showReview");
    s.shot("reading-review");
    if (auto* confirm = review ? s.find(review, "confirmFinalize") : nullptr)
        QMetaObject::invokeMethod(confirm, "accept");
    for (int i = 0; i < 80 && services.reading.state() == ReadingState::Sending; ++i)
        settle(250);
    s.shot("reading-outcome");
}

void operatorScreens(Shooter& s, Services& services) {
    services.settings.setOperatorName("Siti Aminah");
    s.shot("overview");
    auto* sheet = s.call("showSheet", QStringLiteral("ppwp"));
    auto* e = sheet ? sheet->property("editor").value<SheetEditor*>() : nullptr;
    if (!e)
        return;
    s.shot("sheet-blank");
    // Numbers of a real TPS with ballots used typed wrong: R4 shows beside II.2, with the gap.
    const std::pair<const char*, const char*> values[] = {
        {"voters.from_dpt.l", "110"},  {"voters.from_dpt.p", "123"},  {"voters.from_dptb.l", "3"},
        {"voters.from_dptb.p", "3"},   {"voters.from_dpk.l", "0"},    {"voters.from_dpk.p", "0"},
        {"ballots.received", "297"},   {"ballots.used", "293"},       {"ballots.damaged", "0"},
        {"ballots.unused", "58"},      {"disabled_voters.l", "1"},    {"disabled_voters.p", "0"},
        {"votes.candidates.1", "119"}, {"votes.candidates.2", "105"}, {"votes.candidates.3", "9"},
        {"summary.valid", "233"},      {"summary.invalid", "6"}};
    for (const auto& [f, v] : values)
        e->setText(f, v);
    QMetaObject::invokeMethod(sheet, "show", Q_ARG(QVariant, QStringLiteral("ballots.used")));
    s.shot("sheet-error");
    e->setText("ballots.used", "239");
    // Before the photo: finalizing asks whether to send the sheet without it.
    if (auto* early = s.call("showReview")) {
        if (auto* confirm = s.find(early, "confirmFinalize")) {
            QMetaObject::invokeMethod(confirm, "open");
            s.shot("confirm-nophoto");
            QMetaObject::invokeMethod(confirm, "close");
        }
        s.back();
    }

    s.call("showCapture");
    // Each TPS's plano its own (a photo belongs to one TPS): the paper's shade by the TPS.
    auto scope = services.store.identity().enrolment()
                     ? services.store.identity().enrolment()->scope
                     : std::string();
    int shade = scope.empty() ? 0 : scope.back() - '0';
    services.photos.videoSink()->setVideoFrame(
        videoFrameFromImage(planoPhoto(QColor(255, 253, 245 - 3 * shade))));
    s.shot("camera");
    services.photos.capture();
    s.shot("camera-taken");
    e->attachPhoto(services.photos.capturedFile());
    services.photos.retake();
    // Photos taken before, for the picker: five similar planos (one upright), told apart by the
    // time each was taken and its name.
    QTemporaryDir folder;
    auto pictures = folder.path();
    const QColor papers[] = {QColor(255, 253, 245), QColor(240, 236, 220), QColor(250, 245, 230),
                             QColor(245, 245, 240), QColor(252, 250, 238)};
    auto taken = QDateTime::fromString(QStringLiteral("2024-02-14T10:02:11Z"), Qt::ISODate);
    for (int i = 0; i < 5; ++i) {
        auto when = taken.addSecs(i * 97);
        auto image = planoPhoto(papers[i]).scaled(960, 540);
        if (i == 2)
            image = image.copy(180, 0, 600, 540).transformed(QTransform().rotate(90));
        auto path =
            QStringLiteral("%1/IMG_%2.jpg")
                .arg(pictures,
                     when.toOffsetFromUtc(8 * 3600).toString(QStringLiteral("yyyyMMdd_HHmmss")));
        image.save(path);
        QFile file(path);
        if (file.open(QIODevice::ReadWrite))
            file.setFileTime(when, QFileDevice::FileModificationTime);
    }
    services.photos.setPictureFolders({QUrl::fromLocalFile(QDir::cleanPath(pictures)).toString()});
    s.call("showPicker");
    s.shot("picker");
    s.back();
    s.back();
    s.shot("sheet-photo"); // the photo pinned beside (above) the form

    auto* review = s.call("showReview");
    s.shot("review");
    if (auto* confirm = s.find(review, "confirmFinalize")) {
        QMetaObject::invokeMethod(confirm, "open");
        s.shot("confirm");
        QMetaObject::invokeMethod(confirm, "accept");
    }
    waitFor(&services.sync, &SyncService::finished);
    s.call("home");
    s.shot("overview-sent");

    // A party ballot, searched.
    auto* dpr = s.call("showSheet", QStringLiteral("pdpr"));
    if (auto* d = dpr ? dpr->property("editor").value<SheetEditor*>() : nullptr) {
        d->form()->setFilter(QStringLiteral("gerindra"));
        d->setText("votes.parties.2.party_only", "31");
        d->setText("votes.parties.2.candidates.1", "12");
        QMetaObject::invokeMethod(dpr, "show",
                                  Q_ARG(QVariant, QStringLiteral("votes.parties.2.candidates.2")));
    }
    s.shot("sheet-party");
    if (auto* fill = dpr ? s.find(dpr, "fillZeroDialog") : nullptr) {
        QMetaObject::invokeMethod(fill, "ask", Q_ARG(QVariant, 2),
                                  Q_ARG(QVariant, QStringLiteral("02 Gerindra")));
        s.shot("fill-zero");
        QMetaObject::invokeMethod(fill, "close");
    }
    s.call("home");

    auto* sent = s.call("showSheet", QStringLiteral("ppwp"));
    s.shot("sheet-finalized");
    auto* c = sent ? sent->property("editor").value<SheetEditor*>() : nullptr;
    if (c) {
        c->startCorrection();
        s.shot("sheet-correction");
        c->setText("votes.candidates.1", "118");
        c->setText("votes.candidates.2", "106");
        auto* r = s.call("showReview");
        if (auto* reason = s.find(r, "reason"))
            reason->setProperty("text", QStringLiteral("salah baca paslon 01 dan 02"));
        s.shot("review-correction");
        if (auto* flick = s.find(r, "reviewFlick"))
            flick->setProperty("contentY", flick->property("contentHeight").toDouble() -
                                               flick->property("height").toDouble());
        s.shot("review-correction-end");
    }
    s.call("home");
    s.call("showOutbox");
    s.shot("outbox");
}

} // namespace

int renderScreenshots(QQuickWindow& window, Services& services, const QString& dir,
                      const QString& server, const QString& code, bool portrait) {
    QDir().mkpath(dir);
    Shooter s(window, services, dir, portrait);
    if (!services.enrolment.enrolled()) {
        s.shot("enrol");
        // Enrolled the way a tablet is in the field: the slip's QR code, read by the camera.
        s.call("showScan");
        auto slip = slipPhoto(server, code);
        services.scanner.setActive(false); // held, so that the picture shows the slip
        services.scanner.videoSink()->setVideoFrame(videoFrameFromImage(slip));
        s.shot("scan");
        services.scanner.setActive(true); // the camera's next frame is read
        services.scanner.videoSink()->setVideoFrame(videoFrameFromImage(slip));
        if (!services.enrolment.enrolled() && !waitFor(&services.enrolment, &Enrolment::finished)) {
            std::cerr << "enrolment by QR code did not finish\n";
            return 1;
        }
        if (!services.enrolment.enrolled()) {
            std::cerr << "enrolment failed: " << services.enrolment.problemText().toStdString()
                      << "\n";
            return 1;
        }
        settle();
        if (services.enrolment.camat()) {
            waitFor(&services.camat, &CamatModel::refreshed);
            s.shot("camat");
            auto* page = s.call("current");
            s.click(page, "filter:partial");
            s.shot("camat-partial");
            s.click(page, "filter:all");
            s.call("showTps", QStringLiteral("6306012001001"));
            s.shot("camat-tps");
            readingScreens(s, services);
        } else {
            operatorScreens(s, services);
        }
    } else {
        // Enrolled already, and the receiver is gone: what the operator and the camat see
        // without signal.
        s.call("home");
        if (services.enrolment.camat()) {
            services.camat.refresh();
            waitFor(&services.camat, &CamatModel::refreshed);
            s.shot("camat-offline");
            // The operator's codes (its run kept pictures of its screen), read by the camera.
            s.call("showRelayScan");
            for (int i = 0; QFile::exists(s.relayPicture(i)); ++i) {
                QImage picture(s.relayPicture(i));
                for (int tries = 0; tries < 20 && services.relayInbox.scannedCodes() <= i;
                     ++tries) {
                    services.scanner.videoSink()->setVideoFrame(videoFrameFromImage(picture));
                    settle(250);
                }
            }
            s.shot("relay-scan");
        } else {
            // The correction typed in the first pass, finalized without signal: the five
            // cards stay five, the sheet waits in the outbox, the bar says when it tries again.
            auto* sheet = s.call("showSheet", QStringLiteral("ppwp"));
            auto* e = sheet ? sheet->property("editor").value<SheetEditor*>() : nullptr;
            if (e)
                e->finalize("Siti Aminah", "salah baca paslon 01 dan 02");
            s.call("home");
            waitFor(&services.sync, &SyncService::finished);
            s.shot("overview-offline");
            s.call("showOutbox");
            s.shot("outbox-offline");
            // Still no signal: the queue as QR codes for the camat's tablet; each code's screen
            // is kept as a picture for the camat's run to show to its camera.
            auto* relay = s.call("showRelay");
            if (auto* a = relay ? s.find(relay, "relayAuto") : nullptr)
                a->setProperty("checked", false);
            s.shot("relay-show");
            const int codes = services.relayCodes.count();
            for (int i = 0; relay && i < codes && !s.relayPicture(i).isEmpty(); ++i) {
                relay->setProperty("index", i);
                settle(200);
                s.grab().save(s.relayPicture(i));
            }
        }
    }
    return s.failures ? 1 : 0;
}

} // namespace rekap::tablet
