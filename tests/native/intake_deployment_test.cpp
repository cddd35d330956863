// objector-intake as an operator deploys it: behind a proxy, under more load
// than it can take, with private files, capped tokens, demo mode kept to
// loopback, and a discovery document.
#include <sys/stat.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>
#include <mutex>
#include <thread>

#include "core/encoding/base64.hpp"
#include "core/objection/entry.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/files.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;
namespace net = boost::asio;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0xFFFF;
  return st.st_mode & 07777;
}

// A POST of an objection as seen from `client` behind the proxy.
int post_from(HttpClient& http, const std::string& client, const IntakeData& data, const std::string& account) {
  auto o = data.objection(account);
  return http
      .request("POST", "/v1/objections", IntakeData::body(o),
               {{"Content-Type", "application/json"},
                {"Authorization", "Bearer " + data.token(account)},
                {"X-Forwarded-For", client}})
      .status;
}

void behind_proxy(json& c, const char* trusted) {
  fast_batches(c);
  c["limits"]["rate_per_second"] = 1;
  c["limits"]["rate_burst"] = 3;
  c["proxy"]["trusted"] = {trusted};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_deployment)

BOOST_AUTO_TEST_CASE(clients_behind_a_trusted_proxy_have_their_own_buckets) {
  IntakeData data([](json& c) { behind_proxy(c, "127.0.0.1"); });
  IntakeServer server(data.dir());
  HttpClient proxy(server.port());
  // One client at ~100 requests/s runs out of its budget...
  int limited = 0;
  for (int i = 0; i < 10; ++i) limited += post_from(proxy, "198.51.100.1", data, "user:a" + std::to_string(i)) == 429;
  BOOST_TEST(limited >= 6);
  // ...while another behind the same proxy is served.
  BOOST_TEST(post_from(proxy, "198.51.100.2", data, "user:b") == 201);
}

BOOST_AUTO_TEST_CASE(forwarding_headers_from_an_untrusted_peer_are_ignored) {
  IntakeData data([](json& c) { behind_proxy(c, "10.0.0.0/8"); });
  IntakeServer server(data.dir());
  HttpClient peer(server.port());
  for (int i = 0; i < 4; ++i) post_from(peer, "198.51.100." + std::to_string(i), data, "user:" + std::to_string(i));
  // Every "client" was the peer itself, 127.0.0.1: its budget is spent.
  BOOST_TEST(post_from(peer, "198.51.100.99", data, "user:99") == 429);
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_cap_are_refused_cleanly) {
  IntakeData data([](json& c) {
    fast_batches(c);
    c["limits"]["max_connections"] = 3;
  });
  IntakeServer server(data.dir());
  net::io_context io;
  net::ip::tcp::endpoint at(net::ip::make_address("127.0.0.1"), server.port());
  std::vector<net::ip::tcp::socket> idle;
  for (int i = 0; i < 3; ++i) {
    idle.emplace_back(io);
    idle.back().connect(at);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // accepted
  net::ip::tcp::socket extra(io);
  extra.connect(at);
  std::string answer;
  boost::system::error_code ec;
  std::array<char, 512> buf{};
  for (std::size_t n; (n = extra.read_some(net::buffer(buf), ec)) > 0;) answer.append(buf.data(), n);
  BOOST_TEST(answer.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0, answer);
  BOOST_TEST(answer.find("Retry-After: 1\r\n") != std::string::npos);
  BOOST_TEST(answer.find(R"({"error":"overloaded",)") != std::string::npos);
  BOOST_TEST((ec == net::error::eof || ec == net::error::connection_reset));
  // A freed slot serves again.
  idle.pop_back();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  HttpClient client(server.port());
  BOOST_TEST(client.get("/checkpoint").status == 200);
}

// Offered far more than a small queue holds: every answer is 201, 503 or 429
// and comes in time; the server stays up; every 201 is in the log.
BOOST_AUTO_TEST_CASE(overload_answers_every_request_and_loses_nothing) {
  IntakeData data([](json& c) {
    fast_batches(c);
    c["batch"]["interval_ms"] = 200;
    c["batch"]["max_entries"] = 8;
    c["batch"]["max_queue"] = 4;
  });
  IntakeServer server(data.dir());
  constexpr int kThreads = 24, kEach = 6;
  std::vector<std::vector<std::string>> bodies(kThreads), tokens(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      auto account = "user:" + std::to_string(t) + "-" + std::to_string(i);
      bodies[t].push_back(IntakeData::body(data.objection(account)));
      tokens[t].push_back(data.token(account));
    }
  }
  std::mutex mutex;
  std::map<int, int> statuses;
  std::vector<json> accepted;
  double slowest = 0;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(server.port());
      for (int i = 0; i < kEach; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        auto r = client.post_json("/v1/objections", bodies[t][i], tokens[t][i]);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::lock_guard lock(mutex);
        ++statuses[r.status];
        slowest = std::max(slowest, s);
        if (r.status == 201) accepted.push_back(parse_json(r.body).value());
        if (r.status == 503) BOOST_TEST(r.headers["retry-after"] == "1");
        if (r.status != 201 && r.status != 503 && r.status != 429) BOOST_TEST_MESSAGE(r.status << " " << r.body);
      }
    });
  }
  for (auto& th : threads) th.join();
  int answered = 0;
  for (auto [status, n] : statuses) {
    BOOST_TEST((status == 201 || status == 503 || status == 429), "status " << status);
    answered += n;
  }
  BOOST_TEST(answered == kThreads * kEach);
  BOOST_TEST(statuses[503] > 0);  // the queue did overflow
  BOOST_TEST(statuses[201] > 0);
  BOOST_TEST(slowest < 10.0);  // within the read timeout
  BOOST_TEST(server.running());
  HttpClient check(server.port());
  for (const auto& a : accepted) {
    auto leaf = a["leaf_hash"].get<std::string>();
    auto r = check.get("/v1/proof/" + base64url_encode(base64_decode(leaf).value()));
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(parse_json(r.body).value()["index"] == a["index"]);
  }
  BOOST_TEST(tree_size(check) == accepted.size());
}

BOOST_AUTO_TEST_CASE(files_are_private) {
  IntakeData data(fast_batches);
  BOOST_TEST(mode_of(data.dir()) == 0700u);
  for (const char* f : {"log.key", "token.key", "log.sqlite"}) BOOST_TEST(mode_of(data.dir() / f) == 0600u, f);
  BOOST_TEST(mode_of(data.dir() / "log.vkey") == 0644u);
  {
    IntakeServer server(data.dir(), {"--demo"});
    HttpClient client(server.port());
    BOOST_TEST(client.get("/demo/token").status == 200);
    auto token = run({intake_bin(), "token", "--dir", data.dir().string(), "--account", "user:1", "--demo"});
    BOOST_TEST_REQUIRE(token.exit_code == 0, token.err);
    auto o = data.objection("user:1");
    auto posted = client.post_json("/v1/objections", IntakeData::body(o), token.out.substr(0, token.out.find('\n')));
    BOOST_TEST(posted.status == 201, posted.body);
    for (const char* f : {"log.sqlite-wal", "log.sqlite-shm", "demo-token.key"}) {
      BOOST_TEST(mode_of(data.dir() / f) == 0600u, f);
    }
    // Demo tokens are minted with the demo key: a production token is refused.
    BOOST_TEST(
        client.post_json("/v1/objections", IntakeData::body(data.objection("user:2")), data.token("user:2")).status ==
        401);
  }
}

BOOST_AUTO_TEST_CASE(serve_refuses_an_open_data_folder) {
  IntakeData data;
  std::filesystem::permissions(data.dir(), std::filesystem::perms(0755));
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == "objector-intake: " + data.dir().string() +
                          " is open to other users (mode 0755); it holds the log's keys and links accounts to the "
                          "log (hint: chmod 700 " +
                          data.dir().string() + ")\n");
  std::filesystem::permissions(data.dir(), std::filesystem::perms(0700));
  std::filesystem::permissions(data.dir() / "token.key", std::filesystem::perms(0640));
  r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  auto file = (data.dir() / "token.key").string();
  BOOST_TEST(r.err ==
             "objector-intake: " + file + " is open to other users (mode 0640) (hint: chmod 600 " + file + ")\n");
}

// A misspelt setting is named, with a hint about config.json (not about signed documents).
BOOST_AUTO_TEST_CASE(an_unknown_setting_is_named) {
  IntakeData data([](json& c) { c["limits"]["max_conections"] = 10; });
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == "objector-intake: " + (data.dir() / "config.json").string() +
                          ": config.limits.max_conections: unknown field (hint: remove it or check its spelling; "
                          "INTEGRATION.md lists every setting)\n");
}

BOOST_AUTO_TEST_CASE(platform_statements_are_announced_in_the_widget_languages_only) {
  IntakeData data([](json& c) {
    c["discovery"]["statements"] = {{"withdrawal", {{"en-GB", "Write to privacy@social.example."}}}};
  });
  {
    IntakeServer server(data.dir());
    HttpClient client(server.port());
    auto d = parse_json(client.get("/.well-known/objector").body).value();
    BOOST_TEST(d["statements"] == json::parse(R"({"withdrawal":{"en-GB":"Write to privacy@social.example."}})"));
  }
  data.edit_config([](json& c) { c["discovery"]["statements"] = {{"withdrawal", {{"en-US", "x"}}}}; });
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("config.discovery.statements.withdrawal: \"en-US\" is not a language of the widget") !=
                 std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(long_lived_tokens_are_refused) {
  IntakeData data(fast_batches);  // limits.max_token_ttl_s: 7 days
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  auto r = client.post_json("/v1/objections", IntakeData::body(data.objection("user:1")),
                            data.token("user:1", std::int64_t{30} * 86400));
  BOOST_TEST(r.status == 401);
  auto reply = parse_json(r.body).value();
  BOOST_TEST(reply["error"] == "token_invalid");
  BOOST_TEST(reply["message"].get<std::string>().find("more than limits.max_token_ttl_s (604800 s) allows") !=
                 std::string::npos,
             r.body);
}

BOOST_AUTO_TEST_CASE(demo_mode_stays_on_loopback) {
  IntakeData data;
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "0.0.0.0:0", "--demo"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.rfind("objector-intake: --demo mints tokens for anyone who asks: it serves on a loopback "
                         "address only (hint: --listen 127.0.0.1:8080)\n",
                         0) == 0,
             r.err);
  BOOST_TEST(!std::filesystem::exists(data.dir() / "demo-token.key"));
}

BOOST_AUTO_TEST_CASE(discovery_document_names_the_log_and_its_key_verifies_the_checkpoint) {
  IntakeData data([](json& c) {
    fast_batches(c);
    c["discovery"] = {{"intake_url", "https://objections.social.example"},
                      {"service_names", {{"facebook", "Facebook"}, {"instagram", "Instagram"}}}};
  });
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  auto r = client.get("/.well-known/objector");
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.headers["access-control-allow-origin"] == "*");
  auto d = parse_json(r.body).value();
  BOOST_TEST(d["type"] == "objector-discovery/v1");
  BOOST_TEST(d["origin"] == "social.example/ai-training");
  BOOST_TEST(d["intake_url"] == "https://objections.social.example");
  BOOST_TEST(d["services"] ==
             json::parse(R"([{"id":"facebook","name":"Facebook"},{"id":"instagram","name":"Instagram"}])"));
  BOOST_TEST(d["languages"].size() == 8u);
  BOOST_TEST(d["reason_days"] == 90);
  BOOST_TEST(d["max_reason_bytes"] == 2000);
  auto key = parse_verifier_key(d["log_key"].get<std::string>());
  BOOST_TEST_REQUIRE(key.ok());
  auto cp = open_checkpoint(client.get("/checkpoint").body, single_log_policy(std::move(*key)));
  BOOST_TEST(cp.ok());
  // export writes the same document.
  TempDir out;
  auto e = run({intake_bin(), "export", "--dir", data.dir().string(), "--out", (out.path() / "x").string()});
  BOOST_TEST_REQUIRE(e.exit_code == 0, e.err);
  BOOST_TEST(native::read_file(out.path() / "x/objector.json").value() == r.body + "\n");
}

BOOST_AUTO_TEST_CASE(cors_for_listed_origins_only) {
  IntakeData data([](json& c) {
    fast_batches(c);
    c["cors"]["allowed_origins"] = {"https://www.social.example"};
  });
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  auto preflight = [&](const std::string& origin) {
    return client.request("OPTIONS", "/v1/objections", {},
                          {{"Origin", origin},
                           {"Access-Control-Request-Method", "POST"},
                           {"Access-Control-Request-Headers", "authorization, content-type"}});
  };
  auto ok = preflight("https://www.social.example");
  BOOST_TEST(ok.status == 204);
  BOOST_TEST(ok.headers["access-control-allow-origin"] == "https://www.social.example");
  BOOST_TEST(ok.headers["access-control-allow-methods"] == "GET, POST");
  BOOST_TEST(ok.headers["access-control-allow-headers"] == "Authorization, Content-Type");
  BOOST_TEST(ok.headers["vary"] == "Origin");
  BOOST_TEST(ok.headers.count("access-control-allow-credentials") == 0u);
  auto other = preflight("https://evil.example");
  BOOST_TEST(other.status == 204);
  for (const char* h :
       {"access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"}) {
    BOOST_TEST(other.headers.count(h) == 0u, h);
  }
  // The answer itself carries the origin for a listed page, nothing for others.
  auto o = data.objection("user:1");
  auto posted = client.request("POST", "/v1/objections", IntakeData::body(o),
                               {{"Content-Type", "application/json"},
                                {"Authorization", "Bearer " + data.token("user:1")},
                                {"Origin", "https://www.social.example"}});
  BOOST_TEST(posted.status == 201);
  BOOST_TEST(posted.headers["access-control-allow-origin"] == "https://www.social.example");
  auto proof = client.request("GET", "/v1/consistency/1", {}, {{"Origin", "https://evil.example"}});
  BOOST_TEST(proof.headers.count("access-control-allow-origin") == 0u);
  // The log is public: readable from any origin.
  BOOST_TEST(client.get("/checkpoint").headers["access-control-allow-origin"] == "*");
  BOOST_TEST(client.get("/tile/0/000.p/1").headers["access-control-allow-origin"] == "*");
  // Other methods still get 405 with Allow.
  auto put = client.request("PUT", "/checkpoint");
  BOOST_TEST(put.status == 405);
  BOOST_TEST(put.headers["allow"] == "GET");
}

// A page on another origin loads the widget's files from the intake: module
// scripts and the wasm are fetched in CORS mode and need their exact types.
BOOST_AUTO_TEST_CASE(widget_files_load_from_another_origin) {
  IntakeData data(fast_batches);
  TempDir web;
  for (const char* name : {"objection-form.js", "objection-form.css", "objector-core.wasm", "i18n/de.json"}) {
    std::filesystem::create_directories((web.path() / name).parent_path());
    BOOST_TEST_REQUIRE(native::write_file(web.path() / name, "x").ok());
  }
  IntakeServer server(data.dir(), {"--web", web.path().string()});
  HttpClient client(server.port());
  const std::pair<const char*, const char*> files[] = {{"/objection-form.js", "text/javascript; charset=utf-8"},
                                                       {"/objection-form.css", "text/css; charset=utf-8"},
                                                       {"/objector-core.wasm", "application/wasm"},
                                                       {"/i18n/de.json", "application/json; charset=utf-8"}};
  for (const auto& [path, type] : files) {
    auto r = client.request("GET", path, {}, {{"Origin", "https://www.social.example"}});
    BOOST_TEST(r.status == 200, path);
    BOOST_TEST(r.headers["content-type"] == type, path);
    BOOST_TEST(r.headers["access-control-allow-origin"] == "*", path);
    BOOST_TEST(r.headers["x-content-type-options"] == "nosniff", path);
  }
}

BOOST_AUTO_TEST_CASE(demo_token_for_the_same_account_again) {
  IntakeData data(fast_batches);
  IntakeServer server(data.dir(), {"--demo"});
  HttpClient client(server.port());
  auto fresh = parse_json(client.get("/demo/token").body).value();
  auto account = fresh["account"].get<std::string>();
  auto again = parse_json(client.get("/demo/token?account=" + account).body).value();
  BOOST_TEST(again["account"] == account);
  auto bad = client.get("/demo/token?account=user:1");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.body == R"({"error":"bad_request","message":"account: expected demo: and 12 hex digits"})");
}

BOOST_AUTO_TEST_SUITE_END()
