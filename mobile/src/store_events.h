#pragma once
// Tells the models that the device store changed (a draft saved, a sheet finalized, a sync's
// answers applied), so that each re-reads it and updates only the rows that changed.

#include <QObject>

namespace rekap::tablet {

class StoreEvents : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    void notify() { emit changed(); }
signals:
    void changed();
};

} // namespace rekap::tablet
