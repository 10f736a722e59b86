#pragma once
// The C.Hasil form's printed lines for one sheet, as the sheet page and the review show them:
// section headings, then the rows of rekap/sheet_form.h with their labels in the UI language
// (candidate and party names from master data). Field ids come from the shared form only.

#include <QAbstractListModel>
#include <QQmlEngine>

#include "rekap/regency.h"
#include "rekap/sheet_form.h"

namespace rekap::tablet {

class FormModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("made by SheetEditor")
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
public:
    enum Role {
        KindRole = Qt::UserRole + 1, ///< "heading" or formRowKindName()
        SectionRole,
        CodeRole,       ///< "I.B1", "II.2", ...
        LabelRole,      ///< what the row is, in the UI language
        PartyLabelRole, ///< the party a caleg row belongs to ("02 Gerindra")
        FieldsRole,     ///< the row's field ids (L, P, total; or one)
        PartyRole,
        MatchesRole, ///< shown under the current search (rows outside section IV always are)
    };
    struct Line {
        QString kind;
        int section = 0;
        QString code;
        QStringList fields;
        int party = 0;
        int number = 0;
    };

    FormModel(const SheetForm& form, std::shared_ptr<const Regency> regency,
              QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    QString filter() const { return filter_; }
    void setFilter(const QString& f);
    /// The row that holds `field`; -1 if none.
    Q_INVOKABLE int rowOf(const QString& field) const;
    /// Labels are worded when read: a language switch re-reads them.
    void retranslate();

    const std::vector<Line>& lines() const { return lines_; }
    QString label(const Line& line) const;
    QString partyLabel(int party) const;

signals:
    void filterChanged();

private:
    bool matches(const Line& line) const;
    std::vector<Line> lines_;
    std::shared_ptr<const Regency> regency_;
    std::string contest_;
    AreaCode tps_;
    QString filter_;
};

} // namespace rekap::tablet
