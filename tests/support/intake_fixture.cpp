#include "tests/support/intake_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "core/encoding/base64.hpp"
#include "native/common/files.hpp"
#include "native/common/postgres.hpp"

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

bool postgres_configured() {
  const char* file = std::getenv("OBJECTOR_TEST_PG");
  return file != nullptr && *file != '\0';
}

std::string fresh_database() {
  const char* file = std::getenv("OBJECTOR_TEST_PG");
  if (file == nullptr) throw std::runtime_error("OBJECTOR_TEST_PG is not set: no test cluster");
  auto uri = native::read_file(file).value();
  return fresh_database(uri.substr(0, uri.find('\n')));
}

std::string fresh_database(const std::string& uri) {
  static std::atomic<int> counter{0};
  auto name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  auto admin = native::pg::Connection::open(uri);
  if (!admin) throw std::runtime_error(admin.error().message);
  auto sql = "CREATE DATABASE " + name;
  if (auto ok = admin->exec(sql.c_str(), "cannot create a test database"); !ok) {
    throw std::runtime_error(ok.error().message);
  }
  auto slash = uri.find('/', uri.find("//") + 2);
  return uri.substr(0, slash + 1) + name + uri.substr(uri.find('?'));
}

IntakeData::IntakeData(const std::function<void(json&)>& tweak, Backend backend)
    : IntakeData(tweak, backend == Backend::postgresql || (backend == Backend::configured && postgres_configured())
                            ? fresh_database()
                            : std::string("sqlite")) {}

IntakeData::IntakeData(const std::function<void(json&)>& tweak, const std::string& store) : store_(store) {
  std::vector<std::string> init{intake_bin(), "init",        "--origin", "social.example/ai-training",
                                "--dir",      dir().string()};
  if (store_ != "sqlite") init.insert(init.end(), {"--store", store_});
  auto r = run(init);
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

std::unique_ptr<intake::Store> IntakeData::open_store() const {
  auto store = intake::Store::open({store_, dir() / "log.sqlite"});
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(*store);
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

PrivateCluster::PrivateCluster() {
  auto r = run({"/bin/bash", OBJECTOR_PG_CLUSTER, "start", state_.path().string()});
  if (r.exit_code != 0) throw std::runtime_error("pg_cluster.sh start failed: " + r.err);
  auto uri = native::read_file(state_.path() / "uri").value();
  uri_ = uri.substr(0, uri.find('\n'));
}

PrivateCluster::~PrivateCluster() { (void)run({"/bin/bash", OBJECTOR_PG_CLUSTER, "stop", state_.path().string()}); }

void PrivateCluster::crash_and_restart(std::chrono::seconds down) const {
  auto r = run({"/bin/bash", OBJECTOR_PG_CLUSTER, "restart", state_.path().string(), std::to_string(down.count())});
  if (r.exit_code != 0) throw std::runtime_error("pg_cluster.sh restart failed: " + r.err);
}

}  // namespace objector::test
