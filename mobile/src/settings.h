#pragma once
// What the operator chooses and the tablet remembers: the UI language and the operator's name.

#include <QObject>
#include <QQmlEngine>
#include <QTranslator>

#include "rekap/sync/store/file.h"

namespace rekap::tablet {

class Settings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(
        QString operatorName READ operatorName WRITE setOperatorName NOTIFY operatorNameChanged)
public:
    explicit Settings(sync::DeviceFile& store, QObject* parent = nullptr);
    /// "id" (the default) or "en".
    QString language() const { return language_; }
    void setLanguage(const QString& language);
    QString operatorName() const;
    void setOperatorName(const QString& name);
    bool english() const { return language_ == QLatin1String("en"); }

signals:
    /// First: load the translation (main() does). The UI layer answers before anyone re-reads.
    void translationRequested(const QString& language);
    /// Then: everything that words things in C++ words them again.
    void languageChanged();
    void operatorNameChanged();

private:
    sync::DeviceFile& store_;
    QString language_ = QStringLiteral("id");
};

/// Puts `language`'s translation (":/i18n/rekap_<language>.qm", carried by the executable) in
/// place of what `translator` held. English is the source language; its file only has plurals.
void installTranslation(QTranslator& translator, const QString& language);

} // namespace rekap::tablet
