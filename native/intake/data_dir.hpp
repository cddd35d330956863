// An intake node's data folder: its keys and config.json (and, with the
// embedded store, log.sqlite). Reading the keys is here once, for the intake
// and the load generator. Thread safety: pure functions over files.
#pragma once

#include <filesystem>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/tlog/note_key.hpp"

namespace objector::intake {

struct DataDir {
  std::filesystem::path root;
  std::filesystem::path config() const { return root / "config.json"; }
  std::filesystem::path log_key() const { return root / "log.key"; }
  std::filesystem::path log_vkey() const { return root / "log.vkey"; }
  std::filesystem::path token_key() const { return root / "token.key"; }
  std::filesystem::path database() const { return root / "log.sqlite"; }
  std::filesystem::path demo_token_key() const { return root / "demo-token.key"; }
};

// token.key (or `file`): the 32-byte HMAC secret of account tokens, base64 on one line.
Result<SecretBytes> read_token_secret(const DataDir& dir, const std::filesystem::path& file = {});
// demo-token.key, made (0600) on first use: demo mode's own token secret.
Result<SecretBytes> demo_token_secret(const DataDir& dir);
// A new secret written to `file` (0600).
Result<SecretBytes> make_token_secret(const std::filesystem::path& file);
// The folder and its secret and log files are private: no group or other
// access (the message names the chmod to run).
Status check_private(const DataDir& dir);
// log.key: the log's signing key in the note key format.
Result<NoteSigner> read_log_key(const DataDir& dir);

}  // namespace objector::intake
