// Sends one message through the configured mail server (config contact).
// libcurl's SMTP client (Debian libcurl4-openssl-dev): maintained, speaks
// SMTP, STARTTLS and SMTPS with certificate checks and AUTH, and Objector
// already trusts curl's TLS; a hand-written SMTP client would be one more
// protocol implementation to keep correct. smtp:// upgrades with STARTTLS when
// the server offers it; smtps:// is TLS from the start.
// Thread safety: one SmtpMailer per thread (send() blocks up to its timeouts).
#pragma once

#include <chrono>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector::intake {

struct MailServer {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string from;
  std::string user;  // "" = no AUTH
  SecretBytes password;
  std::chrono::milliseconds timeout{15000};
};

struct Mail {
  std::string to;
  std::string subject;  // UTF-8
  std::string body;     // UTF-8, lines separated by \n
};

// The RFC 5322 message for `mail`: UTF-8 subject as an RFC 2047 encoded word,
// the body in base64 (8-bit clean on any server), Auto-Submitted.
std::string mail_message(const Mail& mail, std::string_view from, std::int64_t now);

class SmtpMailer {
 public:
  explicit SmtpMailer(MailServer server) : server_(std::move(server)) {}
  // mail_unavailable when the server cannot be reached, refuses or times out.
  Status send(const Mail& mail, std::int64_t now);

 private:
  MailServer server_;
};

}  // namespace objector::intake
