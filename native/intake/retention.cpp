#include "native/intake/retention.hpp"

#include "native/common/log.hpp"

namespace objector::intake {

Result<std::size_t> delete_expired_reasons(Store& store, std::int64_t reason_days, std::int64_t now) {
  return store.delete_reasons(now - reason_days * 86400);
}

Result<std::unique_ptr<RetentionJob>> RetentionJob::start(const StoreLocation& database, std::int64_t reason_days,
                                                          std::chrono::seconds every, Clock clock) {
  OBJECTOR_TRY(auto store, Store::open(database));
  std::unique_ptr<RetentionJob> job(new RetentionJob(std::move(store), reason_days, every, std::move(clock)));
  job->thread_ = std::thread([j = job.get()] { j->run(); });
  return job;
}

RetentionJob::RetentionJob(std::unique_ptr<Store> store, std::int64_t reason_days, std::chrono::seconds every,
                           Clock clock)
    : store_(std::move(store)), reason_days_(reason_days), every_(every), clock_(std::move(clock)) {}

RetentionJob::~RetentionJob() { stop(); }

void RetentionJob::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionJob::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();  // stop() need not wait for a write in progress to start waiting
    auto now = clock_();
    auto deleted = delete_expired_reasons(*store_, reason_days_, now);
    if (auto* codes = store_->contact_codes()) {
      // Codes past their time lose their hash; a row goes an hour after its mail.
      if (auto stale = codes->delete_stale_codes(now); !stale) {
        native::log_line(native::LogLevel::error, "retention_failed", {{"message", stale.error().message}});
      }
    }
    lock.lock();
    if (!deleted) {
      native::log_line(native::LogLevel::error, "retention_failed", {{"message", deleted.error().message}});
    } else if (*deleted > 0) {
      native::log_line(native::LogLevel::info, "reasons_deleted",
                       {{"count", std::to_string(*deleted)}, {"reason_days", std::to_string(reason_days_)}});
    }
    wake_.wait_for(lock, every_, [&] { return stopping_; });
  }
}

}  // namespace objector::intake
