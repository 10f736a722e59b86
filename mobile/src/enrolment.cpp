#include "enrolment.h"

#include <QDebug>

#include "rekap/enrolment_link.h"
#include "rekap/error.h"
#include "sync_worker.h"

namespace rekap::tablet {

Enrolment::Enrolment(sync::DeviceFile& store, SyncWorker& worker, Settings& settings,
                     QObject* parent)
    : QObject(parent)
    , store_(store)
    , worker_(worker)
    , settings_(settings) {
    connect(&settings, &Settings::languageChanged, this, &Enrolment::changed);
    connect(&worker_, &SyncWorker::enrolled, this, [this](int problem, const QString& detail) {
        busy_ = false;
        emit busyChanged();
        if (problem != Problem::None) {
            fail({static_cast<Problem::Value>(problem), detail});
            emit finished(false);
            return;
        }
        clearProblem();
        emit changed();
        emit finished(true);
    });
    connect(&settings, &Settings::languageChanged, this, &Enrolment::problemChanged);
}

bool Enrolment::enrolled() const {
    return store_.identity().enrolment().has_value() && store_.masterData().regency() != nullptr;
}

bool Enrolment::camat() const {
    auto e = store_.identity().enrolment();
    return e && e->role == protocol::Role::Camat;
}

QString Enrolment::scope() const {
    auto e = store_.identity().enrolment();
    return e ? QString::fromStdString(e->scope) : QString();
}

QString Enrolment::scopeName() const {
    auto reg = store_.masterData().regency();
    auto e = store_.identity().enrolment();
    if (!reg || !e)
        return {};
    auto code = AreaCode::parse(e->scope);
    auto name = reg->areaName(code);
    if (code.level() == AreaLevel::Tps)
        name = name + ", " + reg->areaName(*code.parent());
    return QString::fromStdString(name);
}

QString Enrolment::device() const {
    auto e = store_.identity().enrolment();
    return e ? QString::fromStdString(e->device) : QString();
}

QString Enrolment::server() const {
    auto e = store_.identity().enrolment();
    return e ? QString::fromStdString(e->server) : QString();
}

QString Enrolment::regencyName() const {
    auto reg = store_.masterData().regency();
    return reg ? QString::fromStdString(reg->name) : QString();
}

QString Enrolment::electionName() const {
    auto reg = store_.masterData().regency();
    if (!reg)
        return {};
    const auto& e = electionOf(*reg);
    const auto& d = e.date; // YYYY-MM-DD, checked by the loader; shown as the desk writes it
    auto day = d.substr(8, 2) + "-" + d.substr(5, 2) + "-" + d.substr(0, 4);
    return QString::fromStdString((settings_.english() ? e.nameEn : e.name) + " \u00b7 " + day);
}

void Enrolment::fail(Failure f) {
    failure_ = std::move(f);
    emit problemChanged();
}

void Enrolment::clearProblem() {
    if (!failure_)
        return;
    failure_ = {};
    emit problemChanged();
}

void Enrolment::enrol(const QString& server, const QString& code) {
    auto address = server.trimmed();
    if (!address.isEmpty() && !address.contains(QLatin1String("://")))
        address.prepend(QLatin1String("https://"));
    try {
        // The same checks as a scanned link: what is typed is what a QR code would hold.
        encodeEnrolmentLink({address.toStdString(), code.trimmed().toStdString()});
    } catch (const DecodeError& e) {
        fail(ErrorText::classify(e));
        if (failure_.problem == Problem::QrNotRekap) // the code's part of the check failed
            fail({Problem::CodeUnknown, QString::fromStdString(e.what())});
        emit finished(false);
        return;
    }
    clearProblem();
    busy_ = true;
    emit busyChanged();
    QMetaObject::invokeMethod(&worker_, [w = &worker_, address, code] {
        w->enrol(address, code, QStringLiteral("rekap-tablet"));
    });
}

void Enrolment::enrolWithLink(const QString& text) {
    try {
        auto link = decodeEnrolmentLink(text.toStdString());
        enrol(QString::fromStdString(link.server), QString::fromStdString(link.code));
    } catch (const DecodeError& e) {
        qWarning().noquote() << "rekap-tablet: scanned" << text << ":" << e.what();
        fail(ErrorText::classify(e));
        emit finished(false);
    }
}

} // namespace rekap::tablet
