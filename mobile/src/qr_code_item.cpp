#include "qr_code_item.h"

#include <QPainter>
#include <memory>
#include <qrencode.h>

namespace rekap::tablet {

namespace {
constexpr int kQuiet = 4; // modules of white around the code, as scanners expect
}

QrCodeItem::QrCodeItem(QQuickItem* parent)
    : QQuickPaintedItem(parent) {
    setAntialiasing(false);
}

void QrCodeItem::setText(const QString& t) {
    if (t == text_)
        return;
    text_ = t;
    side_ = 0;
    dark_.clear();
    if (!t.isEmpty()) {
        auto bytes = t.toUtf8();
        // Level M, as the printed enrolment slips: a screen in sun glare loses parts of a code.
        std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
            QRcode_encodeData(static_cast<int>(bytes.size()),
                              reinterpret_cast<const unsigned char*>(bytes.constData()), 0,
                              QR_ECLEVEL_M),
            &QRcode_free);
        if (qr) {
            side_ = qr->width + 2 * kQuiet;
            dark_.fill(false, side_ * side_);
            for (int y = 0; y < qr->width; ++y)
                for (int x = 0; x < qr->width; ++x)
                    dark_[(y + kQuiet) * side_ + x + kQuiet] = qr->data[y * qr->width + x] & 1;
        }
    }
    emit textChanged();
    update();
}

void QrCodeItem::paint(QPainter* painter) {
    const qreal extent = std::min(width(), height());
    painter->fillRect(boundingRect(), Qt::white);
    if (side_ == 0)
        return;
    // Whole pixels per module, so that no module is drawn thinner than its neighbours.
    const int module = std::max(1, static_cast<int>(extent / side_));
    const int total = module * side_;
    const int left = static_cast<int>((width() - total) / 2);
    const int top = static_cast<int>((height() - total) / 2);
    for (int y = 0; y < side_; ++y)
        for (int x = 0; x < side_; ++x)
            if (dark_[y * side_ + x])
                painter->fillRect(left + x * module, top + y * module, module, module, Qt::black);
}

} // namespace rekap::tablet
