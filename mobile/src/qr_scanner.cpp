#include "qr_scanner.h"

#include <QImageReader>
#include <QUrl>
#include <QVideoFrame>
#include <ZXing/ReadBarcode.h>

namespace rekap::tablet {

namespace {
// A frame is read at most this often: enough to feel instant, little for a cheap tablet's CPU.
constexpr int kScanIntervalMs = 200;
// Larger frames are scaled down first: a QR code filling part of a 1080p frame reads as well.
constexpr int kScanSide = 1280;
} // namespace

QString QrScanner::decode(const QImage& image) {
    if (image.isNull())
        return {};
    auto gray = image;
    if (std::max(gray.width(), gray.height()) > kScanSide)
        gray = gray.scaled(kScanSide, kScanSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    gray = gray.convertToFormat(QImage::Format_Grayscale8);
    auto hints = ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode).setTryHarder(true);
    auto result =
        ZXing::ReadBarcode({gray.constBits(), gray.width(), gray.height(), ZXing::ImageFormat::Lum,
                            static_cast<int>(gray.bytesPerLine())},
                           hints);
    return result.isValid() ? QString::fromStdString(result.text()) : QString();
}

QString QrScanner::decodeFile(const QString& urlOrPath) const {
    auto path =
        urlOrPath.startsWith(QLatin1String("file:")) ? QUrl(urlOrPath).toLocalFile() : urlOrPath;
    return decode(QImageReader(path).read());
}

void QrScanner::setVideoSink(QVideoSink* sink) {
    if (sink == sink_)
        return;
    if (sink_)
        disconnect(sink_, nullptr, this, nullptr);
    sink_ = sink;
    if (sink_)
        connect(sink_, &QVideoSink::videoFrameChanged, this, &QrScanner::onFrame);
    hasFrame_ = false;
    emit videoSinkChanged();
    emit hasFrameChanged();
}

void QrScanner::setActive(bool a) {
    if (a == active_)
        return;
    active_ = a;
    last_.clear();
    since_.invalidate();
    emit activeChanged();
}

void QrScanner::onFrame(const QVideoFrame& frame) {
    if (!hasFrame_ && frame.isValid()) {
        hasFrame_ = true;
        emit hasFrameChanged();
    }
    if (!active_ || !frame.isValid() || (since_.isValid() && since_.elapsed() < kScanIntervalMs))
        return;
    since_.restart();
    auto text = decode(frame.toImage());
    if (text.isEmpty() || text == last_)
        return;
    last_ = text;
    emit found(text);
}

} // namespace rekap::tablet
