// An initialised intake data folder for tests, with helpers to mint tokens
// and make real signed objections addressed to it.
#pragma once

#include <functional>

#include "core/json/jcs.hpp"
#include "core/objection/objection.hpp"
#include "core/tlog/policy.hpp"
#include "native/common/clock.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "tests/support/process.hpp"

namespace objector::test {

class IntakeData {
 public:
  // Runs `objector-intake init`, then lets `tweak` edit config.json.
  explicit IntakeData(const std::function<void(json&)>& tweak = {});

  const std::filesystem::path& dir() const { return tmp_.path(); }
  // Edits config.json (for settings that need the log's key, like witnesses).
  void edit_config(const std::function<void(json&)>& tweak) const;
  const std::string& vkey() const { return vkey_; }
  Policy policy() const;
  std::string token(const std::string& account, std::int64_t ttl = 3600) const;
  Objection objection(const std::string& account, const std::string& jurisdiction = "GB") const;
  static std::string body(const Objection& o, const json& extra = json::object());

 private:
  TempDir tmp_;
  std::string vkey_;
  SecretBytes secret_;
};

using native::unix_now;

// A config tweak for tests: 20 ms batches and no rate limit.
void fast_batches(json& config);
// The tree size of the intake's latest checkpoint, over HTTP.
std::uint64_t tree_size(native::HttpClient& client);

}  // namespace objector::test
