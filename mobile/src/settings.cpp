#include "settings.h"

#include <QCoreApplication>

namespace rekap::tablet {

Settings::Settings(sync::DeviceFile& store, QObject* parent)
    : QObject(parent)
    , store_(store) {
    auto saved = QString::fromStdString(store_.preferences().get("language"));
    if (saved == QLatin1String("en") || saved == QLatin1String("id"))
        language_ = saved;
}

void Settings::setLanguage(const QString& language) {
    auto l = language == QLatin1String("en") ? QStringLiteral("en") : QStringLiteral("id");
    if (l == language_)
        return;
    language_ = l;
    store_.preferences().set("language", l.toStdString());
    emit translationRequested(l);
    emit languageChanged();
}

QString Settings::operatorName() const {
    return QString::fromStdString(store_.preferences().get("operator"));
}

void Settings::setOperatorName(const QString& name) {
    auto n = name.trimmed();
    if (n == operatorName())
        return;
    store_.preferences().set("operator", n.toStdString());
    emit operatorNameChanged();
}

void installTranslation(QTranslator& translator, const QString& language) {
    QCoreApplication::removeTranslator(&translator);
    if (translator.load(QStringLiteral(":/i18n/rekap_%1.qm").arg(language)))
        QCoreApplication::installTranslator(&translator);
}

} // namespace rekap::tablet
