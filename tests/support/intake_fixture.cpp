#include "tests/support/intake_fixture.hpp"

#include <stdexcept>

#include "core/encoding/base64.hpp"
#include "native/common/files.hpp"

namespace objector::test {

void fast_batches(json& config) {
  config["batch"]["interval_ms"] = 20;
  config["limits"]["rate_per_second"] = 0;
}

std::uint64_t tree_size(native::HttpClient& client) {
  auto body = client.get("/checkpoint").body;
  auto nl = body.find('\n');
  if (nl == std::string::npos) throw std::runtime_error("no checkpoint: " + body);
  return std::stoull(body.substr(nl + 1, body.find('\n', nl + 1) - nl - 1));
}

IntakeData::IntakeData(const std::function<void(json&)>& tweak) {
  auto r = run({intake_bin(), "init", "--origin", "social.example/ai-training", "--dir", dir().string()});
  if (r.exit_code != 0) throw std::runtime_error("init failed: " + r.err);
  vkey_ = r.out.substr(0, r.out.find('\n'));
  if (tweak) edit_config(tweak);
  auto secret = native::read_file(dir() / "token.key").value();
  secret_ = SecretBytes(base64_decode(secret.substr(0, secret.find('\n'))).value());
}

void IntakeData::edit_config(const std::function<void(json&)>& tweak) const {
  auto config = parse_json(native::read_file(dir() / "config.json").value()).value();
  tweak(config);
  if (!native::write_file(dir() / "config.json", config.dump(2)).ok()) throw std::runtime_error("write config");
}

Policy IntakeData::policy() const { return single_log_policy(parse_verifier_key(vkey_).value()); }

std::string IntakeData::token(const std::string& account, std::int64_t ttl) const {
  return intake::mint_token({account, unix_now() + ttl}, secret_.view());
}

Objection IntakeData::objection(const std::string& account, const std::string& jurisdiction) const {
  ObjectionForm form{"social.example/ai-training",
                     jurisdiction,
                     {"facebook", "instagram"},
                     {"train-ai"},
                     "en-GB",
                     unix_now(),
                     account};
  return make_objection(form).value();
}

std::string IntakeData::body(const Objection& o, const json& extra) {
  json j = {{"entry", to_json(o.entry)}, {"opening", to_json(o.opening)}};
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  return j.dump();
}

}  // namespace objector::test
