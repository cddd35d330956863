// Where an objection can be made and under which law. One table, data only:
// adding a country is one line in jurisdiction.cpp.
// Thread safety: immutable data.
#pragma once

#include <span>
#include <string_view>

namespace objector {

struct Jurisdiction {
  std::string_view code;   // ISO 3166-1 alpha-2
  std::string_view basis;  // the right to object that applies there
};

std::span<const Jurisdiction> jurisdictions();
const Jurisdiction* find_jurisdiction(std::string_view code);

}  // namespace objector
