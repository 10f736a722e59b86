#pragma once
// What every storage engine's failure has in common, so that callers (the receiver's HTTP
// handlers) answer a full disk or a lost database connection the same way whatever the engine.

#include <stdexcept>
#include <string>

namespace rekap {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    /// Nothing more fits: the client should wait it out and retry (HTTP 507).
    virtual bool diskFull() const { return false; }
    /// The database server went away (a restart, a failover): nothing was committed, a retry
    /// will find it back (HTTP 503).
    virtual bool unavailable() const { return false; }
};

} // namespace rekap
