#include <boost/test/unit_test.hpp>
#include <csignal>
#include <cstring>
#include <thread>

#include "core/crypto/commitment.hpp"
#include "core/encoding/base64.hpp"
#include "core/objection/entry.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "tests/support/intake_fixture.hpp"
#include "tests/support/json_value.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

namespace {

// Fills the log with `n` objections through the load generator (real HTTP).
void fill(const IntakeData& data, const IntakeServer& server, int n) {
  auto r = run({loadgen_bin(), "--intake", "http://127.0.0.1:" + std::to_string(server.port()), "--dir",
                data.dir().string(), "--count", std::to_string(n), "--connections", "32"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_log)

BOOST_AUTO_TEST_CASE(tiles_over_http_rebuild_the_checkpoint_root) {
  IntakeData data(fast_batches);
  IntakeServer server(data.dir());
  fill(data, server, 300);  // one full level-0 tile and a partial one
  HttpClient client(server.port());
  auto cp = client.get("/checkpoint");
  BOOST_TEST(cp.headers["content-type"] == "text/plain; charset=utf-8");
  auto checkpoint = open_checkpoint(cp.body, data.policy());
  BOOST_TEST_REQUIRE(checkpoint.ok());
  const auto size = checkpoint->checkpoint.size;
  BOOST_TEST(size == 300u);

  int fetched = 0;
  auto nodes = tile_hash_reader(
      [&](const TileAddress& t) -> Result<Bytes> {
        auto r = client.get("/" + tile_path(t));
        ++fetched;
        if (r.status != 200) return make_error(errc::http, tile_path(t) + ": HTTP " + std::to_string(r.status));
        BOOST_TEST(r.headers["content-type"] == "application/octet-stream");
        BOOST_TEST(r.headers["cache-control"] ==
                   (t.width == 256 ? "public, max-age=31536000, immutable" : "public, max-age=3600"));
        return Bytes(r.body.begin(), r.body.end());
      },
      size);
  BOOST_TEST(tree_root(nodes, size).value() == checkpoint->checkpoint.root);
  BOOST_TEST(fetched == 2);  // tile/1/000.p/1 (the first 256 leaves) and tile/0/001.p/44

  // Entry bundles hash to the level-0 tiles.
  for (auto t : {TileAddress{true, 0, 0, 256}, TileAddress{true, 0, 1, 44}}) {
    auto bundle = client.get("/" + tile_path(t));
    BOOST_TEST_REQUIRE(bundle.status == 200);
    auto entries = parse_entry_bundle(as_bytes(bundle.body), t.width).value();
    auto level0 = client.get("/" + tile_path({false, 0, t.index, t.width})).body;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      BOOST_TEST_REQUIRE(parse_entry_bytes(entries[i]).ok());
      auto h = leaf_hash(as_bytes(entries[i]));
      BOOST_TEST_REQUIRE(level0.size() == 32u * t.width);
      BOOST_TEST_REQUIRE(std::memcmp(h.data(), level0.data() + 32 * i, 32) == 0, i);
    }
  }
  auto head = client.request("HEAD", "/tile/0/001.p/44");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.body.empty());
  BOOST_TEST(head.headers["content-length"] == std::to_string(44 * 32));
  BOOST_TEST(client.get("/tile/0/001.p/45").status == 404);  // beyond the tree
  BOOST_TEST(client.get("/tile/0/002").status == 404);
  BOOST_TEST(client.get("/tile/0/x000/001").status == 404);  // non-canonical path
}

BOOST_AUTO_TEST_CASE(export_reproduces_the_checkpoint) {
  IntakeData data(fast_batches);
  {
    IntakeServer server(data.dir());
    fill(data, server, 40);
  }
  TempDir out;
  auto r = run({intake_bin(), "export", "--dir", data.dir().string(), "--out", out.path().string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "exported 40 entries at tree size 40 to " + out.path().string() + "\n");
  auto checkpoint = open_checkpoint(native::read_file(out.path() / "checkpoint").value(), data.policy()).value();
  BOOST_TEST(native::read_file(out.path() / "log.vkey").value() == data.vkey() + "\n");
  auto entries = native::read_file(out.path() / "entries.jsonl").value();
  auto openings = native::read_file(out.path() / "openings.jsonl").value();
  MemoryTree tree;
  std::size_t pos = 0, opos = 0;
  for (std::uint64_t i = 0; i < checkpoint.checkpoint.size; ++i) {
    auto line = entries.substr(pos, entries.find('\n', pos) - pos);
    pos += line.size() + 1;
    auto entry = parse_entry_bytes(line);
    BOOST_TEST_REQUIRE(entry.ok());
    tree.append(leaf_hash(as_bytes(line)));
    auto oline = openings.substr(opos, openings.find('\n', opos) - opos);
    opos += oline.size() + 1;
    auto o = parse_json(oline).value();
    BOOST_TEST(o["index"].get<std::uint64_t>() == i);
    BOOST_TEST(check_opening(opening_from_json(test::as_value(json{{"account", o["account"]}, {"r", o["r"]}})).value(),
                             entry->statement.subject)
                   .ok());
  }
  BOOST_TEST(pos == entries.size());
  BOOST_TEST(tree.root() == checkpoint.checkpoint.root);
}

// A restarted intake reads its key index beside the server (both backends)
// and says when it is done; look-ups then find what the last run logged.
BOOST_AUTO_TEST_CASE(a_restarted_intake_warms_its_lookups_and_finds_what_it_logged) {
  IntakeData data;
  auto o = data.objection("user:7");
  auto body = IntakeData::body(o);
  std::uint64_t index = 0;
  {
    IntakeServer server(data.dir());
    fill(data, server, 40);
    HttpClient client(server.port());
    auto first = client.post_json("/v1/objections", body, data.token("user:7"));
    BOOST_TEST_REQUIRE(first.status == 201, first.body);
    index = parse_json(first.body).value()["index"].get<std::uint64_t>();
    server.kill(SIGTERM);
    BOOST_TEST_REQUIRE(server.wait() == 0);
  }
  IntakeServer server(data.dir());
  auto warmed = [&] { return server.log().find("event=lookups_ready ms=") != std::string::npos; };
  for (int i = 0; i < 200 && !warmed(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  BOOST_TEST_REQUIRE(warmed(), server.log());
  HttpClient client(server.port());
  auto again = client.post_json("/v1/objections", body, data.token("user:7"));
  BOOST_TEST_REQUIRE(again.status == 200, again.body);  // sent again: found by its device key
  BOOST_TEST(parse_json(again.body).value()["index"].get<std::uint64_t>() == index);
  auto proof = client.get("/v1/proof/" + base64url_encode(entry_leaf_hash(o.entry)));
  BOOST_TEST(proof.status == 200, proof.body);
  // Another objection signed with that device key: refused, from the index the restart read.
  auto statement = o.entry.statement;
  statement.services = {"facebook"};
  auto device = SigningKey::from_seed(o.device_seed.view()).value();
  auto reused = Objection{sign_statement(statement, device), Opening{o.opening.account, o.opening.r.clone()},
                          o.device_seed.clone()};
  auto refused = client.post_json("/v1/objections", IntakeData::body(reused), data.token("user:7"));
  BOOST_TEST(refused.status == 409, refused.body);
  BOOST_TEST(parse_json(refused.body).value()["error"] == "device_key_reused");
}

BOOST_AUTO_TEST_SUITE_END()
