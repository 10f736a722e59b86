#pragma once
// --self-test: every QML file of the module compiles and resolves its imports (a QML module
// missing from the machine fails here, not when a screen first opens), then the app's window
// loads. Run by ctest as tablet.self-test.

#include <QQmlApplicationEngine>

namespace rekap::tablet {

class Services;
int runSelfTest(QQmlApplicationEngine& engine, Services& services);

} // namespace rekap::tablet
