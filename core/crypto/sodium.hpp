// libsodium set-up. Every program and test calls init_crypto() once before
// using core: it selects libsodium's implementations and, in wasm, installs the
// random source. Thread safety: safe to call from any thread, any number of times.
#pragma once

namespace objector {

[[nodiscard]] bool init_crypto();

}  // namespace objector
