#include <boost/test/unit_test.hpp>
#include <csignal>
#include <thread>

#include "core/encoding/base64.hpp"
#include "core/objection/receipt.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/http_client.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

namespace {

json parse(const std::string& body) { return parse_json(body).value(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_api)

BOOST_AUTO_TEST_CASE(submission_gives_a_receipt_that_verifies) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  auto o = data.objection("user:1");
  auto r =
      client.post_json("/v1/objections", IntakeData::body(o, {{"reason", "Mine.\nNot yours."}}), data.token("user:1"));
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(r.headers["content-type"] == "application/json; charset=utf-8");
  BOOST_TEST(r.headers["x-content-type-options"] == "nosniff");
  BOOST_TEST(r.headers["cache-control"] == "no-store");
  auto reply = parse(r.body);
  BOOST_TEST(reply["index"].get<int>() == 0);
  BOOST_TEST(reply["leaf_hash"].get<std::string>() == base64_encode(entry_leaf_hash(o.entry)));
  auto receipt = make_receipt(std::move(o), reply["proof"].get<std::string>());
  auto report = verify_receipt(receipt, data.policy());
  BOOST_TEST_REQUIRE(report.ok(), (report.ok() ? "" : report.error().message));
  BOOST_TEST(report->index == 0u);
  BOOST_TEST(report->checkpoint.checkpoint.size == 1u);
  // The log never sees the account or the reason.
  BOOST_TEST(server.log().find("user:1") == std::string::npos);
  BOOST_TEST(server.log().find("Not yours") == std::string::npos);
}

// GET /v1/objections: the signed-in account's own logged objections, to that
// account's token only, never stored by a cache (issue 23: a person knows
// where they stand on any device).
BOOST_AUTO_TEST_CASE(an_account_sees_its_own_objections_and_no_one_else_does) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  std::vector<std::pair<Objection, json>> mine;
  for (const char* account : {"user:1", "user:2", "user:1"}) {
    auto o = data.objection(account);
    auto r = client.post_json("/v1/objections", IntakeData::body(o), data.token(account));
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    if (std::string(account) == "user:1") mine.emplace_back(std::move(o), parse(r.body));
  }
  auto get = [&](const std::string& token) {
    return client.request("GET", "/v1/objections", {}, {{"Authorization", "Bearer " + token}});
  };
  auto r = get(data.token("user:1"));
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(r.headers["cache-control"] == "no-store");
  json expected = json::array();
  for (const auto& [o, reply] : mine) {
    expected.push_back({{"created", o.entry.statement.created},
                        {"index", reply["index"]},
                        {"leaf_hash", reply["leaf_hash"]},
                        {"services", o.entry.statement.services}});
  }
  BOOST_TEST(r.body == canonicalize(json{{"account", "user:1"}, {"objections", expected}}).value());
  auto other = get(data.token("user:3"));
  BOOST_TEST(other.status == 200);
  BOOST_TEST(other.body == R"({"account":"user:3","objections":[]})");
  auto none = client.get("/v1/objections");
  BOOST_TEST(none.status == 401);
  BOOST_TEST(none.body == R"({"error":"token_missing","message":"sign in first: the request has no account token"})");
  auto forged = get(data.token("user:1") + "x");
  BOOST_TEST(forged.status == 401);
}

BOOST_AUTO_TEST_CASE(resubmission_is_idempotent) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  auto o = data.objection("user:2");
  auto body = IntakeData::body(o);
  auto first = client.post_json("/v1/objections", body, data.token("user:2"));
  BOOST_TEST_REQUIRE(first.status == 201);
  auto second = client.post_json("/v1/objections", body, data.token("user:2"));
  BOOST_TEST_REQUIRE(second.status == 200, second.body);
  BOOST_TEST(parse(second.body)["index"] == parse(first.body)["index"]);
  BOOST_TEST(tree_size(client) == 1u);
}

BOOST_AUTO_TEST_CASE(fresh_proof_and_consistency) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  std::vector<Objection> objections;
  std::string first_checkpoint;
  for (int i = 0; i < 5; ++i) {
    objections.push_back(data.objection("user:" + std::to_string(i)));
    auto r = client.post_json("/v1/objections", IntakeData::body(objections.back()),
                              data.token("user:" + std::to_string(i)));
    BOOST_TEST_REQUIRE(r.status == 201);
    if (i == 1) first_checkpoint = parse_tlog_proof(parse(r.body)["proof"].get<std::string>()).value().checkpoint;
  }
  auto leaf = entry_leaf_hash(objections[1].entry);
  auto r = client.get("/v1/proof/" + base64url_encode(leaf));
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  auto proof = parse_tlog_proof(parse(r.body)["proof"].get<std::string>()).value();
  auto v = verify_tlog_proof(proof, leaf, data.policy());
  BOOST_TEST_REQUIRE(v.ok());
  BOOST_TEST(v->checkpoint.size == 5u);

  auto old = open_checkpoint(first_checkpoint, data.policy()).value().checkpoint;
  auto c = client.get("/v1/consistency/" + std::to_string(old.size));
  BOOST_TEST_REQUIRE(c.status == 200, c.body);
  auto reply = parse(c.body);
  auto latest = open_checkpoint(reply["checkpoint"].get<std::string>(), data.policy()).value().checkpoint;
  std::vector<Hash> hashes;
  for (const auto& h : reply["proof"]) hashes.push_back(base64_decode_fixed<32>(h.get<std::string>()).value());
  BOOST_TEST(verify_consistency(old.size, latest.size, hashes, old.root, latest.root).ok());

  BOOST_TEST(client.get("/v1/proof/" + base64url_encode(Hash{})).body ==
             R"j({"error":"not_logged","message":"no entry with this leaf hash is in the log"})j");
  BOOST_TEST(client.get("/v1/consistency/9").body ==
             R"j({"error":"bad_size","message":"old size must be between 1 and the latest tree size 5"})j");
  BOOST_TEST(client.get("/v1/proof/abc").status == 400);
}

BOOST_AUTO_TEST_CASE(sigterm_finishes_the_batch_and_exits_zero) {
  IntakeData data([](json& c) {
    c["batch"]["interval_ms"] = 1500;
    c["limits"]["rate_per_second"] = 0;
  });
  IntakeServer server(data.dir());
  std::thread submitter([&] {
    HttpClient client(server.port());
    auto r = client.post_json("/v1/objections", IntakeData::body(data.objection("user:9")), data.token("user:9"));
    BOOST_TEST(r.status == 201, r.status << " " << r.body);  // answered although the server is stopping
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.kill(SIGTERM);
  submitter.join();
  BOOST_TEST(server.wait() == 0);
  BOOST_TEST(server.log().find("event=stopped tree_size=1") != std::string::npos, server.log());
}

BOOST_AUTO_TEST_SUITE_END()
