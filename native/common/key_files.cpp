#include "native/common/key_files.hpp"

#include <sys/stat.h>

#include "native/common/files.hpp"

namespace objector::native {

Status make_private_dir(const std::filesystem::path& dir) {
  OBJECTOR_RETURN_IF_ERROR(make_dir(dir));
  if (::chmod(dir.c_str(), 0700) != 0) {
    return make_error(errc::io_error, dir.string() + ": cannot make the folder private (chmod 700)");
  }
  return Ok{};
}

Result<std::string> write_key_files(const NoteSigner& key, const std::filesystem::path& key_file,
                                    const std::filesystem::path& vkey_file) {
  auto skey = format_signer_key(key);
  auto vkey = format_verifier_key(verifier_of(key));
  auto wrote = write_file(key_file, skey + "\n", 0600);
  wipe(skey);
  OBJECTOR_RETURN_IF_ERROR(wrote);
  OBJECTOR_RETURN_IF_ERROR(write_file(vkey_file, vkey + "\n"));
  return vkey;
}

Result<NoteSigner> read_signer_key_file(const std::filesystem::path& key_file) {
  OBJECTOR_TRY(auto text, read_file(key_file, 1024));
  auto line = text.substr(0, text.find('\n'));
  wipe(text);
  auto key = parse_signer_key(line);
  wipe(line);
  if (!key) return std::move(key).error().at(key_file.string());
  return key;
}

}  // namespace objector::native
