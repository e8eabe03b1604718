// Bugs the fuzz targets found outside tests/fuzz, reported and not yet fixed (tests/fuzz/known-bugs
// lists them with their reproducers): how a target recognises the inputs that hit one, so that a
// long run can look past it and find others.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

namespace benchgate::fuzz {

// Whether the known bug `id` is to be looked past: scripts/fuzz lists the ids of
// tests/fuzz/known-bugs in BENCHGATE_FUZZ_KNOWN_BUGS ("id,id"). A target run by hand, or on a
// reproducer, checks everything.
inline bool known_bug(const char* id) {
  static const std::string known = [] {
    const char* v = std::getenv("BENCHGATE_FUZZ_KNOWN_BUGS");
    return "," + std::string(v ? v : "") + ",";
  }();
  return known.find("," + std::string(id) + ",") != std::string::npos;
}

// Known bug "rapidjson-strtod": RapidJSON 1.1.0 (Debian's rapidjson-dev), asked for full precision
// as the strict row reader asks, misreads some doubles and can read out of bounds; fixed upstream
// after 1.1.0 (Tencent/rapidjson#1290, #2326). True when `text` holds a number that may take one of
// the broken paths (the slow paths of internal::StrtodFullPrecision):
//  - more than 19 significant digits (the significand's rounding can wrap to 0: garbage);
//  - a zero mantissa with a power of ten outside [-22, 37] (DiyFp of 0: garbage, "0e100");
//  - a leading digit beyond 10^-320 or 10^308 (GetCachedPower10 indexes out of its table: crash).
// Deliberately wide: it looks at every run of number characters, inside strings too.
inline bool rapidjson_may_misread_number(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!(digit(text[i]) || text[i] == '-')) {
      ++i;
      continue;
    }
    if (i > 0) {
      // A number follows '[', ',', ':' or whitespace; a run that starts inside a word or after
      // another number character is no JSON number.
      const char before = text[i - 1];
      if (digit(before) || before == '.' || before == 'e' || before == 'E' || before == '+' ||
          before == '-' || (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z')) {
        ++i;
        continue;
      }
    }
    // -? int frac? exp?, as RapidJSON reads it (it reads the number before any error after it).
    bool negative = false;
    if (text[i] == '-') {
      negative = true;
      ++i;
    }
    const std::size_t int_start = i;
    long significant = 0;  // digits from the first non-zero one
    long lead = 0;         // power of ten of the first non-zero digit, before the exponent
    long fraction = 0;     // digits after the point
    bool seen_nonzero = false, is_double = false;
    long int_digits = 0;
    while (i < text.size() && digit(text[i])) {
      if (text[i] != '0' || seen_nonzero) {
        if (!seen_nonzero) lead = 0;
        seen_nonzero = true;
        ++significant;
        ++lead;
      }
      ++int_digits;
      ++i;
    }
    if (seen_nonzero) --lead;  // 123 -> 10^2
    if (i < text.size() && text[i] == '.') {
      is_double = true;
      ++i;
      long position = -1;
      while (i < text.size() && digit(text[i])) {
        if (text[i] != '0' || seen_nonzero) {
          if (!seen_nonzero) lead = position;
          seen_nonzero = true;
          ++significant;
        }
        ++fraction;
        --position;
        ++i;
      }
    }
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
      is_double = true;
      ++i;
      bool minus = false;
      if (i < text.size() && (text[i] == '+' || text[i] == '-')) minus = text[i++] == '-';
      while (i < text.size() && digit(text[i])) {
        if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
        ++i;
      }
      if (minus) exponent = -exponent;
    }
    // Integers that fit 64 bits never reach strtod.
    if (!is_double &&
        (int_digits <= 19 ||
         (int_digits == 20 && !negative && text.substr(int_start, 20) <= "18446744073709551615"))) {
      continue;
    }
    if (significant > 19) return true;
    if (!seen_nonzero) {
      const long p = exponent - fraction;
      if (p < -22 || p > 37) return true;
    } else if (lead + exponent < -320 || lead + exponent > 308) {
      return true;
    }
  }
  return false;
}

}  // namespace benchgate::fuzz
