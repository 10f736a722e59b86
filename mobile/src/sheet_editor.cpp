#include "sheet_editor.h"

#include <QUrl>

#include "error_text.h"
#include "rekap/sheet_codec.h"

namespace rekap::tablet {

SheetEditor* SheetEditor::open(sync::DeviceFile& store, const QString& contestCode,
                               Settings& settings) {
    auto reg = store.masterData().regency();
    auto e = store.identity().enrolment();
    if (!reg || !e || e->role != protocol::Role::Operator)
        return nullptr;
    const auto* tps = reg->findTps(AreaCode::parse(e->scope));
    const auto* contest = reg->findContest(contestCode.toStdString());
    if (!tps || !contest || !reg->ballotFor(*tps, *contest))
        return nullptr;
    auto ballot = *reg->ballotFor(*tps, *contest);
    auto key = tps->code.str() + "/" + contest->code;
    auto head = store.outbox().head(key);
    std::optional<SheetForm> previous;
    std::optional<std::string> headPhoto;
    if (head)
        if (auto entry = store.outbox().entry(*head)) {
            previous = SheetForm::filled(entry->revision.sheet);
            headPhoto = entry->revision.photo;
            // A photo attached after sending stands in for the one the revision lacked.
            if (auto later = store.attachments().of(*head); !later.empty())
                headPhoto = later.back().photo;
        }
    auto form = SheetForm::start(*tps, ballot);
    bool readOnly = false;
    std::optional<std::string> photo = headPhoto;
    if (auto draft = store.drafts().of(key)) {
        try {
            form = SheetForm::decodeDraft(*draft, blankSheet(tps->code, ballot), *reg);
            if (draft->contains("photo") && (*draft)["photo"].is_string())
                photo = (*draft)["photo"].get<std::string>();
        } catch (const std::exception&) {
            // A draft from other master data: start again from the DPT.
        }
    } else if (previous) {
        form = *previous; // what was finalized, shown as it was sent
        readOnly = true;
    }
    auto* editor =
        new SheetEditor(store, std::move(form), head, std::move(previous), readOnly, settings);
    editor->photo_ = photo;
    return editor;
}

SheetEditor* SheetEditor::openReading(sync::DeviceFile& store, const QString& tpsCode,
                                      const QString& contestCode, const QString& parent,
                                      const QString& photo, const QString& photoFile,
                                      Settings& settings) {
    auto reg = store.masterData().regency();
    if (!reg)
        return nullptr;
    std::string why;
    auto code = AreaCode::tryParse(tpsCode.toStdString(), &why);
    const auto* tps = code ? reg->findTps(*code) : nullptr;
    const auto* contest = reg->findContest(contestCode.toStdString());
    if (!tps || !contest || !reg->ballotFor(*tps, *contest))
        return nullptr;
    // Blind: every box blank, not even the DPT's numbers; never the first entry's.
    SheetForm form(blankSheet(tps->code, *reg->ballotFor(*tps, *contest)));
    auto* editor =
        new SheetEditor(store, std::move(form), std::nullopt, std::nullopt, false, settings);
    editor->readingParent_ = parent.toStdString();
    if (!photo.isEmpty())
        editor->photo_ = photo.toStdString();
    editor->readingPhotoFile_ = photoFile;
    return editor;
}

SheetEditor::SheetEditor(sync::DeviceFile& store, SheetForm form, std::optional<std::string> head,
                         std::optional<SheetForm> previous, bool readOnly, Settings& settings)
    : store_(store)
    , settings_(settings)
    , regency_(store.masterData().regency())
    , form_(std::move(form))
    , head_(std::move(head))
    , previous_(std::move(previous))
    , readOnly_(readOnly)
    , model_(std::make_unique<FormModel>(form_, regency_)) {
    connect(&settings, &Settings::languageChanged, this, [this] {
        model_->retranslate();
        touch();
    });
    revalidate();
}

QString SheetEditor::contestName() const {
    const auto* c = regency_->findContest(form_.contest());
    if (!c)
        return contest();
    return QString::fromStdString(settings_.english() && !c->nameEn.empty() ? c->nameEn : c->name);
}

QString SheetEditor::kind() const {
    const auto* c = regency_->findContest(form_.contest());
    return c ? QString::fromStdString(std::string(ballotKindName(c->kind))) : QString();
}

void SheetEditor::touch() {
    ++version_;
    emit changed();
}

void SheetEditor::revalidate() {
    const auto* contest = regency_->findContest(form_.contest());
    const auto* tps = regency_->findTps(form_.tps());
    findings_ = contest && tps ? form_.findings(*contest, *tps) : std::vector<Finding>{};
    touch();
}

void SheetEditor::saveDraft() {
    if (readingParent_) // a reading is typed in one go, while its claim lasts
        return;
    auto draft = form_.encodeDraft();
    if (photo_)
        draft["photo"] = *photo_;
    // Every keystroke is kept: a tablet that dies mid-form comes back to the same numbers.
    store_.drafts().save(form_.tps().str() + "/" + form_.contest(), draft);
    emit draftSaved();
}

int SheetEditor::errorCount() const {
    return static_cast<int>(std::count_if(findings_.begin(), findings_.end(), [](const Finding& f) {
        return f.severity != Severity::Warning;
    }));
}

int SheetEditor::warningCount() const {
    return static_cast<int>(findings_.size()) - errorCount();
}

QString SheetEditor::message(const Finding& f) const {
    return QString::fromStdString(settings_.english() ? f.messageEn : f.messageId);
}

QVariantList SheetEditor::problems() const {
    QVariantList out;
    for (const auto& f : findings_)
        out << QVariantMap{{QStringLiteral("field"), QString::fromStdString(form_.anchor(f))},
                           {QStringLiteral("rule"), QString::fromStdString(f.rule)},
                           {QStringLiteral("severity"),
                            QString::fromStdString(std::string(severityName(f.severity)))},
                           {QStringLiteral("message"), message(f)}};
    return out;
}

QString SheetEditor::photoUrl() const {
    if (readingParent_)
        return readingPhotoFile_.isEmpty() ? QString()
                                           : QUrl::fromLocalFile(readingPhotoFile_).toString();
    return photo_
               ? QUrl::fromLocalFile(QString::fromStdString(store_.photos().path(*photo_).string()))
                     .toString()
               : QString();
}

QString SheetEditor::text(const QString& field) const {
    auto v = form_.value(field.toStdString());
    return v ? QString::number(*v) : QString();
}

bool SheetEditor::isComputed(const QString& field) const {
    return form_.isComputed(field.toStdString());
}

bool SheetEditor::setText(const QString& field, const QString& text) {
    auto id = field.toStdString();
    if (readOnly_ || !form_.has(id) || form_.isComputed(id))
        return false;
    std::optional<int> value;
    auto t = text.trimmed();
    if (!t.isEmpty()) {
        bool ok = false;
        int n = t.toInt(&ok);
        if (!ok || n < 0 || n > 999)
            return false;
        value = n;
    }
    if (form_.value(id) == value)
        return true;
    form_.set(id, value);
    saveDraft();
    revalidate();
    return true;
}

QString SheetEditor::problemAt(const QString& field) const {
    QString worst;
    auto id = field.toStdString();
    for (const auto& f : findings_)
        if (std::find(f.fields.begin(), f.fields.end(), id) != f.fields.end()) {
            if (f.severity != Severity::Warning)
                return QStringLiteral("error");
            worst = QStringLiteral("warning");
        }
    return worst;
}

QVariantList SheetEditor::messagesAt(const QStringList& fields) const {
    QVariantList out;
    for (const auto& f : findings_)
        if (fields.contains(QString::fromStdString(form_.anchor(f))))
            out << QVariantMap{{QStringLiteral("severity"),
                                QString::fromStdString(std::string(severityName(f.severity)))},
                               {QStringLiteral("rule"), QString::fromStdString(f.rule)},
                               {QStringLiteral("text"), message(f)}};
    return out;
}

QString SheetEditor::next(const QString& field, int step) const {
    return QString::fromStdString(form_.nextEntered(field.toStdString(), step));
}

QString SheetEditor::firstBlank() const {
    auto blanks = form_.blankFields();
    return blanks.empty() ? QString() : QString::fromStdString(blanks.front());
}

QString SheetEditor::before(const QString& field) const {
    if (!previous_)
        return {};
    auto v = previous_->value(field.toStdString());
    return v ? QString::number(*v) : QString();
}

int SheetEditor::blanksOf(int party) const {
    auto prefix = "votes.parties." + std::to_string(party) + ".";
    int n = 0;
    for (const auto& id : form_.blankFields())
        n += id.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
}

int SheetEditor::fillBlanks(int party) {
    if (readOnly_ || reading())
        return 0;
    int n = 0;
    for (const auto& id : form_.blankFields())
        if (id.rfind("votes.parties." + std::to_string(party) + ".", 0) == 0) {
            form_.set(id, 0);
            ++n;
        }
    if (n) {
        saveDraft();
        revalidate();
    }
    return n;
}

void SheetEditor::startCorrection() {
    if (!readOnly_ || !head_)
        return;
    readOnly_ = false;
    lastError_.clear();
    emit modeChanged();
    touch();
}

bool SheetEditor::photoLater() const {
    if (!readOnly_ || !head_ || readingParent_)
        return false;
    auto e = store_.outbox().entry(*head_);
    return e && !e->decision && !e->revision.photo && store_.attachments().of(*head_).empty();
}

QString SheetEditor::laterPhotoText() const {
    if (!readOnly_ || !head_)
        return {};
    auto later = store_.attachments().of(*head_);
    if (later.empty())
        return {};
    const auto& a = later.back();
    if (a.state == SheetState::Accepted)
        return tr("Photo attached after sending: received, receipt %1")
            .arg(QString::fromStdString(a.receipt));
    if (a.state == SheetState::Refused)
        return tr("Photo attached after sending: refused by the receiver (%1)")
            .arg(QString::fromStdString(a.error));
    return tr("Photo attached after sending: waiting to be sent");
}

QString SheetEditor::sendBackReason() const {
    if (reading())
        return {};
    auto mark = store_.sendBacks().of(form_.tps().str() + "/" + form_.contest());
    return mark && !mark->answered ? QString::fromStdString(mark->reason) : QString();
}

QString SheetEditor::sendBackBy() const {
    if (reading())
        return {};
    auto mark = store_.sendBacks().of(form_.tps().str() + "/" + form_.contest());
    return mark && !mark->answered ? QString::fromStdString(mark->by) : QString();
}

bool SheetEditor::attachPhoto(const QString& file) {
    auto path = file.startsWith(QLatin1String("file:")) ? QUrl(file).toLocalFile() : file;
    bool later = false;
    try {
        auto sha = store_.photos().add(path.toStdString());
        if (readOnly_ && head_ && !readingParent_) {
            store_.attachments().attach(*head_, sha); // signed and queued before we say so
            later = true;
        }
        photo_ = sha;
        lastError_.clear();
        if (!readOnly_)
            saveDraft();
    } catch (const std::exception& e) {
        lastError_ = ErrorText::describe(Problem::PhotoUnreadable);
        qWarning("rekap-tablet: %s", e.what());
    }
    touch();
    if (later)
        emit photoAttached();
    return lastError_.isEmpty();
}

QVariantList SheetEditor::reviewLines() const {
    QVariantList out;
    for (const auto& line : model_->lines()) {
        QVariantMap m{{QStringLiteral("section"), line.section},
                      {QStringLiteral("code"), line.code},
                      {QStringLiteral("kind"), line.kind},
                      {QStringLiteral("label"), model_->label(line)},
                      {QStringLiteral("partyLabel"),
                       line.party ? model_->partyLabel(line.party) : QString()}};
        QStringList values, befores;
        bool changed = false, computed = false;
        for (const auto& f : line.fields) {
            values << text(f);
            befores << before(f);
            changed = changed || (previous_ && text(f) != before(f));
            computed = computed || isComputed(f);
        }
        m.insert(QStringLiteral("values"), values);
        m.insert(QStringLiteral("befores"), befores);
        m.insert(QStringLiteral("changed"), changed);
        m.insert(QStringLiteral("computed"), computed && line.fields.size() == 1);
        out << m;
    }
    return out;
}

bool SheetEditor::finalize(const QString& operatorName, const QString& reason) {
    if (readOnly_)
        return false;
    if (auto blanks = blankCount()) {
        lastError_ = tr("%n box(es) still blank. Type every number of the form; 0 where there "
                        "is none.",
                        "", blanks);
        touch();
        return false;
    }
    sync::Capture::FinalizeOptions o;
    o.reason = reason.trimmed().toStdString();
    o.photo = photo_;
    try {
        auto name = operatorName.trimmed().toStdString();
        auto rev = readingParent_ ? store_.capture().finalizeReading(form_.sheet(), *readingParent_,
                                                                     photo_, name)
                                  : store_.capture().finalize(form_.sheet(), name, o);
        lastError_.clear();
        head_ = rev.id;
        previous_ = form_;
        readOnly_ = true;
        emit modeChanged();
        touch();
        emit finalized(QString::fromStdString(rev.id));
        return true;
    } catch (const sync::FinalizeRefused& e) {
        lastError_ = tr("The sheet breaks %n rule(s): fix the marked boxes first.", "",
                        static_cast<int>(e.findings().size()));
    } catch (const std::invalid_argument& e) {
        // Not enrolled, a correction without a reason, a sheet of another TPS.
        lastError_ = correction() && reason.trimmed().isEmpty()
                         ? tr("Write why the sheet is corrected.")
                         : QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        lastError_ = ErrorText::describe(ErrorText::classify(e));
        qWarning("rekap-tablet: finalize: %s", e.what());
    }
    touch();
    return false;
}

} // namespace rekap::tablet
