// objector-verify's subcommands. Each returns the exit status:
// 0 verified, 1 verification failed, 2 usage, I/O or format error.
#pragma once

#include "core/policy.hpp"
#include "native/common/cli.hpp"

namespace objector::verify {

int cmd_receipt(const native::Args& args);
int cmd_note(const native::Args& args);
int cmd_proof(const native::Args& args);
int cmd_consistency(const native::Args& args);
int cmd_mirror(const native::Args& args);
int cmd_audit(const native::Args& args);

// --log-key (key text or a file holding it) and --policy, as one policy.
Result<Policy> load_trust(const native::Args& args);
// Prints "objector-verify: <message>" on stderr and returns `code`.
int report_error(const std::string& message, int code);
// Whether a core error code means the input is malformed (exit 2) rather
// than that a check failed (exit 1).
bool is_format_error(std::string_view code);

}  // namespace objector::verify
