// What the native tools share: the parallel helper, URL parsing, log lines,
// the HTTP server's accepting.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "native/common/http_server.hpp"
#include "native/common/log.hpp"
#include "native/common/parallel.hpp"
#include "native/common/url.hpp"

using namespace objector;
using namespace objector::native;

namespace {

// The accept queue of the socket listening on 127.0.0.1:`port`: the kernel's
// rx_queue of a LISTEN row in /proc/net/tcp.
long accept_backlog(unsigned short port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  char local[16];
  std::snprintf(local, sizeof local, "0100007F:%04X", port);
  while (std::getline(table, line)) {
    std::istringstream row(line);
    std::string slot, address, remote, state, queues;
    row >> slot >> address >> remote >> state >> queues;
    if (address == local && state == "0A") return std::stol(queues.substr(queues.find(':') + 1), nullptr, 16);
  }
  return -1;
}

struct SilentHandler : HttpHandler {
  void handle(Request, const boost::asio::ip::address&, Reply) override {}
  Response error(const Error&, unsigned) override { return {}; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(common)

// Clients that connect together are all taken in one turn of the server's
// io_context: one accept per turn left a burst waiting behind every request
// in flight (seconds, under load).
BOOST_AUTO_TEST_CASE(http_server_takes_a_burst_of_connections_in_one_turn) {
  boost::asio::io_context io;
  SilentHandler handler;
  HttpServer server(io, handler, HttpLimits{});
  BOOST_TEST_REQUIRE(!server.listen({boost::asio::ip::make_address("127.0.0.1"), 0}));
  auto port = server.local_endpoint().port();
  std::vector<boost::asio::ip::tcp::socket> clients;
  for (int i = 0; i < 10; ++i) clients.emplace_back(io).connect(server.local_endpoint());
  BOOST_TEST_REQUIRE(accept_backlog(port) == 10);
  long backlog = 10;
  for (int turn = 0; turn < 20 && backlog == 10; ++turn) {
    io.run_one();
    backlog = accept_backlog(port);
  }
  BOOST_TEST(backlog == 0);
}

BOOST_AUTO_TEST_CASE(parallel_for_visits_every_index_once) {
  std::vector<std::atomic<int>> seen(10007);
  std::atomic<std::size_t> reported{0};
  auto failure = parallel_for(seen.size(),
                              [&](std::size_t i) -> Status {
                                ++seen[i];
                                return Ok{};
                              },
                              {.chunk = 64, .on_done = [&](std::size_t n) { reported += n; }, .threads = 4});
  BOOST_TEST(!failure.has_value());
  BOOST_TEST(reported.load() == seen.size());
  for (const auto& s : seen) BOOST_TEST_REQUIRE(s.load() == 1);
}

BOOST_AUTO_TEST_CASE(parallel_for_reports_the_lowest_failing_index) {
  for (unsigned threads : {1u, 2u, 8u}) {
    auto failure = parallel_for(100000,
                                [](std::size_t i) -> Status {
                                  if (i == 777 || i == 5000 || i == 99999)
                                    return make_error(errc::bad_export, "line " + std::to_string(i));
                                  return Ok{};
                                },
                                {.chunk = 100, .threads = threads});
    BOOST_TEST_REQUIRE(failure.has_value());
    BOOST_TEST(failure->index == 777u);
    BOOST_TEST(failure->error.message == "line 777");
  }
  BOOST_TEST(!parallel_for(0, [](std::size_t) -> Status { return make_error(errc::internal_error, "never"); }));
}

BOOST_AUTO_TEST_CASE(run_threads_runs_each_worker_once) {
  std::vector<std::atomic<int>> ran(5);
  run_threads(5, [&](unsigned t) { ++ran[t]; });
  for (const auto& r : ran) BOOST_TEST(r.load() == 1);
}

BOOST_AUTO_TEST_CASE(logfmt_values_cannot_break_a_line) {
  using native::logfmt_value;
  BOOST_TEST(logfmt_value("plain") == "plain");
  BOOST_TEST(logfmt_value("") == "\"\"");
  BOOST_TEST(logfmt_value("a b") == "\"a b\"");
  BOOST_TEST(logfmt_value("say \"hi\" \\o/") == "\"say \\\"hi\\\" \\\\o/\"");
  BOOST_TEST(logfmt_value("x\nts=1 level=error") == "\"x\\nts=1 level=error\"");
  BOOST_TEST(logfmt_value("a\rb\tc\x01\x7f") == "\"a\\rb\\tc\\x01\\x7f\"");
  BOOST_TEST(logfmt_value("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 stays as it is
}

BOOST_AUTO_TEST_CASE(http_urls) {
  auto u = parse_http_url("http://127.0.0.1:8080/log/", "URL").value();
  BOOST_TEST(u.host == "127.0.0.1");
  BOOST_TEST(u.port == "8080");
  BOOST_TEST(u.prefix == "/log");
  auto plain = parse_http_url("http://example.org", "--intake").value();
  BOOST_TEST(plain.port == "80");
  BOOST_TEST(plain.prefix.empty());
  auto https = parse_http_url("https://example.org", "--intake");
  BOOST_TEST(https.error().code == "usage");
  BOOST_TEST(https.error().message ==
             "--intake must start with http:// (hint: reach an https log through the platform's proxy)");
  BOOST_TEST(parse_http_url("http:///path", "URL").error().message == "URL: no host in the URL");
  auto nodes = parse_http_urls("http://127.0.0.1:8080,http://127.0.0.1:8081/log", "--intake").value();
  BOOST_TEST_REQUIRE(nodes.size() == 2u);
  BOOST_TEST(nodes[0].port == "8080");
  BOOST_TEST(nodes[1].port == "8081");
  BOOST_TEST(nodes[1].prefix == "/log");
  BOOST_TEST(parse_http_urls("http://127.0.0.1:8080", "--intake").value().size() == 1u);
  BOOST_TEST(parse_http_urls("http://127.0.0.1:8080,", "--intake").error().message ==
             "--intake must start with http:// (hint: reach an https log through the platform's proxy)");
}

BOOST_AUTO_TEST_SUITE_END()
