#include "native/intake/contact/smtp_mailer.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/encoding/base64.hpp"

namespace objector::intake {
namespace {

ByteView bytes_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// Base64 in lines of 76 characters (RFC 2045 §6.8).
std::string base64_lines(std::string_view text) {
  auto b64 = base64_encode(bytes_of(text));
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string rfc5322_date(std::int64_t now) {
  std::time_t t = now;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Upload {
  std::string_view data;
  std::size_t at = 0;
};

std::size_t read_upload(char* out, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  auto n = std::min(size * count, up->data.size() - up->at);
  std::memcpy(out, up->data.data() + up->at, n);
  up->at += n;
  return n;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string mail_message(const Mail& mail, std::string_view from, std::int64_t now) {
  unsigned char id[16];
  randombytes_buf(id, sizeof id);
  auto domain = from.substr(from.find('@') + 1);
  std::string subject = "=?UTF-8?B?" + base64_encode(bytes_of(mail.subject)) + "?=";
  std::string body;
  for (char c : mail.body) body += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return "Date: " + rfc5322_date(now) + "\r\n" +    //
         "From: <" + std::string(from) + ">\r\n" +  //
         "To: <" + mail.to + ">\r\n" +              //
         "Subject: " + subject + "\r\n" +           //
         "Message-ID: <" + base64_encode({id, sizeof id}).substr(0, 22) + "@" + std::string(domain) + ">\r\n" +
         "Auto-Submitted: auto-generated\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: base64\r\n"
         "\r\n" +
         base64_lines(body);
}

Status SmtpMailer::send(const Mail& mail, std::int64_t now) {
  init_curl_once();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return make_error(errc::mail_unavailable, "cannot start the mail client");
  auto message = mail_message(mail, server_.from, now);
  Upload upload{message};
  std::string from = "<" + server_.from + ">";
  std::string to = "<" + mail.to + ">";
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt(curl_slist_append(nullptr, to.c_str()), curl_slist_free_all);
  std::string password(reinterpret_cast<const char*>(server_.password.view().data()), server_.password.view().size());
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, server_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(server_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(server_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!server_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, server_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password.c_str());
  }
  auto rc = curl_easy_perform(c);
  sodium_memzero(password.data(), password.size());
  if (rc == CURLE_OK) return Ok{};
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  std::string why = error[0] != '\0' ? error : curl_easy_strerror(rc);
  if (reply != 0) why += " (server reply " + std::to_string(reply) + ")";
  return make_error(errc::mail_unavailable, "the mail server did not take the message: " + why);
}

}  // namespace objector::intake
