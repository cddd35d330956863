#include "native/intake/web_root.hpp"

#include "native/common/files.hpp"

namespace objector::intake {
namespace {

std::string content_type(const std::filesystem::path& p) {
  static const std::map<std::string, std::string, std::less<>> types{{".html", "text/html; charset=utf-8"},
                                                                     {".js", "text/javascript; charset=utf-8"},
                                                                     {".mjs", "text/javascript; charset=utf-8"},
                                                                     {".css", "text/css; charset=utf-8"},
                                                                     {".json", "application/json; charset=utf-8"},
                                                                     {".wasm", "application/wasm"},
                                                                     {".svg", "image/svg+xml"},
                                                                     {".png", "image/png"},
                                                                     {".txt", "text/plain; charset=utf-8"},
                                                                     {".ts", "text/plain; charset=utf-8"},
                                                                     {".ico", "image/x-icon"}};
  auto it = types.find(p.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

Status WebRoot::load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return make_error(errc::io_error, dir.string() + ": not a folder");
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != decltype(it)();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (files_.size() >= 500) return make_error(errc::io_error, dir.string() + ": more than 500 files");
    auto body = native::read_file(it->path(), 16 << 20);
    if (!body) return std::move(body).error();
    auto rel = "/" + std::filesystem::relative(it->path(), dir).generic_string();
    files_[rel] = {content_type(it->path()), std::move(*body)};
  }
  if (ec) return make_error(errc::io_error, dir.string() + ": " + ec.message());
  return Ok{};
}

const WebFile* WebRoot::find(std::string_view path) const {
  auto it = files_.find(path == "/" ? std::string_view("/index.html") : path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace objector::intake
