#pragma once
// A QR code drawn in the scene (libqrencode), crisp at any size: the QR relay's codes on the
// operator's screen (docs/relay.md).

#include <QQuickPaintedItem>
#include <QString>
#include <QVector>

namespace rekap::tablet {

class QrCodeItem : public QQuickPaintedItem {
    Q_OBJECT
    QML_NAMED_ELEMENT(QrCode)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    /// Modules per side, quiet zone included (0 without text).
    Q_PROPERTY(int modules READ modules NOTIFY textChanged)
public:
    explicit QrCodeItem(QQuickItem* parent = nullptr);
    QString text() const { return text_; }
    void setText(const QString& t);
    int modules() const { return side_; }
    void paint(QPainter* painter) override;

signals:
    void textChanged();

private:
    QString text_;
    int side_ = 0;
    QVector<bool> dark_; ///< side_ x side_, row by row
};

} // namespace rekap::tablet
