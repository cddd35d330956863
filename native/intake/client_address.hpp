// Who a request is from, behind a reverse proxy: the TCP peer, unless the
// peer is a trusted proxy (config.json proxy.trusted), in which case the
// client is the rightmost address in Forwarded (RFC 7239 "for=") or, without
// it, X-Forwarded-For that is not itself a trusted proxy. Headers from
// untrusted peers are ignored: anyone can send them.
// Rate limits key on the client's IPv4 address or its IPv6 /64, since one
// IPv6 client commonly holds a whole /64.
// Thread safety: pure functions; TrustedProxies is read-only after parsing.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace objector::intake {

class TrustedProxies {
 public:
  // Addresses ("10.0.0.1", "::1") or CIDR blocks ("10.0.0.0/8", "fd00::/8").
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);
  bool contains(const boost::asio::ip::address& a) const;
  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    boost::asio::ip::address network;
    unsigned prefix;
  };
  std::vector<Block> blocks_;
};

// The client's address: `peer` itself, or from the forwarding headers (their
// raw values, empty when absent) when `peer` is trusted.
boost::asio::ip::address client_address(const boost::asio::ip::address& peer, std::string_view forwarded,
                                        std::string_view x_forwarded_for, const TrustedProxies& trusted);

// The rate-limit key of an address: "192.0.2.7", or "2001:db8:1:2::/64".
std::string rate_key(const boost::asio::ip::address& a);

}  // namespace objector::intake
