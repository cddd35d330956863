#include "core/crypto/sodium.hpp"

#include <sodium.h>

namespace objector {

bool init_crypto() { return sodium_init() >= 0; }

}  // namespace objector
