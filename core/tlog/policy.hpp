// c2sp.org/tlog-policy: which logs are trusted and which witnesses must have
// cosigned a checkpoint (log / witness / group / quorum lines).
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "core/tlog/note_key.hpp"

namespace objector {

struct Policy {
  struct Witness {
    std::string name;
    VerifierKey key;
  };
  struct Group {
    std::string name;
    std::size_t threshold = 1;
    std::vector<std::string> members;
  };
  std::vector<VerifierKey> logs;
  std::vector<Witness> witnesses;
  std::vector<Group> groups;
  std::string quorum = "none";
};

Result<Policy> parse_policy(std::string_view text);
// A policy that trusts one log and needs no witnesses.
Policy single_log_policy(VerifierKey log_key);

// Whether the witnesses named in `cosigned` satisfy the quorum.
bool quorum_met(const Policy& policy, std::span<const std::string> cosigned);

}  // namespace objector
