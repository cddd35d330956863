// Who a request is from behind a proxy, and the rate-limit buckets: pure
// functions and the limiter, without a server.
#include "native/common/client_address.hpp"

#include <boost/test/unit_test.hpp>

#include "native/common/rate_limit.hpp"

using namespace objector;
using namespace objector::native;
namespace ip = boost::asio::ip;

namespace {

ip::address addr(const char* text) { return ip::make_address(text); }

// The client as the proxy's configured header says: Forwarded when given, else X-Forwarded-For.
std::string client(const char* peer, std::string_view forwarded, std::string_view xff,
                   const std::vector<std::string>& trusted) {
  auto which = forwarded.empty() ? ForwardingHeader::x_forwarded_for : ForwardingHeader::forwarded;
  return client_address(addr(peer), which, forwarded.empty() ? xff : forwarded, TrustedProxies::parse(trusted).value())
      .to_string();
}

// The client of a request with these header lines, under `rules`.
std::string client_of_request(const char* peer, const std::vector<std::pair<std::string, std::string>>& lines,
                              const ProxyRules& rules) {
  Request req{http::verb::get, "/", 11};
  for (const auto& [name, value] : lines) req.insert(name, value);
  return client_of(addr(peer), req, rules).to_string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_address)

BOOST_AUTO_TEST_CASE(forwarding_headers_count_only_from_trusted_proxies) {
  std::vector<std::string> proxy{"127.0.0.1", "10.0.0.0/8"};
  BOOST_TEST(client("127.0.0.1", "", "198.51.100.7", proxy) == "198.51.100.7");
  BOOST_TEST(client("192.0.2.9", "", "198.51.100.7", proxy) == "192.0.2.9");  // untrusted peer: ignored
  // The rightmost hop we do not trust is the client; what it claims is not.
  BOOST_TEST(client("127.0.0.1", "", "6.6.6.6, 198.51.100.7, 10.1.2.3", proxy) == "198.51.100.7");
  BOOST_TEST(client("127.0.0.1", "", "garbage", proxy) == "127.0.0.1");
  BOOST_TEST(client("127.0.0.1", "", "", proxy) == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(rfc_7239_forwarded) {
  std::vector<std::string> proxy{"127.0.0.1"};
  BOOST_TEST(client("127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43", "", proxy) == "192.0.2.60");
  BOOST_TEST(client("127.0.0.1", R"(For="[2001:db8:cafe::17]:4711")", "", proxy) == "2001:db8:cafe::17");
  BOOST_TEST(client("127.0.0.1", "for=192.0.2.43, for=198.51.100.178", "", proxy) == "198.51.100.178");
  BOOST_TEST(client("127.0.0.1", R"(for="192.0.2.43:47011")", "", proxy) == "192.0.2.43");
  BOOST_TEST(client("127.0.0.1", "for=unknown", "", proxy) == "127.0.0.1");
  BOOST_TEST(client("127.0.0.1", "for=_hidden, for=198.51.100.178", "", proxy) == "198.51.100.178");
}

// The proxy appends its own line after the client's: every line counts, in
// order, and only the header the operator named.
BOOST_AUTO_TEST_CASE(every_line_of_the_configured_header_counts) {
  auto xff = ProxyRules::parse({"127.0.0.1"}, "x-forwarded-for", "config.proxy").value();
  std::vector<std::pair<std::string, std::string>> appended{{"X-Forwarded-For", "10.1.0.7"},
                                                            {"X-Forwarded-For", "198.51.100.7"}};
  BOOST_TEST(client_of_request("127.0.0.1", appended, xff) == "198.51.100.7");
  // A client-sent Forwarded does not count when the proxy sets X-Forwarded-For.
  BOOST_TEST(client_of_request("127.0.0.1", {{"Forwarded", "for=10.9.9.9"}, {"X-Forwarded-For", "198.51.100.7"}},
                               xff) == "198.51.100.7");
  auto fwd = ProxyRules::parse({"127.0.0.1"}, "Forwarded", "config.proxy").value();
  BOOST_TEST(client_of_request("127.0.0.1", {{"Forwarded", "for=10.1.0.7"}, {"Forwarded", "for=192.0.2.60"}}, fwd) ==
             "192.0.2.60");
  BOOST_TEST(client_of_request("127.0.0.1", {{"X-Forwarded-For", "10.9.9.9"}}, fwd) == "127.0.0.1");
  BOOST_TEST(client_of_request("192.0.2.1", appended, xff) == "192.0.2.1");  // untrusted peer
  BOOST_TEST(ProxyRules::parse({}, "x-real-ip", "config.proxy").error().message ==
             "config.proxy.header: \"x-real-ip\" is not a forwarding header (hint: \"x-forwarded-for\" or "
             "\"forwarded\", the one your proxy sets)");
}

BOOST_AUTO_TEST_CASE(trusted_proxies_are_checked) {
  BOOST_TEST(TrustedProxies::parse({"10.0.0.0/33"}).error().message ==
             "config.proxy.trusted: \"10.0.0.0/33\" is not an address or CIDR block (hint: \"10.0.0.0/8\", \"::1\")");
  BOOST_TEST(!TrustedProxies::parse({"proxy.local"}).ok());
  auto t = TrustedProxies::parse({"fd00::/8", "192.168.0.0/16"}).value();
  BOOST_TEST(t.contains(addr("fd12::1")));
  BOOST_TEST(!t.contains(addr("fe80::1")));
  BOOST_TEST(t.contains(addr("::ffff:192.168.4.2")));  // IPv4-mapped is IPv4
  BOOST_TEST(!t.contains(addr("192.169.0.1")));
}

BOOST_AUTO_TEST_CASE(rate_keys_are_ipv4_addresses_or_ipv6_slash_64) {
  BOOST_TEST(rate_key(addr("198.51.100.7")) == "198.51.100.7");
  BOOST_TEST(rate_key(addr("::ffff:198.51.100.7")) == "198.51.100.7");
  BOOST_TEST(rate_key(addr("2001:db8:1:2:aaaa:bbbb:cccc:dddd")) == "2001:db8:1:2::/64");
  BOOST_TEST(rate_key(addr("2001:db8:1:2::1")) == rate_key(addr("2001:db8:1:2:ffff::9")));
  BOOST_TEST(rate_key(addr("2001:db8:1:3::1")) != rate_key(addr("2001:db8:1:2::1")));
}

BOOST_AUTO_TEST_CASE(eviction_keeps_active_buckets) {
  native::RateLimiter limiter(0.001, 2, 100);  // two requests, then limited for a long time
  double retry = 0;
  BOOST_TEST(limiter.allow("active", retry));
  BOOST_TEST(limiter.allow("active", retry));
  BOOST_TEST(!limiter.allow("active", retry));
  // 100 000 other clients pass through; the active one keeps asking.
  for (int i = 0; i < 100000; ++i) {
    limiter.allow("churn-" + std::to_string(i), retry);
    if (i % 50 == 0) BOOST_TEST_REQUIRE(!limiter.allow("active", retry));
  }
  BOOST_TEST(limiter.clients() == 100u);
  BOOST_TEST(!limiter.allow("active", retry));  // never reset
  BOOST_TEST(retry > 100.0);
  // A client gone quiet was evicted and starts afresh.
  BOOST_TEST(limiter.allow("churn-0", retry));
}

BOOST_AUTO_TEST_SUITE_END()
