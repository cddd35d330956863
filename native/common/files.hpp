// File helpers for the native tools: whole-file reads, atomic writes with a
// given mode (key files are 0600), errors as values naming the path.
// Thread safety: functions are safe to call from any thread.
#pragma once

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
// Creates `path` (mode 0700) if missing; fails if it exists and is not a folder.
Status make_dir(const std::filesystem::path& path);

}  // namespace objector::native
