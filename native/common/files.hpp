// File helpers for the native tools: whole-file reads, atomic writes with a
// given mode (key files are 0600), errors as values naming the path.
// Thread safety: functions are safe to call from any thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace objector::native {

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes = 64 << 20);
// Writes to a fresh temporary file in the same folder (O_EXCL, O_NOFOLLOW,
// mode set with fchmod), fsyncs it, renames it over `path` and fsyncs the
// folder, so readers see the old or the new file, never half of one, and the
// new one survives a crash once this returns. Every error path removes the
// temporary file.
Status write_file(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);
// Removes, below folder `dir`, the temporary files of write_file calls cut
// short (kill -9, a power cut) that are older than `age` (a live writer's is
// younger): how many. Files of other names are left alone.
Result<std::uint64_t> remove_stale_temp_files(const std::filesystem::path& dir, std::chrono::seconds age);
// Creates `path` (mode 0700, or `mode`) if missing; fails if it exists and is
// not a folder.
Status make_dir(const std::filesystem::path& path, unsigned mode = 0700);
// Makes the entries (renames, new files and folders) of folder `dir` durable.
Status sync_dir(const std::filesystem::path& dir);

// A file mapped read-only into memory (large inputs read once, in order:
// training manifests). An empty file maps to an empty view.
class MappedFile {
 public:
  static Result<MappedFile> open(const std::filesystem::path& path);
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; }
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}
  void* data_;
  std::size_t size_;
};

}  // namespace objector::native
