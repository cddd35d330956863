// objector-intake's configuration: DIR/config.json, written by `init` with
// every default spelled out (docs/INTEGRATION.md documents each field).
// Thread safety: a loaded Config is read-only.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json/json.hpp"
#include "native/intake/data_dir.hpp"

namespace objector::intake {

struct Config {
  std::string origin;                                          // the log origin = statements' controller
  std::string listen = "127.0.0.1:8080";                       // loopback unless told otherwise
  std::vector<std::string> services{"facebook", "instagram"};  // what a person can object for
  std::vector<std::string> purposes{"train-ai", "train-genai"};
  std::vector<std::string> jurisdictions;  // empty = every one core knows
  std::size_t batch_max_entries = 256;     // integrate at most this many per checkpoint
  std::int64_t batch_interval_ms = 500;    // or after this long
  std::size_t max_body_bytes = std::size_t{16} * 1024;
  std::size_t max_contact_bytes = 254;
  std::size_t max_reason_bytes = 2000;
  double rate_per_second = 20;  // per client address; 0 turns the limit off
  double rate_burst = 40;
  std::int64_t read_timeout_ms = 10000;  // slow requests get 408
  std::int64_t max_token_ttl_s = std::int64_t{7} * 86400;
};

json to_json(const Config& c);
Result<Config> config_from_json(const json& j);
Result<Config> load_config(const std::filesystem::path& dir);

}  // namespace objector::intake
