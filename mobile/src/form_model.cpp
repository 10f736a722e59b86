#include "form_model.h"

#include <QCoreApplication>

namespace rekap::tablet {

namespace {
// Section headings and the printed rows of sections I, II, III and V, by row code.
struct Text {
    const char* code;
    const char* text;
};
constexpr Text kTexts[] = {
    {"I", QT_TRANSLATE_NOOP("Form", "I. Voters")},
    {"II", QT_TRANSLATE_NOOP("Form", "II. Ballot papers")},
    {"III", QT_TRANSLATE_NOOP("Form", "III. Voters with disabilities who voted")},
    {"IV", QT_TRANSLATE_NOOP("Form", "IV. Valid votes")},
    {"V", QT_TRANSLATE_NOOP("Form", "V. Votes")},
    {"I.A", QT_TRANSLATE_NOOP("Form", "A. On the DPT")},
    {"I.B1", QT_TRANSLATE_NOOP("Form", "B1. Voted, from the DPT")},
    {"I.B2", QT_TRANSLATE_NOOP("Form", "B2. Voted, from the DPTb")},
    {"I.B3", QT_TRANSLATE_NOOP("Form", "B3. Voted, from the DPK")},
    {"I.B4", QT_TRANSLATE_NOOP("Form", "B4. All who voted (B1+B2+B3)")},
    {"II.1", QT_TRANSLATE_NOOP("Form", "1. Received (with the 2% reserve)")},
    {"II.2", QT_TRANSLATE_NOOP("Form", "2. Used")},
    {"II.3", QT_TRANSLATE_NOOP("Form", "3. Returned damaged or mis-marked")},
    {"II.4", QT_TRANSLATE_NOOP("Form", "4. Unused")},
    {"III.", QT_TRANSLATE_NOOP("Form", "Voted")},
    {"V.A", QT_TRANSLATE_NOOP("Form", "A. Valid votes")},
    {"V.B", QT_TRANSLATE_NOOP("Form", "B. Invalid votes")},
    {"V.C", QT_TRANSLATE_NOOP("Form", "C. Valid and invalid (A+B)")},
};
QString text(const QString& code) {
    for (const auto& t : kTexts)
        if (code == QLatin1String(t.code))
            return QCoreApplication::translate("Form", t.text);
    return code;
}
const char* kSections[] = {"", "I", "II", "III", "IV", "V"};
} // namespace

FormModel::FormModel(const SheetForm& form, std::shared_ptr<const Regency> regency, QObject* parent)
    : QAbstractListModel(parent)
    , regency_(std::move(regency))
    , contest_(form.contest())
    , tps_(form.tps()) {
    int section = 0;
    for (const auto& row : form.rows()) {
        if (row.section != section) {
            section = row.section;
            lines_.push_back({QStringLiteral("heading"),
                              section,
                              QString::fromLatin1(kSections[section]),
                              {},
                              0,
                              0});
        }
        QStringList fields;
        for (const auto& f : row.fields)
            fields << QString::fromStdString(f);
        lines_.push_back({QString::fromLatin1(formRowKindName(row.kind).data()), row.section,
                          QString::fromStdString(row.code), fields, row.party, row.number});
    }
}

QString FormModel::partyLabel(int party) const {
    const auto* p = regency_->findParty(party);
    return QStringLiteral("%1 %2")
        .arg(party, 2, 10, QLatin1Char('0'))
        .arg(p ? QString::fromStdString(p->abbreviation) : QString());
}

QString FormModel::label(const Line& l) const {
    const auto* contest = regency_->findContest(contest_);
    if (l.kind == QLatin1String("candidate")) {
        const auto* c = contest ? contest->findCandidate(l.number) : nullptr;
        return QStringLiteral("%1 %2")
            .arg(l.number, 2, 10, QLatin1Char('0'))
            .arg(c ? QString::fromStdString(c->name) : QString());
    }
    if (l.kind == QLatin1String("party_total")) {
        const auto* p = regency_->findParty(l.party);
        return partyLabel(l.party) +
               (p ? QStringLiteral(" - ") + QString::fromStdString(p->name) : QString());
    }
    if (l.kind == QLatin1String("party_only"))
        return QCoreApplication::translate("Form", "Votes for the party only");
    if (l.kind == QLatin1String("party_candidate")) {
        const auto* dapil = contest ? contest->dapilFor(tps_) : nullptr;
        const auto* list = dapil ? dapil->findList(l.party) : nullptr;
        const auto* c = list ? list->findCandidate(l.number) : nullptr;
        return QStringLiteral("%1. %2").arg(l.number).arg(c ? QString::fromStdString(c->name)
                                                            : QString());
    }
    if (l.code == QLatin1String("III") && l.kind != QLatin1String("heading"))
        return text(QStringLiteral("III."));
    return text(l.code);
}

bool FormModel::matches(const Line& l) const {
    if (filter_.isEmpty() || l.section != 4 || l.kind == QLatin1String("heading"))
        return true;
    // A party matches with all its lines; a caleg matches by name, or by its party's.
    return label(l).contains(filter_, Qt::CaseInsensitive) ||
           (l.party && (partyLabel(l.party).contains(filter_, Qt::CaseInsensitive) || [&] {
                const auto* p = regency_->findParty(l.party);
                return p && QString::fromStdString(p->name).contains(filter_, Qt::CaseInsensitive);
            }()));
}

void FormModel::setFilter(const QString& f) {
    auto trimmed = f.trimmed();
    if (trimmed == filter_)
        return;
    filter_ = trimmed;
    if (!lines_.empty())
        emit dataChanged(index(0), index(rowCount() - 1), {MatchesRole});
    emit filterChanged();
}

void FormModel::retranslate() {
    if (!lines_.empty())
        emit dataChanged(index(0), index(rowCount() - 1), {LabelRole});
}

int FormModel::rowOf(const QString& field) const {
    for (std::size_t i = 0; i < lines_.size(); ++i)
        if (lines_[i].fields.contains(field))
            return static_cast<int>(i);
    return -1;
}

int FormModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(lines_.size());
}

QVariant FormModel::data(const QModelIndex& index, int role) const {
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const auto& l = lines_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case KindRole:
        return l.kind;
    case SectionRole:
        return l.section;
    case CodeRole:
        return l.code;
    case LabelRole:
        return label(l);
    case PartyLabelRole:
        return l.party ? partyLabel(l.party) : QString();
    case FieldsRole:
        return l.fields;
    case PartyRole:
        return l.party;
    case MatchesRole:
        return matches(l);
    default:
        return {};
    }
}

QHash<int, QByteArray> FormModel::roleNames() const {
    return {{KindRole, "kind"},   {SectionRole, "section"},       {CodeRole, "code"},
            {LabelRole, "label"}, {PartyLabelRole, "partyLabel"}, {FieldsRole, "fields"},
            {PartyRole, "party"}, {MatchesRole, "matches"}};
}

} // namespace rekap::tablet
