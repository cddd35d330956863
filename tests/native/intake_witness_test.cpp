// objector-intake with two real objector-witness servers: receipts carry the
// quorum, a missing witness holds answers back (503) without losing
// anything, the intake catches up after a 409, and refreshes cosignatures.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <thread>

#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/witness/witness_service.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

namespace {

struct Witness {
  TempDir dir;
  std::string vkey;
  std::unique_ptr<WitnessServer> server;
  unsigned short port = 0;

  Witness(const std::string& name, const IntakeData& log) {
    auto init = run({witness_bin(), "init", "--name", name, "--dir", dir.path().string()});
    vkey = init.out.substr(0, init.out.size() - 1);
    auto add = run({witness_bin(), "add-log", "--dir", dir.path().string(), "--origin", "social.example/ai-training",
                    "--key", (log.dir() / "log.vkey").string()});
    BOOST_TEST_REQUIRE(add.exit_code == 0, add.err);
    start();
  }
  void start() {
    server = std::make_unique<WitnessServer>(dir.path(), port);
    port = server->port();
  }
  void stop() {
    server->kill(SIGKILL);
    server->wait();
    server.reset();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  std::uint64_t cosigned_size() {
    HttpClient c(port);
    auto body = c.get("/" + witness::origin_hash("social.example/ai-training") + "/checkpoint").body;
    auto nl = body.find('\n');
    return std::stoull(body.substr(nl + 1, body.find('\n', nl + 1) - nl - 1));
  }
};

struct Setup {
  IntakeData data{fast_batches};
  Witness w1{"witness-one.example/w", data}, w2{"witness-two.example/w", data};
  std::string policy;

  // `quorum`: "all" or "any" of the two.
  explicit Setup(const std::string& quorum, int timeout_ms = 1500, int refresh_s = 60) {
    policy = "log " + data.vkey() + "\nwitness w1 " + w1.vkey + "\nwitness w2 " + w2.vkey + "\ngroup both " + quorum +
             " w1 w2\nquorum both\n";
    data.edit_config([&](json& c) {
      c["witnesses"] = json::array({{{"name", "w1"}, {"url", w1.url()}, {"key", w1.vkey}},
                                    {{"name", "w2"}, {"url", w2.url()}, {"key", w2.vkey}}});
      c["policy"] = "policy.txt";
      c["witness"] = {{"timeout_ms", timeout_ms}, {"refresh_s", refresh_s}};
    });
    BOOST_TEST_REQUIRE(native::write_file(data.dir() / "policy.txt", policy).ok());
  }
  Policy parsed() const { return parse_policy(policy).value(); }
};

native::HttpResult submit(HttpClient& client, const IntakeData& data, const Objection& o, const std::string& account) {
  return client.post_json("/v1/objections", IntakeData::body(o), data.token(account));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_witness)

BOOST_AUTO_TEST_CASE(receipts_carry_the_quorum) {
  Setup s("all");
  IntakeServer intake(s.data.dir());
  HttpClient client(intake.port());
  auto o = s.data.objection("user:1");
  auto r = submit(client, s.data, o, "user:1");
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  auto proof = parse_tlog_proof(parse_json(r.body).value()["proof"].get<std::string>());
  BOOST_TEST_REQUIRE(proof.ok());
  auto v = verify_tlog_proof(*proof, entry_leaf_hash(o.entry), s.parsed());
  BOOST_TEST_REQUIRE(v.ok(), v.error().message);
  BOOST_TEST(v->cosignatures.size() == 2u);
  // /checkpoint and /policy.
  BOOST_TEST(open_checkpoint(client.get("/checkpoint").body, s.parsed()).ok());
  auto policy = client.get("/policy");
  BOOST_TEST(policy.status == 200);
  BOOST_TEST(policy.body == s.policy);
  BOOST_TEST(s.w1.cosigned_size() == 1u);
  BOOST_TEST(s.w2.cosigned_size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_missing_witness_holds_answers_back_and_loses_nothing) {
  Setup s("all", 1000);
  IntakeServer intake(s.data.dir());
  HttpClient client(intake.port());
  BOOST_TEST_REQUIRE(submit(client, s.data, s.data.objection("user:1"), "user:1").status == 201);
  s.w2.stop();
  auto o = s.data.objection("user:2");
  auto t0 = std::chrono::steady_clock::now();
  auto r = submit(client, s.data, o, "user:2");
  auto waited = std::chrono::steady_clock::now() - t0;
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.headers["retry-after"] == "1");
  BOOST_TEST(parse_json(r.body).value()["error"] == "not_witnessed");
  BOOST_TEST((waited >= std::chrono::milliseconds(900)));
  BOOST_TEST(tree_size(client) == 2u);  // logged, not yet answered
  // The witness comes back (same state, same port): the same objection gets its place, cosigned by both.
  s.w2.start();
  native::HttpResult again;
  for (int i = 0; i < 40; ++i) {
    again = submit(client, s.data, o, "user:2");
    if (again.status == 200 || again.status == 201) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_TEST_REQUIRE(again.status == 200, again.body);
  auto body = parse_json(again.body).value();
  BOOST_TEST(body["index"] == 1);
  auto proof = parse_tlog_proof(body["proof"].get<std::string>()).value();
  BOOST_TEST(verify_tlog_proof(proof, entry_leaf_hash(o.entry), s.parsed()).ok());
  BOOST_TEST(tree_size(client) == 2u);
}

BOOST_AUTO_TEST_CASE(quorum_one_of_two_does_not_wait_for_a_missing_witness) {
  Setup s("any", 5000);
  s.w2.stop();
  IntakeServer intake(s.data.dir());
  HttpClient client(intake.port());
  auto t0 = std::chrono::steady_clock::now();
  auto r = submit(client, s.data, s.data.objection("user:1"), "user:1");
  BOOST_TEST(r.status == 201, r.body);
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(4000)));
}

// The intake thinks a witness is behind (its record was lost): the witness
// answers 409 with its size and the intake goes on from there.
BOOST_AUTO_TEST_CASE(catches_up_from_the_409_size) {
  Setup s("all");
  {
    IntakeServer intake(s.data.dir());
    HttpClient client(intake.port());
    for (int i = 0; i < 3; ++i) {
      auto a = "user:" + std::to_string(i);
      BOOST_TEST_REQUIRE(submit(client, s.data, s.data.objection(a), a).status == 201);
    }
  }
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open((s.data.dir() / "log.sqlite").c_str(), &db) == SQLITE_OK);
  BOOST_TEST(sqlite3_exec(db, "UPDATE witness_sizes SET size = 0", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  IntakeServer intake(s.data.dir());
  HttpClient client(intake.port());
  BOOST_TEST(submit(client, s.data, s.data.objection("user:9"), "user:9").status == 201);
  BOOST_TEST(s.w1.cosigned_size() == 4u);
  BOOST_TEST(s.w2.cosigned_size() == 4u);
}

BOOST_AUTO_TEST_CASE(refreshes_cosignatures_without_new_entries) {
  Setup s("all", 1500, 1);
  IntakeServer intake(s.data.dir());
  HttpClient client(intake.port());
  BOOST_TEST_REQUIRE(submit(client, s.data, s.data.objection("user:1"), "user:1").status == 201);
  auto first = open_checkpoint(client.get("/checkpoint").body, s.parsed()).value();
  std::this_thread::sleep_for(std::chrono::milliseconds(2600));
  auto later = open_checkpoint(client.get("/checkpoint").body, s.parsed()).value();
  BOOST_TEST(later.checkpoint.size == first.checkpoint.size);
  BOOST_TEST(later.cosignatures.at(0).timestamp > first.cosignatures.at(0).timestamp);
}

BOOST_AUTO_TEST_CASE(a_policy_that_does_not_trust_the_log_is_refused) {
  IntakeData data;
  data.edit_config([](json& c) { c["policy"] = "log other.example/log+00000000+AQ==\nquorum none\n"; });
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("config.policy") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
