# libsodium for wasm, compiled from Debian's source package (with Debian's
# patches) without autotools. Only the primitives core uses are built.
set(SODIUM_SRC ${CMAKE_SOURCE_DIR}/build/deps/libsodium CACHE PATH "Debian's libsodium source tree")
if(NOT EXISTS ${SODIUM_SRC}/src/libsodium/include/sodium.h)
  message(FATAL_ERROR "libsodium source not found in ${SODIUM_SRC}: run tools/setup")
endif()
set(sodium ${SODIUM_SRC}/src/libsodium)

set(VERSION 1.0.18)
set(SODIUM_LIBRARY_VERSION_MAJOR 10)
set(SODIUM_LIBRARY_VERSION_MINOR 3)
set(SODIUM_LIBRARY_MINIMAL_DEF "")
set(sodium_gen ${CMAKE_BINARY_DIR}/sodium-include)
configure_file(${sodium}/include/sodium/version.h.in ${sodium_gen}/sodium/version.h @ONLY)

file(GLOB sodium_sources CONFIGURE_DEPENDS
  ${sodium}/sodium/*.c
  ${sodium}/randombytes/randombytes.c
  ${sodium}/crypto_verify/sodium/*.c
  ${sodium}/crypto_hash/sha256/*.c ${sodium}/crypto_hash/sha256/cp/*.c
  ${sodium}/crypto_hash/sha512/*.c ${sodium}/crypto_hash/sha512/cp/*.c
  ${sodium}/crypto_generichash/*.c
  ${sodium}/crypto_generichash/blake2b/*.c ${sodium}/crypto_generichash/blake2b/ref/*.c
  ${sodium}/crypto_core/ed25519/*.c ${sodium}/crypto_core/ed25519/ref10/*.c
  ${sodium}/crypto_sign/*.c
  ${sodium}/crypto_sign/ed25519/*.c ${sodium}/crypto_sign/ed25519/ref10/*.c
  ${sodium}/crypto_scalarmult/curve25519/*.c ${sodium}/crypto_scalarmult/curve25519/ref10/*.c
  ${sodium}/crypto_scalarmult/ed25519/ref10/*.c
  ${sodium}/crypto_auth/hmacsha256/*.c ${sodium}/crypto_auth/hmacsha512/*.c
)
add_library(objector_sodium STATIC ${sodium_sources} ${CMAKE_SOURCE_DIR}/wasm/sodium_unused_primitives.c)
# version.h is generated outside the source tree and includes "export.h"
# from it, so both folders are on the path.
target_include_directories(objector_sodium
  PUBLIC ${sodium}/include ${sodium_gen} ${sodium}/include/sodium
  PRIVATE ${sodium_gen}/sodium)
target_compile_definitions(objector_sodium PUBLIC SODIUM_STATIC=1
  PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1 HAVE_WEAK_SYMBOLS=1)
target_compile_options(objector_sodium PRIVATE -Oz -flto -w)
