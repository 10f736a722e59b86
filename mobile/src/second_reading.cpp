#include "second_reading.h"

#include <QDir>
#include <QUrl>

#include "rekap/person_name.h"
#include "sync_service.h"
#include "sync_worker.h"

namespace rekap::tablet {

SecondReading::SecondReading(sync::DeviceFile& store, SyncWorker& worker, SyncService& sync,
                             StoreEvents& events, Settings& settings, QString workDir)
    : store_(store)
    , worker_(worker)
    , sync_(sync)
    , settings_(settings)
    , workDir_(std::move(workDir)) {
    connect(&worker_, &SyncWorker::readingClaimed, this, &SecondReading::onClaimed);
    connect(&sync_, &SyncService::finished, this, [this](bool) { updateOutcome(); });
    connect(&events, &StoreEvents::changed, this, &SecondReading::updateOutcome);
}

QString SecondReading::photoUrl() const {
    auto file = claim_.value(QStringLiteral("photoFile")).toString();
    return file.isEmpty() ? QString() : QUrl::fromLocalFile(file).toString();
}

void SecondReading::setState(ReadingState::Value s) {
    state_ = s;
    emit changed();
}

void SecondReading::claimNext() {
    if (state_ == ReadingState::Claiming)
        return;
    problem_ = Problem::None;
    claim_.clear();
    revision_.clear();
    reason_.clear();
    reader_ = settings_.operatorName().trimmed();
    if (editor_)
        editor_->deleteLater();
    editor_ = nullptr;
    // A name of letters from two scripts is a look-alike of someone's (a Cyrillic "Ѕ" in
    // "Siti"): refused here, before anything is asked; the receiver refuses it too.
    if (person_name::mixesScripts(reader_.toStdString())) {
        setState(ReadingState::BadName);
        return;
    }
    setState(ReadingState::Claiming);
    QDir().mkpath(workDir_);
    QMetaObject::invokeMethod(&worker_, [w = &worker_, reader = settings_.operatorName(),
                                         dir = workDir_] { w->claimReading(reader, dir); });
}

void SecondReading::onClaimed(const QVariantMap& claim, int problem, const QString&) {
    if (problem != Problem::None) {
        problem_ = static_cast<Problem::Value>(problem);
        setState(ReadingState::Failed);
        return;
    }
    if (claim.isEmpty()) {
        setState(ReadingState::None);
        return;
    }
    claim_ = claim;
    auto* editor =
        SheetEditor::openReading(store_, claim.value(QStringLiteral("tps")).toString(),
                                 claim.value(QStringLiteral("contest")).toString(),
                                 claim.value(QStringLiteral("parent")).toString(),
                                 claim.value(QStringLiteral("photo")).toString(),
                                 claim.value(QStringLiteral("photoFile")).toString(), settings_);
    if (!editor) { // master data older than the receiver's: a sync brings it
        problem_ = Problem::Unknown;
        setState(ReadingState::Failed);
        return;
    }
    editor->setParent(this);
    QQmlEngine::setObjectOwnership(editor, QQmlEngine::CppOwnership);
    connect(editor, &SheetEditor::finalized, this, &SecondReading::onFinalized);
    editor_ = editor;
    setState(ReadingState::Ready);
}

void SecondReading::onFinalized(const QString& revision) {
    revision_ = revision;
    setState(ReadingState::Sending);
    sync_.kick(); // at once, or right after a sync under way; queued without signal
}

void SecondReading::updateOutcome() {
    if (state_ != ReadingState::Sending || revision_.isEmpty())
        return;
    auto e = store_.outbox().entry(revision_.toStdString());
    if (!e)
        return;
    switch (e->state) {
    case SheetState::Accepted:
        setState(ReadingState::Verified); // equal numbers: the heads agree
        break;
    case SheetState::Conflict:
        setState(ReadingState::Differs);
        break;
    case SheetState::Rejected:
    case SheetState::Superseded:
        // Findings: the rules rejected it. None, but an error: the receiver refused it, and
        // says why in its own words (e.g. the reader wrote the first entry).
        if (e->findings.empty() && !e->error.empty()) {
            reason_ = QString::fromStdString(e->error);
            setState(ReadingState::Refused);
        } else {
            QStringList rules;
            for (const auto& f : e->findings)
                rules << QString::fromStdString(f.rule) + ": " +
                             QString::fromStdString(settings_.language() == QLatin1String("en")
                                                        ? f.messageEn
                                                        : f.messageId);
            reason_ = rules.join(QLatin1Char('\n'));
            setState(ReadingState::Rejected);
        }
        break;
    default:
        break; // still queued: waits for a signal, and is sent with the next sync
    }
}

} // namespace rekap::tablet
