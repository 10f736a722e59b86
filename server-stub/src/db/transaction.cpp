// The transaction types handed to the store's units (rekap/central/database.h).

#include "rekap/central/database.h"

namespace rekap::central::db {

void Database::write(const std::function<void(WriteTx&)>& f) {
    transaction([&] {
        WriteTx tx(*this);
        f(tx);
    });
}

void Database::writePipelined(const std::function<void(WriteTx&)>& f) {
    transactionPipelined([&] {
        WriteTx tx(*this);
        f(tx);
    });
}

void Database::writeApart(const std::function<void(WriteTx&)>& f) {
    transactionApart([&] {
        WriteTx tx(*this);
        f(tx);
    });
}

void Database::autocommit(const std::function<void(WriteTx&)>& f) {
    WriteTx tx(*this);
    f(tx);
}

void WriteTx::savepoint(const std::function<void()>& f) const {
    // Prepared once and cached: exec() would compile each statement every time.
    db_->prepare("SAVEPOINT unit").run();
    try {
        f();
    } catch (...) {
        db_->prepare("ROLLBACK TO unit").run();
        db_->prepare("RELEASE unit").run();
        throw;
    }
    db_->prepare("RELEASE unit").run();
}

} // namespace rekap::central::db
