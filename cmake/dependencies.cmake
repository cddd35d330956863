# libsodium and nlohmann/json for both builds.
#   native: libsodium-dev through pkg-config, nlohmann-json3-dev's CMake package.
#   wasm:   libsodium compiled from Debian's source (tools/setup fetches it),
#           nlohmann/json through a private include folder (adding /usr/include
#           to an Emscripten build pulls in glibc headers and breaks it).

if(EMSCRIPTEN)
  include(${CMAKE_CURRENT_LIST_DIR}/sodium_wasm.cmake)
  set(json_include ${CMAKE_BINARY_DIR}/json-include)
  file(MAKE_DIRECTORY ${json_include})
  file(CREATE_LINK /usr/include/nlohmann ${json_include}/nlohmann SYMBOLIC)
  add_library(objector_json INTERFACE)
  target_include_directories(objector_json SYSTEM INTERFACE ${json_include})
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
  add_library(objector_sodium INTERFACE)
  target_link_libraries(objector_sodium INTERFACE PkgConfig::SODIUM)
  find_package(nlohmann_json 3.11 REQUIRED)
  add_library(objector_json INTERFACE)
  target_link_libraries(objector_json INTERFACE nlohmann_json::nlohmann_json)
endif()
# Core never throws: nlohmann reports errors as values in every build.
target_compile_definitions(objector_json INTERFACE JSON_NOEXCEPTION=1 JSON_USE_IMPLICIT_CONVERSIONS=0)
