#include "native/intake/migrate.hpp"

#include <algorithm>

#include "core/tlog/signed_checkpoint.hpp"

namespace objector::intake {

namespace {

constexpr std::uint64_t kChunk = 4096;  // rows compared at a time

// Where the copy stands: the target's checkpoints must be the source's first ones.
Result<std::size_t> copied_so_far(const std::vector<StoredCheckpoint>& source, Store& to) {
  OBJECTOR_TRY(auto target, to.checkpoints());
  bool prefix = target.size() <= source.size() &&
                std::equal(target.begin(), target.end(), source.begin(),
                           [](const auto& a, const auto& b) { return a.size == b.size && a.note == b.note; });
  if (!prefix) {
    return make_error(errc::exists,
                      "the target store holds another log (hint: migrate into an empty PostgreSQL database)");
  }
  return target.size();
}

// One checkpoint's entries, replayed onto `tree` and checked against it.
Result<Batch> replay(Store& from, const StoredCheckpoint& cp, const Policy& policy, CompactTree& tree,
                     std::optional<std::uint64_t> previous) {
  Batch batch;
  batch.previous_size = previous;
  auto start = previous.value_or(0);
  if (cp.size < start) return make_error(errc::storage_error, "the source's checkpoints are out of order");
  OBJECTOR_TRY(batch.entries, from.entries(start, cp.size - start));
  OBJECTOR_TRY(batch.openings, from.openings(start, cp.size - start));
  if (batch.entries.size() != cp.size - start || batch.openings.size() != cp.size - start) {
    return make_error(errc::storage_error,
                      "the source is missing entries or openings below tree size " + std::to_string(cp.size));
  }
  for (const auto& e : batch.entries) {
    tree.append(e.leaf, [&](const CompactTree::Node& n) { batch.nodes.push_back(n); });
  }
  auto opened = open_checkpoint(cp.note, policy);
  if (!opened) return std::move(opened).error().at("checkpoint of tree size " + std::to_string(cp.size));
  if (opened->checkpoint.size != tree.size() || opened->checkpoint.root != tree.root()) {
    return make_error(errc::storage_error,
                      "checkpoint of tree size " + std::to_string(cp.size) + ": its root is not the entries' root");
  }
  batch.checkpoint = cp;
  return batch;
}

// The copy, read back: the same rows, and a tree whose root is the checkpoint's.
Status prove_copy(Store& from, Store& to, const std::vector<StoredCheckpoint>& source, const Hash& root) {
  OBJECTOR_TRY(auto target, to.checkpoints());
  bool same = std::equal(target.begin(), target.end(), source.begin(), source.end(),
                         [](const auto& a, const auto& b) { return a.size == b.size && a.note == b.note; });
  if (!same) return make_error(errc::storage_error, "the copied checkpoints differ from the source's");
  auto size = source.back().size;
  OBJECTOR_TRY(auto tree, CompactTree::load(to.reader(), size));
  if (tree.root() != root) return make_error(errc::storage_error, "the copied tree's root differs from the source's");
  for (std::uint64_t start = 0; start < size; start += kChunk) {
    OBJECTOR_TRY(auto a, from.entries(start, kChunk));
    OBJECTOR_TRY(auto b, to.entries(start, kChunk));
    bool entries_equal = std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
      return x.index == y.index && x.leaf == y.leaf && x.device_key == y.device_key && x.bytes == y.bytes;
    });
    OBJECTOR_TRY(auto c, from.openings(start, kChunk));
    OBJECTOR_TRY(auto d, to.openings(start, kChunk));
    bool openings_equal = std::equal(c.begin(), c.end(), d.begin(), d.end(), [](const auto& x, const auto& y) {
      return x.index == y.index && x.account == y.account && x.reason == y.reason && x.received == y.received &&
             std::ranges::equal(x.r.view(), y.r.view());
    });
    if (!entries_equal || !openings_equal) {
      return make_error(errc::storage_error,
                        "the copy differs from the source at index " + std::to_string(start) + " or after");
    }
  }
  return Ok{};
}

}  // namespace

Result<MigrationReport> migrate_store(Store& from, Store& to, const VerifierKey& log_key,
                                      const std::vector<std::string>& witnesses) {
  OBJECTOR_TRY(auto snapshot, from.read_snapshot());
  OBJECTOR_TRY(auto source, from.checkpoints());
  if (source.empty()) return make_error(errc::empty_log, "the source store holds no checkpoint");
  OBJECTOR_TRY(auto done, copied_so_far(source, to));
  auto policy = single_log_policy(log_key);
  MigrationReport report;
  CompactTree tree;
  std::optional<std::uint64_t> previous;
  if (done > 0) {
    previous = source[done - 1].size;
    OBJECTOR_TRY(tree, CompactTree::load(to.reader(), *previous));
  }
  for (auto i = done; i < source.size(); ++i) {
    OBJECTOR_TRY(auto batch, replay(from, source[i], policy, tree, previous));
    OBJECTOR_RETURN_IF_ERROR(to.commit(batch));
    previous = source[i].size;
    ++report.copied;
  }
  for (const auto& w : witnesses) {
    OBJECTOR_TRY(auto size, from.witness_size(w));
    if (size > 0) OBJECTOR_RETURN_IF_ERROR(to.set_witness_size(w, size));
  }
  report.tree_size = tree.size();
  report.root = tree.root();
  report.checkpoints = source.size();
  OBJECTOR_RETURN_IF_ERROR(prove_copy(from, to, source, report.root));
  return report;
}

}  // namespace objector::intake
