#include "native/intake/sequencer.hpp"

#include <algorithm>
#include <map>

#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/log.hpp"

namespace objector::intake {

using Clock = std::chrono::steady_clock;

Result<std::unique_ptr<Sequencer>> Sequencer::start(const std::filesystem::path& database, NoteSigner log_key,
                                                    std::size_t max_entries, std::chrono::milliseconds interval,
                                                    std::size_t max_queue) {
  OBJECTOR_TRY(auto store, Store::open(database));
  std::unique_ptr<Sequencer> s(new Sequencer(std::move(store), std::move(log_key), max_entries, interval, max_queue));
  OBJECTOR_RETURN_IF_ERROR(s->resume());
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  return s;
}

Sequencer::Sequencer(Store store, NoteSigner log_key, std::size_t max_entries, std::chrono::milliseconds interval,
                     std::size_t max_queue)
    : store_(std::move(store)),
      log_key_(std::move(log_key)),
      max_entries_(max_entries),
      interval_(interval),
      max_queue_(max_queue) {}

Sequencer::~Sequencer() { stop(); }

// The tree after a restart is exactly the last committed checkpoint's.
Status Sequencer::resume() {
  OBJECTOR_TRY(auto latest, store_.latest_checkpoint());
  LatestCheckpoint cp;
  if (latest) {
    cp = {latest->size, latest->note};
  } else {
    // A new log starts with a signed checkpoint of the empty tree.
    cp.note = sign_checkpoint({log_key_.name, 0, empty_root(), {}}, log_key_);
    OBJECTOR_RETURN_IF_ERROR(store_.commit(Batch{{}, {}, {}, {0, cp.note}}));
  }
  OBJECTOR_TRY(tree_, CompactTree::load(store_.reader(), cp.size));
  latest_ = std::make_shared<const LatestCheckpoint>(std::move(cp));
  return Ok{};
}

void Sequencer::submit(Submission s, Done done) {
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < max_queue_) {
      queue_.push_back({std::move(s), std::move(done)});
      wake_.notify_one();
      return;
    }
    stopping = stopping_;
  }
  if (stopping)
    return done(make_error(errc::shutting_down, "the intake is shutting down (hint: try again in a moment)"));
  done(make_error(errc::overloaded,
                  "the intake is taking more objections than it can log right now (hint: try again in a moment)"));
}

bool Sequencer::full() const {
  std::lock_guard lock(mutex_);
  return queue_.size() >= max_queue_;
}

void Sequencer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  std::lock_guard join(join_mutex_);  // stop() may race with itself (signal thread, main)
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const LatestCheckpoint> Sequencer::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void Sequencer::witness_with(Witnessing* witnessing, std::chrono::seconds refresh) {
  std::lock_guard lock(mutex_);
  witnessing_ = witnessing;
  refresh_ = refresh;
  last_submitted_ = {};
  wake_.notify_one();
}

void Sequencer::cosigned(std::uint64_t size, const std::string& note) {
  // Witnesses answer on their own threads: a note with fewer signatures than
  // the one held arrived late and would hide a cosignature.
  auto signatures = [](const std::string& n) { return std::count(n.begin(), n.end(), '\n'); };
  std::lock_guard lock(mutex_);
  if (latest_->size == size && signatures(note) >= signatures(latest_->note)) {
    latest_ = std::make_shared<const LatestCheckpoint>(LatestCheckpoint{size, note});
  }
}

bool Sequencer::witness(std::shared_ptr<const LatestCheckpoint>& cp) {
  Witnessing* w = nullptr;
  {
    std::lock_guard lock(mutex_);
    w = witnessing_;
    last_submitted_ = Clock::now();
  }
  if (w == nullptr) return true;
  if (!w->needs_quorum()) {
    w->refresh(cp->size, cp->note);
    return true;
  }
  auto result = w->cosign(cp->size, cp->note);
  cosigned(cp->size, result.note);
  cp = std::make_shared<const LatestCheckpoint>(LatestCheckpoint{cp->size, std::move(result.note)});
  return result.quorum;
}

void Sequencer::run() {
  while (true) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mutex_);
      // Asleep until work comes, or until the latest checkpoint is due at the witnesses again.
      auto ready = [&] { return stopping_ || !queue_.empty(); };
      if (witnessing_) {
        wake_.wait_until(lock, last_submitted_ + refresh_, ready);
      } else {
        wake_.wait(lock, ready);
      }
      if (queue_.empty() && !stopping_) {
        if (witnessing_ && Clock::now() >= last_submitted_ + refresh_) {
          last_submitted_ = Clock::now();
          auto cp = latest_;
          auto* w = witnessing_;
          lock.unlock();
          w->refresh(cp->size, cp->note);
        }
        continue;
      }
      if (queue_.empty()) return;  // stopping, nothing left
      // Wait for a full batch or the interval, whichever comes first.
      auto deadline = Clock::now() + interval_;
      wake_.wait_until(lock, deadline, [&] { return stopping_ || queue_.size() >= max_entries_; });
      auto n = std::min(queue_.size(), max_entries_);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    integrate(std::move(batch));
  }
}

void Sequencer::integrate(std::vector<Item> items) {
  auto t0 = Clock::now();
  Batch batch;
  std::map<Hash, std::uint64_t> index_of;  // leaf -> index, for entries of this batch
  std::map<Hash, Hash> device_leaf;        // device key -> leaf, within this batch
  struct Reply {
    Done done;
    Result<Integrated> result;
  };
  std::vector<Reply> replies;
  std::vector<std::size_t> waiting;  // replies that need a proof from the new checkpoint
  CompactTree tree = tree_;

  for (auto& item : items) {
    auto& s = item.submission;
    // Already logged (an earlier batch) or queued twice in this batch: same index.
    auto existing = store_.find_leaf(s.entry.leaf);
    if (!existing) {
      replies.push_back({std::move(item.done), existing.error()});
      continue;
    }
    if (auto it = index_of.find(s.entry.leaf); it != index_of.end() || *existing) {
      auto index = it != index_of.end() ? it->second : **existing;
      replies.push_back({std::move(item.done), Integrated{index, false, {}}});
      waiting.push_back(replies.size() - 1);
      continue;
    }
    auto reused = store_.find_device_key_leaf(s.entry.device_key);
    bool conflict = (reused && *reused) || device_leaf.count(s.entry.device_key) != 0;
    if (conflict) {
      replies.push_back({std::move(item.done), make_error(errc::device_key_reused,
                                                          "statement.device_key: this device key already signed "
                                                          "another objection (hint: make a fresh key per objection)")});
      continue;
    }
    std::uint64_t index = tree.size();
    s.entry.index = s.opening.index = index;
    tree.append(s.entry.leaf, [&](const CompactTree::Node& n) { batch.nodes.push_back(n); });
    index_of[s.entry.leaf] = index;
    device_leaf[s.entry.device_key] = s.entry.leaf;
    batch.entries.push_back(std::move(s.entry));
    batch.openings.push_back(std::move(s.opening));
    replies.push_back({std::move(item.done), Integrated{index, true, {}}});
    waiting.push_back(replies.size() - 1);
  }

  std::shared_ptr<const LatestCheckpoint> cp = latest();
  if (!batch.entries.empty()) {
    Checkpoint c{log_key_.name, tree.size(), tree.root(), {}};
    batch.checkpoint = {tree.size(), sign_checkpoint(c, log_key_)};
    if (auto ok = store_.commit(batch); !ok) {
      native::log_line("error", "batch_failed",
                       {{"entries", std::to_string(batch.entries.size())}, {"error", ok.error().message}});
      for (auto i : waiting) {
        if (replies[i].result->index >= cp->size) {
          replies[i].result =
              make_error(errc::storage_error, "the log could not store the objection (hint: try again)");
        }
      }
    } else {
      tree_ = std::move(tree);
      cp = std::make_shared<const LatestCheckpoint>(LatestCheckpoint{batch.checkpoint.size, batch.checkpoint.note});
      std::lock_guard lock(mutex_);
      latest_ = cp;
    }
  }
  // With a quorum, nothing is answered from a checkpoint the witnesses have not cosigned.
  if (!waiting.empty() && !witness(cp)) {
    for (auto i : waiting) {
      if (!replies[i].result) continue;
      replies[i].result = make_error(errc::not_witnessed,
                                     "the objection is logged but the witnesses have not cosigned the log yet "
                                     "(hint: send it again in a moment: it keeps its place)");
    }
  }
  // Proofs of one batch share most of their hashes.
  std::map<std::pair<int, std::uint64_t>, Hash> memo;
  NodeReader nodes = [&](int level, std::uint64_t index) -> Result<Hash> {
    auto key = std::make_pair(level, index);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    auto h = store_.node(level, index);
    if (h) memo.emplace(key, *h);
    return h;
  };
  for (auto i : waiting) {
    if (!replies[i].result) continue;
    auto proof = proof_for(nodes, replies[i].result->index, *cp);
    if (proof) {
      replies[i].result->proof = std::move(*proof);
    } else {
      replies[i].result = std::move(proof).error();
    }
  }
  for (auto& r : replies) r.done(std::move(r.result));
  if (!batch.entries.empty()) {
    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    native::log_line("info", "checkpoint",
                     {{"entries", std::to_string(batch.entries.size())},
                      {"tree_size", std::to_string(cp->size)},
                      {"ms", std::to_string(static_cast<int>(ms))}});
  }
}

Result<std::string> Sequencer::proof_for(const NodeReader& nodes, std::uint64_t index, const LatestCheckpoint& cp) {
  OBJECTOR_TRY(auto hashes, inclusion_proof(nodes, index, cp.size));
  return format_tlog_proof({std::nullopt, index, std::move(hashes), cp.note});
}

}  // namespace objector::intake
