// The e-mail path for people without an account (config contact, INTEGRATION
// "Objecting without an account"): sends a code to an address on its own
// thread, with its own store session, so a slow mail server holds no io
// thread; and turns the right code into an ordinary account token for
// "email:<address>". A code is recorded before its mail goes and withdrawn
// when the mail cannot be sent, so a failure leaves nothing behind.
// Thread safety: send_code() and exchange() from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "native/intake/contact/contact_codes.hpp"
#include "native/intake/contact/smtp_mailer.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

// The mail server of config.contact, with its credentials: from
// contact.credentials_file (absolute, or in `data_dir`; "user:password" on its
// first line; the file must not be readable by others), else from
// OBJECTOR_SMTP_USER and OBJECTOR_SMTP_PASSWORD, else none.
Result<MailServer> load_mail_server(const Config::Contact& contact, const std::filesystem::path& data_dir);

class ContactDesk {
 public:
  struct Options {
    Config::Contact contact;
    MailServer server;
    std::string controller;  // named in the mail: config.origin
    SecretBytes secret;      // the token secret: keys the hashes and signs the tokens
    std::int64_t token_ttl_s = 86400;
    std::size_t max_queue = 256;  // codes waiting for the mail server; beyond: mail_unavailable
  };
  using Clock = std::function<std::int64_t()>;
  static Result<std::unique_ptr<ContactDesk>> start(const StoreLocation& where, Options options, Clock clock);
  ~ContactDesk();
  ContactDesk(const ContactDesk&) = delete;
  ContactDesk& operator=(const ContactDesk&) = delete;
  void stop();

  // The answer to a code request: when the code expires, or the error and
  // how many seconds to wait before asking again (Retry-After), if any.
  using Sent = std::function<void(Result<std::int64_t> expires, std::optional<int> retry_after_s)>;
  // `address`: normalized (normalize_email). `done` runs on the desk's thread
  // (or this one, when the queue is full).
  void send_code(std::string address, std::string lang, Sent done);

  struct Exchanged {
    std::string token;
    std::string account;
  };
  // Spends a code with the caller's store session. Errors: bad_request (not
  // six digits), and use_contact_code's.
  Result<Exchanged> exchange(ContactCodeRows& rows, std::string_view address, std::string_view code);

 private:
  ContactDesk(std::unique_ptr<Store> store, Options options, Clock clock);
  void run();
  void send_one(const std::string& address, const std::string& lang, const Sent& done);
  CodeLimits limits() const;

  std::unique_ptr<Store> store_;
  Options options_;
  Clock clock_;
  SmtpMailer mailer_;
  struct Job {
    std::string address;
    std::string lang;
    Sent done;
  };
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace objector::intake
