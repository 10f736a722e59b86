#include "sheet_editor.h"

#include <QUrl>

#include "rekap/rules.h"
#include "rekap/sheet_codec.h"

namespace rekap::tablet {

void VoteRowsModel::setLines(std::vector<Line> lines, std::function<int(const QString&)> value) {
    beginResetModel();
    all_ = std::move(lines);
    value_ = std::move(value);
    shown_.clear();
    for (const auto& l : all_)
        shown_.push_back(&l);
    endResetModel();
}

void VoteRowsModel::rebuild() {
    beginResetModel();
    shown_.clear();
    for (const auto& l : all_)
        if (filter_.isEmpty() || l.label.contains(filter_, Qt::CaseInsensitive))
            shown_.push_back(&l);
    endResetModel();
}

void VoteRowsModel::setFilter(const QString& f) {
    if (f == filter_)
        return;
    filter_ = f;
    rebuild();
    emit filterChanged();
}

void VoteRowsModel::refreshValues() {
    if (!shown_.empty())
        emit dataChanged(index(0), index(static_cast<int>(shown_.size()) - 1), {VotesRole});
}

int VoteRowsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(shown_.size());
}

QVariant VoteRowsModel::data(const QModelIndex& index, int role) const {
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Line& l = *shown_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case FieldRole:
        return l.field;
    case LabelRole:
        return l.label;
    case NumberRole:
        return l.number;
    case VotesRole:
        return value_ ? value_(l.field) : 0;
    case KindRole:
        return l.kind;
    case ComputedRole:
        return l.computed;
    default:
        return {};
    }
}

QHash<int, QByteArray> VoteRowsModel::roleNames() const {
    return {{FieldRole, "field"}, {LabelRole, "label"}, {NumberRole, "number"},
            {VotesRole, "votes"}, {KindRole, "kind"},   {ComputedRole, "computed"}};
}

SheetEditor::SheetEditor(sync::DeviceStore& store, const Sheet& start, bool correction,
                         QObject* parent)
    : QObject(parent)
    , store_(store)
    , sheet_(start)
    , correction_(correction)
    , rows_(this) {
    auto reg = store_.regency();
    std::vector<VoteRowsModel::Line> lines;
    if (!sheet_.parties.empty()) {
        const auto* contest = reg->findContest(sheet_.contest);
        const auto* dapil = contest->dapilFor(sheet_.tps);
        for (const auto& p : sheet_.parties) {
            const auto* party = reg->findParty(p.party);
            auto name =
                QString::fromStdString(party ? party->abbreviation + " - " + party->name : "");
            auto partyLabel = QStringLiteral("%1 %2").arg(p.party, 2, 10, QChar('0')).arg(name);
            lines.push_back({QString::fromStdString(field::partyTotal(p.party)), partyLabel,
                             p.party, "party", true});
            lines.push_back({QString::fromStdString(field::partyOnly(p.party)), partyLabel, p.party,
                             "party_only", false});
            const auto* list = dapil ? dapil->findList(p.party) : nullptr;
            for (const auto& c : p.candidates) {
                const auto* cand = list ? list->findCandidate(c.number) : nullptr;
                lines.push_back(
                    {QString::fromStdString(field::partyCandidate(p.party, c.number)),
                     partyLabel + QStringLiteral(" · %1. %2")
                                      .arg(c.number)
                                      .arg(QString::fromStdString(cand ? cand->name : "")),
                     c.number, "caleg", false});
            }
        }
    } else {
        const auto* contest = reg->findContest(sheet_.contest);
        for (const auto& c : sheet_.candidates) {
            const auto* cand = contest->findCandidate(c.number);
            lines.push_back({QString::fromStdString(field::candidate(c.number)),
                             QStringLiteral("%1 %2")
                                 .arg(c.number, 2, 10, QChar('0'))
                                 .arg(QString::fromStdString(cand ? cand->name : "")),
                             c.number, "candidate", false});
        }
    }
    rows_.setLines(std::move(lines), [this](const QString& f) { return value(f); });
    recompute();
    revalidate();
}

QString SheetEditor::contest() const {
    return QString::fromStdString(sheet_.contest);
}
QString SheetEditor::tps() const {
    return QString::fromStdString(sheet_.tps.str());
}

QString SheetEditor::contestName() const {
    const auto* c = store_.regency()->findContest(sheet_.contest);
    return c ? QString::fromStdString(c->name) : contest();
}

QString SheetEditor::kind() const {
    const auto* c = store_.regency()->findContest(sheet_.contest);
    return c ? QString::fromStdString(std::string(ballotKindName(c->kind))) : QString();
}

void SheetEditor::setEnglish(bool e) {
    if (e == english_)
        return;
    english_ = e;
    emit changed();
}

int* SheetEditor::slot(const QString& fieldId) {
    auto parts = fieldId.split('.');
    auto lp = [&](LpCount& c) -> int* {
        if (parts.size() != 3 && !(parts[0] == "disabled_voters" && parts.size() == 2))
            return nullptr;
        const auto& last = parts.back();
        return last == "l" ? &c.l : last == "p" ? &c.p : last == "total" ? &c.total : nullptr;
    };
    if (parts[0] == "voters" && parts.size() == 3) {
        auto& v = sheet_.voters;
        const auto& row = parts[1];
        if (row == "dpt")
            return lp(v.dpt);
        if (row == "from_dpt")
            return lp(v.fromDpt);
        if (row == "from_dptb")
            return lp(v.fromDptb);
        if (row == "from_dpk")
            return lp(v.fromDpk);
        if (row == "total")
            return lp(v.total);
        return nullptr;
    }
    if (parts[0] == "disabled_voters")
        return lp(sheet_.disabledVoters);
    if (parts[0] == "ballots" && parts.size() == 2) {
        auto& b = sheet_.ballots;
        const auto& f = parts[1];
        return f == "received"  ? &b.received
               : f == "used"    ? &b.used
               : f == "damaged" ? &b.damaged
               : f == "unused"  ? &b.unused
                                : nullptr;
    }
    if (parts[0] == "summary" && parts.size() == 2) {
        auto& s = sheet_.summary;
        const auto& f = parts[1];
        return f == "valid"     ? &s.valid
               : f == "invalid" ? &s.invalid
               : f == "total"   ? &s.total
                                : nullptr;
    }
    if (parts[0] == "votes" && parts.size() >= 3) {
        int n = parts[2].toInt();
        if (parts[1] == "candidates" && parts.size() == 3) {
            for (auto& c : sheet_.candidates)
                if (c.number == n)
                    return &c.votes;
        }
        if (parts[1] == "parties") {
            for (auto& p : sheet_.parties) {
                if (p.party != n)
                    continue;
                if (parts.size() == 4 && parts[3] == "total")
                    return &p.total;
                if (parts.size() == 4 && parts[3] == "party_only")
                    return &p.partyOnly;
                if (parts.size() == 5 && parts[3] == "candidates")
                    for (auto& c : p.candidates)
                        if (c.number == parts[4].toInt())
                            return &c.votes;
            }
        }
    }
    return nullptr;
}

bool SheetEditor::isComputed(const QString& f) const {
    // The boxes the paper form computes: every "Jumlah" of an L/P row, B4, each party's total
    // and V.C. V.A stays entered, so that a misread vote against it is caught by rule R2.
    bool total =
        f.endsWith(".total") && (f.startsWith("voters.") || f.startsWith("disabled_voters") ||
                                 f.startsWith("votes.parties.") || f == "summary.total");
    return total || f.startsWith("voters.total.");
}

int SheetEditor::value(const QString& f) const {
    auto* p = const_cast<SheetEditor*>(this)->slot(f);
    return p ? *p : -1;
}

void SheetEditor::recompute() {
    auto& v = sheet_.voters;
    for (auto* row : {&v.dpt, &v.fromDpt, &v.fromDptb, &v.fromDpk, &sheet_.disabledVoters})
        row->total = row->l + row->p;
    v.total = {v.fromDpt.l + v.fromDptb.l + v.fromDpk.l, v.fromDpt.p + v.fromDptb.p + v.fromDpk.p,
               0};
    v.total.total = v.total.l + v.total.p;
    for (auto& p : sheet_.parties) {
        p.total = p.partyOnly;
        for (const auto& c : p.candidates)
            p.total += c.votes;
    }
    sheet_.summary.total = sheet_.summary.valid + sheet_.summary.invalid;
}

void SheetEditor::revalidate() {
    findings_ = validateSheet(sheet_, *store_.regency());
    emit changed();
}

bool SheetEditor::setValue(const QString& f, int v) {
    auto* p = slot(f);
    if (!p || isComputed(f) || v < 0)
        return false;
    if (*p == v)
        return true;
    *p = v;
    recompute();
    // Every keystroke is kept: a tablet that dies mid-form comes back to the same numbers.
    store_.saveDraft(sheet_.key(), encodeSheet(sheet_));
    rows_.refreshValues();
    revalidate();
    return true;
}

QVariantList SheetEditor::findings() const {
    QVariantList out;
    for (const auto& f : findings_) {
        QStringList fields;
        for (const auto& x : f.fields)
            fields << QString::fromStdString(x);
        out << QVariantMap{
            {"rule", QString::fromStdString(f.rule)},
            {"severity", QString::fromStdString(std::string(severityName(f.severity)))},
            {"fields", fields},
            {"message", QString::fromStdString(english_ ? f.messageEn : f.messageId)}};
    }
    return out;
}

int SheetEditor::errorCount() const {
    return static_cast<int>(std::count_if(findings_.begin(), findings_.end(), [](const Finding& f) {
        return f.severity != Severity::Warning;
    }));
}

int SheetEditor::warningCount() const {
    return static_cast<int>(findings_.size()) - errorCount();
}

QString SheetEditor::message(const QString& f) const {
    for (const auto& finding : findings_)
        for (const auto& x : finding.fields)
            if (QString::fromStdString(x) == f)
                return QString::fromStdString(finding.rule + ": " +
                                              (english_ ? finding.messageEn : finding.messageId));
    return {};
}

QString SheetEditor::severity(const QString& f) const {
    for (const auto& finding : findings_)
        for (const auto& x : finding.fields)
            if (QString::fromStdString(x) == f)
                return QString::fromStdString(std::string(severityName(finding.severity)));
    return {};
}

bool SheetEditor::attachPhoto(const QUrl& file) {
    try {
        photo_ = store_.addPhoto(file.isLocalFile() ? file.toLocalFile().toStdString()
                                                    : file.toString().toStdString());
        lastError_.clear();
    } catch (const std::exception& e) {
        lastError_ = QString::fromStdString(e.what());
    }
    emit changed();
    return photo_.has_value() && lastError_.isEmpty();
}

bool SheetEditor::finalize(const QString& operatorName, const QString& reason) {
    sync::DeviceStore::FinalizeOptions o;
    o.reason = reason.trimmed().toStdString();
    o.photo = photo_;
    try {
        auto rev = store_.finalize(sheet_, operatorName.trimmed().toStdString(), o);
        lastError_.clear();
        emit changed();
        emit finalized(QString::fromStdString(rev.id));
        return true;
    } catch (const sync::FinalizeRefused& e) {
        lastError_ = tr("The sheet breaks %n rule(s): fix the marked fields first.", nullptr,
                        static_cast<int>(e.findings().size()));
    } catch (const std::exception& e) {
        lastError_ = QString::fromStdString(e.what());
    }
    emit changed();
    return false;
}

} // namespace rekap::tablet
