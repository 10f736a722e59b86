#pragma once
// An error the receiver answers with: HTTP status plus the protocol's error body.

#include <stdexcept>

#include "rekap/protocol.h"

namespace rekap::central {

class ApiError : public std::runtime_error {
public:
    ApiError(int httpStatus, std::string code, const std::string& message, std::string path = {},
             std::string reason = {})
        : std::runtime_error(message)
        , status_(httpStatus)
        , body_{std::move(code), message, std::move(path), std::move(reason)} {}
    int status() const { return status_; }
    const protocol::ErrorBody& body() const { return body_; }

private:
    int status_;
    protocol::ErrorBody body_;
};

} // namespace rekap::central
