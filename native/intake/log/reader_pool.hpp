// The HTTP API's read sessions: `size` connections to the store (config
// store_pool), each lent to one request at a time, so reads on several io
// threads do not queue behind one connection (with PostgreSQL, a round trip
// each).
// Thread safety: borrow() from any thread; a Lease belongs to its borrower.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "native/intake/log/store.hpp"

namespace objector::intake {

class ReaderPool {
 public:
  static Result<std::unique_ptr<ReaderPool>> open(const StoreLocation& where, std::size_t size);

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(store_)); }
    Store* operator->() { return store_.get(); }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Store> store_;
  };
  // Waits for a free session.
  Lease borrow();

 private:
  ReaderPool() = default;
  void give_back(std::unique_ptr<Store> store);
  std::mutex mutex_;
  std::condition_variable free_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace objector::intake
