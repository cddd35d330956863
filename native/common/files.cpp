#include "native/common/files.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "core/bytes.hpp"

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

Result<MappedFile> MappedFile::open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(path, "cannot open");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(errc::io_error, path.string() + ": not a regular file");
  }
  auto size = static_cast<std::size_t>(st.st_size);
  void* data = nullptr;
  if (size > 0) {
    // MAP_POPULATE: the kernel maps every page in one pass, far cheaper than
    // a fault per page taken by several threads at once.
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data == MAP_FAILED) {
      auto e = io_error(path, "cannot map");
      ::close(fd);
      return e;
    }
    ::madvise(data, size, MADV_SEQUENTIAL);
    ::madvise(data, size, MADV_WILLNEED);
  }
  ::close(fd);
  return MappedFile(data, size);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

namespace {

// Closes a descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the error close() gives (a failed write-back).
  bool close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

constexpr std::string_view kTempMark = ".tmp-";  // then 16 hex digits: create_temp's names
constexpr std::size_t kTempIdDigits = 16;

bool is_temp_name(std::string_view name) {
  auto mark = name.size() - std::min(name.size(), kTempMark.size() + kTempIdDigits);
  if (mark == 0 || name.substr(mark, kTempMark.size()) != kTempMark) return false;
  auto id = name.substr(mark + kTempMark.size());
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A temporary file beside `path` that nobody else can have made or linked:
// O_EXCL with a random name, O_NOFOLLOW.
Result<std::pair<std::filesystem::path, int>> create_temp(const std::filesystem::path& path, unsigned mode) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::array<std::uint8_t, kTempIdDigits / 2> id{};
    randombytes_buf(id.data(), id.size());
    auto tmp = path;
    tmp += std::string(kTempMark) + to_hex(id);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) return std::pair{tmp, fd};
    if (errno != EEXIST) return io_error(tmp, "cannot create");
  }
  return io_error(path, "cannot create a temporary file beside it");
}

Status write_all(int fd, std::string_view content) {
  for (std::size_t done = 0; done < content.size();) {
    auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(errc::io_error, std::string("cannot write: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return Ok{};
}

}  // namespace

Status sync_dir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error(dir, "cannot open folder");
  if (::fsync(fd.get()) != 0) return io_error(dir, "cannot flush folder");
  return Ok{};
}

Status write_file(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  OBJECTOR_TRY(auto created, create_temp(path, mode));
  const auto tmp = created.first;  // not a structured binding: lambdas capture it
  Fd fd(created.second);
  auto fail = [&](Error e) {
    ::unlink(tmp.c_str());
    return e;
  };
  // The umask must not widen or narrow the mode.
  if (::fchmod(fd.get(), mode) != 0) return fail(io_error(tmp, "cannot set mode"));
  if (auto ok = write_all(fd.get(), content); !ok) return fail(std::move(ok).error().at(tmp.string()));
  if (::fsync(fd.get()) != 0) return fail(io_error(tmp, "cannot flush"));
  if (!fd.close()) return fail(io_error(tmp, "cannot close"));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(io_error(path, "cannot replace"));
  return sync_dir(path.parent_path());
}

Result<std::uint64_t> remove_stale_temp_files(const std::filesystem::path& dir, std::chrono::seconds age) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::uint64_t removed = 0;
  const auto before = fs::file_time_type::clock::now() - age;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code skip;  // an entry that cannot be looked at (a dangling link) is not ours: left alone
    if (!it->is_regular_file(skip) || !is_temp_name(it->path().filename().native())) continue;
    if (auto t = it->last_write_time(skip); skip || t > before) continue;
    if (::unlink(it->path().c_str()) != 0) return io_error(it->path(), "cannot remove");
    ++removed;
  }
  if (ec) return make_error(errc::io_error, dir.string() + ": cannot list: " + ec.message());
  return removed;
}

Status make_dir(const std::filesystem::path& path, unsigned mode) {
  if (::mkdir(path.c_str(), mode) == 0) {
    // The umask must not narrow the mode.
    if (::chmod(path.c_str(), mode) != 0) return io_error(path, "cannot set mode");
    return Ok{};
  }
  if (errno != EEXIST) return io_error(path, "cannot create folder");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error(errc::io_error, path.string() + ": exists and is not a folder");
  }
  return Ok{};
}

}  // namespace objector::native
