#include "native/intake/log/antispam.hpp"

namespace objector::intake {

Antispam::Verdict Antispam::check(const Submission& s, const Known& known) const {
  const auto& leaf = s.entry.leaf;
  if (known.index) return {Verdict::Kind::duplicate, *known.index};
  if (auto it = index_of_.find(leaf); it != index_of_.end()) return {Verdict::Kind::duplicate, it->second};
  bool reused =
      (known.device_key_leaf && *known.device_key_leaf != leaf) || device_leaf_.count(s.entry.device_key) != 0;
  if (reused) return {Verdict::Kind::device_key_reused, 0};
  return {};
}

void Antispam::took(const Submission& s, std::uint64_t index) {
  index_of_[s.entry.leaf] = index;
  device_leaf_[s.entry.device_key] = s.entry.leaf;
}

Error device_key_reused() {
  return make_error(errc::device_key_reused,
                    "statement.device_key: this device key already signed another objection (hint: make a fresh key "
                    "per objection)");
}

}  // namespace objector::intake
