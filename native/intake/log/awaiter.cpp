#include "native/intake/log/awaiter.hpp"

#include <algorithm>

#include "native/common/log.hpp"
#include "native/intake/log/antispam.hpp"

namespace objector::intake {

Error not_sequenced() {
  return make_error(errc::not_sequenced,
                    "the objection is queued but the log has not taken it yet (hint: send it again in a moment: "
                    "it keeps its place)");
}

Error not_witnessed() {
  return make_error(errc::not_witnessed,
                    "the objection is logged but the witnesses have not cosigned the log yet (hint: send it again in "
                    "a moment: it keeps its place)");
}

void Awaiter::add(const Submission& s, std::optional<std::uint64_t> index, bool created, Done done,
                  Clock::time_point deadline) {
  Submission key;
  key.entry.leaf = s.entry.leaf;
  key.entry.device_key = s.entry.device_key;
  waiting_.push_back({std::move(key), index, created, std::nullopt, std::move(done), deadline, std::nullopt});
}

void Awaiter::add_queued(const Submission& s, std::uint64_t queued_at, Done done, Clock::time_point deadline) {
  add(s, std::nullopt, false, std::move(done), deadline);
  waiting_.back().queued_at = queued_at;
}

void Awaiter::found_at(Waiter& w, std::uint64_t index) {
  w.index = index;
  if (w.queued_at) w.created = index >= *w.queued_at;
}

Status Awaiter::look_up(Store& store, std::uint64_t size) {
  std::vector<Waiter*> due;
  for (auto& w : waiting_) {
    if (!w.index && (!w.looked_up || *w.looked_up < size)) {
      w.looked_up = size;
      due.push_back(&w);
    }
  }
  if (due.empty()) return Ok{};
  std::vector<const Submission*> asked;
  asked.reserve(due.size());
  for (const auto* w : due) asked.push_back(&w->key);
  OBJECTOR_TRY(auto known, store.lookup(asked));
  const Antispam antispam;  // nothing of a batch: the log's word only
  bool refused = false;
  for (std::size_t i = 0; i < due.size(); ++i) {
    auto& w = *due[i];
    auto verdict = antispam.check(w.key, known[i]);
    if (verdict.kind == Antispam::Verdict::Kind::device_key_reused) {
      w.done(device_key_reused());
      w.done = nullptr;
      refused = true;
    } else if (verdict.kind == Antispam::Verdict::Kind::duplicate) {
      found_at(w, verdict.index);
    }
  }
  if (refused) std::erase_if(waiting_, [](const Waiter& w) { return !w.done; });
  return Ok{};
}

void Awaiter::on_checkpoint(const HashReader& nodes, Store& store, const LatestCheckpoint* cp, Clock::time_point now) {
  if (waiting_.empty()) return;
  if (auto ok = look_up(store, cp != nullptr ? cp->size : 0); !ok) {
    return native::log_line(native::LogLevel::error, "store_unavailable", {{"error", ok.error().message}});
  }
  auto covered = [&](const Waiter& w) { return cp != nullptr && w.index && *w.index < cp->size; };
  std::vector<std::uint64_t> indices;
  for (const auto& w : waiting_) {
    if (covered(w)) indices.push_back(*w.index);
  }
  auto proofs = indices.empty() ? Result<std::vector<std::string>>(std::vector<std::string>{})
                                : inclusion_proofs(nodes, indices, *cp);
  std::size_t next = 0;
  std::vector<Waiter> still;
  for (auto& w : waiting_) {
    if (covered(w)) {
      if (!proofs) {
        w.done(proofs.error());
      } else {
        w.done(Integrated{*w.index, w.created, std::move((*proofs)[next++])});
      }
    } else if (now >= w.deadline) {
      w.done(w.index ? not_witnessed() : not_sequenced());
    } else {
      still.push_back(std::move(w));
    }
  }
  waiting_ = std::move(still);
}

void Awaiter::fail_all(const Error& e) {
  for (auto& w : waiting_) w.done(e);
  waiting_.clear();
}

}  // namespace objector::intake
