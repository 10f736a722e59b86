// Not built: the input of tablet.portable-check, which must refuse every line below.
#include <QApplication>
#include <QFileDialog>
#include <QProcess>

void desktopOnly() {
    QProcess::execute("ls");
    auto home = QStandardPaths::writableLocation(QStandardPaths::DesktopLocation);
    auto display = getenv("DISPLAY");
    system("xdg-open /tmp/x");
    auto path = "/home/operator/rekap.db";
}
