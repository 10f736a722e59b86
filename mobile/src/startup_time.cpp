#include "startup_time.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <time.h>
#include <unistd.h>

namespace rekap::tablet {

namespace {
/// Milliseconds since this process started (the kernel's start time, so dynamic loading before
/// main() counts too; resolution one clock tick, 10 ms here). Linux and Android alike.
double msSinceProcessStart() {
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Field 22 (starttime) counts from the end of the command name, which may hold spaces.
    std::istringstream rest(text.substr(text.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    double started = std::stod(field) / static_cast<double>(sysconf(_SC_CLK_TCK));
    return (static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9 - started) * 1000.0;
}
} // namespace

int printStartupTime(QGuiApplication& app, QQuickWindow& window) {
    QObject::connect(&window, &QQuickWindow::frameSwapped, &app, [&app] {
        std::cout << "first frame " << static_cast<long>(msSinceProcessStart())
                  << " ms after process start" << std::endl;
        app.exit(0);
    });
    return app.exec();
}

} // namespace rekap::tablet
