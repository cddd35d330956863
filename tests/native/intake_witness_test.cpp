// objector-intake with two real objector-witness servers: receipts carry the
// quorum, a missing witness holds answers back (503) without losing
// anything, the intake catches up after a 409, and refreshes cosignatures.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <future>
#include <thread>

#include "core/objection/export_lines.hpp"
#include "core/objection/receipt.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/witness/witness_service.hpp"
#include "tests/support/hostile_server.hpp"
#include "tests/support/intake_fixture.hpp"
#include "tests/support/witness_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

namespace {

// On SQLite, whatever OBJECTOR_TEST_PG says: cases read and edit log.sqlite
// (intake_nodes runs witnesses with PostgreSQL nodes).
struct Setup {
  IntakeData data{fast_batches, Backend::sqlite};
  LogWitness w1{"witness-one.example/w", data}, w2{"witness-two.example/w", data};
  std::string policy;

  // `quorum`: "all" or "any" of the two.
  explicit Setup(const std::string& quorum, int timeout_ms = 1500, int refresh_s = 60)
      : policy(use_witnesses(data, w1, w2, quorum, timeout_ms, refresh_s)) {}
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
  BOOST_TEST_REQUIRE(v.ok(), (v.ok() ? "" : v.error().message));
  BOOST_TEST(v->cosignatures.size() == 2u);
  // Its cosignatures were stored before the answer went out under them.
  BOOST_TEST(stored_note(s.data, 1) == proof->checkpoint);
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

// A checkpoint that comes back from the store with a cosignature (w2's, given
// before a restart) meets the quorum once the other witness adds its own,
// though w2 is down by then: the gateway checks what it did not verify itself.
BOOST_AUTO_TEST_CASE(a_cosignature_from_before_a_restart_counts_towards_the_quorum) {
  Setup s("all", 1000);
  s.w1.stop();
  auto o = s.data.objection("user:1");
  {
    IntakeServer intake(s.data.dir());
    HttpClient client(intake.port());
    auto first = submit(client, s.data, o, "user:1");
    BOOST_TEST(first.status == 503);  // w2 cosigned; w1 is down
    BOOST_TEST(parse_json(first.body).value()["error"] == "not_witnessed");
  }
  BOOST_TEST_REQUIRE(s.w2.cosigned_size() == 1u);
  s.w2.stop();
  s.w1.start();
  IntakeServer intake(s.data.dir());
  HttpClient client(intake.port());
  native::HttpResult again;
  for (int i = 0; i < 20; ++i) {
    again = submit(client, s.data, o, "user:1");
    if (again.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_TEST_REQUIRE(again.status == 200, again.body);
  auto proof = parse_tlog_proof(parse_json(again.body).value()["proof"].get<std::string>()).value();
  auto v = verify_tlog_proof(proof, entry_leaf_hash(o.entry), s.parsed());
  BOOST_TEST_REQUIRE(v.ok());
  BOOST_TEST(v->cosignatures.size() == 2u);
  BOOST_TEST(s.w1.cosigned_size() == 1u);
}

// The sequencer does not wait for the witnesses: while a checkpoint is out
// for cosigning (here its quorum never comes), the next batches are logged,
// and each submission still gets its 503 at its own deadline.
BOOST_AUTO_TEST_CASE(batches_are_logged_while_a_checkpoint_waits_for_its_witnesses) {
  using std::chrono::milliseconds;
  Setup s("all", 3000);
  s.w2.stop();
  IntakeServer intake(s.data.dir());
  std::vector<Objection> objections;
  for (int i = 1; i <= 3; ++i) objections.push_back(s.data.objection("user:" + std::to_string(i)));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::future<native::HttpResult>> answers;
  for (int i = 0; i < 3; ++i) {
    answers.push_back(std::async(std::launch::async, [&, i] {
      HttpClient client(intake.port());
      return submit(client, s.data, objections[i], "user:" + std::to_string(i + 1));
    }));
    std::this_thread::sleep_for(milliseconds(200));  // a batch each (batches close after 20 ms)
  }
  HttpClient client(intake.port());
  while (tree_size(client) < 3 && std::chrono::steady_clock::now() - t0 < milliseconds(2500)) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  // Before the first submission's deadline (a sequencer that waited would take 3 s per batch).
  BOOST_TEST(tree_size(client) == 3u);
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < milliseconds(2900)));
  for (auto& a : answers) {
    auto r = a.get();
    BOOST_TEST(r.status == 503);
    BOOST_TEST(parse_json(r.body).value()["error"] == "not_witnessed");
  }
  // Each was answered at its own deadline, the last about 3.4 s after the first was sent.
  BOOST_TEST((std::chrono::steady_clock::now() - t0 >= milliseconds(3300)));
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

// The witnesses date the log: a manifest naming a checkpoint the quorum last
// cosigned long before the run started is stale; objectors logged after
// the manifest's checkpoint but before the start are reported.
BOOST_AUTO_TEST_CASE(audit_receipt_and_consistency_with_the_policy) {
  Setup s("all");
  std::vector<std::string> accounts;
  std::string receipt;
  {
    IntakeServer intake(s.data.dir());
    HttpClient client(intake.port());
    for (int i = 0; i < 3; ++i) {
      accounts.push_back("user:" + std::to_string(i));
      auto o = s.data.objection(accounts.back());
      auto r = submit(client, s.data, o, accounts.back());
      BOOST_TEST_REQUIRE(r.status == 201);
      if (i == 0)
        receipt = serialize(make_receipt(std::move(o), parse_json(r.body).value()["proof"].get<std::string>()));
    }
  }
  TempDir work;
  auto exported =
      run({intake_bin(), "export", "--dir", s.data.dir().string(), "--out", (work.path() / "export").string()});
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  BOOST_TEST(native::read_file(work.path() / "export" / "policy").value() == s.policy);
  auto policy_file = (work.path() / "export" / "policy").string();

  // The checkpoint of size 2, as the run fetched it.
  auto lines = native::read_file(work.path() / "export" / "checkpoints.jsonl").value();
  std::string root2;
  for (std::size_t pos = 0; pos < lines.size();) {
    auto eol = lines.find('\n', pos);
    auto c = parse_export_checkpoint(std::string_view(lines).substr(pos, eol - pos)).value();
    if (c.size == 2) root2 = c.note.substr(c.note.find('\n', c.note.find('\n') + 1) + 1, 44);
    pos = eol + 1;
  }
  BOOST_TEST_REQUIRE(root2.size() == 44u);
  auto manifest = [&](std::int64_t started) {
    auto path = work.path() / ("run-" + std::to_string(started) + ".manifest");
    std::string text = "objector-training-manifest/v1\norigin social.example/ai-training\nsize 2\nroot " + root2 +
                       "\nstarted " + std::to_string(started) + "\n\nuser:never\n" + accounts[2] + "\n";
    BOOST_TEST_REQUIRE(native::write_file(path, text).ok());
    return path.string();
  };
  auto audit = [&](const std::string& m) {
    return run({verify_bin(), "audit", "--policy", policy_file, "--export", (work.path() / "export").string(),
                "--manifest", m});
  };
  auto fresh = audit(manifest(unix_now() + 60));
  BOOST_TEST(fresh.exit_code == 0, fresh.out + fresh.err);
  BOOST_TEST(fresh.out.find("the manifest's checkpoint (tree size 2) is 1 entries behind the export (tree size 3)") !=
             std::string::npos);
  BOOST_TEST(fresh.out.find("WARNING: account user:2 objected (log entry 2) after the manifest's checkpoint, and the "
                            "witnesses saw it logged at ") != std::string::npos,
             fresh.out);
  BOOST_TEST(fresh.out.find("witnessed: the policy's quorum last cosigned the manifest's checkpoint at ") !=
             std::string::npos);

  auto stale = audit(manifest(unix_now() + 3 * 86400));
  BOOST_TEST(stale.exit_code == 1, stale.out + stale.err);
  BOOST_TEST(
      stale.out.find("FAILED: stale checkpoint: the policy's quorum last cosigned the manifest's checkpoint at ") !=
      std::string::npos);
  BOOST_TEST(stale.out.find("3d 0h before the run started") != std::string::npos, stale.out);
  auto lenient = run({verify_bin(), "audit", "--policy", policy_file, "--export", (work.path() / "export").string(),
                      "--manifest", manifest(unix_now() + 3 * 86400), "--max-lag", "4d"});
  BOOST_TEST(lenient.exit_code == 0, lenient.out);

  // A receipt under the policy says when it was witnessed.
  auto receipt_file = work.path() / "receipt.json";
  BOOST_TEST_REQUIRE(native::write_file(receipt_file, receipt).ok());
  auto checked = run({verify_bin(), "receipt", "--policy", policy_file, receipt_file.string()});
  BOOST_TEST(checked.exit_code == 0, checked.err);
  BOOST_TEST(checked.out.find(", cosigned by 2 of 2 witnesses\n") != std::string::npos, checked.out);
  BOOST_TEST(checked.out.find("  logged no later than 20") != std::string::npos, checked.out);

  // The witness's view and the log's agree; a forged pair is a split view.
  auto witness_cp = work.path() / "witness-checkpoint";
  HttpClient w(s.w1.port);
  BOOST_TEST_REQUIRE(
      native::write_file(witness_cp,
                         w.get("/" + witness::origin_hash("social.example/ai-training") + "/checkpoint").body)
          .ok());
  auto agree = run({verify_bin(), "consistency", "--policy", policy_file, witness_cp.string(),
                    (work.path() / "export" / "checkpoint").string()});
  BOOST_TEST(agree.exit_code == 0, agree.out + agree.err);
  auto key_text = native::read_file(s.data.dir() / "log.key").value();
  auto key = parse_signer_key(key_text.substr(0, key_text.find('\n'))).value();
  auto forged = work.path() / "forged";
  BOOST_TEST_REQUIRE(native::write_file(forged, sign_checkpoint({key.name, 3, empty_root(), {}}, key)).ok());
  auto split = run({verify_bin(), "consistency", "--policy", policy_file, witness_cp.string(), forged.string()});
  BOOST_TEST(split.exit_code == 1);
  BOOST_TEST(split.err ==
             "objector-verify: SPLIT VIEW: the log signed two different trees of size 3 (keep both files: "
             "the log's signatures prove it)\n");
}

BOOST_AUTO_TEST_CASE(bad_witness_configs_are_refused) {
  IntakeData https;
  https.edit_config([](json& c) {
    c["witnesses"] = json::array({{{"name", "w"}, {"url", "https://w.example"}, {"key", "k"}}});
  });
  auto refused = run({intake_bin(), "serve", "--dir", https.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.err == "objector-intake: " + (https.dir() / "config.json").string() +
                                ": config.witnesses[0].url: expected an http:// URL (hint: reach a witness's https "
                                "through a local proxy)\n");
  IntakeData data;
  data.edit_config([](json& c) { c["policy"] = "log other.example/log+00000000+AQ==\nquorum none\n"; });
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("config.policy") != std::string::npos, r.err);
}

// A witness (plain HTTP, so anyone on the path) answering with a line of its
// own choosing cannot put that line into the intake's log: the value is escaped.
BOOST_AUTO_TEST_CASE(a_witness_cannot_forge_log_lines) {
  IntakeData data(fast_batches);
  TempDir keys;
  auto init = run({witness_bin(), "init", "--name", "liar.example/w", "--dir", keys.path().string()});
  BOOST_TEST_REQUIRE(init.exit_code == 0, init.err);
  std::atomic<int> asked{0};
  HostileServer liar([&](boost::asio::ip::tcp::socket& s, const std::string&) {
    ++asked;
    HostileServer::send(s, "no\nts=2026-01-01T00:00:00.000Z level=error event=FORGED_LINE\r\n", 400);
  });
  data.edit_config([&](json& c) {
    c["witnesses"] =
        json::array({{{"name", "liar"}, {"url", liar.url()}, {"key", init.out.substr(0, init.out.size() - 1)}}});
  });
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  BOOST_TEST(submit(client, data, data.objection("user:1"), "user:1").status == 201);  // a checkpoint to cosign
  for (int i = 0; i < 200 && asked == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST_REQUIRE(asked > 0);
  auto log = server.log();
  BOOST_TEST(log.find("\nts=2026-01-01T00:00:00.000Z level=error event=FORGED_LINE") == std::string::npos, log);
  BOOST_TEST(
      log.find("body=\"no\\nts=2026-01-01T00:00:00.000Z level=error event=FORGED_LINE\\r\\n\"") != std::string::npos,
      log);
}

BOOST_AUTO_TEST_SUITE_END()
