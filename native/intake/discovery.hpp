// The discovery document (docs/INTEGRATION.md §"Discovery"): one JSON file,
// served at /.well-known/objector and written by `export`, from which a
// person's tools, a browser extension or a regulator find everything about a
// log: its origin and verifier key, the intake and widget URLs, languages,
// services with display names, purposes and jurisdictions.
// Thread safety: pure functions.
#pragma once

#include "core/json/json.hpp"
#include "native/intake/config.hpp"

namespace objector::intake {

inline constexpr std::string_view kDiscoveryType = "objector-discovery/v1";

// `policy` (c2sp.org/tlog-policy text) is included when not empty.
json discovery_document(const Config& config, std::string_view log_vkey, std::string_view policy);

}  // namespace objector::intake
