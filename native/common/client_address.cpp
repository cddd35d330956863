#include "native/common/client_address.hpp"

#include <algorithm>

#include "core/encoding/decimal.hpp"

namespace objector::native {
namespace {

namespace ip = boost::asio::ip;

// IPv4-mapped IPv6 addresses (::ffff:192.0.2.7) are the IPv4 address.
ip::address normalized(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return normalized(a);
}

bool same_prefix(const ip::address& a, const ip::address& b, unsigned prefix) {
  if (a.is_v4() != b.is_v4()) return false;
  auto bytes = [](const ip::address& x) {
    std::vector<unsigned char> out;
    if (x.is_v4()) {
      auto v = x.to_v4().to_bytes();
      out.assign(v.begin(), v.end());
    } else {
      auto v = x.to_v6().to_bytes();
      out.assign(v.begin(), v.end());
    }
    return out;
  };
  auto x = bytes(a), y = bytes(b);
  for (unsigned bit = 0; bit < prefix; ++bit) {
    unsigned mask = 0x80u >> (bit % 8);
    if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    auto end = s.find(sep, start);
    out.push_back(trim(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// A node of RFC 7239 §6 or an X-Forwarded-For entry: an address, optionally
// quoted, an IPv6 one in brackets, either with a port. "unknown" and
// obfuscated identifiers ("_hidden") are no address.
std::optional<ip::address> parse_node(std::string_view node) {
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"') node = node.substr(1, node.size() - 2);
  if (!node.empty() && node.front() == '[') {
    auto close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return parse_address(node.substr(1, close - 1));
  }
  if (auto a = parse_address(node)) return a;
  auto colon = node.find(':');  // IPv4 with a port
  if (colon != std::string_view::npos && node.find(':', colon + 1) == std::string_view::npos) {
    return parse_address(node.substr(0, colon));
  }
  return std::nullopt;
}

// The "for=" nodes of a Forwarded header, first hop first; nullopt for a
// hop whose "for" is missing or no address.
std::vector<std::optional<ip::address>> forwarded_for(std::string_view header) {
  std::vector<std::optional<ip::address>> out;
  for (auto element : split(header, ',')) {
    std::optional<ip::address> node;
    for (auto pair : split(element, ';')) {
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      auto name = trim(pair.substr(0, eq));
      if (name.size() == 3 &&
          std::equal(name.begin(), name.end(), "for", [](char a, char b) { return (a | 0x20) == b; })) {
        node = parse_node(trim(pair.substr(eq + 1)));
      }
    }
    out.push_back(node);
  }
  return out;
}

std::vector<std::optional<ip::address>> x_forwarded(std::string_view header) {
  std::vector<std::optional<ip::address>> out;
  for (auto node : split(header, ',')) out.push_back(parse_node(node));
  return out;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries, std::string_view where) {
  TrustedProxies out;
  for (const auto& e : entries) {
    auto slash = e.find('/');
    auto address = parse_address(std::string_view(e).substr(0, slash));
    unsigned max = address && address->is_v4() ? 32 : 128;
    unsigned prefix = max;
    if (address && slash != std::string::npos) {
      auto p = parse_decimal(std::string_view(e).substr(slash + 1), "prefix");
      prefix = p && *p <= max ? static_cast<unsigned>(*p) : max + 1;
    }
    if (!address || prefix > max) {
      return make_error(errc::bad_config, std::string(where) + ": \"" + e.substr(0, 64) +
                                              "\" is not an address or CIDR block (hint: \"10.0.0.0/8\", \"::1\")");
    }
    out.blocks_.push_back({*address, prefix});
  }
  return out;
}

bool TrustedProxies::contains(const ip::address& a) const {
  auto n = normalized(a);
  return std::any_of(blocks_.begin(), blocks_.end(),
                     [&](const Block& b) { return same_prefix(b.network, n, b.prefix); });
}

Result<ForwardingHeader> parse_forwarding_header(std::string_view header, std::string_view where) {
  auto is = [&](std::string_view name) {
    return header.size() == name.size() &&
           std::equal(header.begin(), header.end(), name.begin(), [](char a, char b) { return (a | 0x20) == b; });
  };
  if (is("x-forwarded-for")) return ForwardingHeader::x_forwarded_for;
  if (is("forwarded")) return ForwardingHeader::forwarded;
  return make_error(errc::bad_config, std::string(where) + ": \"" + std::string(header.substr(0, 64)) +
                                          "\" is not a forwarding header (hint: \"x-forwarded-for\" or "
                                          "\"forwarded\", the one your proxy sets)");
}

Result<ProxyRules> ProxyRules::parse(const std::vector<std::string>& trusted, std::string_view header,
                                     std::string_view where) {
  ProxyRules out;
  OBJECTOR_TRY(out.trusted, TrustedProxies::parse(trusted, std::string(where) + ".trusted"));
  OBJECTOR_TRY(out.header, parse_forwarding_header(header, std::string(where) + ".header"));
  return out;
}

ip::address client_address(const ip::address& peer, ForwardingHeader header, std::string_view value,
                           const TrustedProxies& trusted) {
  auto self = normalized(peer);
  if (!trusted.contains(self)) return self;
  auto hops = header == ForwardingHeader::forwarded ? forwarded_for(value) : x_forwarded(value);
  // From the proxy nearest to us outwards: the first hop we do not trust is
  // the client. A hop that is no address ends the walk at the last good one.
  ip::address client = self;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!*it) break;
    client = **it;
    if (!trusted.contains(client)) break;
  }
  return client;
}

ip::address client_of(const ip::address& peer, const Request& request, const ProxyRules& rules) {
  if (!rules.trusted.contains(normalized(peer))) return normalized(peer);
  auto name = rules.header == ForwardingHeader::forwarded ? "Forwarded" : "X-Forwarded-For";
  std::string joined;
  auto [first, last] = request.equal_range(name);
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ", ";
    joined.append(it->value().data(), it->value().size());
  }
  return client_address(peer, rules.header, joined, rules.trusted);
}

std::string rate_key(const ip::address& a) {
  auto n = normalized(a);
  if (n.is_v4()) return n.to_string();
  auto bytes = n.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return ip::make_address_v6(bytes).to_string() + "/64";
}

}  // namespace objector::native
