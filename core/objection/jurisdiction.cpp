#include "core/objection/jurisdiction.hpp"

#include <algorithm>
#include <array>

namespace objector {
namespace {

constexpr std::string_view kUkGdpr = "uk-gdpr:art21";  // UK GDPR Art. 21
constexpr std::string_view kEuGdpr = "eu-gdpr:art21";  // GDPR Art. 21 (EU and EEA)
constexpr std::string_view kLgpd = "lgpd:art18-2";     // LGPD Art. 18 §2

// Sorted by code.
constexpr std::array<Jurisdiction, 32> kTable{{
    {"AT", kEuGdpr}, {"BE", kEuGdpr}, {"BG", kEuGdpr}, {"BR", kLgpd},   {"CY", kEuGdpr}, {"CZ", kEuGdpr},
    {"DE", kEuGdpr}, {"DK", kEuGdpr}, {"EE", kEuGdpr}, {"ES", kEuGdpr}, {"FI", kEuGdpr}, {"FR", kEuGdpr},
    {"GB", kUkGdpr}, {"GR", kEuGdpr}, {"HR", kEuGdpr}, {"HU", kEuGdpr}, {"IE", kEuGdpr}, {"IS", kEuGdpr},
    {"IT", kEuGdpr}, {"LI", kEuGdpr}, {"LT", kEuGdpr}, {"LU", kEuGdpr}, {"LV", kEuGdpr}, {"MT", kEuGdpr},
    {"NL", kEuGdpr}, {"NO", kEuGdpr}, {"PL", kEuGdpr}, {"PT", kEuGdpr}, {"RO", kEuGdpr}, {"SE", kEuGdpr},
    {"SI", kEuGdpr}, {"SK", kEuGdpr},
}};

}  // namespace

std::span<const Jurisdiction> jurisdictions() { return kTable; }

const Jurisdiction* find_jurisdiction(std::string_view code) {
  auto it = std::lower_bound(kTable.begin(), kTable.end(), code,
                             [](const Jurisdiction& j, std::string_view c) { return j.code < c; });
  return it != kTable.end() && it->code == code ? &*it : nullptr;
}

}  // namespace objector
