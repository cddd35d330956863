#include "native/intake/log/node_cache.hpp"

namespace objector::intake {

void NodeCache::add(const NodeId& id, const Hash& hash) {
  if (capacity_ == 0 || !hashes_.emplace(id, hash).second) return;
  order_.push_back(id);
  if (order_.size() > capacity_) {
    hashes_.erase(order_.front());
    order_.pop_front();
  }
}

HashReader NodeCache::over(HashReader store) {
  return [this, store = std::move(store)](std::span<const NodeId> ids) -> Result<std::vector<Hash>> {
    std::vector<Hash> out(ids.size());
    std::vector<NodeId> missing;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto found = hashes_.find(ids[i]);
      if (found != hashes_.end()) {
        out[i] = found->second;
      } else {
        missing.push_back(ids[i]);
        where.push_back(i);
      }
    }
    if (missing.empty()) return out;
    OBJECTOR_TRY(auto read, store(missing));
    for (std::size_t j = 0; j < missing.size(); ++j) {
      out[where[j]] = read[j];
      add(missing[j], read[j]);
    }
    return out;
  };
}

}  // namespace objector::intake
