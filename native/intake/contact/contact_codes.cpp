#include "native/intake/contact/contact_codes.hpp"

#include <sodium.h>

#include <algorithm>

namespace objector::intake {
namespace {

constexpr std::int64_t kHour = 3600;
using State = ContactCodeRow::State;

Bytes hmac(ByteView secret, std::string_view label, ByteView a, std::string_view b) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret.data(), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(label.data()), label.size());
  crypto_auth_hmacsha256_update(&st, a.data(), a.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  Bytes out(crypto_auth_hmacsha256_BYTES);
  crypto_auth_hmacsha256_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

void retire(ContactCodeRow& row, State state) {
  row.state = state;
  sodium_memzero(row.code_hash.data(), row.code_hash.size());
  row.code_hash.clear();
  row.changed = true;
}

// A row that counts for nothing any more: sent over an hour ago and unusable.
bool stale(const ContactCodeRow& row, std::int64_t now) {
  return row.sent <= now - kHour && (row.state != State::live || row.expires <= now);
}

}  // namespace

Bytes contact_address_key(ByteView secret, std::string_view address) {
  return hmac(secret, "objector-contact-address-v1\n", {}, address);
}

Bytes contact_code_hash(ByteView secret, ByteView address_key, std::string_view code) {
  return hmac(secret, "objector-contact-code-v1\n", address_key, code);
}

std::string random_contact_code() {
  auto n = randombytes_uniform(1000000);
  std::string code = std::to_string(n);
  return std::string(6 - code.size(), '0') + code;
}

Result<IssuedCode> issue_contact_code(ContactCodeRows& rows, ByteView address_key, ByteView code_hash, std::int64_t now,
                                      const CodeLimits& limits, std::int64_t* retry_after_s) {
  IssuedCode issued;
  auto done = rows.with_codes(address_key, [&](std::vector<ContactCodeRow>& codes) -> Status {
    std::int64_t oldest = now;
    std::size_t in_hour = 0;
    for (auto& row : codes) {
      row.gone = stale(row, now);
      if (row.sent > now - kHour) {
        ++in_hour;
        oldest = std::min(oldest, row.sent);
      }
    }
    if (in_hour >= limits.per_hour) {
      if (retry_after_s != nullptr) *retry_after_s = std::max<std::int64_t>(1, oldest + kHour - now);
      return make_error(errc::too_many_codes, "email: " + std::to_string(limits.per_hour) +
                                                  " codes were sent to this address in the last hour (hint: "
                                                  "use the newest, or wait)");
    }
    // An earlier code stops working when this one is used or tried (only the
    // newest counts); it is kept until then, so a mail that cannot be sent
    // leaves the earlier code as it was.
    issued.expires = now + limits.ttl_s;
    codes.push_back({.sent = now, .expires = issued.expires, .code_hash = Bytes(code_hash.begin(), code_hash.end())});
    return Ok{};
  });
  if (!done) return std::move(done).error();
  return issued;
}

Status withdraw_contact_code(ContactCodeRows& rows, ByteView address_key, ByteView code_hash) {
  return rows.with_codes(address_key, [&](std::vector<ContactCodeRow>& codes) -> Status {
    for (auto& row : codes) {
      row.gone = row.gone || (row.code_hash.size() == code_hash.size() &&
                              std::equal(row.code_hash.begin(), row.code_hash.end(), code_hash.begin()));
    }
    return Ok{};
  });
}

Status use_contact_code(ContactCodeRows& rows, ByteView address_key, ByteView code_hash, std::int64_t now,
                        const CodeLimits& limits) {
  // The answer is decided inside the transaction, and given after it: a
  // wrong code's attempt must be saved, not rolled back with an error.
  Status answer = Ok{};
  auto done = rows.with_codes(address_key, [&](std::vector<ContactCodeRow>& codes) -> Status {
    auto newest = std::max_element(codes.begin(), codes.end(), [](const auto& a, const auto& b) {
      return a.sent < b.sent || (a.sent == b.sent && a.id < b.id);
    });
    auto refuse = [&](const ErrorCode& code, std::string message) {
      answer = make_error(code, "code: " + std::move(message));
      return Ok{};
    };
    if (newest == codes.end() || newest->state == State::used || newest->state == State::replaced) {
      return refuse(errc::code_invalid, "this code is not the one sent (hint: ask for a new code)");
    }
    if (newest->state == State::locked) {
      return refuse(errc::code_locked, "too many wrong codes: this one no longer works (hint: ask for a new code)");
    }
    if (newest->state == State::expired || newest->expires <= now) {
      if (newest->state == State::live) retire(*newest, State::expired);
      return refuse(errc::code_expired, "this code has expired (hint: ask for a new code)");
    }
    bool same = newest->code_hash.size() == code_hash.size() &&
                sodium_memcmp(newest->code_hash.data(), code_hash.data(), code_hash.size()) == 0;
    if (same) {
      for (auto& row : codes) {
        if (row.state == State::live) retire(row, &row == &*newest ? State::used : State::replaced);
      }
      return Ok{};
    }
    newest->attempts += 1;
    newest->changed = true;
    if (newest->attempts >= static_cast<std::int64_t>(limits.max_attempts)) retire(*newest, State::locked);
    return refuse(errc::code_invalid, "this is not the code that was sent (hint: check the latest message)");
  });
  if (!done) return done;
  return answer;
}

}  // namespace objector::intake
