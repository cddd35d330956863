// objector-verify's subcommands. Each returns the exit status:
// 0 verified, 1 verification failed, 2 usage, I/O or format error
// (native/verify/output.hpp derives it from the error's kind).
#pragma once

#include "core/tlog/policy.hpp"
#include "native/common/cli.hpp"

namespace objector::verify {

int cmd_receipt(const native::Args& args);
int cmd_note(const native::Args& args);
int cmd_proof(const native::Args& args);
int cmd_consistency(const native::Args& args);
int cmd_mirror(const native::Args& args);
int cmd_audit(const native::Args& args);
int cmd_authorship(const native::Args& args);

// --log-key (key text or a file holding it) and --policy, as one policy.
Result<Policy> load_trust(const native::Args& args);

}  // namespace objector::verify
