#pragma once
// Renders the app's main screens to PNG, driving the real pages against a real receiver.

#include <QGuiApplication>
#include <QQuickWindow>
#include <QString>

#include "app_controller.h"

namespace rekap::tablet {

/// Operator devices: enrol, overview, a sheet breaking a rule, review, outbox after a sync.
/// Camat devices: the kecamatan's status. Files are "<screen>-<lang>.png" in `dir`.
int renderScreenshots(QGuiApplication& app, QQuickWindow& window, AppController& controller,
                      const QString& dir, const QString& server, const QString& code);

} // namespace rekap::tablet
