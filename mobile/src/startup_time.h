#pragma once
// --startup-time: the cold start as the operator sees it, until the first screen is on the glass.

#include <QGuiApplication>
#include <QQuickWindow>

namespace rekap::tablet {

/// Waits for the window's first frame, prints "first frame N ms after process start", exits.
int printStartupTime(QGuiApplication& app, QQuickWindow& window);

} // namespace rekap::tablet
