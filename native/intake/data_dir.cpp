#include "native/intake/data_dir.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/encoding/base64.hpp"
#include "native/common/files.hpp"
#include "native/common/key_files.hpp"
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

Result<SecretBytes> read_token_secret(const DataDir& dir, const std::filesystem::path& file) {
  const auto& path = file.empty() ? dir.token_key() : file;
  OBJECTOR_TRY(auto line, first_line_of(path));
  auto bytes = base64_decode(line);
  wipe(line);
  if (!bytes || bytes->size() != kTokenSecretBytes) {
    return make_error(errc::bad_key, path.string() + ": not a base64 32-byte secret");
  }
  SecretBytes secret(*bytes);
  wipe(bytes->data(), bytes->size());
  return secret;
}

Result<SecretBytes> make_token_secret(const std::filesystem::path& file) {
  SecretBytes secret(kTokenSecretBytes);
  randombytes_buf(secret.data(), secret.size());
  auto text = base64_encode(secret.view());
  auto wrote = native::write_file(file, text + "\n", 0600);
  wipe(text);
  OBJECTOR_RETURN_IF_ERROR(wrote);
  return secret;
}

Result<SecretBytes> demo_token_secret(const DataDir& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir.demo_token_key(), ec)) return make_token_secret(dir.demo_token_key());
  return read_token_secret(dir, dir.demo_token_key());
}

Status check_private(const DataDir& dir) {
  struct stat st {};
  if (::stat(dir.root.c_str(), &st) != 0) {
    return make_error(errc::io_error, dir.root.string() + ": " + std::strerror(errno));
  }
  auto open_to_others = [](const struct stat& s) { return (s.st_mode & 077) != 0; };
  auto mode = [](const struct stat& s) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(s.st_mode & 07777));
    return std::string(text);
  };
  if (open_to_others(st)) {
    return make_error(errc::bad_config, dir.root.string() + " is open to other users (mode " + mode(st) +
                                            "); it holds the log's keys and links accounts to the log (hint: chmod " +
                                            "700 " + dir.root.string() + ")");
  }
  for (const auto& file : {dir.log_key(), dir.token_key(), dir.database(), dir.demo_token_key()}) {
    if (::stat(file.c_str(), &st) != 0) continue;  // missing files are reported where they are read
    if (open_to_others(st)) {
      return make_error(errc::bad_config, file.string() + " is open to other users (mode " + mode(st) +
                                              ") (hint: chmod 600 " + file.string() + ")");
    }
  }
  return Ok{};
}

Result<NoteSigner> read_log_key(const DataDir& dir) { return native::read_signer_key_file(dir.log_key()); }

}  // namespace objector::intake
