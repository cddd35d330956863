#include "native/intake/contact/email_address.hpp"

#include <algorithm>

namespace objector::intake {
namespace {

bool is_atext(char c) {
  // RFC 5322 §3.2.3 atext: letters, digits and these.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

Error bad(std::string_view what) {
  return make_error(errc::bad_email, "email: " + std::string(what) + " (hint: an address such as name@example.com)");
}

Status check_local(std::string_view local) {
  if (local.empty() || local.size() > 64) return bad("the part before @ must be 1 to 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return bad("the part before @ cannot start or end with a dot, or have two in a row");
  }
  if (!std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || is_atext(c); })) {
    return bad("the part before @ has a character addresses cannot have");
  }
  return Ok{};
}

Status check_domain(std::string_view domain) {
  if (domain.find('.') == std::string_view::npos) return bad("the domain needs a dot, as in example.com");
  std::size_t start = 0;
  while (start <= domain.size()) {
    auto end = std::min(domain.find('.', start), domain.size());
    auto label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), is_ldh)) {
      return bad("the domain must be letters, digits, hyphens and dots (an international domain in its xn-- form)");
    }
    start = end + 1;
  }
  return Ok{};
}

}  // namespace

Result<std::string> normalize_email(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return bad("empty");
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  if (text.size() > kMaxEmailBytes) return bad("longer than 250 characters");
  auto at = text.rfind('@');
  if (at == std::string_view::npos || text.find('@') != at) return bad("expected one @");
  std::string domain(text.substr(at + 1));
  std::transform(domain.begin(), domain.end(), domain.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  OBJECTOR_RETURN_IF_ERROR(check_local(text.substr(0, at)));
  OBJECTOR_RETURN_IF_ERROR(check_domain(domain));
  return std::string(text.substr(0, at)) + "@" + domain;
}

}  // namespace objector::intake
