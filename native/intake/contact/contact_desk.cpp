#include "native/intake/contact/contact_desk.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "native/common/files.hpp"
#include "native/common/log.hpp"
#include "native/intake/contact/code_mail.hpp"
#include "native/intake/contact/email_address.hpp"

namespace objector::intake {
namespace {

constexpr int kMailRetryAfterS = 30;  // a mail server that is down: ask again in a while

}  // namespace

Result<MailServer> load_mail_server(const Config::Contact& contact, const std::filesystem::path& data_dir) {
  MailServer server;
  server.url = contact.smtp_url;
  server.from = contact.from;
  std::string credentials;
  if (!contact.credentials_file.empty()) {
    std::filesystem::path file(contact.credentials_file);
    if (file.is_relative()) file = data_dir / file;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      return make_error(errc::bad_config, "config.contact.credentials_file: " + file.string() +
                                              " can be read by others (hint: chmod 600 it)");
    }
    OBJECTOR_TRY(credentials, native::read_file(file, 4096));
    credentials = credentials.substr(0, credentials.find('\n'));
    auto colon = credentials.find(':');
    if (colon == std::string::npos || colon == 0) {
      sodium_memzero(credentials.data(), credentials.size());
      return make_error(errc::bad_config, "config.contact.credentials_file: " + file.string() +
                                              ": expected user:password on the first line");
    }
    server.user = credentials.substr(0, colon);
    server.password = SecretBytes(ByteView(reinterpret_cast<const std::uint8_t*>(credentials.data()) + colon + 1,
                                           credentials.size() - colon - 1));
    sodium_memzero(credentials.data(), credentials.size());
  } else if (const char* user = std::getenv("OBJECTOR_SMTP_USER"); user != nullptr && *user != '\0') {
    const char* password = std::getenv("OBJECTOR_SMTP_PASSWORD");
    server.user = user;
    std::string_view p = password != nullptr ? password : "";
    server.password = SecretBytes(ByteView(reinterpret_cast<const std::uint8_t*>(p.data()), p.size()));
  }
  return server;
}

Result<std::unique_ptr<ContactDesk>> ContactDesk::start(const StoreLocation& where, Options options, Clock clock) {
  OBJECTOR_TRY(auto store, Store::open(where));
  if (store->contact_codes() == nullptr) {
    return make_error(errc::bad_config, "config.contact: this store cannot keep e-mail codes");
  }
  std::unique_ptr<ContactDesk> desk(new ContactDesk(std::move(store), std::move(options), std::move(clock)));
  desk->thread_ = std::thread([d = desk.get()] { d->run(); });
  return desk;
}

ContactDesk::ContactDesk(std::unique_ptr<Store> store, Options options, Clock clock)
    : store_(std::move(store)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      mailer_(std::move(options_.server)) {}

ContactDesk::~ContactDesk() { stop(); }

void ContactDesk::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Requests still queued are answered: nothing was recorded or sent for them.
  for (auto& job : jobs_) {
    job.done(make_error(errc::shutting_down, "the intake is shutting down (hint: try again in a moment)"), 1);
  }
  jobs_.clear();
}

CodeLimits ContactDesk::limits() const {
  return {options_.contact.code_ttl_s, options_.contact.max_attempts, options_.contact.per_address_per_hour};
}

void ContactDesk::send_code(std::string address, std::string lang, Sent done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && jobs_.size() < options_.max_queue) {
      jobs_.push_back({std::move(address), std::move(lang), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(make_error(errc::mail_unavailable, "too many codes are waiting for the mail server (hint: try again soon)"),
       kMailRetryAfterS);
}

void ContactDesk::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    send_one(job.address, job.lang, job.done);
    lock.lock();
  }
}

void ContactDesk::send_one(const std::string& address, const std::string& lang, const Sent& done) {
  auto now = clock_();
  auto& rows = *store_->contact_codes();
  auto key = contact_address_key(options_.secret.view(), address);
  auto code = random_contact_code();
  auto hash = contact_code_hash(options_.secret.view(), key, code);
  std::int64_t retry = 0;
  auto issued = issue_contact_code(rows, key, hash, now, limits(), &retry);
  if (!issued) {
    sodium_memzero(code.data(), code.size());
    return done(std::move(issued).error(), retry > 0 ? std::optional<int>(static_cast<int>(retry)) : std::nullopt);
  }
  auto mail = code_mail(lang, address, code, options_.contact.code_ttl_s, options_.controller);
  sodium_memzero(code.data(), code.size());
  auto sent = mailer_.send(mail, now);
  sodium_memzero(mail.body.data(), mail.body.size());
  sodium_memzero(mail.subject.data(), mail.subject.size());
  if (!sent) {
    native::log_line(native::LogLevel::error, "mail_failed", {{"message", sent.error().message}});
    if (auto undone = withdraw_contact_code(rows, key, hash); !undone) {
      native::log_line(native::LogLevel::error, "code_not_withdrawn", {{"message", undone.error().message}});
    }
    return done(make_error(errc::mail_unavailable,
                           "the code could not be sent: the mail server is not taking messages (hint: try again "
                           "in a moment)"),
                kMailRetryAfterS);
  }
  done(issued->expires, std::nullopt);
}

Result<ContactDesk::Exchanged> ContactDesk::exchange(ContactCodeRows& rows, std::string_view address,
                                                     std::string_view code) {
  if (code.size() != 6 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error(errc::bad_request, "code: expected the 6 digits from the email");
  }
  auto now = clock_();
  auto key = contact_address_key(options_.secret.view(), address);
  OBJECTOR_RETURN_IF_ERROR(
      use_contact_code(rows, key, contact_code_hash(options_.secret.view(), key, code), now, limits()));
  AccountToken token{std::string(kEmailSubjectPrefix) + std::string(address), now + options_.token_ttl_s};
  return Exchanged{mint_token(token, options_.secret.view()), token.account};
}

}  // namespace objector::intake
