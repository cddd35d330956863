// objector-witness against c2sp.org/tlog-witness: every status with its exact
// body, the transparency-dev consistency corpus, forks, and kill -9.
#include <sqlite3.h>

#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <random>
#include <thread>

#include "core/encoding/base64.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/witness_request.hpp"
#include "native/common/clock.hpp"
#include "native/common/http_client.hpp"
#include "native/witness/add_checkpoint.hpp"
#include "native/witness/witness_service.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;
using objector::native::HttpResult;

namespace {

constexpr std::string_view kOrigin = "witness-test.example/log";

// A log with every root kept, signing checkpoints with its key.
struct TestLog {
  NoteSigner key = generate_signer(std::string(kOrigin)).value();
  MemoryTree tree;
  std::vector<Hash> roots{empty_root()};

  void grow(std::uint64_t size) {
    while (tree.size() < size) {
      tree.append(leaf_hash(as_bytes("entry " + std::to_string(tree.size()))));
      roots.push_back(tree.root());
    }
  }
  std::string checkpoint(std::uint64_t size) {
    grow(size);
    return sign_checkpoint({key.name, size, roots[size], {}}, key);
  }
  std::vector<Hash> proof(std::uint64_t old_size, std::uint64_t size) {
    grow(size);
    if (old_size == 0 || old_size == size) return {};
    return consistency_proof(tree.reader(), old_size, size).value();
  }
  std::string request(std::uint64_t old_size, std::uint64_t size) {
    return format_add_checkpoint({old_size, proof(old_size, size), checkpoint(size)});
  }
};

// A witness data folder made by the binary, trusting `log`.
struct WitnessDir {
  TempDir tmp;
  std::string vkey;
  explicit WitnessDir(const TestLog& log, const std::string& name = "witness-test.example/w1") {
    auto init = run({witness_bin(), "init", "--name", name, "--dir", tmp.path().string()});
    BOOST_TEST_REQUIRE(init.exit_code == 0, init.err);
    vkey = init.out.substr(0, init.out.size() - 1);
    auto add = run({witness_bin(), "add-log", "--dir", tmp.path().string(), "--origin", std::string(kOrigin), "--key",
                    format_verifier_key(verifier_of(log.key))});
    BOOST_TEST_REQUIRE(add.exit_code == 0, add.err);
  }
  Policy policy(const TestLog& log) const {
    return parse_policy("log " + format_verifier_key(verifier_of(log.key)) + "\nwitness w1 " + vkey + "\nquorum w1\n")
        .value();
  }
};

HttpResult add(HttpClient& client, const std::string& body) { return client.request("POST", "/add-checkpoint", body); }

}  // namespace

BOOST_AUTO_TEST_SUITE(witness_server)

BOOST_AUTO_TEST_CASE(statuses_and_exact_bodies) {
  TestLog log;
  WitnessDir dir(log);
  WitnessServer server(dir.tmp.path());
  HttpClient client(server.port());

  // 200: the first checkpoint, from old 0; the answer is one cosignature line.
  auto first = add(client, log.request(0, 5));
  BOOST_TEST(first.status == 200, first.body);
  BOOST_TEST(first.body.starts_with("\xE2\x80\x94 witness-test.example/w1 "));
  BOOST_TEST(std::count(first.body.begin(), first.body.end(), '\n') == 1);
  auto merged = merge_cosignatures(log.checkpoint(5), first.body, parse_verifier_key(dir.vkey).value());
  BOOST_TEST_REQUIRE(merged.ok(), (merged.ok() ? "" : merged.error().message));
  auto opened = open_checkpoint(*merged, dir.policy(log));
  BOOST_TEST_REQUIRE(opened.ok(), (opened.ok() ? "" : opened.error().message));
  auto t = static_cast<std::int64_t>(opened->cosignatures.at(0).timestamp);
  BOOST_TEST(std::abs(t - native::unix_now()) <= 5);

  // 409: old is not what it cosigned; the body is its size.
  auto conflict = add(client, log.request(0, 7));
  BOOST_TEST(conflict.status == 409);
  BOOST_TEST(conflict.headers["content-type"] == "text/x.tlog.size");
  BOOST_TEST(conflict.body == "5\n");
  BOOST_TEST(add(client, log.request(3, 7)).body == "5\n");

  // 200 with a good proof; 422 with a bad one.
  auto bad = log.proof(5, 9);
  bad[0][0] ^= 1;
  auto refused = add(client, format_add_checkpoint({5, bad, log.checkpoint(9)}));
  BOOST_TEST(refused.status == 422);
  BOOST_TEST(refused.body ==
             "the consistency proof does not verify: consistency proof does not lead to the old root\n");
  BOOST_TEST(add(client, log.request(5, 9)).status == 200);

  // 422: a fork at the cosigned size, validly signed by the log.
  auto fork = sign_checkpoint({log.key.name, 9, log.roots[8], {}}, log.key);
  auto forked = add(client, format_add_checkpoint({9, {}, fork}));
  BOOST_TEST(forked.status == 422);
  BOOST_TEST(forked.body == "a different root for the size already cosigned (a fork)\n");
  // The same size and root again: cosigned again (a fresh timestamp).
  BOOST_TEST(add(client, log.request(9, 9)).status == 200);

  // 400: old > size, and malformed bodies.
  auto backwards = add(client, format_add_checkpoint({9, {}, log.checkpoint(4)}));
  BOOST_TEST(backwards.status == 400);
  BOOST_TEST(backwards.body == "the old size is larger than the checkpoint's size\n");
  auto no_old = add(client, "9\n\n" + log.checkpoint(9));
  BOOST_TEST(no_old.status == 400);
  BOOST_TEST(no_old.body == "add-checkpoint: the first line must be \"old <size>\" (hint: c2sp.org/tlog-witness)\n");
  BOOST_TEST(add(client, "old 09\n\n" + log.checkpoint(9)).status == 400);
  BOOST_TEST(add(client, "old 9\nnot base64\n\n" + log.checkpoint(9)).status == 400);
  std::string many = "old 9\n";
  for (int i = 0; i < 64; ++i) many += base64_encode(log.roots[1]) + "\n";
  auto too_many = add(client, many + "\n" + log.checkpoint(12));
  BOOST_TEST(too_many.status == 400);
  BOOST_TEST(too_many.body == "add-checkpoint: more than 63 consistency proof lines (hint: c2sp.org/tlog-witness)\n");

  // 404: another origin.
  auto other_log = generate_signer("other.example/log").value();
  auto other =
      add(client, format_add_checkpoint({0, {}, sign_checkpoint({other_log.name, 1, log.roots[1], {}}, other_log)}));
  BOOST_TEST(other.status == 404);
  BOOST_TEST(other.body == "unknown log origin \"other.example/log\"\n");

  // 403: signed only by an untrusted key of the same name; or a trusted key's signature fails.
  auto impostor = generate_signer(std::string(kOrigin)).value();
  auto untrusted =
      add(client,
          format_add_checkpoint({9, log.proof(9, 10),
                                 sign_checkpoint({impostor.name, 10, (log.grow(10), log.roots[10]), {}}, impostor)}));
  BOOST_TEST(untrusted.status == 403);
  BOOST_TEST(untrusted.body == "no trusted key of log \"witness-test.example/log\" signed the checkpoint\n");
  auto broken = log.checkpoint(10);
  // A character inside the signature's base64 (the last one before "=" carries padding bits).
  broken[broken.size() - 10] = broken[broken.size() - 10] == 'A' ? 'B' : 'A';
  auto bad_sig = add(client, format_add_checkpoint({9, log.proof(9, 10), broken}));
  BOOST_TEST(bad_sig.status == 403);
  BOOST_TEST(bad_sig.body == "signed note: signature by witness-test.example/log is invalid\n");

  // Unknown signature lines are ignored.
  auto with_stranger =
      cosign_checkpoint(log.checkpoint(10), generate_signer("stranger.example/w", KeyType::cosignature).value(), 1)
          .value();
  BOOST_TEST(add(client, format_add_checkpoint({9, log.proof(9, 10), with_stranger})).status == 200);

  // GET: the latest cosigned checkpoint, by the origin's hash.
  auto latest = client.get("/" + witness::origin_hash(kOrigin) + "/checkpoint");
  BOOST_TEST(latest.status == 200);
  auto state = open_checkpoint(latest.body, dir.policy(log));
  BOOST_TEST_REQUIRE(state.ok(), (state.ok() ? "" : state.error().message));
  BOOST_TEST(state->checkpoint.size == 10u);
  BOOST_TEST(latest.body.find("stranger.example") == std::string::npos);
  BOOST_TEST(client.get("/" + witness::origin_hash("nobody.example/log") + "/checkpoint").status == 404);
  BOOST_TEST(client.get("/add-checkpoint").status == 405);
  BOOST_TEST(client.get("/").status == 404);
}

BOOST_AUTO_TEST_CASE(size_zero_and_proofs_from_zero) {
  TestLog log;
  WitnessDir dir(log);
  WitnessServer server(dir.tmp.path());
  HttpClient client(server.port());
  // Size 0 must carry the empty tree's root.
  log.grow(4);
  auto wrong_empty =
      add(client, format_add_checkpoint({0, {}, sign_checkpoint({log.key.name, 0, log.roots[1], {}}, log.key)}));
  BOOST_TEST(wrong_empty.status == 422);
  BOOST_TEST(wrong_empty.body == "a checkpoint of size 0 must have the empty tree's root\n");
  // A non-empty proof with old 0.
  auto from_zero = add(client, format_add_checkpoint({0, {log.roots[1]}, log.checkpoint(4)}));
  BOOST_TEST(from_zero.status == 422);
  BOOST_TEST(from_zero.body == "a consistency proof from size 0 must be empty\n");
  BOOST_TEST(add(client, log.request(0, 0)).status == 200);
  BOOST_TEST(add(client, log.request(0, 4)).status == 200);
  BOOST_TEST(add(client, log.request(0, 4)).body == "4\n");
}

// The corpus's consistency proofs, as a log would send them: the witness
// cosigns exactly the happy paths, refusing the rest with 400 or 422.
BOOST_AUTO_TEST_CASE(transparency_dev_consistency_corpus) {
  TempDir tmp;
  auto state = witness::WitnessState::open(tmp.path() / "w.sqlite", true).value();
  auto wkey = generate_signer("corpus.example/w", KeyType::cosignature).value();
  auto files = files_under(test_vectors() / "transparency-dev-merkle/testdata/consistency", ".json");
  int n = 0, cosigned = 0;
  for (const auto& f : files) {
    auto v = read_json(f);
    auto size1 = v["size1"].get<std::uint64_t>(), size2 = v["size2"].get<std::uint64_t>();
    auto root1 = base64_decode_fixed<32>(v["root1"].get<std::string>());
    auto root2 = base64_decode_fixed<32>(v["root2"].get<std::string>());
    if (size1 == 0 || !root1 || !root2) continue;  // old 0 has its own rule; a checkpoint needs a 32-byte root
    std::vector<Hash> proof;
    bool proof_ok = true;
    for (const auto& p : v["proof"]) {
      auto h = base64_decode_fixed<32>(p.get<std::string>());
      if (h)
        proof.push_back(*h);
      else
        proof_ok = false;
    }
    if (!proof_ok) continue;
    auto log = generate_signer("corpus.example/" + std::to_string(n++)).value();
    BOOST_TEST_REQUIRE(state.add_log(verifier_of(log)).ok());
    auto first = witness::add_checkpoint(
        state, wkey, format_add_checkpoint({0, {}, sign_checkpoint({log.name, size1, *root1, {}}, log)}), 1);
    BOOST_TEST_REQUIRE(first.status == 200, f.string() + ": " + first.body);
    auto r = witness::add_checkpoint(
        state, wkey, format_add_checkpoint({size1, proof, sign_checkpoint({log.name, size2, *root2, {}}, log)}), 2);
    int want = !v["wantErr"].get<bool>() ? 200 : size1 > size2 ? 400 : 422;
    BOOST_TEST(r.status == want, f.string() + ": " + r.body);
    cosigned += r.status == 200 ? 1 : 0;
    // A refused checkpoint leaves the state where it was.
    if (r.status != 200) BOOST_TEST(state.latest(log.name).value()->size == size1);
  }
  BOOST_TEST(n > 50);
  BOOST_TEST(cosigned >= 5);
}

// kill -9 while a log keeps submitting: after each restart the witness is at
// the last size it acknowledged or later (never behind), and it still refuses
// a fork at that size.
BOOST_AUTO_TEST_CASE(kill_9_never_regresses) {
  TestLog log;
  log.grow(400);
  WitnessDir dir(log);
  std::mt19937 rng(4242);
  std::uint64_t acknowledged = 0, known = 0;
  for (int round = 0; round < 5; ++round) {
    WitnessServer server(dir.tmp.path());
    std::atomic<bool> stop{false};
    std::uint64_t acked_here = acknowledged;
    std::string unexpected;
    std::thread submitter([&] {
      HttpClient client(server.port());
      std::uint64_t old_size = known;
      while (!stop && old_size < 399) {
        auto size = old_size + 1;
        auto r = add(client, log.request(old_size, size));
        if (r.status == 0) return;
        if (r.status == 409) {
          old_size = std::stoull(r.body);
          continue;
        }
        if (r.status != 200) {
          unexpected = r.body;
          return;
        }
        acked_here = old_size = size;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 300));
    server.kill(SIGKILL);
    server.wait();
    stop = true;
    submitter.join();
    BOOST_TEST(unexpected.empty(), unexpected);
    acknowledged = acked_here;

    WitnessServer again(dir.tmp.path());
    HttpClient client(again.port());
    auto latest = client.get("/" + witness::origin_hash(kOrigin) + "/checkpoint");
    BOOST_TEST_REQUIRE(latest.status == 200);
    auto c = open_checkpoint(latest.body, dir.policy(log));
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST(c->checkpoint.size >= acknowledged);
    BOOST_TEST(c->checkpoint.root == log.roots[c->checkpoint.size]);
    known = c->checkpoint.size;
    auto fork = sign_checkpoint({log.key.name, known, log.roots[known - 1], {}}, log.key);
    BOOST_TEST(add(client, format_add_checkpoint({known, {}, fork})).status == 422);
  }
  BOOST_TEST(acknowledged > 5u);
}

BOOST_AUTO_TEST_CASE(rate_limit_and_sigterm) {
  TestLog log;
  WitnessDir dir(log);
  WitnessServer server(dir.tmp.path(), 0, {"--rate", "1"});
  HttpClient client(server.port());
  BOOST_TEST(add(client, log.request(0, 1)).status == 200);
  BOOST_TEST(add(client, log.request(1, 2)).status == 200);  // the burst is twice the rate
  auto limited = add(client, log.request(2, 3));
  BOOST_TEST(limited.status == 429);
  BOOST_TEST(limited.body == "too many requests; try again later\n");
  BOOST_TEST(!limited.headers["retry-after"].empty());
  server.kill(SIGTERM);
  BOOST_TEST(server.wait() == 0);
  BOOST_TEST(server.log().find("event=stopped") != std::string::npos);
}

// Behind a trusted proxy each client has its own budget (the address the
// proxy appends, by the intake's rules), and clients' own claims count for nothing.
BOOST_AUTO_TEST_CASE(clients_behind_a_trusted_proxy_have_their_own_rate_limit) {
  TestLog log;
  WitnessDir dir(log);
  WitnessServer server(dir.tmp.path(), 0,
                       {"--rate", "1", "--proxy-trusted", "127.0.0.1", "--proxy-header", "x-forwarded-for"});
  HttpClient client(server.port());
  auto get_as = [&](const std::string& forwarded) {
    return client.request("GET", "/" + witness::origin_hash(kOrigin) + "/checkpoint", {},
                          {{"X-Forwarded-For", forwarded}});
  };
  // A junk client spends its own budget, whatever it claims before the proxy's entry.
  BOOST_TEST(get_as("10.1.0.1").status == 404);
  BOOST_TEST(get_as("10.1.0.2, 10.1.0.1").status == 404);
  BOOST_TEST(get_as("10.1.0.3, 10.1.0.1").status == 429);
  // The log, another client behind the same proxy, is not held up by it.
  auto genuine = client.request("POST", "/add-checkpoint", log.request(0, 1), {{"X-Forwarded-For", "192.0.2.7"}});
  BOOST_TEST(genuine.status == 200, genuine.body);
  // Forwarded is not the header this proxy sets: ignored, so the client is the proxy itself.
  auto other =
      client.request("GET", "/" + witness::origin_hash(kOrigin) + "/checkpoint", {}, {{"Forwarded", "for=10.9.9.9"}});
  BOOST_TEST(other.status == 200);
  auto bad = run({witness_bin(), "serve", "--dir", dir.tmp.path().string(), "--proxy-header", "x-real-ip"});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.err.rfind("objector-witness: --proxy-header: \"x-real-ip\" is not a forwarding header (hint: "
                           "\"x-forwarded-for\" or \"forwarded\", the one your proxy sets)\n",
                           0) == 0,
             bad.err);
}

// One address cannot hold every connection of a witness.
BOOST_AUTO_TEST_CASE(one_client_cannot_hold_every_connection) {
  TestLog log;
  WitnessDir dir(log);
  WitnessServer server(dir.tmp.path(), 0, {"--rate", "0", "--max-connections-per-client", "3"});
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(connect_from(io, server.port()));
    boost::asio::write(held.back(), boost::asio::buffer(std::string("GET /x HTTP/1.1\r\nHost: x\r\n")));
  }
  const std::string request = "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto refused = exchange(server.port(), request);
  BOOST_TEST(refused.rfind("HTTP/1.1 429 Too Many Requests\r\n", 0) == 0, refused);
  auto other = exchange(server.port(), request, 5000, "127.0.0.2");
  BOOST_TEST(other.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0, other);
}

BOOST_AUTO_TEST_CASE(cli_errors) {
  TestLog log;
  WitnessDir dir(log);
  auto again = run({witness_bin(), "init", "--name", "w", "--dir", dir.tmp.path().string()});
  BOOST_TEST(again.exit_code == 2);
  auto wrong = run({witness_bin(), "add-log", "--dir", dir.tmp.path().string(), "--origin", "other.example/log",
                    "--key", format_verifier_key(verifier_of(log.key))});
  BOOST_TEST(wrong.exit_code == 2);
  BOOST_TEST(wrong.err ==
             "objector-witness: the key is named \"witness-test.example/log\" but --origin is \"other.example/log\" "
             "(hint: a log's key is named by its origin)\n");
  auto bad = run({witness_bin(), "add-log", "--dir", dir.tmp.path().string(), "--origin", "x", "--key", "nonsense"});
  BOOST_TEST(bad.exit_code == 2);
  auto usage = run({witness_bin(), "serve"});
  BOOST_TEST(usage.exit_code == 2);
  auto perms = std::filesystem::status(dir.tmp.path() / "witness.key").permissions();
  BOOST_TEST((perms == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));
}

// Junk cannot fill a witness's disk: refusals that prove nothing are not kept,
// and what is kept has the log's signatures only, once, within the bound.
BOOST_AUTO_TEST_CASE(evidence_is_bounded_and_kept_as_the_log_signed_it) {
  TestLog log;
  WitnessDir dir(log);
  WitnessServer server(dir.tmp.path());
  HttpClient client(server.port());
  BOOST_TEST_REQUIRE(add(client, log.request(0, 5)).status == 200);
  std::string unknown_lines;
  for (int i = 0; i < 99; ++i) {
    unknown_lines += "\u2014 someone.example/" + std::to_string(i) + " " + std::string(88, 'A') + "\n";
  }
  auto with_junk = [&](std::uint64_t size) { return log.checkpoint(size) + unknown_lines; };
  std::mt19937 rng(7);
  auto random_proof = [&] {
    std::vector<Hash> proof(63);
    for (auto& h : proof) std::generate(h.begin(), h.end(), [&] { return static_cast<std::uint8_t>(rng()); });
    return proof;
  };
  // The cosigned checkpoint with a proof it cannot have: 422, proves nothing, not kept.
  for (int i = 0; i < 50; ++i) {
    auto r = add(client, format_add_checkpoint({5, random_proof(), with_junk(5)}));
    BOOST_TEST_REQUIRE(r.status == 422);
  }
  // A larger checkpoint of the log with random proofs: kept, up to the bound, without the junk lines.
  for (int i = 0; i < 300; ++i) {
    auto r = add(client, format_add_checkpoint({5, random_proof(), with_junk(9)}));
    BOOST_TEST_REQUIRE(r.status == 422);
  }
  // A fork, sent twice: kept once.
  auto fork = sign_checkpoint({log.key.name, 5, log.roots[4], {}}, log.key);
  BOOST_TEST(add(client, format_add_checkpoint({5, {}, fork})).status == 422);
  BOOST_TEST(add(client, format_add_checkpoint({5, {}, fork})).status == 422);
  server.kill(SIGTERM);
  server.wait();
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open((dir.tmp.path() / "witness.sqlite").c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT count(*), sum(length(request)), sum(instr(request, 'someone.example') > 0) FROM evidence",
                     -1, &q, nullptr);
  BOOST_TEST_REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  auto rows = sqlite3_column_int64(q, 0);
  auto bytes = sqlite3_column_int64(q, 1);
  auto with_unknown = sqlite3_column_int64(q, 2);
  sqlite3_finalize(q);
  sqlite3_close(db);
  BOOST_TEST(rows ==
             static_cast<std::int64_t>(witness::kMaxEvidence));  // 100 of the 300, then full (the fork too late)
  BOOST_TEST(bytes <= static_cast<std::int64_t>(witness::kMaxEvidenceBytes));
  BOOST_TEST(with_unknown == 0);
}

BOOST_AUTO_TEST_SUITE_END()
