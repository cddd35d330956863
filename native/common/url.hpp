// http:// URLs as the tools take them (--intake, mirror's URL): host, port
// and a path prefix. https is left to a proxy, as INTEGRATION.md says.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace objector::native {

struct HttpUrl {
  std::string host;
  std::string port;    // "80" when not given
  std::string prefix;  // the path without trailing slashes; "" for the root
};

// `what` names the argument in the error ("--intake", "URL").
Result<HttpUrl> parse_http_url(std::string_view url, std::string_view what);
// Several, separated by commas (objector-loadgen --intake: the nodes of one log).
Result<std::vector<HttpUrl>> parse_http_urls(std::string_view urls, std::string_view what);

}  // namespace objector::native
