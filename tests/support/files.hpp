// Test helpers: reading vector files and walking vector folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json/json.hpp"

namespace objector::test {

std::string read_file(const std::filesystem::path& path);
json read_json(const std::filesystem::path& path);
// Regular files under `dir` with `extension`, sorted, recursively.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir, const std::string& extension);

inline std::filesystem::path test_vectors() { return OBJECTOR_TEST_VECTORS; }

}  // namespace objector::test
