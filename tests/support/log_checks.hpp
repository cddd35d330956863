// What every crash and fail-over test asserts about a log after the fact:
// each acknowledged objection is at the index it was given, each checkpoint
// is signed and is the root of the stored tree, each is consistent with the
// next, and no entry is there twice.
#pragma once

#include <map>

#include "core/tlog/policy.hpp"
#include "native/intake/log/store.hpp"

namespace objector::test {

// Returns the checkpoints' sizes, in order.
std::vector<std::uint64_t> check_log_whole(intake::Store& store, const Policy& policy,
                                           const std::map<Hash, std::uint64_t>& acknowledged);

}  // namespace objector::test
