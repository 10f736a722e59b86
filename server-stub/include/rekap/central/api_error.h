#pragma once
// An error the receiver answers with: a problem of the catalogue (rekap/central/problem.h),
// which gives its HTTP status and code, and this occurrence's message.

#include <stdexcept>

#include "rekap/central/problem.h"
#include "rekap/protocol.h"

namespace rekap::central {

class ApiError : public std::runtime_error {
public:
    ApiError(Problem problem, const std::string& message, std::string path = {},
             std::string reason = {})
        : std::runtime_error(message)
        , problem_(problem)
        , body_{std::string(kindOf(problem).code), message, std::move(path), std::move(reason)} {}
    Problem problem() const { return problem_; }
    int status() const { return kindOf(problem_).status; }
    const protocol::ErrorBody& body() const { return body_; }

private:
    Problem problem_;
    protocol::ErrorBody body_;
};

} // namespace rekap::central
