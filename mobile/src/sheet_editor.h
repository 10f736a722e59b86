#pragma once
// Editing one C.Hasil sheet: the shared form (rekap/sheet_form.h) with its blanks and computed
// boxes, the rules' findings beside the row they concern, a draft saved on every keystroke,
// a photo of the plano, and finalizing. A sheet already finalized opens read-only; "Buat
// koreksi" turns it into a correction with its numbers as the starting point.

#include <QObject>
#include <QQmlEngine>
#include <QVariantList>
#include <memory>

#include "form_model.h"
#include "rekap/sheet_form.h"
#include "rekap/sync/store/file.h"
#include "settings.h"

namespace rekap::tablet {

class SheetEditor : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("made by SheetsModel.open")
    Q_PROPERTY(QString contest READ contest CONSTANT)
    Q_PROPERTY(QString contestName READ contestName NOTIFY changed)
    Q_PROPERTY(QString kind READ kind CONSTANT)
    Q_PROPERTY(QString tps READ tps CONSTANT)
    Q_PROPERTY(FormModel* form READ form CONSTANT)
    Q_PROPERTY(bool readOnly READ readOnly NOTIFY modeChanged)
    Q_PROPERTY(bool correction READ correction NOTIFY modeChanged)
    Q_PROPERTY(int version READ version NOTIFY changed)
    Q_PROPERTY(int blankCount READ blankCount NOTIFY changed)
    Q_PROPERTY(int errorCount READ errorCount NOTIFY changed)
    Q_PROPERTY(int warningCount READ warningCount NOTIFY changed)
    Q_PROPERTY(bool canFinalize READ canFinalize NOTIFY changed)
    Q_PROPERTY(QVariantList problems READ problems NOTIFY changed)
    Q_PROPERTY(QString photoUrl READ photoUrl NOTIFY changed)
    /// A sheet of this tablet's, sent without its plano photo: one can be attached now, without
    /// touching its numbers (the photo follows, "foto menyusul").
    Q_PROPERTY(bool photoLater READ photoLater NOTIFY changed)
    /// Where a photo attached after sending stands ("" when none was).
    Q_PROPERTY(QString laterPhotoText READ laterPhotoText NOTIFY changed)
    /// The desk sent this sheet back ("perlu perbaikan") and no correction has reached the
    /// receiver yet: its reason, and who sent it back ("" when no mark waits).
    Q_PROPERTY(QString sendBackReason READ sendBackReason NOTIFY changed)
    Q_PROPERTY(QString sendBackBy READ sendBackBy NOTIFY changed)
    Q_PROPERTY(QString lastError READ lastError NOTIFY changed)
    Q_PROPERTY(bool reading READ reading CONSTANT)
public:
    /// The editor of `contest`'s sheet at this device's TPS; nullptr when it has none.
    static SheetEditor* open(sync::DeviceFile& store, const QString& contest, Settings& settings);

    /// A camat's second reading (docs/second-reading.md): every box of `contest`'s sheet at
    /// `tps` blank, the photo `photoFile` (downloaded; SHA-256 `photo`) shown, no draft kept;
    /// finalizing queues a reading of `parent`. nullptr when the sheet is not in the master data.
    static SheetEditor* openReading(sync::DeviceFile& store, const QString& tps,
                                    const QString& contest, const QString& parent,
                                    const QString& photo, const QString& photoFile,
                                    Settings& settings);

    bool reading() const { return readingParent_.has_value(); }
    QString contest() const { return QString::fromStdString(form_.contest()); }
    QString contestName() const;
    QString kind() const;
    QString tps() const { return QString::fromStdString(form_.tps().str()); }
    FormModel* form() { return model_.get(); }
    bool readOnly() const { return readOnly_; }
    bool photoLater() const;
    QString laterPhotoText() const;
    QString sendBackReason() const;
    QString sendBackBy() const;
    bool correction() const { return head_.has_value() && !readOnly_; }
    int version() const { return version_; }
    int blankCount() const { return static_cast<int>(form_.blankFields().size()); }
    int errorCount() const;
    int warningCount() const;
    bool canFinalize() const { return !readOnly_ && blankCount() == 0 && errorCount() == 0; }
    /// Each finding [{field (where it is shown), rule, severity, message}], then the first
    /// blank box as a problem of its own when there is one.
    QVariantList problems() const;
    QString photoUrl() const;
    QString lastError() const { return lastError_; }

    /// The box's number as shown: "" when blank.
    Q_INVOKABLE QString text(const QString& field) const;
    /// Types a box: digits set it, "" clears it. False for computed boxes, read-only sheets,
    /// and anything but 0-999. Saves the draft.
    Q_INVOKABLE bool setText(const QString& field, const QString& text);
    Q_INVOKABLE bool isComputed(const QString& field) const;
    /// "error", "warning" or "" for the worst finding that names the box.
    Q_INVOKABLE QString problemAt(const QString& field) const;
    /// The findings shown beside a row (those anchored on one of its boxes): [{severity, text}].
    Q_INVOKABLE QVariantList messagesAt(const QStringList& fields) const;
    /// The entered box after (step 1) or before (-1) `field`, skipping computed ones; "" at the
    /// end.
    Q_INVOKABLE QString next(const QString& field, int step = 1) const;
    Q_INVOKABLE QString firstBlank() const;
    /// For a correction: the box as finalized before ("" if not a correction).
    Q_INVOKABLE QString before(const QString& field) const;
    /// Types 0 in a party's blank boxes (for the many caleg nobody voted for). Returns how many.
    /// Never in a second reading: every box of a reading is read from the photo.
    Q_INVOKABLE int fillBlanks(int party);
    /// How many of a party's boxes are blank (what fillBlanks would fill).
    Q_INVOKABLE int blanksOf(int party) const;
    /// Turns a read-only finalized sheet into a correction of it.
    Q_INVOKABLE void startCorrection();
    /// Attaches a photo file (already scaled and compressed by PhotoCapture); copies it into
    /// the store. On a sheet already sent (read-only), the photo is attached to the sent
    /// revision as an entry this tablet signs (Attachments::attach), and photoAttached is
    /// emitted so that it goes with the next sync; the numbers stay as they were sent.
    Q_INVOKABLE bool attachPhoto(const QString& file);
    /// The store changed elsewhere (a sync's answers): what a sent sheet shows is read again.
    void storeChanged() {
        if (readOnly_)
            emit changed();
    }
    /// Every number that will be sent, in form order: [{section, code, label, partyLabel,
    /// value, before, changed, computed, heading}].
    Q_INVOKABLE QVariantList reviewLines() const;
    /// Freezes the sheet into a queued revision. False (with lastError) when refused.
    Q_INVOKABLE bool finalize(const QString& operatorName, const QString& reason);

signals:
    void changed();
    void modeChanged();
    void draftSaved();
    void finalized(const QString& revision);
    void photoAttached();

private:
    SheetEditor(sync::DeviceFile& store, SheetForm form, std::optional<std::string> head,
                std::optional<SheetForm> previous, bool readOnly, Settings& settings);
    void touch();
    void saveDraft();
    void revalidate();
    QString message(const Finding& f) const;

    sync::DeviceFile& store_;
    Settings& settings_;
    std::shared_ptr<const Regency> regency_;
    SheetForm form_;
    std::optional<std::string> head_;   ///< the revision a correction corrects
    std::optional<SheetForm> previous_; ///< its numbers
    bool readOnly_;
    std::unique_ptr<FormModel> model_;
    std::vector<Finding> findings_;
    std::optional<std::string> photo_;
    QString lastError_;
    int version_ = 0;
    std::optional<std::string> readingParent_; ///< a second reading: the revision it reads
    QString readingPhotoFile_;
};

} // namespace rekap::tablet
