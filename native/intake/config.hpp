// objector-intake's configuration: DIR/config.json, written by `init` with
// every default spelled out (docs/INTEGRATION.md documents each field).
// Thread safety: a loaded Config is read-only.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json/json.hpp"
#include "core/json/json_reader.hpp"
#include "native/intake/data_dir.hpp"

namespace objector::intake {

struct Config {
  std::string origin;                     // the log origin = statements' controller
  std::string listen = "127.0.0.1:8080";  // loopback unless told otherwise
  std::string store = "sqlite";  // "sqlite" (log.sqlite in the data folder) or a postgresql:// URI, no password
  std::size_t store_pool = 2;    // the HTTP API's read sessions
  std::vector<std::string> services{"facebook", "instagram"};  // what a person can object for
  std::vector<std::string> purposes{"train-ai"};  // draft-ietf-aipref-vocab (train-genai was dropped in -05)
  std::vector<std::string> jurisdictions;         // empty = every one core knows
  std::size_t batch_max_entries = 256;            // integrate at most this many per checkpoint
  std::int64_t batch_interval_ms = 500;           // or after this long
  std::size_t max_body_bytes = std::size_t{16} * 1024;
  std::size_t max_reason_bytes = 2000;
  double rate_per_second = 20;  // submissions per client (IPv4 address or IPv6 /64); 0 turns the limit off
  double rate_burst = 40;
  double read_rate_per_second = 200;  // reads (checkpoint, tiles, proofs, files) per client
  double read_rate_burst = 400;
  std::size_t rate_clients = 100000;     // buckets kept per budget, least recently used evicted
  std::size_t max_connections = 4096;    // beyond this, new connections get 503 and are closed
  std::size_t max_queue = 16384;         // submissions waiting for the sequencer; beyond: 503 overloaded
  std::int64_t read_timeout_ms = 10000;  // slow requests get 408
  // The request line and headers must arrive sooner (and idle connections close).
  std::int64_t header_timeout_ms = 5000;
  std::size_t max_connections_per_client = 64;             // open connections per client address; beyond: 429 and close
  std::int64_t max_token_ttl_s = std::int64_t{7} * 86400;  // the server refuses tokens that live longer
  std::int64_t reason_days = 90;             // retention.reason_days: reasons are deleted this long after they arrive
  std::vector<std::string> trusted_proxies;  // proxy.trusted: addresses/CIDRs whose forwarding header counts
  std::string proxy_header = "x-forwarded-for";  // proxy.header: the one header they set ("forwarded" or this)
  std::vector<std::string> cors_origins;         // cors.allowed_origins: pages on other origins that may call /v1/
  // discovery: where people and tools find this log (/.well-known/objector)
  std::string intake_url;                                          // the public URL of this intake, "" = not announced
  std::string widget_url;                                          // where the widget's files are served
  std::vector<std::pair<std::string, std::string>> service_names;  // service id -> display name
  // What the platform states, per language, for the widget's "What happens
  // next": "trained_models" (models already trained) and "withdrawal"
  // (withdrawing an objection). The widget says nothing the platform did not.
  std::map<std::string, std::map<std::string, std::string>> statements;
  // witnesses: who cosigns each checkpoint (c2sp.org/tlog-witness), and the
  // policy (c2sp.org/tlog-policy) whose quorum a checkpoint must meet before
  // submissions are answered; without a policy, witnesses cosign and nothing waits.
  struct Witness {
    std::string name;  // the policy's name for it
    std::string url;   // its submission prefix: POST <url>/add-checkpoint
    std::string key;   // its verifier key (type 0x04)
  };
  std::vector<Witness> witnesses;
  std::string policy;                      // a file in the data folder, or the policy text itself ("" = none)
  std::int64_t witness_refresh_s = 60;     // witness.refresh_s: re-submit the latest checkpoint at least this often
  std::int64_t witness_timeout_ms = 5000;  // witness.timeout_ms: how long a submission waits for the quorum
  // publish.dir: the folder the sequencer writes the log's tiles and
  // checkpoint into (absolute, or relative to the data folder); "" = none,
  // and the intake serves /checkpoint and /tile/ from the store.
  std::string publish_dir;
  // contact: people without an account object with an e-mail address they
  // prove they control (a code sent to it). Off when absent.
  struct Contact {
    std::string smtp_url;  // smtp://host:port (STARTTLS when offered) or smtps://host:port; no credentials
    std::string from;      // the codes' sender address
    // A file (absolute, or in the data folder) holding "user:password" for the
    // mail server, mode 0600; else OBJECTOR_SMTP_USER and OBJECTOR_SMTP_PASSWORD;
    // else none. Never config.json itself.
    std::string credentials_file;
    std::int64_t code_ttl_s = 900;         // a code works this long
    std::size_t max_attempts = 5;          // wrong codes before the code is void
    std::size_t per_address_per_hour = 3;  // codes sent to one address in any hour
  };
  std::optional<Contact> contact;
};

// config.publish.dir resolved against the data folder; empty when not set.
std::filesystem::path publish_dir(const Config& c, const std::filesystem::path& data_dir);

json to_json(const Config& c);
Result<Config> config_from_json(JsonValue j);
Result<Config> load_config(const std::filesystem::path& dir);
// The policy's text: config.policy itself when it holds lines, else the file
// it names in the data folder; "" when there is none.
Result<std::string> policy_text(const Config& c, const std::filesystem::path& dir);

}  // namespace objector::intake
