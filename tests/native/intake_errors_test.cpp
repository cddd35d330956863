#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <thread>

#include "core/encoding/base64.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "tests/support/intake_fixture.hpp"
#include "tests/support/raw_http.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;
using objector::native::HttpResult;

namespace {

long ms_since(std::chrono::steady_clock::time_point start) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

struct Case {
  const char* name;
  int status;
  const char* body;
};

void expect(const HttpResult& r, const Case& c) {
  BOOST_TEST(r.status == c.status, c.name << ": " << r.status << " " << r.body);
  BOOST_TEST(r.body == c.body, c.name << ": " << r.body);
  BOOST_TEST(r.headers.at("content-type") == "application/json; charset=utf-8", c.name);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_errors)

// Every request gets an answer, whatever its target; and so SIGTERM ends the
// intake at once after them (an unanswered request used to hold it forever).
BOOST_AUTO_TEST_CASE(every_request_target_gets_an_answer_and_sigterm_ends_the_intake) {
  IntakeData data;
  IntakeServer server(data.dir());
  auto bad =
      R"j({"error":"bad_request","message":"the request target must be a path starting with / (RFC 9112 section 3.2)"})j";
  for (const char* line : {"OPTIONS * HTTP/1.1", "GET checkpoint HTTP/1.1", "GET example.com:80 HTTP/1.1"}) {
    auto r = exchange(server.port(), std::string(line) + "\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(r.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0, line << ": " << r);
    BOOST_TEST(r.find(bad) != std::string::npos, line << ": " << r);
  }
  // The absolute form is routed by its path (RFC 9112 section 3.2.2).
  auto absolute = exchange(server.port(), "GET http://x/checkpoint HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(absolute.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, absolute);
  BOOST_TEST(absolute.find("\r\n\r\nsocial.example/ai-training\n0\n") != std::string::npos, absolute);
  auto unknown = exchange(server.port(), "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(unknown.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0, unknown);
  // Before, the intake logged shutting_down and hung: a watchdog kills it then (exit 137, not 0).
  server.kill(SIGTERM);
  std::atomic<bool> exited{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 100 && !exited; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!exited) server.kill(SIGKILL);
  });
  int code = server.wait();
  exited = true;
  watchdog.join();
  BOOST_TEST(code == 0);
}

// RFC 9112 section 6.3: a Transfer-Encoding other than "chunked" cannot be
// framed; 400 and the connection closes (a proxy might read it otherwise).
BOOST_AUTO_TEST_CASE(malformed_transfer_encoding_is_refused_and_closes) {
  IntakeData data;
  IntakeServer server(data.dir());
  for (const char* te : {"gzip", "chunked, identity", "identity"}) {
    auto r = exchange(server.port(), std::string("GET /checkpoint HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + te +
                                         "\r\n\r\nGET /checkpoint HTTP/1.1\r\nHost: x\r\n\r\n");
    BOOST_TEST(r.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0, te << ": " << r);
    BOOST_TEST(r.find("Connection: close\r\n") != std::string::npos, te << ": " << r);
    BOOST_TEST(r.find("HTTP/1.1 200") == std::string::npos, te << ": the second request was answered: " << r);
  }
  // chunked itself still works.
  auto chunked = exchange(server.port(),
                          "POST /v1/objections HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: "
                          "application/json\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  BOOST_TEST(chunked.rfind("HTTP/1.1 401 Unauthorized\r\n", 0) == 0, chunked);
}

BOOST_AUTO_TEST_CASE(each_error_has_its_status_and_exact_json) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  auto o = data.objection("user:1");
  auto body = IntakeData::body(o);
  auto json_headers = std::map<std::string, std::string>{{"Content-Type", "application/json"}};

  expect(
      client.request("POST", "/v1/objections", body, json_headers),
      {"no token", 401, R"j({"error":"token_missing","message":"sign in first: the request has no account token"})j"});
  expect(client.post_json("/v1/objections", body, data.token("user:1", -10)),
         {"expired token", 401,
          R"j({"error":"token_expired","message":"account token has expired (hint: sign in again)"})j"});
  SecretBytes other(Bytes(32, 7));
  expect(
      client.post_json("/v1/objections", body, intake::mint_token({"user:1", unix_now() + 60}, other.view())),
      {"forged token", 401,
       R"j({"error":"token_invalid","message":"account token is not valid: bad signature (hint: sign in again)"})j"});
  expect(client.post_json("/v1/objections", body, "garbage"),
         {"malformed token", 401,
          R"j({"error":"token_invalid","message":"account token is not valid: malformed (hint: sign in again)"})j"});
  expect(
      client.post_json("/v1/objections", body, data.token("user:2")),
      {"other account", 403,
       R"j({"error":"account_mismatch","message":"opening.account: the objection is for another account than the one signed in (hint: sign in again as the account you are objecting for)"})j"});
  expect(client.request("POST", "/v1/objections", body,
                        {{"Content-Type", "text/plain"}, {"Authorization", "Bearer " + data.token("user:1")}}),
         {"content type", 415,
          R"j({"error":"unsupported_media_type","message":"send the objection as Content-Type: application/json"})j"});
  auto wrong_method = client.request("PUT", "/v1/objections", body);
  expect(wrong_method,
         {"method", 405, R"j({"error":"method_not_allowed","message":"use POST or GET for /v1/objections"})j"});
  BOOST_TEST(wrong_method.headers["allow"] == "POST, GET");
  expect(client.get("/nothing-here"),
         {"not found", 404, R"j({"error":"not_found","message":"nothing at /nothing-here"})j"});
  expect(client.post_json("/v1/objections", std::string(20000, ' '), data.token("user:1")),
         {"too large", 413, R"j({"error":"body_too_large","message":"the request body is larger than 16384 bytes"})j"});
  HttpClient fresh(server.port());  // 413 closes the connection
  expect(
      fresh.post_json("/v1/objections", R"({"entry": {"sig": "AAAA)", data.token("user:1")),
      {"truncated", 400,
       R"j({"error":"bad_json","message":"invalid JSON: line 1, column 19: unterminated string (hint: a string ends with '\"')"})j"});

  BOOST_TEST(tree_size(client) == 0u);  // nothing stored for any of the above

  // A second objection signed by the same device key: 409.
  BOOST_TEST_REQUIRE(client.post_json("/v1/objections", body, data.token("user:1")).status == 201);
  auto again = o.entry.statement;
  again.services = {"facebook"};
  auto device = SigningKey::from_seed(o.device_seed.view()).value();
  auto reused =
      Objection{sign_statement(again, device), Opening{o.opening.account, o.opening.r.clone()}, o.device_seed.clone()};
  expect(
      client.post_json("/v1/objections", IntakeData::body(reused), data.token("user:1")),
      {"device key reused", 409,
       R"j({"error":"device_key_reused","message":"statement.device_key: this device key already signed another objection (hint: make a fresh key per objection)"})j"});
  BOOST_TEST(tree_size(client) == 1u);
}

BOOST_AUTO_TEST_CASE(rate_limit_answers_429_with_separate_budgets) {
  IntakeData data([](json& c) {
    c["limits"]["read_rate_per_second"] = 0.5;
    c["limits"]["read_rate_burst"] = 2;
    c["limits"]["rate_per_second"] = 0.5;
    c["limits"]["rate_burst"] = 1;
  });
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  BOOST_TEST(client.get("/v1/consistency/1").status == 400);  // counts against the read budget
  BOOST_TEST(client.get("/checkpoint").status == 200);
  auto r = client.get("/checkpoint");  // the public log is limited too
  expect(r, {"rate limited", 429,
             R"j({"error":"rate_limited","message":"too many requests from this address (hint: wait a moment)"})j"});
  BOOST_TEST(r.headers["retry-after"] == "2");
  // Submissions have their own budget: reads did not use it up.
  auto o = data.objection("user:1");
  BOOST_TEST(client.post_json("/v1/objections", IntakeData::body(o), data.token("user:1")).status == 201);
  auto again = client.post_json("/v1/objections", IntakeData::body(data.objection("user:2")), data.token("user:2"));
  BOOST_TEST(again.status == 429);
  BOOST_TEST(again.headers["retry-after"] == "2");
}

BOOST_AUTO_TEST_CASE(slow_requests_get_408) {
  IntakeData data([](json& c) { c["limits"]["read_timeout_ms"] = 300; });
  IntakeServer server(data.dir());
  // Headers promise 100 bytes; 10 arrive.
  auto response = exchange(server.port(),
                           "POST /v1/objections HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: 100\r\n\r\n{\"entry\":1",
                           5000);
  BOOST_TEST(response.rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0, response);
  BOOST_TEST(response.find(R"j({"error":"request_timeout","message":"the request took too long to arrive"})j") !=
             std::string::npos);
}

// The head has a shorter deadline than the whole request: a client that
// trickles its headers is cut off at header_timeout_ms, an upload may take
// up to read_timeout_ms.
BOOST_AUTO_TEST_CASE(the_request_head_has_a_shorter_deadline_than_its_body) {
  IntakeData data([](json& c) {
    c["limits"]["header_timeout_ms"] = 300;
    c["limits"]["read_timeout_ms"] = 4000;
  });
  IntakeServer server(data.dir());
  auto started = std::chrono::steady_clock::now();
  auto head = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 8000);
  auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(head.rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0, head);
  BOOST_TEST(took < std::chrono::milliseconds(3000));  // the head deadline, not the 4 s one
  // A body that arrives after the head deadline but within the request's is read.
  boost::asio::io_context io;
  auto socket = connect_from(io, server.port());
  boost::asio::write(socket, boost::asio::buffer(std::string(
                                 "POST /v1/objections HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Connection: close\r\nContent-Length: 2\r\n\r\n")));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  boost::asio::write(socket, boost::asio::buffer(std::string("{}")));
  auto body = read_until_closed(socket, 5000);
  BOOST_TEST(body.rfind("HTTP/1.1 401 Unauthorized\r\n", 0) == 0, body);
  // An idle keep-alive connection is closed at the head deadline, without an
  // answer; so is one idle after an answer (whose write had a 30 s deadline).
  auto idle = connect_from(io, server.port());
  auto idle_started = std::chrono::steady_clock::now();
  BOOST_TEST(read_until_eof(idle, 8000) == "");
  BOOST_TEST(ms_since(idle_started) < 3000);
  auto kept = connect_from(io, server.port());
  boost::asio::write(kept, boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
  auto kept_started = std::chrono::steady_clock::now();
  auto answered = read_until_eof(kept, 8000);
  BOOST_TEST(answered.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, answered);
  BOOST_TEST(!answered.ends_with("<still open>"), answered);
  BOOST_TEST(ms_since(kept_started) < 3000);
}

// One address holding max_connections_per_client half-open requests gets 429
// for the next, while everyone else is served; a trusted proxy is not capped.
BOOST_AUTO_TEST_CASE(one_client_cannot_hold_every_connection) {
  BOOST_TEST(intake::Config{}.max_connections_per_client == 64u);
  IntakeData data([](json& c) {
    c["limits"]["max_connections_per_client"] = 4;
    c["proxy"]["trusted"] = {"127.0.0.3"};
  });
  IntakeServer server(data.dir());
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(connect_from(io, server.port()));
    boost::asio::write(held.back(), boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  }
  const std::string healthz = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto refused = exchange(server.port(), healthz);
  BOOST_TEST(refused.rfind("HTTP/1.1 429 Too Many Requests\r\n", 0) == 0, refused);
  BOOST_TEST(refused.find("\r\nRetry-After: 1\r\n") != std::string::npos, refused);
  BOOST_TEST(
      refused.find(
          R"j({"error":"too_many_connections","message":"too many connections are open from your address; close some (hint: reuse one keep-alive connection)"})j") !=
          std::string::npos,
      refused);
  auto other = exchange(server.port(), healthz, 5000, "127.0.0.2");
  BOOST_TEST(other.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, other);
  std::vector<boost::asio::ip::tcp::socket> proxied;
  for (int i = 0; i < 6; ++i) {
    proxied.push_back(connect_from(io, server.port(), "127.0.0.3"));
    boost::asio::write(proxied.back(), boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  }
  auto via_proxy = exchange(server.port(), healthz, 5000, "127.0.0.3");
  BOOST_TEST(via_proxy.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, via_proxy);
  // A closed connection frees its place.
  held.pop_back();
  std::string again;
  for (int i = 0; i < 50 && again.rfind("HTTP/1.1 200 OK\r\n", 0) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    again = exchange(server.port(), healthz);
  }
  BOOST_TEST(again.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, again);
}

BOOST_AUTO_TEST_SUITE_END()
