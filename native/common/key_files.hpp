// Note keys on disk, as objector-intake and objector-witness keep them: the
// signer key in a 0600 file (wiped from memory after writing and reading),
// its verifier key beside it, in a folder only the owner can enter.
// Thread safety: plain functions over files.
#pragma once

#include <filesystem>

#include "core/tlog/note_key.hpp"

namespace objector::native {

// Creates `dir` if needed and makes it 0700 (it may have existed with other modes).
Status make_private_dir(const std::filesystem::path& dir);
// Writes `key` to key_file (0600) and its verifier key to vkey_file; returns the verifier key text.
Result<std::string> write_key_files(const NoteSigner& key, const std::filesystem::path& key_file,
                                    const std::filesystem::path& vkey_file);
// The signer key on the first line of `key_file`.
Result<NoteSigner> read_signer_key_file(const std::filesystem::path& key_file);

}  // namespace objector::native
