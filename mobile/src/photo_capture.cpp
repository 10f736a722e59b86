#include "photo_capture.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QStandardPaths>
#include <QUrl>

namespace rekap::tablet {

QVideoFrame videoFrameFromImage(const QImage& image) {
    auto argb = image.convertToFormat(QImage::Format_ARGB32);
    // ARGB32 in memory on a little-endian machine is B, G, R, A: the frame format BGRA8888.
    QVideoFrame frame(QVideoFrameFormat(argb.size(), QVideoFrameFormat::Format_BGRA8888));
    if (!frame.map(QVideoFrame::WriteOnly))
        return {};
    for (int y = 0; y < argb.height(); ++y)
        memcpy(frame.bits(0) + y * frame.bytesPerLine(0), argb.constScanLine(y),
               static_cast<std::size_t>(argb.width()) * 4);
    frame.unmap();
    return frame;
}

PhotoCapture::PhotoCapture(const sync::DeviceFile& store, QString workDir, QObject* parent)
    : QObject(parent)
    , clock_(store)
    , workDir_(std::move(workDir)) {
    QDir().mkpath(workDir_);
    // The camera app's folder first: a photo of the plano taken before is most likely there.
    QStringList candidates;
    for (auto location : {QStandardPaths::PicturesLocation, QStandardPaths::DownloadLocation})
        candidates << QStandardPaths::standardLocations(location);
    auto pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    candidates.prepend(QDir(pictures).filePath(QStringLiteral("../DCIM/Camera")));
    for (const auto& c : candidates) {
        auto url = QUrl::fromLocalFile(QDir::cleanPath(c)).toString();
        if (QDir(c).exists() && !folders_.contains(url))
            folders_ << url;
    }
}

void PhotoCapture::setPictureFolders(const QStringList& folders) {
    if (folders == folders_)
        return;
    folders_ = folders;
    emit pictureFoldersChanged();
}

void PhotoCapture::setVideoSink(QVideoSink* sink) {
    if (sink == sink_)
        return;
    if (sink_)
        disconnect(sink_, nullptr, this, nullptr);
    sink_ = sink;
    last_ = {};
    if (sink_)
        connect(sink_, &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame& f) {
            bool had = last_.isValid();
            last_ = f;
            if (had != last_.isValid())
                emit frameChanged();
        });
    emit videoSinkChanged();
    emit frameChanged();
}

QString PhotoCapture::capturedUrl() const {
    return file_.isEmpty() ? QString() : QUrl::fromLocalFile(file_).toString();
}

QByteArray PhotoCapture::compress(const QImage& image, QSize* size) {
    QImage scaled = image;
    if (std::max(image.width(), image.height()) > kMaxSide)
        scaled = image.scaled(kMaxSide, kMaxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (size)
        *size = scaled.size();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    scaled.convertToFormat(QImage::Format_RGB888).save(&buffer, "JPEG", kJpegQuality);
    return bytes;
}

bool PhotoCapture::take(const QImage& image) {
    retake();
    if (image.isNull()) {
        problem_ = Problem::PhotoUnreadable;
        emit capturedChanged();
        return false;
    }
    auto bytes = compress(image, &size_);
    auto path = QDir(workDir_).filePath(QStringLiteral("capture-%1.jpg").arg(++serial_));
    QFile out(path);
    if (bytes.isEmpty() || !out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) {
        problem_ = bytes.isEmpty() ? Problem::PhotoUnreadable : Problem::DeviceStorage;
        emit capturedChanged();
        return false;
    }
    out.close();
    file_ = path;
    bytes_ = static_cast<int>(bytes.size());
    problem_ = Problem::None;
    emit capturedChanged();
    return true;
}

bool PhotoCapture::capture() {
    if (!last_.isValid())
        return false;
    return take(last_.toImage());
}

bool PhotoCapture::takeFile(const QString& urlOrPath) {
    auto path =
        urlOrPath.startsWith(QLatin1String("file:")) ? QUrl(urlOrPath).toLocalFile() : urlOrPath;
    QImageReader reader(path);
    reader.setAutoTransform(true); // a phone's photo stands as it was taken
    return take(reader.read());
}

void PhotoCapture::retake() {
    if (!file_.isEmpty())
        QFile::remove(file_);
    file_.clear();
    bytes_ = 0;
    size_ = {};
    problem_ = Problem::None;
    emit capturedChanged();
}

} // namespace rekap::tablet
