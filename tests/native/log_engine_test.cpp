// The log engine in process: one contract every store backend passes (the
// in-memory one, SQLite, and PostgreSQL when the test cluster is there), the
// awaiter's rule, and a leader handing over to a follower without processes.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "core/crypto/sha256.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/files.hpp"
#include "native/common/postgres.hpp"
#include "native/intake/log/awaiter.hpp"
#include "native/intake/log/pending_row.hpp"
#include "native/intake/log/sequencer.hpp"
#include "native/intake/log/store_memory.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::intake;
using namespace objector::test;

namespace {

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Store>()> open;
};

// A fresh PostgreSQL database, when the test cluster is there.
void add_postgresql(std::vector<Backend>& out) {
  if (!postgres_configured()) return;
  auto uri = fresh_database();
  out.push_back({"postgresql", [uri] { return Store::open({uri, {}}, true).value(); }});
}

// A fresh, empty store of every backend this run has.
std::vector<Backend> backends(const TempDir& tmp) {
  std::vector<Backend> out;
  auto memory = std::make_shared<MemoryLog>(false);
  out.push_back({"memory", [memory] { return memory->open(); }});
  auto file = tmp.path() / "log.sqlite";
  out.push_back({"sqlite", [file] { return Store::open({"sqlite", file}, true).value(); }});
  add_postgresql(out);
  return out;
}

// A fresh, empty store of every backend several nodes can share.
std::vector<Backend> shared_backends() {
  std::vector<Backend> out;
  auto memory = std::make_shared<MemoryLog>(true);
  out.push_back({"memory", [memory] { return memory->open(); }});
  add_postgresql(out);
  return out;
}

Submission submission(int i) {
  Submission s;
  s.entry.bytes = "entry " + std::to_string(i);
  s.entry.leaf = leaf_hash(as_bytes(s.entry.bytes));
  s.entry.device_key = sha256(as_bytes("device " + std::to_string(i)));
  s.opening.account = "user:" + std::to_string(i);
  s.opening.r = SecretBytes(Bytes(32, static_cast<std::uint8_t>(i)));
  s.opening.received = 1764800000 + i;
  return s;
}

// A batch extending `tree` (and the store's latest, `previous`) with entries [from, to).
Batch batch_of(CompactTree& tree, std::optional<std::uint64_t> previous, int from, int to, const NoteSigner& key) {
  Batch b;
  b.previous_size = previous;
  for (int i = from; i < to; ++i) {
    auto s = submission(i);
    s.entry.index = s.opening.index = tree.size();
    tree.append(s.entry.leaf, [&](const CompactTree::Node& n) { b.nodes.push_back(n); });
    b.entries.push_back(std::move(s.entry));
    b.openings.push_back(std::move(s.opening));
  }
  b.checkpoint = {tree.size(), sign_checkpoint({key.name, tree.size(), tree.root(), {}}, key)};
  return b;
}

// The empty tree's checkpoint, as a new log starts.
CompactTree start_log(Store& store, const NoteSigner& key) {
  CompactTree tree;
  BOOST_TEST_REQUIRE(store.commit(batch_of(tree, std::nullopt, 0, 0, key)).ok());
  return tree;
}

// Runs `check` on a fresh log (the empty tree's checkpoint committed) of every backend.
void for_each_backend(const std::function<void(Store&, CompactTree&, const NoteSigner&)>& check) {
  TempDir tmp;
  auto key = fixed_log_key();
  for (const auto& backend : backends(tmp)) {
    BOOST_TEST_CONTEXT(backend.name) {
      auto store = backend.open();
      auto tree = start_log(*store, key);
      check(*store, tree, key);
    }
  }
}

using Answers = std::vector<std::future<Result<Integrated>>>;

// Submits objections [0, n) to `s`: their answers, to come.
Answers submit_all(Sequencer& s, int n) {
  Answers answers;
  for (int i = 0; i < n; ++i) {
    auto promise = std::make_shared<std::promise<Result<Integrated>>>();
    answers.push_back(promise->get_future());
    s.submit(submission(i), [promise](Result<Integrated> r) { promise->set_value(std::move(r)); });
  }
  return answers;
}

// The indices the answers give; each must come within 10 s and be a receipt.
std::set<std::uint64_t> indices_of(Answers& answers) {
  std::set<std::uint64_t> indices;
  for (auto& a : answers) {
    BOOST_TEST_REQUIRE((a.wait_for(std::chrono::seconds(10)) == std::future_status::ready));
    auto r = a.get();
    BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
    indices.insert(r->index);
  }
  return indices;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(log_engine)

BOOST_AUTO_TEST_CASE(a_stale_batch_is_refused_with_nothing_written) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    auto ahead = tree;
    BOOST_TEST_REQUIRE(store.commit(batch_of(ahead, 0, 0, 3, key)).ok());
    // Another sequencer still at size 0.
    auto stale = store.commit(batch_of(tree, 0, 10, 12, key));
    BOOST_TEST(stale.error().code == "stale_sequencer");
    BOOST_TEST(stale.error().message == "another sequencer extended the log first");
    BOOST_TEST(store.latest_checkpoint().value()->size == 3u);
    BOOST_TEST(!store.find_leaf(submission(10).entry.leaf).value().has_value());
    BOOST_TEST(store.entries(0, 100).value().size() == 3u);
    BOOST_TEST(store.checkpoints().value().size() == 2u);
  });
}

BOOST_AUTO_TEST_CASE(a_batch_is_all_or_nothing) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    BOOST_TEST_REQUIRE(store.commit(batch_of(tree, 0, 0, 2, key)).ok());
    // Its second entry is entry 1 again: the store refuses the whole batch.
    auto copy = tree;
    auto bad = batch_of(copy, 2, 5, 7, key);
    auto dup = submission(1);
    bad.entries[1].leaf = dup.entry.leaf;
    auto refused = store.commit(bad);
    BOOST_TEST(!refused.ok());
    BOOST_TEST(store.latest_checkpoint().value()->size == 2u);
    BOOST_TEST(!store.find_leaf(submission(5).entry.leaf).value().has_value());
    BOOST_TEST(store.read_hashes(std::vector<NodeId>{{0, 2}}).error().code == "missing_node");
    BOOST_TEST(store.openings(0, 10).value().size() == 2u);
    // And the log goes on from where it was.
    BOOST_TEST(store.commit(batch_of(tree, 2, 5, 7, key)).ok());
  });
}

BOOST_AUTO_TEST_CASE(a_batch_reusing_a_device_key_is_refused_whole) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    BOOST_TEST_REQUIRE(store.commit(batch_of(tree, 0, 0, 2, key)).ok());
    auto copy = tree;
    auto logged = batch_of(copy, 2, 5, 7, key);  // entry 1's device key, logged before
    logged.entries[1].device_key = submission(1).entry.device_key;
    BOOST_TEST(!store.commit(logged).ok());
    copy = tree;
    auto twice = batch_of(copy, 2, 5, 7, key);  // one device key twice in the batch
    twice.entries[1].device_key = twice.entries[0].device_key;
    BOOST_TEST(!store.commit(twice).ok());
    BOOST_TEST(store.latest_checkpoint().value()->size == 2u);
    BOOST_TEST(!store.find_leaf(submission(5).entry.leaf).value().has_value());
    BOOST_TEST(store.commit(batch_of(tree, 2, 5, 7, key)).ok());
  });
}

BOOST_AUTO_TEST_CASE(entries_are_found_by_leaf_and_by_account) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    auto batch = batch_of(tree, 0, 0, 5, key);
    batch.openings[3].account = "user:1";  // user:1 objected twice, from two devices
    BOOST_TEST_REQUIRE(store.commit(batch).ok());
    BOOST_TEST(store.find_leaf(submission(2).entry.leaf).value().value_or(99) == 2u);
    BOOST_TEST(!store.find_leaf(submission(5).entry.leaf).value().has_value());
    BOOST_TEST((store.indices_of("user:1").value() == std::vector<std::uint64_t>{1, 3}));
    BOOST_TEST((store.indices_of("user:4").value() == std::vector<std::uint64_t>{4}));
    BOOST_TEST(store.indices_of("user:3").value().empty());
  });
}

BOOST_AUTO_TEST_CASE(a_look_up_finds_a_logged_leaf_and_a_reused_device_key) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    BOOST_TEST_REQUIRE(store.commit(batch_of(tree, 0, 0, 2, key)).ok());
    auto logged = submission(1);
    auto reused = submission(7);  // another objection signed with entry 1's device key
    reused.entry.device_key = logged.entry.device_key;
    auto fresh = submission(8);
    std::vector<const Submission*> asked{&logged, &reused, &fresh};
    auto known = store.lookup(asked).value();
    BOOST_TEST_REQUIRE(known.size() == 3u);
    BOOST_TEST_REQUIRE(known[0].index.has_value());
    BOOST_TEST(*known[0].index == 1u);
    BOOST_TEST((known[0].device_key_leaf == logged.entry.leaf));
    BOOST_TEST(!known[1].index.has_value());
    BOOST_TEST((known[1].device_key_leaf == logged.entry.leaf));
    BOOST_TEST(!known[2].index.has_value());
    BOOST_TEST(!known[2].device_key_leaf.has_value());
  });
}

BOOST_AUTO_TEST_CASE(tiles_and_proofs_read_back_from_every_backend) {
  MemoryTree expected;
  for (int i = 0; i < 300; ++i) expected.append(submission(i).entry.leaf);
  for_each_backend([&expected](Store& store, CompactTree& tree, const NoteSigner& key) {
    std::uint64_t size = 0;
    for (int from = 0; from < 300; from += 100) {  // three checkpoints
      BOOST_TEST_REQUIRE(store.commit(batch_of(tree, size, from, from + 100, key)).ok());
      size = tree.size();
    }
    for (TileAddress t : {TileAddress{false, 0, 0, 256}, TileAddress{false, 0, 1, 44}, TileAddress{false, 1, 0, 1}}) {
      BOOST_TEST(make_hash_tile(store.reader(), t).value() == make_hash_tile(expected.reader(), t).value(),
                 tile_path(t));
    }
    // A partial tile of an earlier checkpoint (size 200) reads back too.
    TileAddress old{false, 0, 0, 200};
    BOOST_TEST(make_hash_tile(store.reader(), old).value() == make_hash_tile(expected.reader(), old).value());
    BOOST_TEST(store.nodes(0, 256, 100).value().size() == 44u * 32);
    BOOST_TEST(store.entries(256, 256).value().at(43).bytes == "entry 299");
    LatestCheckpoint cp{300, store.latest_checkpoint().value()->note};
    auto proofs = inclusion_proofs(store.reader(), std::vector<std::uint64_t>{0, 255, 299}, cp);
    BOOST_TEST_REQUIRE(proofs.ok());
    auto parsed = parse_tlog_proof((*proofs)[2]).value();
    BOOST_TEST(parsed.hashes == inclusion_proof(expected.reader(), 299, 300).value());
    BOOST_TEST(CompactTree::load(store.reader(), 300).value().root() == expected.root());
  });
}

// The awaiter answers only from a checkpoint that covers the entry and meets
// the policy; refuses a reused device key; at a waiter's deadline, the right 503.
BOOST_AUTO_TEST_CASE(the_awaiter_answers_only_under_a_checkpoint_that_meets_the_policy) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    BOOST_TEST_REQUIRE(store.commit(batch_of(tree, 0, 0, 4, key)).ok());
    LatestCheckpoint cp{4, store.latest_checkpoint().value()->note};
    MemoryTree first_two;
    for (int i = 0; i < 2; ++i) first_two.append(submission(i).entry.leaf);
    LatestCheckpoint older{2, sign_checkpoint({key.name, 2, first_two.root(), {}}, key)};
    Awaiter awaiter;
    std::map<std::string, Result<Integrated>> answers;
    auto answer_to = [&](const std::string& name) {
      return [&answers, name](Result<Integrated> r) { answers.emplace(name, std::move(r)); };
    };
    auto t0 = Awaiter::Clock::now();
    auto deadline = t0 + std::chrono::milliseconds(1000);
    awaiter.add(submission(1), 1, true, answer_to("known index"), deadline);
    awaiter.add(submission(2), std::nullopt, false, answer_to("looked up"), deadline);
    auto reuse = submission(9);
    reuse.entry.device_key = submission(3).entry.device_key;
    awaiter.add(reuse, std::nullopt, true, answer_to("reused key"), deadline);
    awaiter.add(submission(7), std::nullopt, true, answer_to("not logged"), deadline);
    awaiter.add(submission(3), 3, true, answer_to("unwitnessed"), deadline);
    // No checkpoint meets the policy yet: nothing is answered but the refusal.
    awaiter.on_checkpoint(store.reader(), store, nullptr, t0);
    BOOST_TEST(answers.size() == 1u);
    BOOST_TEST(answers.at("reused key").error().code == "device_key_reused");
    // One that meets it but is older than index 2: index 1 only, under it.
    awaiter.on_checkpoint(store.reader(), store, &older, t0);
    BOOST_TEST(answers.size() == 2u);
    auto known = parse_tlog_proof(answers.at("known index")->proof).value();
    auto opened = open_checkpoint(known.checkpoint, single_log_policy(verifier_of(key))).value();
    BOOST_TEST(opened.checkpoint.size == 2u);
    BOOST_TEST(verify_inclusion(1, 2, submission(1).entry.leaf, known.hashes, opened.checkpoint.root).ok());
    BOOST_TEST(answers.at("known index")->created);
    // Past the deadline: logged but not under a checkpoint that meets the policy, and not logged.
    awaiter.on_checkpoint(store.reader(), store, &older, deadline);
    BOOST_TEST(answers.at("unwitnessed").error().code == "not_witnessed");
    BOOST_TEST(answers.at("looked up").error().code == "not_witnessed");
    BOOST_TEST(answers.at("not logged").error().code == "not_sequenced");
    BOOST_TEST(awaiter.empty());
    // The newest checkpoint: proofs under it.
    awaiter.add(submission(2), std::nullopt, false, answer_to("looked up, later"), deadline);
    awaiter.on_checkpoint(store.reader(), store, &cp, t0);
    BOOST_TEST(answers.at("looked up, later")->index == 2u);
    BOOST_TEST(!answers.at("looked up, later")->created);
    auto later = parse_tlog_proof(answers.at("looked up, later")->proof).value();
    BOOST_TEST(open_checkpoint(later.checkpoint, single_log_policy(verifier_of(key))).value().checkpoint.size == 4u);
  });
}

// The witnesses' cosignatures reach the store with a batch or on their own;
// a note never loses a signature, and a refused batch stores none of them.
BOOST_AUTO_TEST_CASE(cosignatures_are_stored_with_a_batch_or_alone_and_never_lost) {
  for_each_backend([](Store& store, CompactTree& tree, const NoteSigner& key) {
    BOOST_TEST_REQUIRE(store.commit(batch_of(tree, 0, 0, 2, key)).ok());
    auto plain = store.latest_checkpoint().value()->note;
    auto w1 = fixed_log_key("witness-one.example/w"), w2 = fixed_log_key("witness-two.example/w");
    auto by_one = cosign_checkpoint(plain, w1, 1764800000).value();
    auto by_both = cosign_checkpoint(by_one, w2, 1764800001).value();
    auto note_of = [&](std::uint64_t size) {
      for (const auto& c : store.checkpoints().value()) {
        if (c.size == size) return c.note;
      }
      return std::string();
    };
    // Alone.
    const Cosigned first[] = {{2, by_one, w1.name}};
    BOOST_TEST_REQUIRE(store.add_cosigned(first).ok());
    BOOST_TEST(note_of(2) == by_one);
    BOOST_TEST(store.witness_size(w1.name).value() == 2u);
    // Out of order: the note with fewer signatures does not replace it.
    const Cosigned late[] = {{2, plain, w1.name}};
    BOOST_TEST_REQUIRE(store.add_cosigned(late).ok());
    BOOST_TEST(note_of(2) == by_one);
    // A refused batch (stale) stores none.
    auto copy = tree;
    auto stale = batch_of(copy, 0, 5, 6, key);
    stale.cosigned = {{2, by_both, w2.name}};
    BOOST_TEST(store.commit(stale).error().code == "stale_sequencer");
    BOOST_TEST(note_of(2) == by_one);
    BOOST_TEST(store.witness_size(w2.name).value() == 0u);
    // With the next batch.
    auto next = batch_of(tree, 2, 2, 3, key);
    next.cosigned = {{2, by_both, w2.name}};
    BOOST_TEST_REQUIRE(store.commit(next).ok());
    BOOST_TEST(note_of(2) == by_both);
    BOOST_TEST(store.witness_size(w2.name).value() == 2u);
    BOOST_TEST(store.latest_checkpoint().value()->size == 3u);
  });
}

// Queues `submissions` as one row, as a follower does: the log's size it saw.
std::uint64_t queue_row(Store& store, std::vector<const Submission*> submissions) {
  auto row = encode_pending_row(submissions);
  auto queued = store.shared_queue()->add_pending(row.view(), submissions.size());
  BOOST_TEST_REQUIRE(queued.ok(), (queued.ok() ? "" : queued.error().message));
  return *queued;
}

// The leaves of the queue's rows, oldest first, as pending(max) gives them.
std::vector<std::vector<Hash>> queued_leaves(Store& store, std::size_t max) {
  std::vector<std::vector<Hash>> out;
  for (const auto& row : store.shared_queue()->pending(max).value()) {
    out.emplace_back();
    for (const auto& s : decode_pending_row(row.submissions.view(), "row").value()) out.back().push_back(s.entry.leaf);
  }
  return out;
}

// A follower learns where its queued submissions went: from the entries the
// log gained (read by index), or else by device key (here: a reused device key
// the leader refused). One not logged yet waits.
BOOST_AUTO_TEST_CASE(a_follower_finds_its_submissions_by_device_key) {
  auto key = fixed_log_key();
  for (const auto& backend : shared_backends()) {
    BOOST_TEST_CONTEXT(backend.name) {
      auto store = backend.open();
      auto tree = start_log(*store, key);
      std::vector<Submission> queued;
      for (int i : {0, 1, 9, 5}) queued.push_back(submission(i));
      auto& reuse = queued[2];
      reuse.entry.device_key = submission(1).entry.device_key;
      BOOST_TEST(queue_row(*store, {&queued[0], &queued[1], &reuse}) == 0u);
      BOOST_TEST(queue_row(*store, {&queued[3]}) == 0u);
      Awaiter awaiter;
      std::map<std::string, Result<Integrated>> answers;
      auto deadline = Awaiter::Clock::now() + std::chrono::minutes(1);
      for (auto [s, name] : {std::pair{&queued[0], "0"}, {&queued[1], "1"}, {&queued[2], "reuse"}, {&queued[3], "5"}}) {
        awaiter.add_queued(
            *s, 0, [&answers, name](Result<Integrated> r) { answers.emplace(name, std::move(r)); }, deadline);
      }
      LatestCheckpoint empty{0, store->latest_checkpoint().value()->note};
      awaiter.on_checkpoint(store->reader(), *store, &empty, Awaiter::Clock::now());
      BOOST_TEST(answers.empty());
      // The leader logs 0 to 3 and refuses the reused key: it takes the first row, not 5's.
      auto first_row = store->shared_queue()->pending(3).value();
      BOOST_TEST_REQUIRE(first_row.size() == 1u);
      auto batch = batch_of(tree, 0, 0, 4, key);
      batch.taken = {first_row[0].id};
      BOOST_TEST_REQUIRE(store->commit(batch).ok());
      BOOST_TEST(queued_leaves(*store, 10) == std::vector<std::vector<Hash>>{{queued[3].entry.leaf}});
      LatestCheckpoint four{4, store->latest_checkpoint().value()->note};
      awaiter.on_checkpoint(store->reader(), *store, &four, Awaiter::Clock::now());
      BOOST_TEST(answers.size() == 3u);
      BOOST_TEST(answers.at("0")->index == 0u);
      BOOST_TEST(answers.at("0")->created);
      BOOST_TEST(answers.at("1")->index == 1u);
      BOOST_TEST(answers.at("reuse").error().code == "device_key_reused");
      BOOST_TEST(!awaiter.empty());  // 5 is still queued
    }
  }
}

// The leader logged a leaf from its own queue while a follower's row of it
// waited (both nodes were sent it): the row outlives the logging until the
// leader's next turn drops it. The follower's first look starts at the size it
// was given, past the leaf; it still finds it, at once (CI saw it wait for its
// deadline and answer 503 when it asked the queue instead).
BOOST_AUTO_TEST_CASE(a_follower_finds_a_leaf_logged_while_its_row_of_it_waited) {
  auto key = fixed_log_key();
  for (const auto& backend : shared_backends()) {
    BOOST_TEST_CONTEXT(backend.name) {
      auto store = backend.open();
      auto tree = start_log(*store, key);
      auto sent = submission(0);
      BOOST_TEST_REQUIRE(queue_row(*store, {&sent}) == 0u);
      BOOST_TEST_REQUIRE(store->commit(batch_of(tree, 0, 0, 1, key)).ok());  // its own copy: no rows taken
      BOOST_TEST_REQUIRE(queued_leaves(*store, 10).size() == 1u);
      Awaiter awaiter;
      std::optional<Result<Integrated>> answer;
      awaiter.add_queued(
          sent, 0, [&answer](Result<Integrated> r) { answer = std::move(r); },
          Awaiter::Clock::now() + std::chrono::minutes(1));
      LatestCheckpoint one{1, store->latest_checkpoint().value()->note};
      awaiter.on_checkpoint(store->reader(), *store, &one, Awaiter::Clock::now());
      BOOST_TEST_REQUIRE(answer.has_value());
      BOOST_TEST_REQUIRE(answer->ok(), (answer->ok() ? "" : answer->error().message));
      BOOST_TEST((*answer)->index == 0u);
      BOOST_TEST((*answer)->created);  // logged after it was queued: either node's copy
      BOOST_TEST(awaiter.empty());
    }
  }
}

// An objection sent again to a follower after it was logged: the queueing
// saw a log past it, so the answer is its index with 200 (not created), at
// the follower's first look, and the leader drops the row without a batch.
BOOST_AUTO_TEST_CASE(a_follower_answers_an_objection_sent_again_as_not_created) {
  auto key = fixed_log_key();
  for (const auto& backend : shared_backends()) {
    BOOST_TEST_CONTEXT(backend.name) {
      auto store = backend.open();
      auto tree = start_log(*store, key);
      BOOST_TEST_REQUIRE(store->commit(batch_of(tree, 0, 0, 2, key)).ok());
      auto again = submission(1);
      BOOST_TEST_REQUIRE(queue_row(*store, {&again}) == 2u);
      Awaiter awaiter;
      std::optional<Result<Integrated>> answer;
      awaiter.add_queued(
          again, 2, [&answer](Result<Integrated> r) { answer = std::move(r); },
          Awaiter::Clock::now() + std::chrono::minutes(1));
      LatestCheckpoint two{2, store->latest_checkpoint().value()->note};
      awaiter.on_checkpoint(store->reader(), *store, &two, Awaiter::Clock::now());
      BOOST_TEST_REQUIRE(answer.has_value());
      BOOST_TEST_REQUIRE(answer->ok(), (answer->ok() ? "" : answer->error().message));
      BOOST_TEST((*answer)->index == 1u);
      BOOST_TEST(!(*answer)->created);
      auto rows = store->shared_queue()->pending(10).value();
      BOOST_TEST_REQUIRE(rows.size() == 1u);
      const std::int64_t taken[] = {rows[0].id};
      BOOST_TEST_REQUIRE(store->shared_queue()->settle(taken).ok());
      BOOST_TEST(store->shared_queue()->pending(10).value().empty());
    }
  }
}

// The queue gives whole rows, oldest first, as many as fit in `max`, and
// always the first (a row larger than a batch is still taken).
BOOST_AUTO_TEST_CASE(the_queue_gives_whole_rows_oldest_first) {
  auto key = fixed_log_key();
  for (const auto& backend : shared_backends()) {
    BOOST_TEST_CONTEXT(backend.name) {
      auto store = backend.open();
      start_log(*store, key);
      std::vector<Submission> s;
      for (int i = 0; i < 6; ++i) s.push_back(submission(i));
      queue_row(*store, {&s[0], &s[1], &s[2]});
      queue_row(*store, {&s[3]});
      queue_row(*store, {&s[4], &s[5]});
      using Rows = std::vector<std::vector<Hash>>;
      auto leaf = [&](int i) { return s[static_cast<std::size_t>(i)].entry.leaf; };
      BOOST_TEST(queued_leaves(*store, 1) == (Rows{{leaf(0), leaf(1), leaf(2)}}));
      BOOST_TEST(queued_leaves(*store, 4) == (Rows{{leaf(0), leaf(1), leaf(2)}, {leaf(3)}}));
      BOOST_TEST(queued_leaves(*store, 5) == (Rows{{leaf(0), leaf(1), leaf(2)}, {leaf(3)}}));
      BOOST_TEST(queued_leaves(*store, 6).size() == 3u);
      // Read back whole: every field of a submission.
      auto row = store->shared_queue()->pending(1).value();
      auto back = decode_pending_row(row[0].submissions.view(), "row").value();
      BOOST_TEST_REQUIRE(back.size() == 3u);
      BOOST_TEST(back[2].entry.bytes == s[2].entry.bytes);
      BOOST_TEST(back[2].entry.device_key == s[2].entry.device_key);
      BOOST_TEST(back[2].opening.account == s[2].opening.account);
      BOOST_TEST(to_hex(back[2].opening.r.view()) == to_hex(s[2].opening.r.view()));
      BOOST_TEST(back[2].opening.received == s[2].opening.received);
    }
  }
}

// One layout, read strictly: exact bytes for a submission, every field back,
// and rows cut short, with bytes over, or of another layout refused by name.
BOOST_AUTO_TEST_CASE(a_pending_row_is_read_back_exactly_or_refused) {
  Submission s;
  s.entry.leaf.fill(0xaa);
  s.entry.device_key.fill(0xbb);
  s.entry.bytes = "{}";
  s.opening.account = "u";
  s.opening.r = SecretBytes(Bytes{1, 2});
  s.opening.reason = "why";
  s.opening.received = -2;
  const Submission* one[] = {&s};
  auto row = encode_pending_row(one);
  BOOST_TEST(to_hex(row.view()) == "01" + std::string(64, 'a') + std::string(64, 'b') + "fffffffffffffffe" +
                                       "000000027b7d" + "0000000175" + "000000020102" + "00000003776879");
  auto back = decode_pending_row(row.view(), "pending row 7").value();
  BOOST_TEST_REQUIRE(back.size() == 1u);
  BOOST_TEST(back[0].entry.leaf == s.entry.leaf);
  BOOST_TEST(back[0].opening.reason == "why");
  BOOST_TEST(back[0].opening.received == -2);
  const std::string hint = " (hint: a node of another release queued it)";
  Bytes bytes(row.view().begin(), row.view().end());
  auto error_of = [](const Bytes& b) { return decode_pending_row(b, "pending row 7").error().message; };
  BOOST_TEST(error_of(Bytes(bytes.begin(), bytes.end() - 1)) == "pending row 7: submission 0 is cut short" + hint);
  auto over = bytes;
  over.push_back(0);
  BOOST_TEST(error_of(over) == "pending row 7: submission 1 is cut short" + hint);
  BOOST_TEST(error_of(Bytes{1}) == "pending row 7: no submission in it" + hint);
  BOOST_TEST(error_of(Bytes{}) == "pending row 7: not a queued row of layout 1" + hint);
  bytes[0] = 2;
  BOOST_TEST(error_of(bytes) == "pending row 7: not a queued row of layout 1" + hint);
  BOOST_TEST(decode_pending_row(bytes, "x").error().code == "storage_error");
}

// A row the sequencer cannot read is dropped with the next batch: it does
// not hold up what was queued after it.
BOOST_AUTO_TEST_CASE(a_pending_row_that_cannot_be_read_does_not_hold_up_the_queue) {
  auto log = std::make_shared<MemoryLog>(true);
  SequencerOptions options;
  options.interval = std::chrono::milliseconds(10);
  options.poll = std::chrono::milliseconds(10);
  auto open = [log]() -> Result<std::unique_ptr<Store>> { return log->open(); };
  auto leader = Sequencer::start(open, fixed_log_key(), options).value();
  auto store = log->open();
  const Bytes garbage{9, 9, 9};
  BOOST_TEST_REQUIRE(store->shared_queue()->add_pending(garbage, 3).ok());
  auto s = submission(0);
  BOOST_TEST_REQUIRE(queue_row(*store, {&s}) == 0u);
  for (int i = 0; i < 500 && !store->shared_queue()->pending(10).value().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_TEST(store->shared_queue()->pending(10).value().empty());
  BOOST_TEST(store->find_leaf(s.entry.leaf).value().value_or(99) == 0u);
}

// Two nodes on one shared store, in process: both take submissions, one
// sequences; when it stops, the other takes over and answers.
BOOST_AUTO_TEST_CASE(a_follower_takes_over_when_the_leader_stops) {
  auto log = std::make_shared<MemoryLog>(true);
  SequencerOptions options;
  options.interval = std::chrono::milliseconds(10);
  options.poll = std::chrono::milliseconds(10);
  auto open = [log]() -> Result<std::unique_ptr<Store>> { return log->open(); };
  auto a = Sequencer::start(open, fixed_log_key(), options).value();
  auto b = Sequencer::start(open, fixed_log_key(), options).value();
  auto submit = [](Sequencer& s, int i) {
    auto promise = std::make_shared<std::promise<Result<Integrated>>>();
    auto future = promise->get_future();
    s.submit(submission(i), [promise](Result<Integrated> r) { promise->set_value(std::move(r)); });
    return future.get();
  };
  auto first = submit(*a, 0);
  auto second = submit(*b, 1);
  BOOST_TEST_REQUIRE(first.ok(), (first.ok() ? "" : first.error().message));
  BOOST_TEST_REQUIRE(second.ok(), (second.ok() ? "" : second.error().message));
  BOOST_TEST(a->leading() != b->leading());
  auto& leader = a->leading() ? a : b;
  auto& follower = a->leading() ? b : a;
  leader->stop();
  leader.reset();  // its connection goes, and the lock with it
  auto third = submit(*follower, 2);
  BOOST_TEST_REQUIRE(third.ok(), (third.ok() ? "" : third.error().message));
  BOOST_TEST(follower->leading());
  BOOST_TEST(third->index == 2u);
  BOOST_TEST(third->created);
  // The same objection again: its index, not a new one.
  auto again = submit(*follower, 0);
  BOOST_TEST(again->index == first->index);
  BOOST_TEST(!again->created);
  auto proof = parse_tlog_proof(third->proof).value();
  auto cp = open_checkpoint(proof.checkpoint, single_log_policy(verifier_of(fixed_log_key()))).value();
  BOOST_TEST(cp.checkpoint.size == 3u);
  BOOST_TEST(verify_inclusion(2, 3, submission(2).entry.leaf, proof.hashes, cp.checkpoint.root).ok());
}

// One node alone: after a full batch, what queued meanwhile is due at once,
// however little. The interval (here 30 s) gathers a quiet intake's
// submissions; a busy one waiting for it left its cores idle. The test holds
// the store's write lock so the last two are queued while the first four commit.
BOOST_AUTO_TEST_CASE(after_a_full_batch_what_queued_meanwhile_is_due_at_once) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  start_log(*Store::open({"sqlite", file}, true).value(), fixed_log_key());
  SequencerOptions options;
  options.max_entries = 4;
  options.interval = std::chrono::seconds(30);
  auto sequencer = Sequencer::start(StoreLocation{"sqlite", file}, fixed_log_key(), options).value();
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  BOOST_TEST_REQUIRE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto start = std::chrono::steady_clock::now();
  auto answers = submit_all(*sequencer, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the first four wait for the lock
  BOOST_TEST_REQUIRE(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto indices = indices_of(answers);
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
  BOOST_TEST(indices == (std::set<std::uint64_t>{0, 1, 2, 3, 4, 5}));
  auto latest = Store::open({"sqlite", file}).value()->latest_checkpoint().value();
  BOOST_TEST_REQUIRE(latest.has_value());
  BOOST_TEST(latest->size == 6u);
}

// A leader does not wait for its interval when the other nodes queued a
// batch's worth: their notifications count the pending rows. (Before, a
// follower's submissions waited for the leader's next interval, here 30 s.)
void leader_turns_once_others_queued_a_full_batch(const Sequencer::StoreOpener& open) {
  SequencerOptions options;
  options.max_entries = 4;
  options.interval = std::chrono::seconds(30);
  options.lease = std::chrono::seconds(120);
  options.poll = std::chrono::milliseconds(10);
  options.wait_limit = std::chrono::seconds(120);
  auto leader = Sequencer::start(open, fixed_log_key(), options).value();
  for (int i = 0; i < 500 && !leader->leading(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  BOOST_TEST_REQUIRE(leader->leading());
  auto follower = Sequencer::start(open, fixed_log_key(), options).value();
  auto start = std::chrono::steady_clock::now();
  auto answers = submit_all(*follower, 4);
  auto indices = indices_of(answers);
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
  BOOST_TEST(indices == (std::set<std::uint64_t>{0, 1, 2, 3}));
  BOOST_TEST(!follower->leading());
}

BOOST_AUTO_TEST_CASE(a_leader_turns_once_other_nodes_queued_a_full_batch) {
  auto log = std::make_shared<MemoryLog>(true);
  BOOST_TEST_CONTEXT("memory") {
    leader_turns_once_others_queued_a_full_batch([log]() -> Result<std::unique_ptr<Store>> { return log->open(); });
  }
  if (postgres_configured()) {
    auto uri = fresh_database();
    BOOST_TEST_CONTEXT("postgresql") {
      leader_turns_once_others_queued_a_full_batch([uri] { return Store::open({uri, {}}, true); });
    }
  }
}

// The engine's deadlines come from the clock it is given: a follower whose
// leader never sequences answers not_sequenced once that clock passes the
// wait limit, with no real wait for it.
BOOST_AUTO_TEST_CASE(deadlines_follow_the_clock_the_engine_is_given) {
  auto log = std::make_shared<MemoryLog>(true);
  auto open = [log]() -> Result<std::unique_ptr<Store>> { return log->open(); };
  auto leader = log->open();  // holds the lock and never integrates
  BOOST_TEST_REQUIRE(leader->shared_queue()->lead(std::chrono::hours(1)).value());
  auto start = std::chrono::steady_clock::now();
  auto offset = std::make_shared<std::atomic<std::int64_t>>(0);  // hours the test clock is ahead
  SequencerOptions options;
  options.interval = std::chrono::milliseconds(10);
  options.poll = std::chrono::milliseconds(10);
  options.wait_limit = std::chrono::hours(1);
  options.now = [offset] { return std::chrono::steady_clock::now() + std::chrono::hours(offset->load()); };
  auto follower = Sequencer::start(open, fixed_log_key(), options).value();
  auto promise = std::make_shared<std::promise<Result<Integrated>>>();
  auto answered = promise->get_future();
  follower->submit(submission(0), [promise](Result<Integrated> r) { promise->set_value(std::move(r)); });
  BOOST_TEST((answered.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout));
  *offset = 2;  // two hours pass on the engine's clock
  BOOST_TEST_REQUIRE((answered.wait_for(std::chrono::seconds(5)) == std::future_status::ready));
  auto r = answered.get();
  BOOST_TEST(r.error().code == "not_sequenced");
  BOOST_TEST(!follower->leading());
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::minutes(1)));
}

// Nodes that share publish.dir each publish into it. A sequencer that lost
// its lock while it published resumes with its publisher still at an older
// size: it must not put back an older checkpoint, nor one with fewer
// cosignatures, over what the new sequencer wrote. When it leads again it
// goes on from the folder.
BOOST_AUTO_TEST_CASE(a_stale_sequencer_never_puts_back_an_older_checkpoint_in_a_shared_folder) {
  TempDir tmp;
  auto key = fixed_log_key();
  auto policy = single_log_policy(verifier_of(key));
  auto log = std::make_shared<MemoryLog>(false);
  auto store = log->open();
  auto tree = start_log(*store, key);
  auto commit = [&](int from, int to) {
    BOOST_TEST_REQUIRE(store->commit(batch_of(tree, from, from, to, key)).ok());
    auto cp = store->latest_checkpoint().value().value();
    return LatestCheckpoint{cp.size, cp.note};
  };
  const auto folder = tmp.path() / "published";
  auto stale = TilePublisher::open(folder, policy).value();  // both opened it at start, empty
  auto fresh = TilePublisher::open(folder, policy).value();
  auto older = commit(0, 300);
  auto newer = commit(300, 700);
  auto on_disk = [&] { return native::read_file(folder / "checkpoint").value(); };

  BOOST_TEST_REQUIRE(fresh->publish(*store, newer).ok());  // the new sequencer
  BOOST_TEST(on_disk() == newer.note);
  BOOST_TEST_REQUIRE(stale->publish(*store, older).ok());  // the old one, after its pause
  BOOST_TEST(on_disk() == newer.note);
  BOOST_TEST(stale->published_size() == 700u);

  // A cosignature the new sequencer added (a key the policy does not know: ignored, but kept).
  LatestCheckpoint cosigned{newer.size, newer.note + "\u2014 w.example/w " + std::string(104, 'A') + "\n"};
  BOOST_TEST_REQUIRE(fresh->publish_checkpoint(cosigned).ok());
  BOOST_TEST(on_disk() == cosigned.note);
  BOOST_TEST_REQUIRE(stale->publish(*store, newer).ok());
  BOOST_TEST(on_disk() == cosigned.note);

  auto next = commit(700, 800);  // leading again
  BOOST_TEST_REQUIRE(stale->publish(*store, next).ok());
  BOOST_TEST(on_disk() == next.note);
  auto read_tile = [&](const TileAddress& t) -> Result<Bytes> {
    OBJECTOR_TRY(auto text, native::read_file(folder / tile_path(t)));
    return Bytes(text.begin(), text.end());
  };
  BOOST_TEST(tree_root(tile_hash_reader(read_tile, 800), 800).value() == tree.root());
}

// Version 7 drops PostgreSQL's indexes on random keys: a store of version 6
// (its UNIQUE constraints and account index put back) migrates, keeps its
// entries, finds them through the key index, and still refuses a leaf or a
// device key logged before.
BOOST_AUTO_TEST_CASE(a_version_6_postgresql_store_loses_its_key_indexes_and_finds_its_entries) {
  if (!postgres_configured()) return;
  auto uri = fresh_database();
  auto key = fixed_log_key();
  CompactTree tree;
  {
    auto store = Store::open({uri, {}}, true).value();
    tree = start_log(*store, key);
    auto batch = batch_of(tree, 0, 0, 300, key);
    batch.openings[7].account = "user:1";
    BOOST_TEST_REQUIRE(store->commit(batch).ok());
  }
  auto admin = native::pg::Connection::open(uri).value();
  BOOST_TEST_REQUIRE(admin
                         .exec("ALTER TABLE entries ADD CONSTRAINT entries_leaf_key UNIQUE (leaf), ADD CONSTRAINT "
                               "entries_device_key_key UNIQUE (device_key); CREATE INDEX openings_by_account ON "
                               "openings(account); UPDATE objector_schema SET version = 6",
                               "test")
                         .ok());
  auto store = Store::open({uri, {}}, false).value();
  BOOST_TEST(store->schema_version().value() == 7);
  auto indexes = admin
                     .query(
                         "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE tablename IN "
                         "('entries', 'openings')",
                         "test")
                     .value();
  BOOST_TEST(indexes.text(0, 0) == "entries_pkey openings_pkey openings_with_reason");
  BOOST_TEST(store->find_leaf(submission(299).entry.leaf).value().value_or(0) == 299u);
  BOOST_TEST((store->indices_of("user:1").value() == std::vector<std::uint64_t>{1, 7}));
  auto logged = submission(42);
  std::vector<const Submission*> asked{&logged};
  BOOST_TEST(store->lookup(asked).value().at(0).index.value_or(0) == 42u);
  auto copy = tree;
  auto again = batch_of(copy, 300, 300, 302, key);
  again.entries[1].device_key = logged.entry.device_key;
  auto refused = store->commit(again);
  BOOST_TEST(refused.error().message == "cannot store entry: UNIQUE constraint failed: entries.device_key");
  BOOST_TEST(store->latest_checkpoint().value()->size == 300u);
  BOOST_TEST(store->commit(batch_of(tree, 300, 300, 302, key)).ok());
}

// The database ends the sequencer's session in the middle of a batch (after
// its compare-and-swap, while it reads the keys logged before): the batch
// fails as a whole, 503's store_unavailable, and no statement of it runs on
// a new session outside the transaction. The next batch opens one.
BOOST_AUTO_TEST_CASE(a_session_ended_inside_a_batch_writes_nothing_of_it) {
  if (!postgres_configured()) return;
  auto uri = fresh_database();
  auto key = fixed_log_key();
  auto store = Store::open({uri, {}}, true).value();
  auto tree = start_log(*store, key);
  BOOST_TEST_REQUIRE(store->commit(batch_of(tree, 0, 0, 2, key)).ok());
  auto admin = native::pg::Connection::open(uri).value();
  // The batch's read of the keys waits for this lock.
  BOOST_TEST_REQUIRE(admin.exec("BEGIN; LOCK TABLE openings IN ACCESS EXCLUSIVE MODE", "test").ok());
  auto copy = tree;
  auto batch = batch_of(copy, 2, 2, 4, key);
  auto committed = std::async(std::launch::async, [&] { return store->commit(batch); });
  std::string waiting;
  for (int i = 0; i < 200 && waiting.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    auto rows = admin
                    .query(
                        "SELECT pid::text FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE "
                        "'%FROM entries e%'",
                        "test")
                    .value();
    if (rows.size() == 1) waiting = rows.text(0, 0);
  }
  BOOST_TEST_REQUIRE(!waiting.empty());
  BOOST_TEST_REQUIRE(
      admin.query("SELECT pg_terminate_backend($1::int)", native::pg::Params().text(waiting), "test").ok());
  BOOST_TEST_REQUIRE(admin.exec("ROLLBACK", "test").ok());
  auto failed = committed.get();
  BOOST_TEST_REQUIRE(!failed.ok());
  BOOST_TEST(failed.error().code == "store_unavailable", failed.error().message);
  auto other = Store::open({uri, {}}, false).value();
  BOOST_TEST(other->latest_checkpoint().value()->size == 2u);
  BOOST_TEST(other->entries(0, 100).value().size() == 2u);
  BOOST_TEST(other->openings(0, 100).value().size() == 2u);
  BOOST_TEST(other->nodes(0, 0, 100).value().size() == 2u * 32);
  // The same store goes on, on a new session.
  BOOST_TEST_REQUIRE(store->commit(batch_of(tree, 2, 2, 4, key)).ok());
  BOOST_TEST(other->latest_checkpoint().value()->size == 4u);
}

// libpq reports a session the database closed (a restart) as open until a
// second query fails. The first query after the restart answers
// store_unavailable and ends the session, so a store's read runs again on a
// new one at once: no 500 for the first proof look-up after a restart.
BOOST_AUTO_TEST_CASE(the_first_read_after_a_database_restart_runs_on_a_new_session) {
  if (!postgres_configured()) return;
  PrivateCluster cluster;
  auto uri = fresh_database(cluster.admin_uri());
  auto key = fixed_log_key();
  auto store = Store::open({uri, {}}, true).value();
  auto tree = start_log(*store, key);
  BOOST_TEST_REQUIRE(store->commit(batch_of(tree, 0, 0, 3, key)).ok());
  BOOST_TEST_REQUIRE(store->find_leaf(submission(1).entry.leaf).value().value_or(9) == 1u);
  auto session = native::pg::Connection::open(uri).value();
  BOOST_TEST_REQUIRE(session.query("SELECT 1", "test").ok());
  cluster.crash_and_restart(std::chrono::seconds(1));
  auto first = session.query("SELECT 1", "test");
  BOOST_TEST_REQUIRE(!first.ok());
  BOOST_TEST(first.error().code == "store_unavailable", first.error().message);
  BOOST_TEST(!session.alive());
  auto found = store->find_leaf(submission(2).entry.leaf);
  BOOST_TEST_REQUIRE(found.ok(), (found.ok() ? "" : found.error().message));
  BOOST_TEST(found->value_or(9) == 2u);
  BOOST_TEST(store->latest_checkpoint().value()->size == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
