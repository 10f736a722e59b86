#pragma once
// The plano photo: frames arrive from the camera at a QVideoSink (the preview's), the shutter
// keeps the latest, and before anything is queued the picture is scaled to at most 2048 px on
// its long side and compressed to JPEG at quality 80 (see docs/android.md for the size). The
// file picker's images take the same path. Tests feed synthetic frames to the same sink.

#include <QImage>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QVideoFrame>
#include <QVideoSink>

#include "error_text.h"
#include "regency_clock.h"

namespace rekap::tablet {

/// A frame holding `image`, as a camera would deliver it (for tests, screenshots, the demo).
QVideoFrame videoFrameFromImage(const QImage& image);

class PhotoCapture : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(QVideoSink* videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    Q_PROPERTY(bool hasFrame READ hasFrame NOTIFY frameChanged)
    Q_PROPERTY(QString capturedUrl READ capturedUrl NOTIFY capturedChanged)
    Q_PROPERTY(QString capturedFile READ capturedFile NOTIFY capturedChanged)
    Q_PROPERTY(int capturedBytes READ capturedBytes NOTIFY capturedChanged)
    Q_PROPERTY(QSize capturedSize READ capturedSize NOTIFY capturedChanged)
    Q_PROPERTY(QString problemText READ problemText NOTIFY capturedChanged)
    Q_PROPERTY(QStringList pictureFolders READ pictureFolders WRITE setPictureFolders NOTIFY
                   pictureFoldersChanged)
public:
    static constexpr int kMaxSide = 2048;
    static constexpr int kJpegQuality = 80;

    /// Captures are written to `workDir` until attached (the store keeps its own copy).
    PhotoCapture(const sync::DeviceFile& store, QString workDir, QObject* parent = nullptr);

    QVideoSink* videoSink() const { return sink_; }
    void setVideoSink(QVideoSink* sink);
    bool hasFrame() const { return last_.isValid(); }
    QString capturedUrl() const;
    QString capturedFile() const { return file_; }
    int capturedBytes() const { return bytes_; }
    QSize capturedSize() const { return size_; }
    QString problemText() const { return ErrorText::describe(problem_); }
    /// Where the picker looks (file: URLs): the tablet's camera and picture folders that exist.
    QStringList pictureFolders() const { return folders_; }
    void setPictureFolders(const QStringList& folders);

    /// When a picture in the picker was taken (its file's time), as the regency's clock says
    /// it: "14-02 18.06 WITA". Five photos of similar planos are told apart by it.
    Q_INVOKABLE QString takenText(const QDateTime& fileTime) const {
        return clock_.dateTime(fileTime);
    }

    /// The shutter: keeps the latest frame, scaled and compressed. False without a frame.
    Q_INVOKABLE bool capture();
    /// The fallback: an image file chosen in the picker, through the same scaling.
    Q_INVOKABLE bool takeFile(const QString& urlOrPath);
    /// Drops the captured picture (retake).
    Q_INVOKABLE void retake();
    /// Scales and compresses; the JPEG bytes. Exposed for tests and the figures in the docs.
    static QByteArray compress(const QImage& image, QSize* size = nullptr);

signals:
    void videoSinkChanged();
    void frameChanged();
    void capturedChanged();
    void pictureFoldersChanged();

private:
    bool take(const QImage& image);
    RegencyClock clock_;
    QString workDir_;
    QStringList folders_;
    QPointer<QVideoSink> sink_;
    QVideoFrame last_;
    QString file_;
    int bytes_ = 0;
    QSize size_;
    int serial_ = 0;
    Problem::Value problem_ = Problem::None;
};

} // namespace rekap::tablet
