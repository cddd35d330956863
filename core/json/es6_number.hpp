// Decimal text <-> double, exactly, without the C library: the JSON reader's
// fractions and JCS's ES6 number form. Both are correctly rounded (the nearest
// double, ties to even), so native and wasm agree bit for bit, and the wasm
// carries neither strtod nor printf (about 12 KB of code, 5.5 KB gzipped).
// Slower than strtod/printf (arbitrary-precision arithmetic), which is fine:
// Objector's own documents have no fractions; only the canonicalize operation
// and the DOM of other JSON meet them.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace objector {

// The double nearest to a JSON number (RFC 8259 section 6 grammar, as the
// reader has checked it); beyond the double range, +-infinity or +-0.
double parse_json_number(std::string_view text);

// ES6 Number::toString for a finite double, as JCS requires ("1e+30", "4.5"):
// the fewest significant digits that read back as the same double.
std::string format_es6_number(double value);

// How ES6 writes a number given its shortest significant digits (no trailing
// zero) and n, where the number is 0.digits * 10^n: "123", "1.5", "0.001",
// "1e+21", "1.5e-7".
std::string es6_layout(bool negative, std::string_view digits, int n);

}  // namespace objector
