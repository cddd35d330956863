// Everything objector-verify prints goes through here (as age's tui.go does
// for age): errors on stderr as "objector-verify: <message>", results on
// stdout as text or, with --json, as one line of canonical JSON. The exit
// status follows from the error's kind: a failed check (unverified) is 1,
// anything else (malformed input, I/O) is 2.
// Thread safety: call from the main thread only.
#pragma once

#include <string>

#include "core/json/json.hpp"
#include "core/result.hpp"
#include "native/common/cli.hpp"

namespace objector::verify {

int exit_status(const Error& e);

// Prints the error and returns its exit status; `where` (a file, a file and
// line) is put in front of the message when given.
int report(const Error& e, std::string_view where = {});

// What a command found: the JSON for --json and the text for people.
struct Report {
  json data = json::object();
  std::string text;
  int status = native::kExitOk;
};
int print_report(const native::Args& args, const Report& report);

// Lines of progress or detail on stderr (per-receipt failures, warnings).
void print_note(const std::string& line);

}  // namespace objector::verify
