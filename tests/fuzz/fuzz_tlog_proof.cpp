// libFuzzer: tlog-proofs and receipts, the documents people keep.
#include <cstdint>
#include <string_view>

#include "core/receipt.hpp"
#include "core/sodium.hpp"
#include "core/tlog_proof.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = objector::init_crypto();
  static const auto policy = objector::single_log_policy(
      objector::parse_verifier_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").value());
  (void)ready;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto p = objector::parse_tlog_proof(text)) {
    if (objector::format_tlog_proof(*p) != text) __builtin_trap();
    (void)objector::verify_tlog_proof(*p, objector::Hash{}, policy);
  }
  if (auto r = objector::parse_receipt(text)) (void)objector::verify_receipt(*r, policy);
  return 0;
}
