#include "native/verify/output.hpp"

#include <cstdio>

#include "core/json/jcs.hpp"

namespace objector::verify {

int exit_status(const Error& e) { return e.kind == ErrorKind::unverified ? native::kExitFailed : native::kExitUsage; }

int report(const Error& e, std::string_view where) {
  if (where.empty()) {
    std::fprintf(stderr, "objector-verify: %s\n", e.message.c_str());
  } else {
    std::fprintf(stderr, "objector-verify: %.*s: %s\n", static_cast<int>(where.size()), where.data(),
                 e.message.c_str());
  }
  return exit_status(e);
}

int print_report(const native::Args& args, const Report& report) {
  if (args.has("json")) {
    std::printf("%s\n", canonicalize(report.data).value().c_str());
  } else {
    std::fputs(report.text.c_str(), stdout);
  }
  return report.status;
}

void print_note(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

}  // namespace objector::verify
