// libFuzzer: what a verifier is handed to check authorship: a proof and a
// receipt (public or full). Parsed values serialize to JCS that parses back
// identically, and checking them never crashes.
#include <cstdint>
#include <string_view>

#include "core/objection/authorship.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto p = objector::parse_authorship(text)) {
    auto again = objector::parse_authorship(objector::serialize(*p));
    if (!again || objector::serialize(*again) != objector::serialize(*p)) __builtin_trap();
  }
  objector::JsonDocument doc;
  auto j = objector::parse_receipt_json(doc, text);
  if (!j) return 0;
  auto receipt = objector::public_part_from_json(*j);
  if (!receipt) return 0;
  auto serialized = objector::serialize(*receipt);
  objector::JsonDocument again_doc;
  auto back = objector::public_receipt_from_json(objector::parse_receipt_json(again_doc, serialized).value());
  if (!back || objector::serialize(*back) != serialized) __builtin_trap();
  (void)objector::verify_public_receipt(*receipt, objector::fuzz::policy());
  objector::AuthorshipProof proof{objector::entry_leaf_hash(receipt->entry), "challenge", {}};
  (void)objector::verify_authorship(proof, receipt->entry, "challenge");
  return 0;
}
