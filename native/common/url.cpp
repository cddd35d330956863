#include "native/common/url.hpp"

namespace objector::native {

Result<HttpUrl> parse_http_url(std::string_view url, std::string_view what) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return make_error(errc::usage, std::string(what) +
                                       " must start with http:// (hint: reach an https log through the platform's "
                                       "proxy)");
  }
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  auto authority = url.substr(0, slash);
  std::string prefix(slash == std::string_view::npos ? std::string_view() : url.substr(slash));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  auto colon = authority.rfind(':');
  if (authority.empty() || colon == 0) return make_error(errc::usage, std::string(what) + ": no host in the URL");
  if (colon == std::string_view::npos) return HttpUrl{std::string(authority), "80", prefix};
  return HttpUrl{std::string(authority.substr(0, colon)), std::string(authority.substr(colon + 1)), prefix};
}

Result<std::vector<HttpUrl>> parse_http_urls(std::string_view urls, std::string_view what) {
  std::vector<HttpUrl> out;
  while (true) {
    auto comma = urls.find(',');
    OBJECTOR_TRY(auto url, parse_http_url(urls.substr(0, comma), what));
    out.push_back(std::move(url));
    if (comma == std::string_view::npos) return out;
    urls.remove_prefix(comma + 1);
  }
}

}  // namespace objector::native
