#include "native/common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace objector::native {
namespace {

Error io_error(const std::filesystem::path& path, const std::string& what) {
  return make_error(errc::io_error, path.string() + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(path, "cannot open");
  std::string out;
  char buf[65536];
  while (true) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto e = io_error(path, "cannot read");
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(fd);
      return make_error(errc::too_large, path.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Status write_file(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  auto tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return io_error(tmp, "cannot create");
  ::fchmod(fd, mode);  // the umask must not widen or narrow it
  std::size_t done = 0;
  while (done < content.size()) {
    auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto e = io_error(tmp, "cannot write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return io_error(tmp, "cannot flush");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error(path, "cannot replace");
  return Ok{};
}

Status make_dir(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return Ok{};
  if (errno != EEXIST) return io_error(path, "cannot create folder");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error(errc::io_error, path.string() + ": exists and is not a folder");
  }
  return Ok{};
}

}  // namespace objector::native
