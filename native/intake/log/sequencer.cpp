#include "native/intake/log/sequencer.hpp"

#include <algorithm>
#include <map>

#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/log.hpp"
#include "native/intake/log/antispam.hpp"
#include "native/intake/log/pending_row.hpp"

namespace objector::intake {

namespace {

constexpr std::chrono::milliseconds kGather{20};  // the longest a follower holds a submission before queueing it
// Cosignatures held while the store cannot take them: the newest (they supersede the older).
constexpr std::size_t kMaxUnstored = 256;

std::vector<const Submission*> submissions_of(const auto& items) {
  std::vector<const Submission*> out;
  out.reserve(items.size());
  for (const auto& i : items) out.push_back(&i.submission);
  return out;
}

// What a submission is told when the store refused its batch: 503 while the
// database cannot be reached (it will be back), 500 otherwise. The store's
// own message goes to the log, not to the client.
Error store_failed(const Error& e) {
  if (e.is(errc::store_unavailable)) {
    return make_error(errc::store_unavailable, "the log's database cannot be reached right now (hint: try again)");
  }
  return make_error(errc::storage_error, "the log could not store the objection (hint: try again)");
}

}  // namespace

Result<std::unique_ptr<Sequencer>> Sequencer::start(const StoreLocation& where, NoteSigner log_key,
                                                    SequencerOptions options, TilePublisher* publisher) {
  return start([where] { return Store::open(where); }, std::move(log_key), std::move(options), publisher);
}

Result<std::unique_ptr<Sequencer>> Sequencer::start(StoreOpener open, NoteSigner log_key, SequencerOptions options,
                                                    TilePublisher* publisher) {
  OBJECTOR_TRY(auto store, open());
  std::unique_ptr<Sequencer> s(new Sequencer(std::move(store), std::move(log_key), std::move(options), publisher));
  OBJECTOR_RETURN_IF_ERROR(s->resume(s->leading_));
  if (s->shared()) s->listen(std::move(open));
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  return s;
}

Sequencer::Sequencer(std::unique_ptr<Store> store, NoteSigner log_key, SequencerOptions options,
                     TilePublisher* publisher)
    : store_(std::move(store)),
      shared_queue_(store_->shared_queue()),
      log_key_(std::move(log_key)),
      options_(std::move(options)),
      publisher_(publisher) {
  leading_ = !shared();  // one node alone always sequences
}

Sequencer::~Sequencer() { stop(); }

// The tree is exactly the latest committed checkpoint's, which must be this
// log's (signed by its key): after a restart, and whenever this node takes
// over sequencing.
Status Sequencer::resume(bool leading) {
  OBJECTOR_TRY(auto latest, store_->latest_checkpoint());
  if (!latest) {
    // A new log starts with a signed checkpoint of the empty tree (unless another node was first).
    auto note = sign_checkpoint({log_key_.name, 0, empty_root(), {}}, log_key_);
    auto made = store_->commit(Batch{std::nullopt, {}, {}, {}, {0, note}, {}, {}});
    if (!made && !made.error().is(errc::stale_sequencer)) return made;
    OBJECTOR_TRY(latest, store_->latest_checkpoint());
    if (!latest) return make_error(errc::storage_error, "the store has no checkpoint after making the first");
  }
  auto opened = open_checkpoint(latest->note, single_log_policy(verifier_of(log_key_)));
  if (!opened) {
    return make_error(errc::bad_key, "the store holds a log this log.key did not sign (" + opened.error().message +
                                         "; hint: every node of a log shares its data folder's keys)");
  }
  OBJECTOR_TRY(tree_, CompactTree::load(store_->reader(), latest->size));
  LatestCheckpoint cp{latest->size, latest->note};
  // The folder catches up with the store (a crash between commit and publish, a new publish.dir).
  if (leading) OBJECTOR_RETURN_IF_ERROR(publish_tiles(cp));
  set_latest(std::make_shared<const LatestCheckpoint>(std::move(cp)));
  return Ok{};
}

Status Sequencer::publish_tiles(const LatestCheckpoint& cp) {
  if (publisher_ == nullptr) return Ok{};
  auto ok = publisher_->publish(*store_, cp);
  if (!ok) native::log_line(native::LogLevel::error, "publish_failed", {{"error", ok.error().message}});
  return ok;
}

void Sequencer::set_latest(std::shared_ptr<const LatestCheckpoint> cp) {
  {
    std::lock_guard lock(mutex_);
    latest_ = cp;
  }
  offer_witnessed(std::move(cp));
}

// Answers wait for the quorum: a checkpoint older than the latest meets it
// too when its witnesses are quicker, and one that met it gains the
// cosignatures that come after. The signatures are checked outside the lock
// every request takes.
bool Sequencer::offer_witnessed(std::shared_ptr<const LatestCheckpoint> cp) {
  auto improves = [&] {
    return !witnessed_ || cp->size > witnessed_->size ||
           (cp->size == witnessed_->size && signature_lines(cp->note) > signature_lines(witnessed_->note));
  };
  WitnessGateway* gateway = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (!improves()) return false;
    if (needs_quorum()) gateway = gateway_;
  }
  if (gateway != nullptr && !gateway->quorum_met(cp->note)) return false;
  std::lock_guard lock(mutex_);
  if (!improves()) return false;  // a newer one came meanwhile
  witnessed_ = std::move(cp);
  return true;
}

void Sequencer::submit(Submission s, Done done) {
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back({std::move(s), std::move(done)});
      // Only what changes the sequencer's wait: a first submission (a batch
      // starts gathering) or a full batch. Waking it for every one cost two
      // futex calls and a context switch per submission.
      if (queue_.size() == 1 || queue_.size() + queued_elsewhere_ >= options_.max_entries) wake_.notify_one();
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
  return queue_.size() >= options_.max_queue;
}

void Sequencer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  std::lock_guard join(join_mutex_);  // stop() may race with itself (signal thread, main)
  if (thread_.joinable()) thread_.join();
  listening_ = false;
  if (listener_.joinable()) listener_.join();
}

std::shared_ptr<const LatestCheckpoint> Sequencer::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void Sequencer::witness_with(WitnessGateway* gateway, std::chrono::seconds refresh) {
  std::lock_guard lock(mutex_);
  gateway_ = gateway;
  refresh_ = refresh;
  last_submitted_ = {};  // the latest checkpoint goes to them at once
  // Taken before there were witnesses to ask: it answers nothing until it has its quorum.
  if (witnessed_ && needs_quorum() && !gateway_->quorum_met(witnessed_->note)) witnessed_.reset();
  wake_.notify_one();
}

void Sequencer::cosigned(const Cosigned& c) {
  {
    // Queued before it can be answered under (offer_witnessed): answers wait for what they show to be stored.
    std::lock_guard lock(mutex_);
    unstored_.push_back(c);
    trim_unstored();
  }
  auto cp = std::make_shared<const LatestCheckpoint>(LatestCheckpoint{c.size, c.note});
  bool answers_due = offer_witnessed(cp);
  {
    std::lock_guard lock(mutex_);
    if (answers_due) {
      cosigned_ = true;
      wake_.notify_one();
    }
    // Witnesses answer on their own threads: a note with fewer signatures than
    // the one held arrived late and would hide a cosignature.
    if (latest_->size != c.size || signature_lines(c.note) < signature_lines(latest_->note)) return;
    latest_ = cp;
  }
  if (publisher_ != nullptr && leading_) {
    if (auto ok = publisher_->publish_checkpoint({c.size, c.note}); !ok) {
      native::log_line(native::LogLevel::error, "publish_failed", {{"error", ok.error().message}});
    }
  }
}

void Sequencer::submit_to_witnesses(const LatestCheckpoint& cp) {
  WitnessGateway* w = nullptr;
  {
    std::lock_guard lock(mutex_);
    w = gateway_;
    last_submitted_ = options_.now();
  }
  if (w != nullptr) w->submit(cp.size, cp.note);
}

Sequencer::Clock::time_point Sequencer::answer_deadline(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  return now + (needs_quorum() ? std::chrono::duration_cast<Clock::duration>(gateway_->timeout())
                               : std::chrono::duration_cast<Clock::duration>(options_.wait_limit));
}

// The latest checkpoint goes to the witnesses again when `refresh` passed without one.
void Sequencer::refresh_witnesses() {
  WitnessGateway* w = nullptr;
  std::shared_ptr<const LatestCheckpoint> cp;
  {
    std::lock_guard lock(mutex_);
    if (gateway_ == nullptr || options_.now() < last_submitted_ + refresh_) return;
    last_submitted_ = options_.now();
    w = gateway_;
    cp = latest_;
  }
  w->submit(cp->size, cp->note);
}

// The listener's own session hears NOTIFY objector_log (a checkpoint, a
// cosignature, submissions queued) and wakes the sequencer; polling every
// `poll` covers a lost notification.
void Sequencer::listen(StoreOpener open) {
  listening_ = true;
  listener_ = std::thread([this, open = std::move(open)] {
    std::unique_ptr<Store> store;
    while (listening_) {
      if (!store) {
        auto opened = open();
        if (!opened) {
          std::this_thread::sleep_for(options_.poll);
          continue;
        }
        store = std::move(*opened);
      }
      auto changes = store->shared_queue()->wait_for_change(std::chrono::milliseconds(200));
      if (!changes) store.reset();
      // Queued rows concern only the leader (its next batch takes them): a follower is not woken for them.
      if (changes && (changes->log || (leading_ && changes->queued > 0))) {
        std::lock_guard lock(mutex_);
        changed_ = changed_ || changes->log;
        if (leading_) queued_elsewhere_ += changes->queued;
        wake_.notify_one();
      }
    }
  });
}

// One node alone: asleep until a batch is due (full, `interval` after its
// first submission, or at once after a full batch), a checkpoint meets the
// quorum, the latest is due at the witnesses again, or (while answers wait)
// their deadlines need a look.
bool Sequencer::wait_alone(std::unique_lock<std::mutex>& lock) {
  constexpr std::chrono::milliseconds kDeadlineCheck{50};
  while (!stopping_ && !cosigned_) {
    auto now = Clock::now();
    if (queue_.size() >= options_.max_entries || (backlog_ && !queue_.empty())) return true;
    if (!queue_.empty() && !batch_due_) batch_due_ = now + options_.interval;
    if (batch_due_ && now >= *batch_due_) return true;
    std::optional<Clock::time_point> until = batch_due_;
    auto earlier = [&](Clock::time_point t) { until = until ? std::min(*until, t) : t; };
    if (gateway_) earlier(now + std::max(last_submitted_ + refresh_ - options_.now(), Clock::duration::zero()));
    if (!awaiter_.empty()) earlier(now + kDeadlineCheck);
    if (!until) {
      wake_.wait(lock);
    } else if (wake_.wait_until(lock, *until) == std::cv_status::timeout && !batch_due_) {
      return true;  // the witnesses' refresh or the deadlines: turn() and answer_waiting() check what is due
    }
  }
  return stopping_;
}

// Leading several nodes: a batch when a full one waits (in this node's queue
// and the others' pending rows, as their notifications count them) or every
// interval (the heartbeat keeps the lease well inside it).
bool Sequencer::wait_leading(std::unique_lock<std::mutex>& lock) {
  auto full = [&] { return queue_.size() + queued_elsewhere_ >= options_.max_entries; };
  wake_.wait_until(lock, next_turn_, [&] { return stopping_ || cosigned_ || full(); });
  if (!stopping_ && !full() && Clock::now() < next_turn_) return false;
  next_turn_ = Clock::now() + std::min(options_.interval, options_.lease / 3);
  queued_elsewhere_ = 0;  // this turn reads the pending rows; a full batch turns again at once
  return true;
}

// Following: queue soon (gathering for a moment: each queueing is a round
// trip), and look at the log every poll or when it changes. A change ends the
// gathering: waiting submissions are answered from the new checkpoint at once.
bool Sequencer::wait_following(std::unique_lock<std::mutex>& lock) {
  wake_.wait_for(lock, options_.poll, [&] { return stopping_ || changed_ || !queue_.empty(); });
  if (!queue_.empty()) {
    wake_.wait_for(lock, std::min(options_.interval / 4, kGather),
                   [&] { return stopping_ || changed_ || queue_.size() >= options_.max_entries; });
  }
  return true;
}

void Sequencer::run() {
  while (true) {
    std::vector<Item> batch;
    bool stopping = false;
    bool due = false;
    {
      std::unique_lock lock(mutex_);
      due = !shared() ? wait_alone(lock) : leading_ ? wait_leading(lock) : wait_following(lock);
      changed_ = cosigned_ = false;
      stopping = stopping_;
      if (due || stopping) {
        auto n = std::min(queue_.size(), options_.max_entries);
        for (std::size_t i = 0; i < n; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        batch_due_.reset();
      }
    }
    if (stopping && batch.empty()) break;
    if (due || stopping) turn(std::move(batch));
    answer_waiting();
  }
  // A stopping node waits a moment for what it queued or sent to the witnesses; the rest is told to send again.
  auto deadline = Clock::now() + 2 * options_.interval + options_.poll;
  if (needs_quorum()) deadline = answer_deadline(deadline);
  while (!awaiter_.empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(options_.poll / 5);
    if (leading_) integrate({});
    follow();
    answer_waiting();
  }
  awaiter_.fail_all(not_sequenced());
  (void)store_cosignatures();  // the witnesses' answers that came meanwhile
}

void Sequencer::turn(std::vector<Item> batch) {
  if (!shared()) {
    if (batch.empty()) return refresh_witnesses();
    // A full batch leaves more behind: what came during it is due at once.
    backlog_ = integrate(std::move(batch)) >= options_.max_entries;
    return;
  }
  // The leader keeps its lock (the heartbeat) every turn; a follower tries for it every poll,
  // not at every change it hears of.
  if (leading_ || Clock::now() >= next_lead_try_) {
    next_lead_try_ = Clock::now() + options_.poll;
    auto lead = shared_queue_->lead(options_.lease);
    bool now_leading = lead && *lead;
    if (!lead) native::log_line(native::LogLevel::error, "store_unavailable", {{"error", lead.error().message}});
    if (now_leading && !leading_) {
      // Another node may have extended the log: start from the store's latest checkpoint.
      if (auto ok = resume(true); !ok) {
        native::log_line(native::LogLevel::error, "resume_failed", {{"error", ok.error().message}});
        now_leading = false;
      } else {
        native::log_line(native::LogLevel::info, "sequencing", {{"tree_size", std::to_string(tree_.size())}});
      }
    } else if (!now_leading && leading_) {
      native::log_line(native::LogLevel::warning, "following", {{"reason", "lost the sequencer lock"}});
    }
    leading_ = now_leading;
  }
  if (leading_) {
    // A full batch leaves more behind (here or in the pending table): the next turn is due at once.
    if (integrate(std::move(batch)) >= options_.max_entries) next_turn_ = Clock::now();
    refresh_witnesses();
  } else {
    if (!batch.empty()) queue_for_leader(std::move(batch));
    follow();
  }
}

std::size_t Sequencer::integrate(std::vector<Item> local) {
  auto t0 = Clock::now();
  // Other nodes' submissions (and this node's from before it led) first: they are older.
  std::vector<Item> items;
  Batch batch;
  if (shared()) {
    // Never crowded out by this node's own queue: at least half a batch of them.
    auto room = std::max({options_.max_entries - std::min(local.size(), options_.max_entries), options_.max_entries / 2,
                          std::size_t{1}});
    for (auto& s : take_pending(room, batch.taken)) items.push_back({std::move(s), {}});
  }
  for (auto& i : local) items.push_back(std::move(i));
  if (items.empty() && batch.taken.empty()) return 0;
  auto taken = items.size();

  // Answered at once: failures and refusals. The rest wait for the checkpoint (the awaiter).
  auto known = items.empty() ? Result<std::vector<Known>>(std::vector<Known>{}) : store_->lookup(submissions_of(items));
  if (!known) {
    for (auto& item : items) {
      if (item.done) item.done(known.error());
    }
    return taken;
  }
  struct Logged {
    Item item;
    std::uint64_t index;
    bool created;
  };
  std::vector<Logged> logged;
  batch.previous_size = tree_.size();
  Antispam antispam;
  CompactTree tree = tree_;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& item = items[i];
    auto& s = item.submission;
    auto verdict = antispam.check(s, (*known)[i]);
    if (verdict.kind == Antispam::Verdict::Kind::device_key_reused) {
      if (item.done) item.done(device_key_reused());
      continue;
    }
    if (verdict.kind == Antispam::Verdict::Kind::duplicate) {  // an earlier batch, or queued twice
      logged.push_back({std::move(item), verdict.index, false});
      continue;
    }
    std::uint64_t index = tree.size();
    s.entry.index = s.opening.index = index;
    tree.append(s.entry.leaf, [&](const CompactTree::Node& n) { batch.nodes.push_back(n); });
    antispam.took(s, index);
    Submission key;
    key.entry.leaf = s.entry.leaf;
    key.entry.device_key = s.entry.device_key;
    batch.entries.push_back(std::move(s.entry));
    batch.openings.push_back(std::move(s.opening));
    logged.push_back({{std::move(key), std::move(item.done)}, index, true});
  }

  std::shared_ptr<const LatestCheckpoint> cp = latest();
  Status committed = Ok{};
  if (!batch.entries.empty()) {
    Checkpoint c{log_key_.name, tree.size(), tree.root(), {}};
    batch.checkpoint = {tree.size(), sign_checkpoint(c, log_key_)};
    {
      std::lock_guard lock(mutex_);
      batch.cosigned.swap(unstored_);
    }
    committed = store_->commit(batch);
    if (!committed) {
      keep_unstored(std::move(batch.cosigned));  // stored on their own, or with the next batch
      native::log_line(native::LogLevel::error, "batch_failed",
                       {{"entries", std::to_string(batch.entries.size())}, {"error", committed.error().message}});
      // Lost the race to another sequencer: it leads now; this node re-reads the log when it leads again.
      if (committed.error().is(errc::stale_sequencer)) leading_ = false;
    } else {
      tree_ = std::move(tree);
      for (const auto& n : batch.nodes) nodes_.add({n.level, n.index}, n.hash);
      cp = std::make_shared<const LatestCheckpoint>(LatestCheckpoint{batch.checkpoint.size, batch.checkpoint.note});
      (void)publish_tiles(*cp);  // logged; the next checkpoint writes what this one could not
      set_latest(cp);
      submit_to_witnesses(*cp);
    }
  } else if (auto ok = shared() ? shared_queue_->settle(batch.taken) : Status(Ok{}); !ok) {
    native::log_line(native::LogLevel::error, "settle_failed", {{"error", ok.error().message}});
  }
  auto deadline = answer_deadline(options_.now());
  for (auto& l : logged) {
    if (!l.item.done) continue;
    if (!committed && l.index >= cp->size) {
      l.item.done(committed.error().is(errc::stale_sequencer) ? not_sequenced() : store_failed(committed.error()));
      continue;
    }
    // Answered by run() once a checkpoint that holds it meets the policy: at once without witnesses.
    awaiter_.add(l.item.submission, l.index, l.created, std::move(l.item.done), deadline);
  }
  if (!batch.entries.empty()) {
    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    native::log_line(native::LogLevel::info, "checkpoint",
                     {{"entries", std::to_string(batch.entries.size())},
                      {"tree_size", std::to_string(cp->size)},
                      {"ms", std::to_string(static_cast<int>(ms))}});
  }
  return taken;
}

// The oldest pending rows, up to `room` submissions; their ids go to `taken`,
// settled with the batch whatever happens to their submissions. A row that
// cannot be read is settled too (its senders' deadlines answer them 503, and
// they send again), so it cannot hold up the queue.
std::vector<Submission> Sequencer::take_pending(std::size_t room, std::vector<std::int64_t>& taken) {
  std::vector<Submission> out;
  auto rows = shared_queue_->pending(room);
  if (!rows) {
    native::log_line(native::LogLevel::error, "pending_unreadable", {{"error", rows.error().message}});
    return out;
  }
  for (const auto& row : *rows) {
    taken.push_back(row.id);
    auto submissions = decode_pending_row(row.submissions.view(), "pending row " + std::to_string(row.id));
    if (!submissions) {
      native::log_line(native::LogLevel::error, "pending_unreadable", {{"error", submissions.error().message}});
      continue;
    }
    for (auto& s : *submissions) out.push_back(std::move(s));
  }
  return out;
}

// Following: the submissions go to the store's pending table (one row for
// them all), to be answered from the checkpoint that holds them. Logged below
// the size the queueing saw: sent again (200, not 201).
void Sequencer::queue_for_leader(std::vector<Item> items) {
  auto row = encode_pending_row(submissions_of(items));
  auto queued = shared_queue_->add_pending(row.view(), items.size());
  if (!queued) native::log_line(native::LogLevel::error, "queue_failed", {{"error", queued.error().message}});
  auto deadline = options_.now() + options_.wait_limit;
  for (auto& item : items) {
    if (!queued) {
      item.done(store_failed(queued.error()));
      continue;
    }
    awaiter_.add_queued(item.submission, *queued, std::move(item.done), deadline);
  }
}

void Sequencer::follow() {
  auto latest = store_->latest_checkpoint();
  if (!latest) native::log_line(native::LogLevel::error, "store_unavailable", {{"error", latest.error().message}});
  if (latest && *latest) {
    auto held = this->latest();
    const auto& stored = **latest;
    if (stored.size > held->size || (stored.size == held->size && stored.note != held->note)) {
      set_latest(std::make_shared<const LatestCheckpoint>(LatestCheckpoint{stored.size, stored.note}));
    }
    // The key index follows the log even with nothing waiting here, so taking over never starts with reading
    // all that was logged since this node last looked something up.
    if (stored.size > held->size) {
      if (auto ok = store_->warm_up({}); !ok) {
        native::log_line(native::LogLevel::warning, "warm_up_failed", {{"error", ok.error().message}});
      }
    }
  }
}

void Sequencer::answer_waiting() {
  auto cp = store_cosignatures();
  if (awaiter_.empty()) return;
  awaiter_.on_checkpoint(nodes_.over(store_->reader()), *store_, cp.get(), options_.now());
}

// Taken together under the lock: what `witnessed_` shows is in `unstored_`
// or stored already (cosigned() queues before it offers).
std::shared_ptr<const LatestCheckpoint> Sequencer::store_cosignatures() {
  std::vector<Cosigned> unstored;
  std::shared_ptr<const LatestCheckpoint> cp;
  {
    std::lock_guard lock(mutex_);
    unstored.swap(unstored_);
    cp = witnessed_;
  }
  if (unstored.empty()) return cp;
  if (auto ok = store_->add_cosigned(unstored); !ok) {
    // The receipts hold the cosignatures, and so do the witnesses: answers go out, and this is tried again.
    native::log_line(native::LogLevel::error, "cosignatures_unstored", {{"error", ok.error().message}});
    keep_unstored(std::move(unstored));
  }
  return cp;
}

// Older than what is queued already: they go first.
void Sequencer::keep_unstored(std::vector<Cosigned> older) {
  std::lock_guard lock(mutex_);
  unstored_.insert(unstored_.begin(), std::make_move_iterator(older.begin()), std::make_move_iterator(older.end()));
  trim_unstored();
}

void Sequencer::trim_unstored() {
  if (unstored_.size() <= kMaxUnstored) return;
  unstored_.erase(unstored_.begin(), unstored_.begin() + static_cast<std::ptrdiff_t>(unstored_.size() - kMaxUnstored));
}

}  // namespace objector::intake
