// The widget's built files, served from memory: the folder is read once at
// start, so no request can name a file outside it.
// Thread safety: read-only after load().
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/result.hpp"

namespace objector::intake {

struct WebFile {
  std::string content_type;
  std::string body;
};

class WebRoot {
 public:
  Status load(const std::filesystem::path& dir);
  const WebFile* find(std::string_view path) const;  // "/index.html"
  bool empty() const { return files_.empty(); }

 private:
  std::map<std::string, WebFile, std::less<>> files_;
};

}  // namespace objector::intake
