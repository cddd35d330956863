// One-time codes that prove a person controls an e-mail address (POST
// /v1/contact/code and /v1/contact/token). The rules are here, once; each
// store only loads and saves one address's rows inside a transaction that
// holds that address (ContactCodeRows), so several nodes on one PostgreSQL
// database hand out and spend codes as one.
//
// What is kept (INTEGRATION.md "What the intake keeps"): per code, a keyed
// hash of the address (HMAC with the token secret: the address itself is kept
// only in an opening), when it was sent, when it expires, wrong attempts, and
// the code's keyed hash until the code is used, locked, replaced or expires.
// A row stays an hour after it was sent, for the per-address budget, and is
// then deleted.
// Thread safety: the functions are safe from any thread with its own store.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector::intake {

struct ContactCodeRow {
  enum class State : std::uint8_t { live, used, replaced, locked, expired };
  std::int64_t id = 0;  // 0 until stored
  std::int64_t sent = 0;
  std::int64_t expires = 0;
  Bytes code_hash;  // empty once the code cannot be used
  State state = State::live;
  std::int64_t attempts = 0;
  bool changed = false;  // to be saved
  bool gone = false;     // to be deleted
};

// A store's side: the rows of one address, in one transaction.
class ContactCodeRows {
 public:
  virtual ~ContactCodeRows() = default;
  // Loads every row of `address_key` (oldest first), runs `body` on them, then
  // saves new (id 0), changed and gone rows and commits; nothing is saved
  // when body fails.
  virtual Status with_codes(ByteView address_key, const std::function<Status(std::vector<ContactCodeRow>&)>& body) = 0;
  // Clears the hashes of codes past `now` and deletes rows of every address
  // sent an hour or more before it that cannot be used (the retention job).
  virtual Result<std::size_t> delete_stale_codes(std::int64_t now) = 0;
};

struct CodeLimits {
  std::int64_t ttl_s = 900;
  std::size_t max_attempts = 5;
  std::size_t per_hour = 3;
};

// The keyed hashes: the address's key and a code's hash for that address.
Bytes contact_address_key(ByteView secret, std::string_view address);
Bytes contact_code_hash(ByteView secret, ByteView address_key, std::string_view code);
// Six random decimal digits.
std::string random_contact_code();

struct IssuedCode {
  std::int64_t expires = 0;  // Unix seconds
};
// Records a new code for the address; from now on only it works. Errors:
// too_many_codes when per_hour codes were sent in the last hour, with
// *retry_after_s set to when the oldest of them leaves the hour.
Result<IssuedCode> issue_contact_code(ContactCodeRows& rows, ByteView address_key, ByteView code_hash, std::int64_t now,
                                      const CodeLimits& limits, std::int64_t* retry_after_s);
// Forgets a code whose mail could not be sent: it does not count.
Status withdraw_contact_code(ContactCodeRows& rows, ByteView address_key, ByteView code_hash);
// Spends the address's code. Errors: code_invalid (no code, used, replaced, or
// wrong: a wrong one counts), code_locked (max_attempts wrong ones made it
// void), code_expired.
Status use_contact_code(ContactCodeRows& rows, ByteView address_key, ByteView code_hash, std::int64_t now,
                        const CodeLimits& limits);

}  // namespace objector::intake
