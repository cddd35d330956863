#include "native/intake/log/pending_row.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace objector::intake {

namespace {

constexpr std::uint8_t kLayout = 0x01;
constexpr std::size_t kHashSize = std::tuple_size_v<Hash>;
constexpr std::size_t kFixed = 2 * kHashSize + 8;  // leaf, device key, received
constexpr std::size_t kStrings = 4;                // entry, account, r, reason (each under 4 GiB: a request's cap)
constexpr int kLength = 4;                         // a string's length prefix

class Writer {
 public:
  explicit Writer(std::uint8_t* out) : out_(out) {}
  void bytes(ByteView b) { out_ = std::copy(b.begin(), b.end(), out_); }
  void be(std::uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) *out_++ = static_cast<std::uint8_t>(v >> (8 * i));
  }
  void string(ByteView b) {
    be(b.size(), kLength);
    bytes(b);
  }

 private:
  std::uint8_t* out_;
};

class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}
  bool done() const { return at_ == in_.size(); }
  std::optional<ByteView> bytes(std::size_t n) {
    if (in_.size() - at_ < n) return std::nullopt;
    auto out = in_.subspan(at_, n);
    at_ += n;
    return out;
  }
  std::optional<std::uint64_t> be(int width) {
    auto b = bytes(static_cast<std::size_t>(width));
    if (!b) return std::nullopt;
    std::uint64_t v = 0;
    for (auto x : *b) v = (v << 8) | x;
    return v;
  }
  std::optional<ByteView> string() {
    auto n = be(kLength);
    return n ? bytes(*n) : std::nullopt;
  }

 private:
  ByteView in_;
  std::size_t at_ = 0;
};

ByteView view_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
std::string string_of(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

}  // namespace

SecretBytes encode_pending_row(std::span<const Submission* const> submissions) {
  std::size_t size = 1;
  for (const auto* s : submissions) {
    size += kFixed + kLength * kStrings + s->entry.bytes.size() + s->opening.account.size() + s->opening.r.size() +
            s->opening.reason.size();
  }
  SecretBytes row(size);
  row.data()[0] = kLayout;
  Writer w(row.data() + 1);
  for (const auto* s : submissions) {
    w.bytes(s->entry.leaf);
    w.bytes(s->entry.device_key);
    w.be(static_cast<std::uint64_t>(s->opening.received), 8);
    w.string(view_of(s->entry.bytes));
    w.string(view_of(s->opening.account));
    w.string(s->opening.r.view());
    w.string(view_of(s->opening.reason));
  }
  return row;
}

Result<std::vector<Submission>> decode_pending_row(ByteView row, std::string_view where) {
  auto corrupt = [&](const std::string& what) {
    return make_error(errc::storage_error,
                      std::string(where) + ": " + what + " (hint: a node of another release queued it)");
  };
  if (row.empty() || row[0] != kLayout) return corrupt("not a queued row of layout 1");
  Reader r(row.subspan(1));
  std::vector<Submission> out;
  while (!r.done()) {
    Submission s;
    auto leaf = r.bytes(kHashSize);
    auto device_key = r.bytes(kHashSize);
    auto received = r.be(8);
    auto entry = r.string();
    auto account = r.string();
    auto blinding = r.string();
    auto reason = r.string();
    if (!leaf || !device_key || !received || !entry || !account || !blinding || !reason) {
      return corrupt("submission " + std::to_string(out.size()) + " is cut short");
    }
    std::copy(leaf->begin(), leaf->end(), s.entry.leaf.begin());
    std::copy(device_key->begin(), device_key->end(), s.entry.device_key.begin());
    s.entry.bytes = string_of(*entry);
    s.opening.account = string_of(*account);
    s.opening.r = SecretBytes(*blinding);
    s.opening.reason = string_of(*reason);
    s.opening.received = static_cast<std::int64_t>(*received);
    out.push_back(std::move(s));
  }
  if (out.empty()) return corrupt("no submission in it");
  return out;
}

}  // namespace objector::intake
