// Who a request is from, behind a reverse proxy (the intake's proxy.trusted
// and proxy.header, the witness's --proxy-trusted and --proxy-header): the
// TCP peer, unless the peer is a trusted proxy, in which case the client is
// the rightmost address of the one header the operator's proxy sets
// (X-Forwarded-For, or Forwarded's RFC 7239 "for=") that is not itself a
// trusted proxy. Every line of that header counts, joined in order (RFC 9110
// section 5.3): a proxy appends its own line after the client's. The other
// header is ignored, and so are both from untrusted peers: anyone can send them.
// Rate limits key on the client's IPv4 address or its IPv6 /64, since one
// IPv6 client commonly holds a whole /64.
// Thread safety: pure functions; TrustedProxies is read-only after parsing.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "native/common/http_server.hpp"

namespace objector::native {

class TrustedProxies {
 public:
  // Addresses ("10.0.0.1", "::1") or CIDR blocks ("10.0.0.0/8", "fd00::/8").
  // `where` names the setting in messages.
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries,
                                      std::string_view where = "config.proxy.trusted");
  bool contains(const boost::asio::ip::address& a) const;
  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    boost::asio::ip::address network;
    unsigned prefix;
  };
  std::vector<Block> blocks_;
};

enum class ForwardingHeader { x_forwarded_for, forwarded };

// "x-forwarded-for" or "forwarded", any case; `where` names the setting.
Result<ForwardingHeader> parse_forwarding_header(std::string_view header, std::string_view where);

// What the operator said: proxies to trust, and the header they set.
struct ProxyRules {
  TrustedProxies trusted;
  ForwardingHeader header = ForwardingHeader::x_forwarded_for;
  // `header`: "x-forwarded-for" or "forwarded" (any case); `where` names the
  // settings in messages ("config.proxy").
  static Result<ProxyRules> parse(const std::vector<std::string>& trusted, std::string_view header,
                                  std::string_view where);
};

// The client's address: `peer` itself, or, when `peer` is trusted, from
// `value`, every line of the configured header joined with ", " (empty when
// absent).
boost::asio::ip::address client_address(const boost::asio::ip::address& peer, ForwardingHeader header,
                                        std::string_view value, const TrustedProxies& trusted);
// The same from a request's headers.
boost::asio::ip::address client_of(const boost::asio::ip::address& peer, const Request& request,
                                   const ProxyRules& rules);

// The rate-limit key of an address: "192.0.2.7", or "2001:db8:1:2::/64".
std::string rate_key(const boost::asio::ip::address& a);

}  // namespace objector::native
