// The manifest check's objector set (native/verify/objector_set.hpp): no
// objector is ever missed, few others get past the filter, and it stays
// within its memory budget.
#include "native/verify/objector_set.hpp"

#include <sodium.h>

#include <boost/test/unit_test.hpp>
#include <set>

using objector::verify::ObjectorSet;

namespace {

std::vector<std::uint64_t> random_hashes(std::size_t n) {
  std::vector<std::uint64_t> out(n);
  randombytes_buf(out.data(), n * sizeof(std::uint64_t));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(objector_set)

BOOST_AUTO_TEST_CASE(every_objector_is_found_with_every_index) {
  auto hashes = random_hashes(100000);
  hashes[7] = hashes[99];  // two objectors, one account: both indices come back
  const ObjectorSet set(hashes);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    std::vector<std::uint64_t> found;
    set.matches(hashes[i], [&](std::uint64_t index) { found.push_back(index); });
    if (i == 7 || i == 99) {
      BOOST_TEST(found == (std::vector<std::uint64_t>{7, 99}));
    } else {
      BOOST_TEST_REQUIRE(found == std::vector<std::uint64_t>{i});
    }
  }
}

BOOST_AUTO_TEST_CASE(few_others_pass_the_filter_and_none_match) {
  auto objectors = random_hashes(200000);
  const ObjectorSet set(objectors);
  const std::set<std::uint64_t> known(objectors.begin(), objectors.end());
  std::size_t maybe = 0;
  std::size_t matched = 0;
  constexpr std::size_t kOthers = 1000000;
  for (auto h : random_hashes(kOthers)) {
    if (known.count(h) != 0) continue;
    maybe += set.maybe(h) ? 1 : 0;
    set.matches(h, [&](std::uint64_t) { ++matched; });
  }
  BOOST_TEST(matched == 0u);
  BOOST_TEST(maybe < kOthers / 50, maybe << " false positives in " << kOthers);  // 10 bits per key: about 1 %
  BOOST_TEST(set.bytes() <= objectors.size() * 18, set.bytes());                 // 10 bits + 16 bytes each
}

BOOST_AUTO_TEST_CASE(no_objectors) {
  const ObjectorSet set(std::vector<std::uint64_t>{});
  BOOST_TEST(!set.maybe(42));
  std::size_t calls = 0;
  set.matches(42, [&](std::uint64_t) { ++calls; });
  BOOST_TEST(calls == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
