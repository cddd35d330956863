// Checking a POST /v1/objections body against the token and the config:
// schema, signature, controller, offered services and purposes, the opening
// against the commitment and the token's account, the reason's limits.
// Thread safety: pure functions.
#pragma once

#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

Result<Submission> check_submission(std::string_view body, const AccountToken& token, const Config& config,
                                    std::int64_t now);

}  // namespace objector::intake
