// How big the plano photo is when it is queued (PhotoCapture scales to 2048 px on the long side
// and compresses to JPEG 80), and how long that takes, for frames of the sizes tablet cameras
// deliver. The pictures are synthetic planos: ruled rows of handwritten-size digits on paper,
// with sensor noise (a real photo's noise is what JPEG pays for). Figures: docs/benchmarks.md.
//   build/tests/mobile/tablet_bench

#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <benchmark/benchmark.h>

#include "photo_capture.h"

namespace {
QImage plano(int width, int height, int noise) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(118, 108, 96)); // the wall
    QPainter p(&image);
    QRect sheet(width / 8, height / 20, width * 3 / 4, height * 9 / 10);
    p.fillRect(sheet, QColor(250, 247, 238));
    QFont font("DejaVu Sans");
    font.setPixelSize(std::max(8, sheet.height() / 40));
    p.setFont(font);
    p.setPen(QPen(Qt::black, std::max(1, width / 1000)));
    QRandomGenerator digits(7);
    for (int row = 0, y = sheet.top() + sheet.height() / 30; y < sheet.bottom();
         ++row, y += sheet.height() / 30) {
        p.drawLine(sheet.left() + 20, y, sheet.right() - 20, y);
        p.drawText(sheet.left() + 40, y - 6,
                   QStringLiteral("%1.  %2   %3   %4")
                       .arg(row + 1)
                       .arg(digits.bounded(1000))
                       .arg(digits.bounded(1000))
                       .arg(digits.bounded(1000)));
    }
    p.end();
    QRandomGenerator grain(11);
    for (int y = 0; y < height && noise; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            int d = grain.bounded(2 * noise + 1) - noise;
            auto c = line[x];
            line[x] = qRgb(std::clamp(qRed(c) + d, 0, 255), std::clamp(qGreen(c) + d, 0, 255),
                           std::clamp(qBlue(c) + d, 0, 255));
        }
    }
    return image;
}

void compress(benchmark::State& state, int width, int height, int noise) {
    auto image = plano(width, height, noise);
    QByteArray bytes;
    QSize size;
    for (auto _ : state)
        benchmark::DoNotOptimize(bytes = rekap::tablet::PhotoCapture::compress(image, &size));
    state.counters["KB"] = static_cast<double>(bytes.size()) / 1024.0;
    state.counters["width"] = size.width();
    state.counters["height"] = size.height();
}
} // namespace

BENCHMARK_CAPTURE(compress, still_4000x3000_noisy, 4000, 3000, 6)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(compress, preview_1920x1080_noisy, 1920, 1080, 6)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(compress, preview_1920x1080_clean, 1920, 1080, 0)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // fonts for QPainter
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
