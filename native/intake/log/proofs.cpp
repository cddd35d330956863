#include "native/intake/log/proofs.hpp"

#include <algorithm>

#include "core/tlog/tlog_proof.hpp"

namespace objector::intake {

Result<std::vector<std::string>> inclusion_proofs(const HashReader& nodes, std::span<const std::uint64_t> indices,
                                                  const LatestCheckpoint& cp) {
  // Proofs under one checkpoint share most of their hashes: each is read once.
  std::vector<ProofPlan> plans;
  std::vector<NodeId> wanted;
  for (auto index : indices) {
    OBJECTOR_TRY(auto plan, plan_inclusion(index, cp.size));
    wanted.insert(wanted.end(), plan.nodes.begin(), plan.nodes.end());
    plans.push_back(std::move(plan));
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<Hash> read;
  if (!wanted.empty()) {
    OBJECTOR_TRY(read, nodes(wanted));
    if (read.size() != wanted.size()) return make_error(errc::missing_node, "the tree store left out hashes");
  }
  auto hash_of = [&](const NodeId& id) {
    return read[static_cast<std::size_t>(std::lower_bound(wanted.begin(), wanted.end(), id) - wanted.begin())];
  };
  std::vector<std::string> out;
  out.reserve(plans.size());
  std::vector<Hash> hashes;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    hashes.clear();
    for (const auto& id : plans[i].nodes) hashes.push_back(hash_of(id));
    out.push_back(format_tlog_proof({std::nullopt, indices[i], fold_plan(plans[i], hashes), cp.note}));
  }
  return out;
}

Result<std::string> inclusion_proof_text(const HashReader& nodes, std::uint64_t index, const LatestCheckpoint& cp) {
  OBJECTOR_TRY(auto proofs, inclusion_proofs(nodes, std::span(&index, 1), cp));
  return std::move(proofs.front());
}

}  // namespace objector::intake
