#pragma once
// Editing one C.Hasil sheet on the tablet: the numbers by field id (as in the shared codec), the
// boxes the paper form computes (row totals, B4, party totals, V.C) computed here too, live rule
// findings beside the fields, a draft saved on every change, and finalizing.

#include <QAbstractListModel>
#include <QObject>
#include <QQmlEngine>
#include <QVariantList>
#include <memory>

#include "rekap/sheet.h"
#include "rekap/sync/device_store.h"

namespace rekap::tablet {

/// Section IV's lines, searchable: paslon or DPD candidates, or parties with their candidates.
class VoteRowsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("made by SheetEditor")
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
public:
    enum Role {
        FieldRole = Qt::UserRole + 1,
        LabelRole,
        NumberRole,
        VotesRole,
        KindRole,
        ComputedRole
    };
    struct Line {
        QString field;
        QString label;
        int number = 0;
        QString kind; ///< "candidate", "party", "party_only", "caleg"
        bool computed = false;
    };
    explicit VoteRowsModel(QObject* parent = nullptr)
        : QAbstractListModel(parent) {}
    void setLines(std::vector<Line> lines, std::function<int(const QString&)> value);
    void refreshValues();
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    QString filter() const { return filter_; }
    void setFilter(const QString& f);
signals:
    void filterChanged();

private:
    void rebuild();
    std::vector<Line> all_;
    std::vector<const Line*> shown_;
    std::function<int(const QString&)> value_;
    QString filter_;
};

class SheetEditor : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("made by AppController.openSheet")
    Q_PROPERTY(QString contest READ contest CONSTANT)
    Q_PROPERTY(QString contestName READ contestName CONSTANT)
    Q_PROPERTY(QString kind READ kind CONSTANT)
    Q_PROPERTY(QString tps READ tps CONSTANT)
    Q_PROPERTY(bool correction READ correction CONSTANT)
    Q_PROPERTY(VoteRowsModel* rows READ rows CONSTANT)
    Q_PROPERTY(QVariantList findings READ findings NOTIFY changed)
    Q_PROPERTY(int errorCount READ errorCount NOTIFY changed)
    Q_PROPERTY(int warningCount READ warningCount NOTIFY changed)
    Q_PROPERTY(bool canFinalize READ canFinalize NOTIFY changed)
    Q_PROPERTY(QString photo READ photo NOTIFY changed)
    Q_PROPERTY(QString lastError READ lastError NOTIFY changed)
    Q_PROPERTY(bool english READ english WRITE setEnglish NOTIFY changed)
public:
    SheetEditor(sync::DeviceStore& store, const Sheet& start, bool correction, QObject* parent);

    QString contest() const;
    QString contestName() const;
    QString kind() const;
    QString tps() const;
    bool correction() const { return correction_; }
    VoteRowsModel* rows() { return &rows_; }
    QVariantList findings() const;
    int errorCount() const;
    int warningCount() const;
    bool canFinalize() const { return errorCount() == 0; }
    QString photo() const { return QString::fromStdString(photo_.value_or("")); }
    QString lastError() const { return lastError_; }
    bool english() const { return english_; }
    void setEnglish(bool e);

    /// The number in a field ("voters.from_dpt.l", "votes.candidates.2", ...); -1 if unknown.
    Q_INVOKABLE int value(const QString& field) const;
    /// Sets an entered field; computed fields are refused (false). Saves the draft.
    Q_INVOKABLE bool setValue(const QString& field, int value);
    Q_INVOKABLE bool isComputed(const QString& field) const;
    /// The first finding that names this field, in the UI language; "" when none.
    Q_INVOKABLE QString message(const QString& field) const;
    Q_INVOKABLE QString severity(const QString& field) const;
    /// Copies a photo of the C.Hasil plano into the store and attaches it.
    Q_INVOKABLE bool attachPhoto(const QUrl& file);
    /// Freezes the sheet into a queued revision. False (with lastError) when refused.
    Q_INVOKABLE bool finalize(const QString& operatorName, const QString& reason);

signals:
    void changed();
    void finalized(const QString& revision);

private:
    int* slot(const QString& field);
    void recompute();
    void revalidate();

    sync::DeviceStore& store_;
    Sheet sheet_;
    bool correction_;
    std::vector<Finding> findings_;
    VoteRowsModel rows_;
    std::optional<std::string> photo_;
    QString lastError_;
    bool english_ = false;
};

} // namespace rekap::tablet
