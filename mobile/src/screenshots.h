#pragma once
// --screenshots DIR: drives every screen and dialog of the app (as an operator or a camat,
// against the receiver given by --server/--code, or offline for a tablet already enrolled) and
// writes each as docs/screenshots/tablet-<screen>-<orientation>-<language>.png. It fails when a
// screen does not load or QML reports any warning, so ctest runs it too (tablet.screens).

#include <QQuickWindow>
#include <QString>

namespace rekap::tablet {

class Services;

int renderScreenshots(QQuickWindow& window, Services& services, const QString& dir,
                      const QString& server, const QString& code, bool portrait);

} // namespace rekap::tablet
