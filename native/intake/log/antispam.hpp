// Tessera's antispam pattern, as a decorator on add: what the log already
// says of a submission decides whether it gets an index. The same leaf keeps
// the index it has (answered 200, not 201), and a device key that signed
// another objection is refused (409 device_key_reused). An Antispam also
// remembers what its batch took, so a batch cannot hold either twice.
// Thread safety: one per batch (or per answering pass), on one thread.
#pragma once

#include <map>

#include "native/intake/log/store.hpp"

namespace objector::intake {

class Antispam {
 public:
  struct Verdict {
    enum class Kind { fresh, duplicate, device_key_reused } kind = Kind::fresh;
    std::uint64_t index = 0;  // duplicate: the index the leaf has
  };
  // `known`: the log's answer for `s` (LogWriter::lookup).
  Verdict check(const Submission& s, const Known& known) const;
  // `s` got `index` in this batch.
  void took(const Submission& s, std::uint64_t index);

 private:
  std::map<Hash, std::uint64_t> index_of_;  // leaf -> index, in this batch
  std::map<Hash, Hash> device_leaf_;        // device key -> leaf, in this batch
};

Error device_key_reused();

}  // namespace objector::intake
