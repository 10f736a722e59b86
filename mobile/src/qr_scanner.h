#pragma once
// Reads the desk's enrolment QR code (zxing-cpp) from the camera's frames, as they arrive at
// the preview's QVideoSink, or from an image file (--enrol-qr). Both go through decode().

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QVideoSink>

namespace rekap::tablet {

class QrScanner : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(QVideoSink* videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(bool hasFrame READ hasFrame NOTIFY hasFrameChanged)
public:
    using QObject::QObject;

    /// The text of a QR code in `image`; "" when there is none.
    static QString decode(const QImage& image);
    /// The same for an image file (a path or a file: URL).
    Q_INVOKABLE QString decodeFile(const QString& urlOrPath) const;

    QVideoSink* videoSink() const { return sink_; }
    void setVideoSink(QVideoSink* sink);
    bool active() const { return active_; }
    /// A frame has arrived since the sink was set (a camera, or a test's picture).
    bool hasFrame() const { return hasFrame_; }
    void setActive(bool a);

signals:
    void videoSinkChanged();
    void activeChanged();
    void hasFrameChanged();
    /// A QR code was read from the camera (once per different text while active).
    void found(const QString& text);

private:
    void onFrame(const QVideoFrame& frame);
    QPointer<QVideoSink> sink_;
    bool active_ = false;
    bool hasFrame_ = false;
    QElapsedTimer since_;
    QString last_;
};

} // namespace rekap::tablet
