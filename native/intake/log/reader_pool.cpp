#include "native/intake/log/reader_pool.hpp"

namespace objector::intake {

Result<std::unique_ptr<ReaderPool>> ReaderPool::open(const StoreLocation& where, std::size_t size) {
  std::unique_ptr<ReaderPool> pool(new ReaderPool());
  for (std::size_t i = 0; i < size; ++i) {
    OBJECTOR_TRY(auto store, Store::open(where));
    pool->idle_.push_back(std::move(store));
  }
  return pool;
}

ReaderPool::Lease ReaderPool::borrow() {
  std::unique_lock lock(mutex_);
  free_.wait(lock, [&] { return !idle_.empty(); });
  auto store = std::move(idle_.back());
  idle_.pop_back();
  return {*this, std::move(store)};
}

void ReaderPool::give_back(std::unique_ptr<Store> store) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(store));
  }
  free_.notify_one();
}

}  // namespace objector::intake
