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
# ed25519_ref10.c with its stored base-point table replaced by the same
# points computed on first use (wasm/sodium_base_table.c): about 28 KB less
# to download. The build stops if the text to replace is not there.
set(ref10_dir ${sodium}/crypto_core/ed25519/ref10)
list(REMOVE_ITEM sodium_sources ${ref10_dir}/ed25519_ref10.c)
file(READ ${ref10_dir}/ed25519_ref10.c ref10_text)
set(stored_table [=[
    static const ge25519_precomp base[32][8] = { /* base[i][j] = (j+1)*256^i*B */
#ifdef HAVE_TI_MODE
# include "fe_51/base.h"
#else
# include "fe_25_5/base.h"
#endif
    };]=])
string(FIND "${ref10_text}" "${stored_table}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${ref10_dir}/ed25519_ref10.c: the base-point table to replace was not found (another libsodium version?)")
endif()
string(REPLACE "${stored_table}" [=[
    const ge25519_precomp (*objector_base_table(void))[8];
    const ge25519_precomp (*base)[8] = objector_base_table();]=] ref10_text "${ref10_text}")
file(READ ${CMAKE_SOURCE_DIR}/wasm/sodium_base_table.c computed_table)
file(WRITE ${CMAKE_BINARY_DIR}/sodium-patched/ed25519_ref10.c "${ref10_text}\n${computed_table}")
set_source_files_properties(${CMAKE_BINARY_DIR}/sodium-patched/ed25519_ref10.c PROPERTIES INCLUDE_DIRECTORIES ${ref10_dir})
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ref10_dir}/ed25519_ref10.c
  ${CMAKE_SOURCE_DIR}/wasm/sodium_base_table.c)

add_library(objector_sodium STATIC ${sodium_sources} ${CMAKE_BINARY_DIR}/sodium-patched/ed25519_ref10.c
  ${CMAKE_SOURCE_DIR}/wasm/sodium_unused_primitives.c)
# version.h is generated outside the source tree and includes "export.h"
# from it, so both folders are on the path.
target_include_directories(objector_sodium
  PUBLIC ${sodium}/include ${sodium_gen} ${sodium}/include/sodium
  PRIVATE ${sodium_gen}/sodium)
target_compile_definitions(objector_sodium PUBLIC SODIUM_STATIC=1
  PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1 HAVE_WEAK_SYMBOLS=1)
# -O3, not -Oz: field arithmetic and hashing are most of an objection's time
# in the wasm (a profile: 50 % and 17 %); about 4 % faster for 0.3 KB gzipped.
target_compile_options(objector_sodium PRIVATE -O3 -flto -w)
