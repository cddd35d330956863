#define BOOST_TEST_MODULE objector
#include <boost/test/unit_test.hpp>

#include "core/crypto/sodium.hpp"

namespace {
struct CryptoSetup {
  CryptoSetup() {
    if (!objector::init_crypto()) throw std::runtime_error("libsodium failed to initialise");
  }
};
}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(CryptoSetup);
