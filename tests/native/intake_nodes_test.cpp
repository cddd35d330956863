// Several intake nodes on one PostgreSQL store (the throwaway test cluster):
// init --store and the schema, fail-over after kill -9, one index for an
// entry sent to two nodes, a paused sequencer that cannot publish, tiles
// from any node, and migrating a SQLite log.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

#include "core/encoding/base64.hpp"
#include "core/objection/entry.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/common/postgres.hpp"
#include "native/intake/data_dir.hpp"
#include "native/intake/log/store_sqlite.hpp"
#include "tests/support/intake_fixture.hpp"
#include "tests/support/log_checks.hpp"
#include "tests/support/witness_fixture.hpp"

using namespace objector;
using namespace objector::test;
using native::HttpClient;
using Clock = std::chrono::steady_clock;

namespace {

// A second node: a copy of the first node's folder (keys and config.json).
class NodeDir {
 public:
  explicit NodeDir(const IntakeData& first) {
    std::filesystem::copy(first.dir(), tmp_.path() / "node", std::filesystem::copy_options::recursive);
    ::chmod((tmp_.path() / "node").c_str(), 0700);
  }
  std::filesystem::path path() const { return tmp_.path() / "node"; }

 private:
  TempDir tmp_;
};

void fast_nodes(json& c) {
  fast_batches(c);
  c["batch"]["interval_ms"] = 50;
  c["limits"]["read_rate_per_second"] = 0;  // the test polls /healthz and /checkpoint
}

json health(unsigned short port) {
  HttpClient client(port);
  auto r = client.get("/healthz");
  if (r.status != 200) return json::object();
  return parse_json(r.body).value();
}

// The index of the node that sequences, waiting up to `limit` for one.
int leader_of(const std::vector<std::unique_ptr<IntakeServer>>& nodes, std::chrono::milliseconds limit) {
  auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i] && health(nodes[i]->port()).value("role", "") == "sequencer") return static_cast<int>(i);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

std::uint64_t index_of(const native::HttpResult& r) { return parse_json(r.body).value()["index"].get<std::uint64_t>(); }

Hash root_from_tiles(unsigned short port, std::uint64_t size) {
  HttpClient client(port);
  auto fetch = [&](const TileAddress& t) -> Result<Bytes> {
    auto r = client.get("/" + tile_path(t));
    if (r.status != 200) return make_error(errc::not_found, tile_path(t));
    return Bytes(r.body.begin(), r.body.end());
  };
  return tree_root(tile_hash_reader(fetch, size), size).value();
}

Checkpoint checkpoint_of(unsigned short port, const Policy& policy) {
  HttpClient client(port);
  auto r = client.get("/checkpoint");
  auto opened = open_checkpoint(r.body, policy);
  BOOST_TEST_REQUIRE(opened.ok(), "port " << port << ": " << r.status << " " << r.body);
  return opened->checkpoint;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_nodes)

BOOST_AUTO_TEST_CASE(init_makes_the_schema_once_and_serve_refuses_a_newer_one) {
  auto uri = fresh_database();
  TempDir a, b, c;
  auto dir = (a.path() / "node").string();
  auto init = [&](const std::string& d, const std::string& store) {
    return run({intake_bin(), "init", "--origin", "social.example/ai-training", "--dir", d, "--store", store});
  };
  auto first = init(dir, uri);
  BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);
  auto config = parse_json(native::read_file(std::filesystem::path(dir) / "config.json").value()).value();
  BOOST_TEST(config["store"] == uri);
  BOOST_TEST(!std::filesystem::exists(std::filesystem::path(dir) / "log.sqlite"));
  // Again with the same store: the migrations, idempotently.
  auto again = init(dir, uri);
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(again.out == "store schema at version 7\n");
  // Another folder (another key) on a store that holds a log: refused, nothing written.
  auto other = init((b.path() / "node").string(), uri);
  BOOST_TEST(other.exit_code == 2);
  BOOST_TEST(other.err ==
             "objector-intake: the store already holds a log (tree size 0; hint: a second node is a copy of the "
             "first node's folder)\n");
  BOOST_TEST(!std::filesystem::exists(b.path() / "node"));
  auto secret = init((c.path() / "node").string(), "postgresql://objector:hunter2@db.internal/objector");
  BOOST_TEST(secret.exit_code == 2);
  BOOST_TEST(secret.err ==
             "objector-intake: --store: the URI holds a password; config.json is not a place for secrets (hint: set "
             "PGPASSWORD, or put it in a password file named by PGPASSFILE)\n");
  auto scheme = init((c.path() / "node").string(), "mysql://db.internal/objector");
  BOOST_TEST(scheme.exit_code == 2);
  BOOST_TEST(scheme.err == "objector-intake: --store: expected \"sqlite\" or a postgresql:// connection URI\n");
  auto unreachable = init((c.path() / "node").string(), "postgresql:///objector?host=/nonexistent");
  BOOST_TEST(unreachable.exit_code == 1);
  BOOST_TEST(unreachable.err.rfind("objector-intake: cannot connect to the PostgreSQL store: ", 0) == 0u,
             unreachable.err);
  BOOST_TEST(!std::filesystem::exists(c.path() / "node"));

  auto admin = native::pg::Connection::open(uri).value();
  auto version = admin.query("SELECT version FROM objector_schema", "test").value();
  BOOST_TEST(version.int8(0, 0) == 7);
  // Version 6: a pending row per queueing, its submissions out of line and not compressed.
  auto columns = admin
                     .query(
                         "SELECT string_agg(attname || ':' || attstorage::text, ' ' ORDER BY attnum) FROM pg_attribute "
                         "WHERE attrelid = 'pending'::regclass AND attnum > 0 AND NOT attisdropped",
                         "test")
                     .value();
  BOOST_TEST(columns.text(0, 0) == "id:p count:p submissions:e");
  auto indexes =
      admin.query("SELECT string_agg(indexname, ' ') FROM pg_indexes WHERE tablename = 'pending'", "test").value();
  BOOST_TEST(indexes.text(0, 0) == "pending_pkey");
  // Version 7: no index on a random key (leaf, device key, account): each node's KeyIndex answers.
  auto key_indexes = admin
                         .query(
                             "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE tablename "
                             "IN ('entries', 'openings')",
                             "test")
                         .value();
  BOOST_TEST(key_indexes.text(0, 0) == "entries_pkey openings_pkey openings_with_reason");
  // Version 5: no foreign key from openings to entries (one transaction writes both).
  auto keys =
      admin.query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'openings'::regclass AND contype = 'f'", "test")
          .value();
  BOOST_TEST(keys.int8(0, 0) == 0);

  // A session prepares each query's text once, under one name; a text that does not prepare is not kept.
  for (std::int64_t i = 0; i < 3; ++i) {
    auto sum = admin.query("SELECT $1::int8 + 1", native::pg::Params().int8(i), "test");
    BOOST_TEST_REQUIRE(sum.ok());
    BOOST_TEST(sum->int8(0, 0) == i + 1);
  }
  auto prepared =
      admin.query("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int8 + 1'", "test")
          .value();
  BOOST_TEST(prepared.int8(0, 0) == 1);
  for (int i = 0; i < 2; ++i) {
    auto bad = admin.query("SELECT FROM WHERE", "test");
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().message.find("test: ERROR:  syntax error at or near \"WHERE\"") == 0u, bad.error().message);
  }

  // A schema from a newer release: serve refuses it, and says so.
  BOOST_TEST_REQUIRE(admin.exec("UPDATE objector_schema SET version = 99", "test").ok());
  auto serve = run({intake_bin(), "serve", "--dir", dir, "--listen", "127.0.0.1:0"});
  BOOST_TEST(serve.exit_code == 1);
  BOOST_TEST(serve.err ==
             "objector-intake: the PostgreSQL store's schema version 99 is newer than this "
             "objector-intake knows (7; hint: run a newer release)\n");
}

BOOST_AUTO_TEST_CASE(a_store_refuses_a_stale_sequencers_batch) {
  IntakeData data(fast_batches, Backend::postgresql);
  IntakeData embedded(fast_batches, Backend::sqlite);
  for (const auto* d : {&data, &embedded}) {
    {
      IntakeServer server(d->dir());
      HttpClient client(server.port());
      for (int i = 0; i < 3; ++i) {
        auto account = "user:" + std::to_string(i);
        BOOST_TEST_REQUIRE(
            client.post_json("/v1/objections", IntakeData::body(d->objection(account)), d->token(account)).status ==
            201);
      }
    }
    auto store = d->open_store();
    auto before = store->checkpoints().value();
    // A sequencer that still believes the log is at size 2 signs size 3 with another entry.
    auto key = intake::read_log_key(intake::DataDir{d->dir()}).value();
    intake::Batch stale;
    stale.previous_size = 2;
    stale.checkpoint = {3, sign_checkpoint({key.name, 3, Hash{}, {}}, key)};
    auto refused = store->commit(stale);
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error().is(errc::stale_sequencer));
    BOOST_TEST(refused.error().message == "another sequencer extended the log first");
    auto after = store->checkpoints().value();
    BOOST_TEST(after.size() == before.size());
    BOOST_TEST(after.back().note == before.back().note);
  }
}

BOOST_AUTO_TEST_CASE(the_same_entry_sent_to_two_nodes_gets_one_index) {
  IntakeData data(fast_nodes, Backend::postgresql);
  NodeDir second(data);
  IntakeServer a(data.dir()), b(second.path());
  for (int i = 0; i < 20; ++i) {
    auto account = "user:" + std::to_string(i);
    auto body = IntakeData::body(data.objection(account));
    auto token = data.token(account);
    native::HttpResult ra, rb;
    std::thread ta([&] { ra = HttpClient(a.port()).post_json("/v1/objections", body, token); });
    std::thread tb([&] { rb = HttpClient(b.port()).post_json("/v1/objections", body, token); });
    ta.join();
    tb.join();
    BOOST_TEST_REQUIRE((ra.status == 201 || ra.status == 200), ra.body);
    BOOST_TEST_REQUIRE((rb.status == 201 || rb.status == 200), rb.body);
    BOOST_TEST(index_of(ra) == static_cast<std::uint64_t>(i));
    BOOST_TEST(index_of(rb) == static_cast<std::uint64_t>(i));
    BOOST_TEST((ra.status == 201 || rb.status == 201));
  }
  auto store = data.open_store();
  check_log_whole(*store, data.policy(), {});
  BOOST_TEST(store->latest_checkpoint().value()->size == 20u);
}

// Three nodes under load from objector-loadgen and from tracked clients
// spread across them; the sequencer is killed (-9) three times.
BOOST_AUTO_TEST_CASE(kill_9_of_the_sequencer_hands_over_within_2_s) {
  IntakeData data(fast_nodes, Backend::postgresql);
  NodeDir n2(data), n3(data);
  std::vector<std::filesystem::path> dirs{data.dir(), n2.path(), n3.path()};
  std::vector<std::unique_ptr<IntakeServer>> nodes;
  std::vector<unsigned short> ports;
  for (const auto& d : dirs) {
    nodes.push_back(std::make_unique<IntakeServer>(d));
    ports.push_back(nodes.back()->port());
  }
  BOOST_TEST_REQUIRE(leader_of(nodes, std::chrono::seconds(5)) >= 0);

  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    load.emplace_back([&, i] {
      // Bounded: 40 objections a second per node, until the test ends.
      while (!stop) {
        (void)run({loadgen_bin(), "--intake", "http://127.0.0.1:" + std::to_string(ports[i]), "--dir", dirs[i].string(),
                   "--count", "40", "--rate", "40", "--connections", "2"});
      }
    });
  }
  std::map<Hash, std::uint64_t> acknowledged;
  std::mutex mutex;
  std::atomic<int> account{0};
  for (int t = 0; t < 3; ++t) {
    load.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        auto name = "user:tracked-" + std::to_string(account++);
        auto o = data.objection(name);
        auto r = HttpClient(ports[static_cast<std::size_t>((t + i) % 3)])
                     .post_json("/v1/objections", IntakeData::body(o), data.token(name));
        if (r.status != 201) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        std::lock_guard lock(mutex);
        acknowledged[entry_leaf_hash(o.entry)] = index_of(r);
      }
    });
  }

  std::vector<double> handovers;
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    int leader = leader_of(nodes, std::chrono::seconds(5));
    BOOST_TEST_REQUIRE(leader >= 0);
    auto size_at_kill = checkpoint_of(ports[static_cast<std::size_t>((leader + 1) % 3)], data.policy()).size;
    auto killed = Clock::now();
    nodes[static_cast<std::size_t>(leader)]->kill(SIGKILL);
    BOOST_TEST(nodes[static_cast<std::size_t>(leader)]->wait() == 128 + SIGKILL);
    nodes[static_cast<std::size_t>(leader)].reset();
    // Handed over: another node sequences and has published a checkpoint past the dead one's.
    double seconds = -1;
    while (Clock::now() - killed < std::chrono::seconds(10) && seconds < 0) {
      int next = leader_of(nodes, std::chrono::milliseconds(10));
      if (next >= 0 && checkpoint_of(ports[static_cast<std::size_t>(next)], data.policy()).size > size_at_kill) {
        seconds = std::chrono::duration<double>(Clock::now() - killed).count();
      }
    }
    BOOST_TEST_MESSAGE("round " << round << ": handed over in " << seconds << " s");
    BOOST_TEST(seconds >= 0);
    BOOST_TEST(seconds <= 2.0);
    handovers.push_back(seconds);
    nodes[static_cast<std::size_t>(leader)] = std::make_unique<IntakeServer>(
        dirs[static_cast<std::size_t>(leader)], std::vector<std::string>{}, ports[static_cast<std::size_t>(leader)]);
  }
  stop = true;
  for (auto& t : load) t.join();
  BOOST_TEST_MESSAGE("acknowledged " << acknowledged.size() << " tracked objections over 3 kills");
  BOOST_TEST_REQUIRE(acknowledged.size() > 30u);

  auto store = data.open_store();
  auto sizes = check_log_whole(*store, data.policy(), acknowledged);
  // Every node serves the same checkpoint and tiles that rebuild its root.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto latest = checkpoint_of(ports[0], data.policy());
  BOOST_TEST(latest.size == sizes.back());
  for (auto port : ports) {
    auto cp = checkpoint_of(port, data.policy());
    BOOST_TEST(cp.size == latest.size);
    BOOST_TEST(root_from_tiles(port, cp.size) == latest.root);
  }
}

// A sequencer paused (SIGSTOP) past its lease loses the lock; when it runs
// again it follows, and what it is sent is logged by the new sequencer.
BOOST_AUTO_TEST_CASE(a_paused_sequencer_loses_the_lock_and_follows) {
  IntakeData data(fast_nodes, Backend::postgresql);
  NodeDir second(data);
  std::vector<std::unique_ptr<IntakeServer>> nodes;
  nodes.push_back(std::make_unique<IntakeServer>(data.dir()));
  nodes.push_back(std::make_unique<IntakeServer>(second.path()));
  int leader = leader_of(nodes, std::chrono::seconds(5));
  BOOST_TEST_REQUIRE(leader >= 0);
  auto& paused = *nodes[static_cast<std::size_t>(leader)];
  auto& other = *nodes[static_cast<std::size_t>(1 - leader)];
  paused.kill(SIGSTOP);
  auto stopped = Clock::now();
  auto r = HttpClient(other.port())
               .post_json("/v1/objections", IntakeData::body(data.objection("user:1")), data.token("user:1"));
  auto waited = std::chrono::duration<double>(Clock::now() - stopped).count();
  BOOST_TEST_MESSAGE("answered " << waited << " s after the sequencer paused");
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(index_of(r) == 0u);
  BOOST_TEST(health(other.port())["role"] == "sequencer");
  paused.kill(SIGCONT);
  auto until = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < until && health(paused.port()).value("role", "") != "follower") {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST(health(paused.port())["role"] == "follower");
  BOOST_TEST(paused.log().find("event=following") != std::string::npos);
  auto r2 = HttpClient(paused.port())
                .post_json("/v1/objections", IntakeData::body(data.objection("user:2")), data.token("user:2"));
  BOOST_TEST_REQUIRE(r2.status == 201, r2.body);
  BOOST_TEST(index_of(r2) == 1u);
  auto store = data.open_store();
  check_log_whole(*store, data.policy(), {});
}

BOOST_AUTO_TEST_CASE(migrate_moves_a_sqlite_log_and_every_receipt_still_verifies) {
  IntakeData data(fast_batches, Backend::sqlite);
  std::vector<std::pair<Hash, std::string>> proofs;  // leaf, tlog-proof
  {
    IntakeServer server(data.dir());
    HttpClient client(server.port());
    for (int i = 0; i < 30; ++i) {
      auto account = "user:" + std::to_string(i);
      auto o = data.objection(account);
      auto r = client.post_json("/v1/objections", IntakeData::body(o, {{"reason", "reason " + account}}),
                                data.token(account));
      BOOST_TEST_REQUIRE(r.status == 201);
      proofs.emplace_back(entry_leaf_hash(o.entry), parse_json(r.body).value()["proof"].get<std::string>());
    }
    server.kill(SIGTERM);
    BOOST_TEST(server.wait() == 0);
  }
  TempDir exports;
  auto exported = [&](const std::string& name) {
    auto r = run({intake_bin(), "export", "--dir", data.dir().string(), "--out", (exports.path() / name).string()});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  };
  exported("sqlite");
  auto sqlite_checkpoint = data.open_store()->latest_checkpoint().value()->note;

  auto uri = fresh_database();
  auto moved = run({intake_bin(), "migrate", "--dir", data.dir().string(), "--to", uri});
  BOOST_TEST_REQUIRE(moved.exit_code == 0, moved.err);
  auto root = base64_encode(open_checkpoint(sqlite_checkpoint, data.policy()).value().checkpoint.root);
  auto checkpoints = intake::SqliteStore::open(data.dir() / "log.sqlite", false).value()->checkpoints().value();
  BOOST_TEST(moved.out == "copied " + std::to_string(checkpoints.size()) + " of " + std::to_string(checkpoints.size()) +
                              " checkpoints; tree size 30, root " + root +
                              "\nchecked: every checkpoint's signature and root, every entry and opening read "
                              "back\nconfig.json now uses the PostgreSQL store; log.sqlite is left as it was\n");
  auto config = parse_json(native::read_file(data.dir() / "config.json").value()).value();
  BOOST_TEST(config["store"] == uri);
  auto twice = run({intake_bin(), "migrate", "--dir", data.dir().string(), "--to", uri});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(twice.err ==
             "objector-intake: config.store is already a PostgreSQL store (hint: migrate copies a node's "
             "log.sqlite)\n");

  // The same export, byte for byte, from the new store.
  exported("postgresql");
  for (const auto& f : std::filesystem::directory_iterator(exports.path() / "sqlite")) {
    auto name = f.path().filename();
    BOOST_TEST(native::read_file(f.path()).value() == native::read_file(exports.path() / "postgresql" / name).value(),
               name);
  }
  // Served from PostgreSQL: the same checkpoint, and every receipt's proof verifies.
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  BOOST_TEST(client.get("/checkpoint").body == sqlite_checkpoint);
  for (const auto& [leaf, proof] : proofs) {
    BOOST_TEST_REQUIRE(verify_tlog_proof(parse_tlog_proof(proof).value(), leaf, data.policy()).ok());
    auto again = client.get("/v1/proof/" + base64url_encode(leaf));
    BOOST_TEST_REQUIRE(again.status == 200);
    auto p = parse_tlog_proof(parse_json(again.body).value()["proof"].get<std::string>()).value();
    BOOST_TEST(verify_tlog_proof(p, leaf, data.policy()).ok());
  }
  auto next =
      client.post_json("/v1/objections", IntakeData::body(data.objection("user:after")), data.token("user:after"));
  BOOST_TEST(next.status == 201);
  BOOST_TEST(index_of(next) == 30u);

  // Into a store that holds another log: refused.
  IntakeData elsewhere(fast_batches, Backend::postgresql);
  IntakeData source(fast_batches, Backend::sqlite);
  { IntakeServer s(source.dir()); }
  auto clash = run({intake_bin(), "migrate", "--dir", source.dir().string(), "--to", elsewhere.store()});
  BOOST_TEST(clash.exit_code == 2);
  BOOST_TEST(clash.err ==
             "objector-intake: the target store holds another log (hint: migrate into an empty PostgreSQL "
             "database)\n");
}

// The database crashes under load (pg_ctl stop -m immediate) and is back
// 2 s later, on a cluster of this test's own: every submission is answered
// 201 or 503 store_unavailable with Retry-After (never 500), reads work again
// within a second of the database, and every acknowledged objection is in the
// log at the index its answer gave.
BOOST_AUTO_TEST_CASE(a_database_restart_is_a_503_and_loses_nothing) {
  PrivateCluster cluster;
  IntakeData data(fast_nodes, fresh_database(cluster.admin_uri()));
  IntakeServer server(data.dir());
  struct Answer {
    int status;
    std::string retry_after, body;
  };
  std::mutex mutex;
  std::vector<Answer> answers;
  std::map<std::uint64_t, std::string> acknowledged;  // index -> leaf_hash
  std::atomic<bool> loading{true};
  std::vector<std::thread> loaders;
  for (int t = 0; t < 3; ++t) {
    loaders.emplace_back([&, t] {
      HttpClient client(server.port());
      for (int i = 0; loading; ++i) {
        auto account = "user:" + std::to_string(t) + "-" + std::to_string(i);
        auto r = client.post_json("/v1/objections", IntakeData::body(data.objection(account)), data.token(account));
        std::lock_guard lock(mutex);
        answers.push_back({r.status, r.headers["retry-after"], r.body});
        if (r.status == 201) {
          auto body = parse_json(r.body).value();
          acknowledged[body["index"].get<std::uint64_t>()] = body["leaf_hash"].get<std::string>();
        }
        if (r.status != 201) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  cluster.crash_and_restart(std::chrono::seconds(2));
  auto back = Clock::now();
  // Reads from the store (a tile of entries): each pooled session fails once, then reconnects.
  HttpClient reader(server.port());
  int read_status = 0;
  while (Clock::now() < back + std::chrono::seconds(1)) {
    read_status = reader.get("/tile/entries/000.p/1").status;
    if (read_status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST(read_status == 200);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  loading = false;
  for (auto& l : loaders) l.join();
  std::size_t unavailable = 0;
  for (const auto& a : answers) {
    BOOST_TEST_CONTEXT(a.status << " " << a.body) {
      BOOST_TEST((a.status == 201 || a.status == 503));
      if (a.status == 503) {
        ++unavailable;
        BOOST_TEST(!a.retry_after.empty());
      }
    }
  }
  BOOST_TEST(unavailable > 0u);  // the restart was seen
  BOOST_TEST(acknowledged.size() > answers.size() / 2);
  // Every acknowledged objection is in the log at its index.
  auto store = data.open_store();
  for (const auto& [index, leaf] : acknowledged) {
    auto entries = store->entries(index, 1);
    BOOST_TEST_REQUIRE(entries.ok(), (entries.ok() ? "" : entries.error().message));
    BOOST_TEST_REQUIRE(entries->size() == 1u, "index " << index);
    BOOST_TEST(base64_encode((*entries)[0].leaf) == leaf, "index " << index);
  }
  BOOST_TEST(server.log().find("storage_error") == std::string::npos);
}

// Two nodes and two witnesses (quorum: both): the leader has each checkpoint
// cosigned and stores the cosignatures, and the follower answers from the
// store under the quorum.
BOOST_AUTO_TEST_CASE(a_follower_answers_under_the_witnesses_quorum) {
  IntakeData data(fast_nodes, Backend::postgresql);
  LogWitness w1("witness-one.example/w", data), w2("witness-two.example/w", data);
  auto policy = parse_policy(use_witnesses(data, w1, w2, "all")).value();
  NodeDir second(data);
  std::vector<std::unique_ptr<IntakeServer>> nodes;
  nodes.push_back(std::make_unique<IntakeServer>(data.dir()));
  BOOST_TEST_REQUIRE(leader_of(nodes, std::chrono::milliseconds(5000)) == 0);
  nodes.push_back(std::make_unique<IntakeServer>(second.path()));
  HttpClient follower(nodes[1]->port());
  for (int i = 0; i < 3; ++i) {
    auto account = "user:" + std::to_string(i);
    auto o = data.objection(account);
    auto r = follower.post_json("/v1/objections", IntakeData::body(o), data.token(account));
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto proof = parse_tlog_proof(parse_json(r.body).value()["proof"].get<std::string>()).value();
    auto v = verify_tlog_proof(proof, entry_leaf_hash(o.entry), policy);
    BOOST_TEST_REQUIRE(v.ok(), (v.ok() ? "" : v.error().message));
    BOOST_TEST(v->cosignatures.size() == 2u);
    BOOST_TEST(stored_note(data, v->checkpoint.size) == proof.checkpoint);
  }
  BOOST_TEST(health(nodes[1]->port()).value("role", "") == "follower");
  BOOST_TEST(w1.cosigned_size() == 3u);
  BOOST_TEST(w2.cosigned_size() == 3u);
}

BOOST_AUTO_TEST_CASE(healthz_reports_the_role) {
  IntakeData embedded(fast_batches, Backend::sqlite);
  IntakeServer server(embedded.dir());
  auto r = HttpClient(server.port()).get("/healthz");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == R"({"role":"sequencer","store":"sqlite","tree_size":0})");
}

BOOST_AUTO_TEST_SUITE_END()
