#pragma once
// Errors of the domain core. Every error names where the bad value is: a JSON path ("$.votes...")
// and, where known, the file it came from.

#include <stdexcept>
#include <string>

namespace rekap {

/// Bad input: a value that does not fit the domain. `where()` is "file: $.path" or "$.path".
class DecodeError : public std::runtime_error {
public:
    DecodeError(std::string where, const std::string& what)
        : std::runtime_error(where.empty() ? what : where + ": " + what)
        , where_(std::move(where))
        , detail_(what) {}
    const std::string& where() const { return where_; }
    const std::string& detail() const { return detail_; }

private:
    std::string where_;
    std::string detail_;
};

} // namespace rekap
