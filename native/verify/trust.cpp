#include <filesystem>

#include "native/common/files.hpp"
#include "native/verify/commands.hpp"

namespace objector::verify {

Result<Policy> load_trust(const native::Args& args) {
  if (args.has("policy")) {
    OBJECTOR_TRY(auto text, native::read_file(args.get("policy"), 1 << 20));
    auto policy = parse_policy(text);
    if (!policy) return std::move(policy).error().at(args.get("policy"));
    return policy;
  }
  if (!args.has("log-key")) return make_error(errc::usage, "give the log's verifier key with --log-key (or --policy)");
  auto text = args.get("log-key");
  // A file holding the key, or the key itself.
  if (text.find('+') == std::string::npos || std::filesystem::exists(text)) {
    OBJECTOR_TRY(auto file, native::read_file(text, 4096));
    text = file.substr(0, file.find('\n'));
  }
  auto key = parse_verifier_key(text);
  if (!key) return std::move(key).error().at("--log-key");
  return single_log_policy(std::move(*key));
}

}  // namespace objector::verify
