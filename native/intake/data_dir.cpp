#include "native/intake/data_dir.hpp"

#include "core/encoding/base64.hpp"
#include "native/common/files.hpp"
#include "native/intake/account_token.hpp"

namespace objector::intake {
namespace {

// The first line of a secret file; the file's text is wiped.
Result<std::string> first_line_of(const std::filesystem::path& file) {
  OBJECTOR_TRY(auto text, native::read_file(file, 1024));
  auto line = text.substr(0, text.find('\n'));
  wipe(text);
  return line;
}

}  // namespace

Result<SecretBytes> read_token_secret(const DataDir& dir) {
  OBJECTOR_TRY(auto line, first_line_of(dir.token_key()));
  auto bytes = base64_decode(line);
  wipe(line);
  if (!bytes || bytes->size() != kTokenSecretBytes) {
    return make_error(errc::bad_key, dir.token_key().string() + ": not a base64 32-byte secret");
  }
  SecretBytes secret(*bytes);
  wipe(bytes->data(), bytes->size());
  return secret;
}

Result<NoteSigner> read_log_key(const DataDir& dir) {
  OBJECTOR_TRY(auto line, first_line_of(dir.log_key()));
  auto key = parse_signer_key(line);
  wipe(line);
  if (!key) return std::move(key).error().at(dir.log_key().string());
  return key;
}

}  // namespace objector::intake
