// objector-verify mirror against servers that misbehave: a trickle, a tile
// larger than any tile, a checkpoint claiming 2^60 entries, and a log that
// forks (two intakes sharing one log key). The verifier must finish within
// its deadlines, in bounded memory, with the right exit code, and keep the
// contradicting checkpoints as evidence.
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "core/tlog/merkle.hpp"
#include "core/tlog/note_key.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/files.hpp"
#include "tests/support/hostile_server.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct LogKey {
  NoteSigner signer = generate_signer("hostile.example/log").value();
  std::string vkey = format_verifier_key(verifier_of(signer));
  std::string checkpoint(std::uint64_t size, const Hash& root) const {
    return sign_checkpoint({"hostile.example/log", size, root, {}}, signer);
  }
};

CommandResult mirror(const std::string& vkey, const std::string& url, const std::filesystem::path& dir,
                     std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{verify_bin(), "mirror", "--log-key", vkey};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  argv.push_back(dir.string());
  return run(argv);
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(verify_hostile)

BOOST_AUTO_TEST_CASE(a_trickling_server_fails_within_the_deadline) {
  LogKey key;
  HostileServer server([](net::ip::tcp::socket& s, const std::string&) {
    net::write(s, net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")));
    for (int i = 0; i < 100; ++i) {  // a byte every 100 ms: forever, for a client without a deadline
      net::write(s, net::buffer(std::string("x")));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  TempDir dir;
  auto t0 = Clock::now();
  auto r = mirror(key.vkey, server.url(), dir.path() / "m", {"--timeout", "1"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("checkpoint: HTTP request to 127.0.0.1 failed: timed out") != std::string::npos, r.err);
  BOOST_TEST(seconds_since(t0) < 5.0);
}

BOOST_AUTO_TEST_CASE(an_oversized_tile_is_refused_before_it_is_read) {
  LogKey key;
  Hash leaf{};
  auto checkpoint = key.checkpoint(1, leaf_hash(leaf));
  std::size_t sent = 0;
  HostileServer server([&](net::ip::tcp::socket& s, const std::string& path) {
    if (path == "/checkpoint") return HostileServer::send(s, checkpoint);
    // 64 MiB announced for a tile of 32 bytes.
    net::write(s, net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\n\r\n")));
    std::string chunk(65536, 'x');
    for (int i = 0; i < 1024; ++i) sent += net::write(s, net::buffer(chunk));
  });
  TempDir dir;
  auto r = mirror(key.vkey, server.url(), dir.path() / "m");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err ==
             "objector-verify: the checkpoint claims 1 entries, but fetching them failed at tile/0/000.p/1: HTTP "
             "request to 127.0.0.1 failed: the answer is larger than allowed\n");
  BOOST_TEST(sent < std::size_t{8} << 20);  // it stopped reading long before the end
  BOOST_TEST(!std::filesystem::exists(dir.path() / "m/tile/0/000.p/1"));
}

BOOST_AUTO_TEST_CASE(a_size_of_2_to_the_60_stops_at_the_first_missing_tile) {
  LogKey key;
  auto checkpoint = key.checkpoint(std::uint64_t{1} << 60, empty_root());
  HostileServer server([&](net::ip::tcp::socket& s, const std::string& path) {
    if (path == "/checkpoint") return HostileServer::send(s, checkpoint);
    HostileServer::send(s, "no such tile", 404);
  });
  TempDir dir;
  auto t0 = Clock::now();
  auto r = mirror(key.vkey, server.url(), dir.path() / "m");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err ==
             "objector-verify: the checkpoint claims 1152921504606846976 entries, but fetching them failed at "
             "tile/0/000: HTTP 404 (the server does not have it)\n");
  BOOST_TEST(seconds_since(t0) < 5.0);
}

BOOST_AUTO_TEST_CASE(a_forked_log_fails_and_both_checkpoints_are_kept) {
  // Two intakes with one log key and one origin: the same log, forked.
  IntakeData a(fast_batches);
  TempDir b_parent;
  auto b_dir = b_parent.path() / "b";
  std::filesystem::copy(a.dir(), b_dir, std::filesystem::copy_options::recursive);
  std::filesystem::permissions(b_dir, std::filesystem::perms::owner_all);
  IntakeServer server_a(a.dir());
  IntakeServer server_b(b_dir);
  native::HttpClient ca(server_a.port()), cb(server_b.port());
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST_REQUIRE(ca.post_json("/v1/objections", IntakeData::body(a.objection("user:a" + std::to_string(i))),
                                    a.token("user:a" + std::to_string(i)))
                           .status == 201);
    BOOST_TEST_REQUIRE(cb.post_json("/v1/objections", IntakeData::body(a.objection("user:b" + std::to_string(i))),
                                    a.token("user:b" + std::to_string(i)))
                           .status == 201);
  }
  TempDir out;
  auto m = out.path() / "m";
  auto first = mirror(a.vkey(), "http://127.0.0.1:" + std::to_string(server_a.port()), m);
  BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);
  auto second = mirror(a.vkey(), "http://127.0.0.1:" + std::to_string(server_b.port()), m);
  BOOST_TEST(second.exit_code == 1);
  BOOST_TEST(
      second.err.find("objector-verify: the log's tree of size 3 does not contain the tree of size 3 mirrored "
                      "before: the log forked or rewrote entries; the signed checkpoints are kept as evidence: ") == 0u,
      second.err);
  std::vector<std::filesystem::path> evidence;
  for (const auto& e : std::filesystem::directory_iterator(m / "evidence")) evidence.push_back(e.path());
  BOOST_TEST_REQUIRE(evidence.size() == 2u);
  // Each is a validly signed checkpoint of size 3, with different roots.
  std::vector<Hash> roots;
  for (const auto& e : evidence) {
    auto cp = open_checkpoint(native::read_file(e).value(), a.policy());
    BOOST_TEST_REQUIRE(cp.ok());
    BOOST_TEST(cp->checkpoint.size == 3u);
    roots.push_back(cp->checkpoint.root);
  }
  BOOST_TEST(roots[0] != roots[1]);
  // The mirror still holds A's log: its checkpoint and tiles were not replaced.
  BOOST_TEST(native::read_file(m / "checkpoint").value() == ca.get("/checkpoint").body);
  BOOST_TEST(native::read_file(m / "tile/0/000.p/3").value() == ca.get("/tile/0/000.p/3").body);
  BOOST_TEST(!std::filesystem::exists(m / ".incoming"));
}

// A server that sends random hash tiles with the log's genuine checkpoint:
// exit 1, and nothing is written (no tile, no evidence: tiles are not
// signed), so an honest run into the same folder then succeeds.
BOOST_AUTO_TEST_CASE(junk_tiles_are_never_written_and_an_honest_run_then_succeeds) {
  auto intake = RunningIntake();
  auto& [data, server, client] = intake;
  for (int i = 0; i < 3; ++i) {
    auto account = "user:" + std::to_string(i);
    BOOST_TEST_REQUIRE(
        client.post_json("/v1/objections", IntakeData::body(data.objection(account)), data.token(account)).status ==
        201);
  }
  auto checkpoint = client.get("/checkpoint").body;
  auto bundle = client.get("/tile/entries/000.p/3").body;
  HostileServer junk([&](net::ip::tcp::socket& s, const std::string& path) {
    if (path == "/checkpoint") return HostileServer::send(s, checkpoint);
    if (path == "/tile/0/000.p/3") return HostileServer::send(s, std::string(96, 'j'));
    HostileServer::send(s, bundle);
  });
  TempDir out;
  auto m = out.path() / "m";
  auto bad = mirror(data.vkey(), junk.url(), m);
  BOOST_TEST(bad.exit_code == 1);
  BOOST_TEST(bad.err == "objector-verify: the tiles the server sent do not lead to its checkpoint's root; " +
                            m.string() +
                            " was left as it was (hint: run again later; tiles are not signed, so this proves nothing "
                            "about the log)\n");
  BOOST_TEST(!std::filesystem::exists(m / "tile"));
  BOOST_TEST(!std::filesystem::exists(m / "evidence"));
  BOOST_TEST(!std::filesystem::exists(m / "checkpoint"));
  BOOST_TEST(!std::filesystem::exists(m / ".incoming"));
  auto url = "http://127.0.0.1:" + std::to_string(server.port());
  auto honest = mirror(data.vkey(), url, m);
  BOOST_TEST(honest.exit_code == 0, honest.err);
  BOOST_TEST(native::read_file(m / "checkpoint").value() == checkpoint);
  // A tile in the folder that no signed root holds (a disk error, an older
  // release's download) is fetched again and replaced, not blamed on the log.
  BOOST_TEST_REQUIRE(native::write_file(m / "tile/0/000.p/3", std::string(96, 'x')).ok());
  auto repaired = mirror(data.vkey(), url, m);
  BOOST_TEST(repaired.exit_code == 0, repaired.err);
  BOOST_TEST(native::read_file(m / "tile/0/000.p/3").value() == client.get("/tile/0/000.p/3").body);
  BOOST_TEST(!std::filesystem::exists(m / "evidence"));
}

// An entry bundle is at most what an intake can produce: 256 (here, its
// width) times the largest entry it accepts, with its length prefixes.
BOOST_AUTO_TEST_CASE(an_entry_bundle_larger_than_an_intake_makes_is_refused) {
  auto intake = RunningIntake();
  auto& [data, server, client] = intake;
  BOOST_TEST_REQUIRE(
      client.post_json("/v1/objections", IntakeData::body(data.objection("user:1")), data.token("user:1")).status ==
      201);
  auto checkpoint = client.get("/checkpoint").body;
  auto tile = client.get("/tile/0/000.p/1").body;
  std::size_t sent = 0;
  HostileServer big([&](net::ip::tcp::socket& s, const std::string& path) {
    if (path == "/checkpoint") return HostileServer::send(s, checkpoint);
    if (path == "/tile/0/000.p/1") return HostileServer::send(s, tile);
    net::write(s, net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 16777216\r\n\r\n")));
    std::string chunk(65536, 'x');
    for (int i = 0; i < 256; ++i) sent += net::write(s, net::buffer(chunk));
  });
  TempDir out;
  auto m = out.path() / "m";
  auto r = mirror(data.vkey(), big.url(), m);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err ==
             "objector-verify: the checkpoint claims 1 entries, but fetching them failed at tile/entries/000.p/1: HTTP "
             "request to 127.0.0.1 failed: the answer is larger than allowed\n");
  BOOST_TEST(!std::filesystem::exists(m / "tile"));
}

BOOST_AUTO_TEST_SUITE_END()
