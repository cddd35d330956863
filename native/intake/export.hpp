// The exclusion-list bundle for auditors (docs/FORMAT.md §7): the signed
// checkpoint, every entry up to it, and every opening, read in one snapshot.
#pragma once

#include <filesystem>

#include "native/intake/log/store.hpp"

namespace objector::intake {

// Returns the number of entries (= the checkpoint's tree size).
// `discovery` is the discovery document's text, written as objector.json;
// `policy`, when not empty, is written as policy. checkpoints.jsonl holds
// every checkpoint up to the exported one, with its cosignatures.
Result<std::uint64_t> export_log(Store& store, std::string_view log_vkey, std::string_view discovery,
                                 std::string_view policy, const std::filesystem::path& out);

}  // namespace objector::intake
