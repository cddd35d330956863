// Subject commitment and its opening (FORMAT.md §2):
//   subject = BLAKE2b-256(key = r, "objector subject v1\n" || account)
// The public log carries only `subject`; the opening {account, r} goes to the
// controller and stays in the receipt.
// Thread safety: pure functions; Opening is a plain value.
#pragma once

#include "core/bytes.hpp"
#include "core/json/jcs_writer.hpp"
#include "core/json/json.hpp"
#include "core/json/json_reader.hpp"

namespace objector {

inline constexpr std::size_t kBlindingBytes = 32;
inline constexpr std::size_t kMaxAccountBytes = 256;

struct Opening {
  std::string account;
  SecretBytes r;  // 32 random bytes made on the device
};

Hash commit(std::string_view account, ByteView r);
Opening make_opening(std::string account);  // fresh random r

// The account is the controller's identifier: 1..256 bytes, no control characters.
Status validate_account(std::string_view account);
Status check_opening(const Opening& opening, const Hash& subject);

void write_jcs(JcsWriter& w, const Opening& opening);
json to_json(const Opening& opening);  // a DOM, for the wasm API's results (it wipes "r")
Result<Opening> opening_from_json(JsonValue j, std::string_view where = "opening");

}  // namespace objector
