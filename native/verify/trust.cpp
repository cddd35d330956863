#include <cstdio>

#include "native/common/files.hpp"
#include "native/verify/commands.hpp"

namespace objector::verify {

int report_error(const std::string& message, int code) {
  std::fprintf(stderr, "objector-verify: %s\n", message.c_str());
  return code;
}

bool is_format_error(std::string_view code) {
  static constexpr std::string_view kChecks[] = {
      "bad_signature",  "seed_mismatch",      "subject_mismatch", "root_mismatch", "bad_proof",
      "unknown_signer", "bad_note_signature", "quorum_not_met",   "unknown_log",   "wrong_log",
      "bad_index",      "bad_size",           "not_consistent",   "violation",     "mismatch"};
  for (auto c : kChecks) {
    if (c == code) return false;
  }
  return true;
}

Result<Policy> load_trust(const native::Args& args) {
  if (args.has("policy")) {
    auto text = native::read_file(args.get("policy"), 1 << 20);
    OBJECTOR_RETURN_IF_ERROR(text);
    auto policy = parse_policy(*text);
    if (!policy) return std::move(policy).error().at(args.get("policy"));
    return policy;
  }
  if (!args.has("log-key")) return make_error("usage", "give the log's verifier key with --log-key (or --policy)");
  auto text = args.get("log-key");
  // A file holding the key, or the key itself.
  if (text.find('+') == std::string::npos || std::filesystem::exists(text)) {
    auto file = native::read_file(text, 4096);
    if (!file) return std::move(file).error();
    text = file->substr(0, file->find('\n'));
  }
  auto key = parse_verifier_key(text);
  if (!key) return std::move(key).error().at("--log-key");
  return single_log_policy(std::move(*key));
}

}  // namespace objector::verify
