// Fuzzes the threshold parsers (core/cli.hpp) against a separate reference: the decimal
// grammar written out by hand and std::from_chars for the value.
//
// Invariants:
//  - read_decimal accepts exactly a decimal number (digits with at most one '.', at least
//    one digit, an optional exponent; no sign, space, hex, inf or nan) whose value is finite and
//    not lost to underflow (zero, or at least the smallest normal double), with from_chars' value.
//  - parse_threshold("X%") is read_decimal("X") / 100, parse_threshold("X") is
//    read_decimal("X"); either way only fractions in [0, 10] are accepted.
//  - Rendering is stable: "%.17g" of an accepted threshold parses back to it exactly, and the
//    report's form (ostream default precision, times 100, then '%') re-parses to a threshold that
//    renders the same; both for every threshold but subnormal ones (only "X%" with X below
//    2.3e-306 makes one: accepted, though the same value written out is refused as underflow).
//  - parse_counter_threshold (--counter-threshold) accepts or throws UsageError, and what it
//    accepts is the name, threshold and direction the text spells.
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>

#include "benchgate/core/cli.hpp"
#include "fuzz_check.hpp"

namespace {

using benchgate::fuzz::printable;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// digits [ '.' digits ] | '.' digits, then optionally [eE] [+-]? digits.
bool decimal_grammar(const std::string& s) {
  std::size_t i = 0, mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// The reference value of a decimal text, or nullopt when it is not one read_decimal takes.
// `unsure` is set at the edge of underflow, where strtod's ERANGE and rounding may go either way.
std::optional<double> reference(const std::string& s, bool& unsure) {
  unsure = false;
  if (!decimal_grammar(s)) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) {
    // Overflow is certainly refused; underflow to zero too, but a value rounding to a tiny
    // subnormal (or zero) is the edge.
    unsure = s.find_first_of("123456789") != std::string::npos &&
             (s.find("e-") != s.npos || s.find("E-") != s.npos);
    return std::nullopt;
  }
  FUZZ_CHECK(ec == std::errc() && end == s.data() + s.size(),
             "from_chars rejects text of the decimal grammar: " + printable(s));
  if (!std::isfinite(v)) return std::nullopt;
  if (v != 0 && v < 2 * DBL_MIN) {
    unsure = true;
    return std::nullopt;
  }
  return v;
}

std::string as_text(std::optional<double> v) {
  if (!v) return "rejected";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", *v);
  return buf;
}

// How the text and Markdown reports print a threshold (compare/render.cpp thresholds_line).
std::string report_form(double threshold) {
  std::ostringstream s;
  s << threshold * 100 << "%";
  return s.str();
}

void check_non_negative(const std::string& text) {
  const auto got = benchgate::read_decimal(text);
  bool unsure = false;
  const auto want = reference(text, unsure);
  if (unsure && !want) {
    if (got) FUZZ_CHECK(*got >= 0 && std::isfinite(*got), "bad value for " + printable(text));
    return;
  }
  FUZZ_CHECK(got == want, "read_decimal(\"" + printable(text) + "\") = " + as_text(got) +
                              ", reference " + as_text(want));
}

void check_threshold(const std::string& text) {
  const auto got = benchgate::parse_threshold(text);
  if (got) {
    FUZZ_CHECK(std::isfinite(*got) && *got >= 0 && *got <= 10,
               "threshold out of [0, 10]: " + as_text(got) + " from " + printable(text));
  }
  const bool percent = !text.empty() && text.back() == '%';
  const auto number = benchgate::read_decimal(percent ? text.substr(0, text.size() - 1) : text);
  std::optional<double> want;
  if (number) {
    const double fraction = percent ? *number / 100 : *number;
    if (fraction <= 10) want = fraction;
  }
  FUZZ_CHECK(got == want, "parse_threshold(\"" + printable(text) + "\") = " + as_text(got) +
                              ", expected " + as_text(want));
  if (!got) return;

  // Below the smallest normal double (only "X%" reaches there: X / 100) a threshold is a
  // meaningless subnormal whose text strtod refuses (ERANGE); rendering is checked above it.
  if (*got != 0 && *got < DBL_MIN) return;
  const std::string exact = as_text(got);
  FUZZ_CHECK(benchgate::parse_threshold(exact) == got,
             "\"" + exact + "\" does not parse back to itself (from " + printable(text) + ")");
  const std::string shown = report_form(*got);
  const auto reparsed = benchgate::parse_threshold(shown);
  FUZZ_CHECK(reparsed && report_form(*reparsed) == shown,
             "the report's \"" + shown + "\" re-parses to " + as_text(reparsed) + " (from " +
                 printable(text) + ")");
}

// --counter-threshold NAME=THRESHOLD:lower|higher (issue 20): a gate or a UsageError, nothing
// else; an accepted gate's name is the text before the first '=', its threshold parse_threshold's
// reading of the text between it and the last ':', and the gate written out parses back to it.
void check_counter_threshold(const std::string& text) {
  benchgate::CounterGate gate;
  try {
    gate = benchgate::parse_counter_threshold(text);
  } catch (const benchgate::UsageError&) {
    return;
  }
  const auto eq = text.find('=');
  const auto colon = text.rfind(':');
  FUZZ_CHECK(eq != std::string::npos && eq > 0 && colon != std::string::npos && colon > eq,
             "accepted without NAME=...:DIRECTION: " + printable(text));
  FUZZ_CHECK(gate.name == text.substr(0, eq), "wrong name from " + printable(text));
  const auto want = benchgate::parse_threshold(text.substr(eq + 1, colon - eq - 1));
  FUZZ_CHECK(want && *want == gate.threshold, "wrong threshold from " + printable(text));
  FUZZ_CHECK(gate.higher_is_better == (text.substr(colon + 1) == "higher"),
             "wrong direction from " + printable(text));
  const std::string again = gate.name + "=" + text.substr(eq + 1);
  FUZZ_CHECK(benchgate::parse_counter_threshold(again) == gate,
             "\"" + printable(again) + "\" does not parse back to the same gate");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check_non_negative(text);
  check_threshold(text);
  check_counter_threshold(text);
  return 0;
}
