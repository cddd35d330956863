#include "tests/support/fixtures.hpp"

#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"

namespace objector::test {

Receipt fixed_receipt(std::uint64_t index, std::uint64_t count) {
  MemoryTree tree;
  std::vector<Objection> objections;
  for (std::uint64_t i = 0; i < count; ++i) {
    auto form = valid_form();
    form.account = "user:" + std::to_string(1000 + i);
    objections.push_back(fixed_objection(form, static_cast<std::uint8_t>(10 + 2 * i)));
    tree.append(entry_leaf_hash(objections.back().entry));
  }
  auto log = fixed_log_key();
  Checkpoint c{log.name, tree.size(), tree.root(), {}};
  TlogProof proof{std::nullopt, index, inclusion_proof(tree.reader(), index, count).value(), sign_checkpoint(c, log)};
  return make_receipt(std::move(objections[index]), format_tlog_proof(proof));
}

}  // namespace objector::test
