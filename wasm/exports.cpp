// The C API of the wasm build: plain exports (no embind, so the page needs no
// 'unsafe-eval'). Everything goes through api::call with JSON; buffers are
// allocated by the caller and wiped when freed, since they may hold seeds.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/api.hpp"
#include "core/bytes.hpp"
#include "core/crypto/sodium.hpp"

extern "C" {

// 0 on success. Call once before anything else.
EMSCRIPTEN_KEEPALIVE int objector_init() { return objector::init_crypto() ? 0 : -1; }

EMSCRIPTEN_KEEPALIVE std::uint8_t* objector_alloc(std::size_t size) {
  return static_cast<std::uint8_t*>(std::malloc(size == 0 ? 1 : size));
}

EMSCRIPTEN_KEEPALIVE void objector_free(std::uint8_t* ptr, std::size_t size) {
  if (ptr == nullptr) return;
  objector::wipe(ptr, size);
  std::free(ptr);
}

// Runs `op` on the JSON `args`. Returns a buffer laid out as
//   uint32 little-endian body length | uint8 ok (1) or error (0) | body
// which the caller frees with objector_free(ptr, 5 + length); null when out of memory.
EMSCRIPTEN_KEEPALIVE std::uint8_t* objector_call(const char* op, std::size_t op_len, const char* args,
                                                 std::size_t args_len) {
  auto reply = objector::api::call({op, op_len}, {args, args_len});
  auto n = static_cast<std::uint32_t>(reply.body.size());
  auto* out = objector_alloc(5 + reply.body.size());
  if (out != nullptr) {
    std::memcpy(out, &n, 4);
    out[4] = reply.ok ? 1 : 0;
    std::memcpy(out + 5, reply.body.data(), reply.body.size());
  }
  objector::wipe(reply.body);
  return out;
}

}  // extern "C"
