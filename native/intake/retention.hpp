// Retention: the optional reason a person writes is kept only as long as
// retention.reason_days says (INTEGRATION.md "What the intake keeps"), then
// deleted by this job, which also deletes expired e-mail codes
// (contact/contact_codes.hpp). It runs when serve starts and then every hour, on its
// own thread with its own store connection (SQLite serializes it with the
// sequencer's writes; the partial index keeps each run to the rows it deletes).
// Thread safety: start() and stop() from one thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "native/intake/log/store.hpp"

namespace objector::intake {

// Deletes reasons received more than `reason_days` before `now` (Unix
// seconds); returns how many.
Result<std::size_t> delete_expired_reasons(Store& store, std::int64_t reason_days, std::int64_t now);

class RetentionJob {
 public:
  using Clock = std::function<std::int64_t()>;
  static Result<std::unique_ptr<RetentionJob>> start(const StoreLocation& database, std::int64_t reason_days,
                                                     std::chrono::seconds every, Clock clock);
  ~RetentionJob();
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;
  void stop();

 private:
  RetentionJob(std::unique_ptr<Store> store, std::int64_t reason_days, std::chrono::seconds every, Clock clock);
  void run();

  std::unique_ptr<Store> store_;
  std::int64_t reason_days_;
  std::chrono::seconds every_;
  Clock clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace objector::intake
