// The static read path (publish.dir): the sequencer writes c2sp.org/tlog-tiles
// files, the intake serves them, nginx serves them while every intake is
// down, `objector-intake publish` repairs them, and kill -9 never leaves a
// checkpoint whose tiles are missing or wrong.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/log/tile_publisher.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

namespace {

void fill(const IntakeData& data, unsigned short port, int n) {
  auto r = run({loadgen_bin(), "--intake", "http://127.0.0.1:" + std::to_string(port), "--dir", data.dir().string(),
                "--count", std::to_string(n), "--connections", "16"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
}

// The folder's checkpoint verifies, its tiles lead to its root and its
// bundles hash to its level-0 tiles; returns its size.
std::uint64_t check_folder(const std::filesystem::path& dir, const Policy& policy) {
  auto note = native::read_file(dir / "checkpoint");
  BOOST_TEST_REQUIRE(note.ok(), (note.ok() ? "" : note.error().message));
  auto cp = open_checkpoint(*note, policy);
  BOOST_TEST_REQUIRE(cp.ok(), (cp.ok() ? "" : cp.error().message));
  auto read_tile = [&](const TileAddress& t) -> Result<Bytes> {
    OBJECTOR_TRY(auto text, native::read_file(dir / tile_path(t)));
    return Bytes(text.begin(), text.end());
  };
  const auto size = cp->checkpoint.size;
  auto root = tree_root(tile_hash_reader(read_tile, size), size);
  BOOST_TEST_REQUIRE(root.ok(), (root.ok() ? "" : root.error().message));
  BOOST_TEST_REQUIRE(*root == cp->checkpoint.root);
  auto bundles = for_each_tile(size, [&](const TileAddress& t) -> Status {
    if (!t.entries) return Ok{};
    OBJECTOR_TRY(auto bundle, read_tile(t));
    OBJECTOR_TRY(auto hashes, read_tile({false, 0, t.index, t.width}));
    OBJECTOR_TRY(auto entries, parse_entry_bundle(bundle, t.width));
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto h = leaf_hash(as_bytes(entries[i]));
      if (!std::equal(h.begin(), h.end(), hashes.begin() + static_cast<std::ptrdiff_t>(32 * i))) {
        return make_error(errc::root_mismatch, tile_path(t) + " does not match its hashes");
      }
    }
    return Ok{};
  });
  BOOST_TEST_REQUIRE(bundles.ok(), (bundles.ok() ? "" : bundles.error().message));
  return size;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

// A folder nginx's workers (nobody, when the test runs as root) can read.
std::filesystem::path public_folder(const TempDir& tmp) {
  ::chmod(tmp.path().c_str(), 0755);
  return tmp.path() / "log";
}

void publish_to(const std::filesystem::path& dir, json& c) {
  fast_batches(c);
  c["publish"]["dir"] = dir.string();
}

unsigned short free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// nginx from Debian serving `root` on loopback with a config of its own
// (INTEGRATION.md's, "Serving the log from a folder").
class Nginx {
 public:
  explicit Nginx(const std::filesystem::path& root) : port_(free_port()) {
    ::chmod(prefix_.path().c_str(), 0755);
    auto conf = prefix_.path() / "nginx.conf";
    std::ofstream(conf) << "daemon on;\npid " << (prefix_.path() / "nginx.pid").string() << ";\nerror_log "
                        << (prefix_.path() / "error.log").string()
                        << ";\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
                        << "  client_body_temp_path " << prefix_.path().string() << "/body;\n"
                        << "  proxy_temp_path " << prefix_.path().string() << "/proxy;\n"
                        << "  fastcgi_temp_path " << prefix_.path().string() << "/fastcgi;\n"
                        << "  uwsgi_temp_path " << prefix_.path().string() << "/uwsgi;\n"
                        << "  scgi_temp_path " << prefix_.path().string() << "/scgi;\n"
                        << "  server {\n    listen 127.0.0.1:" << port_ << ";\n    root " << root.string() << ";\n"
                        << "    location = /checkpoint { default_type text/plain; add_header Cache-Control "
                           "\"max-age=2\"; }\n"
                        << "    location /tile/ { default_type application/octet-stream; }\n  }\n}\n";
    conf_ = conf.string();
    auto r = run({"/usr/sbin/nginx", "-p", prefix_.path().string(), "-c", conf_});
    if (r.exit_code != 0) throw std::runtime_error("nginx did not start: " + r.err);
  }
  ~Nginx() { (void)run({"/usr/sbin/nginx", "-p", prefix_.path().string(), "-c", conf_, "-s", "stop"}); }
  unsigned short port() const { return port_; }

 private:
  TempDir prefix_;
  std::string conf_;
  unsigned short port_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_publish)

BOOST_AUTO_TEST_CASE(grown_tiles_are_what_a_checkpoint_adds) {
  using T = TileAddress;
  BOOST_TEST(intake::grown_tiles(5, 5).empty());
  BOOST_TEST((intake::grown_tiles(0, 3) == std::vector<T>{{false, 0, 0, 3}, {true, 0, 0, 3}}));
  // 250 -> 300: the first level-0 tile fills, the second starts, level 1 starts.
  BOOST_TEST(
      (intake::grown_tiles(250, 300) ==
       std::vector<T>{{false, 0, 0, 256}, {true, 0, 0, 256}, {false, 0, 1, 44}, {true, 0, 1, 44}, {false, 1, 0, 1}}));
  // 300 -> 310: only the partial tile of level 0 grows (level 1 is still one node).
  BOOST_TEST((intake::grown_tiles(300, 310) == std::vector<T>{{false, 0, 1, 54}, {true, 0, 1, 54}}));
  BOOST_TEST(intake::grown_tiles(0, 65536).size() ==
             2u * 256 + 1 + 1);  // 256 full tiles and bundles, tile/1/000, tile/2/000.p/1
}

BOOST_AUTO_TEST_CASE(every_checkpoint_is_published_and_served_from_the_folder) {
  IntakeData data([](json& c) { publish_to("public", c); });  // relative: in the data folder
  const auto folder = data.dir() / "public";
  IntakeServer server(data.dir());
  // Before any objection: the empty tree's checkpoint.
  BOOST_TEST(check_folder(folder, data.policy()) == 0u);
  fill(data, server.port(), 300);
  HttpClient client(server.port());
  const auto size = check_folder(folder, data.policy());
  BOOST_TEST(size == 300u);
  auto cp = client.get("/checkpoint");
  BOOST_TEST(cp.status == 200);
  BOOST_TEST(cp.headers["content-type"] == "text/plain; charset=utf-8");
  BOOST_TEST(cp.body == native::read_file(folder / "checkpoint").value());
  for (const char* path : {"tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1", "tile/entries/001.p/44"}) {
    auto r = client.get(std::string("/") + path);
    BOOST_TEST_REQUIRE(r.status == 200, path);
    BOOST_TEST(r.headers["content-type"] == "application/octet-stream");
    BOOST_TEST(r.body == native::read_file(folder / path).value(), path);
  }
  BOOST_TEST(client.get("/tile/0/000").headers["cache-control"] == "public, max-age=31536000, immutable");
  // Partial tiles of earlier checkpoints stay (300 entries took several batches).
  int partials = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder / "tile/0/001.p"))
    partials += e.path().empty() ? 0 : 1;
  BOOST_TEST(partials >= 1);
  BOOST_TEST(mode_of(folder / "checkpoint") == 0644u);
  BOOST_TEST(mode_of(folder / "tile/0/000") == 0644u);
  BOOST_TEST(mode_of(folder / "tile/entries") == 0755u);
  // Served from the folder, not the store: a tile taken away is gone.
  std::filesystem::remove(folder / "tile/entries/000");
  BOOST_TEST(client.get("/tile/entries/000").status == 404);
  BOOST_TEST(client.get("/tile/0/002").status == 404);
}

BOOST_AUTO_TEST_CASE(an_unusable_publish_dir_stops_serve) {
  TempDir tmp;
  auto file = tmp.path() / "a-file";
  std::ofstream(file) << "not a folder";
  IntakeData data([&](json& c) { c["publish"]["dir"] = file.string(); });
  auto r = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == "objector-intake: publish.dir: " + file.string() +
                          " is not a folder (hint: name a folder the intake can write, or create it)\n");
  // Another log's folder is refused too.
  IntakeData other([&](json& c) { publish_to(tmp.path() / "shared", c); });
  { IntakeServer first(other.dir()); }
  data.edit_config([&](json& c) { c["publish"]["dir"] = (tmp.path() / "shared").string(); });
  auto foreign = run({intake_bin(), "serve", "--dir", data.dir().string(), "--listen", "127.0.0.1:0"});
  BOOST_TEST(foreign.exit_code == 2);
  BOOST_TEST(foreign.err.find("objector-intake: publish.dir: " + (tmp.path() / "shared" / "checkpoint").string() +
                              " is not this log's checkpoint (") == 0u,
             foreign.err);
}

BOOST_AUTO_TEST_CASE(publish_writes_and_repairs_the_folder_from_the_store) {
  IntakeData data(fast_batches);
  {
    IntakeServer server(data.dir());
    fill(data, server.port(), 300);
  }
  auto none = run({intake_bin(), "publish", "--dir", data.dir().string()});
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(none.err.find("objector-intake: publish needs config.json's publish.dir or --to FOLDER\n") == 0u,
             none.err);
  TempDir out;
  auto folder = out.path() / "log";
  auto first = run({intake_bin(), "publish", "--dir", data.dir().string(), "--to", folder.string()});
  BOOST_TEST(first.exit_code == 0, first.err);
  BOOST_TEST(first.out == "published tree size 300 to " + folder.string() + ": 5 tiles and bundles, 5 written\n");
  BOOST_TEST(check_folder(folder, data.policy()) == 300u);
  // A lost tile and a changed one are written again; the rest is left alone.
  std::filesystem::remove(folder / "tile/entries/000");
  native::write_file(folder / "tile/0/001.p/44", std::string(44 * 32, 'x')).value();
  auto again = run({intake_bin(), "publish", "--dir", data.dir().string(), "--to", folder.string()});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(again.out == "published tree size 300 to " + folder.string() + ": 5 tiles and bundles, 2 written\n");
  BOOST_TEST(check_folder(folder, data.policy()) == 300u);
  // A crash's leftover temporary file goes; a live writer's (younger than a minute) and other names stay.
  const auto stale = folder / "tile/0/001.p/44.tmp-0123456789abcdef";
  const auto live = folder / "checkpoint.tmp-fedcba9876543210";
  const auto other = folder / "tile/0/notes.tmp-mine";
  for (const auto& f : {stale, live, other}) native::write_file(f, "x").value();
  std::filesystem::last_write_time(stale, std::filesystem::file_time_type::clock::now() - std::chrono::minutes(2));
  auto swept = run({intake_bin(), "publish", "--dir", data.dir().string(), "--to", folder.string()});
  BOOST_TEST(swept.exit_code == 0, swept.err);
  BOOST_TEST(swept.out == "published tree size 300 to " + folder.string() +
                              ": 5 tiles and bundles, 0 written, 1 leftover temporary file removed\n");
  BOOST_TEST(!std::filesystem::exists(stale));
  BOOST_TEST(std::filesystem::exists(live));
  BOOST_TEST(std::filesystem::exists(other));
  for (const auto& f : {live, other}) std::filesystem::remove(f);
  // With publish.dir set, serve picks up from there.
  data.edit_config([&](json& c) { c["publish"]["dir"] = folder.string(); });
  IntakeServer server(data.dir());
  fill(data, server.port(), 10);
  BOOST_TEST(check_folder(folder, data.policy()) == 310u);
}

BOOST_AUTO_TEST_CASE(nginx_serves_the_log_while_every_intake_is_down) {
  TempDir tmp;
  const auto folder = public_folder(tmp);
  IntakeData data([&](json& c) { publish_to(folder, c); });
  std::string early;
  {
    IntakeServer server(data.dir());
    fill(data, server.port(), 20);
    early = HttpClient(server.port()).get("/checkpoint").body;
    fill(data, server.port(), 280);
    server.kill(SIGTERM);
    BOOST_TEST(server.wait() == 0);
  }
  Nginx nginx(folder);
  HttpClient client(nginx.port());
  auto cp = client.get("/checkpoint");
  BOOST_TEST(cp.status == 200);
  BOOST_TEST(cp.headers["content-type"] == "text/plain");
  BOOST_TEST(client.get("/tile/0/000").headers["content-type"] == "application/octet-stream");
  TempDir work;
  auto mirror = work.path() / "mirror";
  auto vkey = data.vkey();
  auto mirrored = run(
      {verify_bin(), "mirror", "--log-key", vkey, "http://127.0.0.1:" + std::to_string(nginx.port()), mirror.string()});
  BOOST_TEST(mirrored.exit_code == 0, mirrored.out + mirrored.err);
  // A checkpoint someone kept from earlier (a receipt's) is in the log nginx serves.
  native::write_file(work.path() / "early", early).value();
  auto consistent = run({verify_bin(), "consistency", "--log-key", vkey, "--tiles", mirror.string(),
                         (work.path() / "early").string(), (mirror / "checkpoint").string()});
  BOOST_TEST(consistent.exit_code == 0, consistent.out + consistent.err);
}

// kill -9 at random moments while the sequencer publishes: the folder's
// checkpoint always has every tile, and the restarted intake is never behind it.
BOOST_AUTO_TEST_CASE(kill_9_while_publishing_never_breaks_the_folder) {
  TempDir tmp;
  const auto folder = public_folder(tmp);
  IntakeData data([&](json& c) {
    publish_to(folder, c);
    c["batch"]["max_entries"] = 16;
  });
  std::mt19937 rng(2026);
  std::uint64_t last = 0;
  for (int round = 0; round < 5; ++round) {
    IntakeServer server(data.dir());
    // Restarted: the store (and so the intake) is at least where the folder is.
    auto size = tree_size(*std::make_unique<HttpClient>(server.port()));
    BOOST_TEST(size >= last);
    BOOST_TEST(check_folder(folder, data.policy()) == size);  // caught up at start
    std::thread load([&] {
      (void)run({loadgen_bin(), "--intake", "http://127.0.0.1:" + std::to_string(server.port()), "--dir",
                 data.dir().string(), "--count", "2000", "--connections", "8"});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 400));
    server.kill(SIGKILL);
    BOOST_TEST(server.wait() == 128 + SIGKILL);
    load.join();
    last = check_folder(folder, data.policy());
    BOOST_TEST(data.open_store()->latest_checkpoint().value()->size >= last);
  }
  BOOST_TEST(last > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
