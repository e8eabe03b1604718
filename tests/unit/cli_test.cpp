// Tests core/cli.hpp's number parser: NumberRule's wording, parse_number and parse_count messages
// compared whole, their bounds one by one, and exact_decimal read back bit for bit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "benchgate/core/cli.hpp"
#include "printers.hpp"
#include "request_printers.hpp"

namespace {

using namespace benchgate;
using benchgate::test::usage_error;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

NumberRule rule(double lo, bool lo_open, double hi, bool hi_open) {
  NumberRule r;
  r.lo = lo;
  r.lo_open = lo_open;
  r.hi = hi;
  r.hi_open = hi_open;
  return r;
}

NumberRule integers(double lo, double hi) {
  NumberRule r = rule(lo, false, hi, false);
  r.integer = true;
  return r;
}

NumberRule seconds() {
  NumberRule r = rule(0, true, 86400, false);
  r.noun = "seconds";
  return r;
}

NumberRule nanoseconds() {
  NumberRule r;  // [0, infinity)
  r.unit = "nanoseconds";
  return r;
}

std::string number_error(const std::string& text, const NumberRule& r) {
  return usage_error([&] { (void)parse_number("flag", text, r); });
}

std::string count_error(const std::string& text, std::uint64_t min, std::uint64_t max) {
  return usage_error([&] { (void)parse_count("flag", text, min, max); });
}

}  // namespace

TEST_CASE("cli: NumberRule describes itself as the header's examples say") {
  CHECK(integers(1, 1000).describe() == "an integer in [1, 1000]");
  CHECK(rule(0, false, 1, true).describe() == "a number in [0, 1)");
  CHECK(rule(0, true, 0.5, true).describe() == "a number in (0, 0.5)");
  CHECK(seconds().describe() == "a number of seconds in (0, 86400]");
  CHECK(nanoseconds().describe() == "a number >= 0 (nanoseconds)");
  NumberRule positive = nanoseconds();
  positive.lo_open = true;
  positive.unit = nullptr;
  CHECK(positive.describe() == "a number > 0");
}

TEST_CASE("cli: parse_number accepts the ends of a closed range and values inside") {
  CHECK(parse_number("flag", "1", integers(1, 1000)) == 1.0);
  CHECK(parse_number("flag", "1000", integers(1, 1000)) == 1000.0);
  CHECK(parse_number("flag", "1e3", integers(1, 1000)) == 1000.0);
  CHECK(parse_number("flag", "0", rule(0, false, 1, true)) == 0.0);
  CHECK(parse_number("flag", "0.999", rule(0, false, 1, true)) == 0.999);
  CHECK(parse_number("flag", "86400", seconds()) == 86400.0);
  CHECK(parse_number("flag", "1e-05", seconds()) == 1e-05);
  CHECK(parse_number("flag", ".5", seconds()) == 0.5);
  CHECK(parse_number("flag", "1e300", nanoseconds()) == 1e300);
}

TEST_CASE("cli: parse_number refuses open ends, values outside and fractions of an integer") {
  CHECK(number_error("0", seconds()) == "--flag '0': must be a number of seconds in (0, 86400]");
  CHECK(number_error("86400.5", seconds()) ==
        "--flag '86400.5': must be a number of seconds in (0, 86400]");
  CHECK(number_error("1", rule(0, false, 1, true)) == "--flag '1': must be a number in [0, 1)");
  CHECK(number_error("2.5", integers(1, 1000)) == "--flag '2.5': must be an integer in [1, 1000]");
  CHECK(number_error("0", integers(1, 1000)) == "--flag '0': must be an integer in [1, 1000]");
  CHECK(number_error("1001", integers(1, 1000)) ==
        "--flag '1001': must be an integer in [1, 1000]");
}

TEST_CASE("cli: parse_number refuses what is not a plain decimal, naming the rule") {
  for (const std::string text :
       {"", "x", "-1", "+1", " 1", "1 ", "inf", "nan", "0x10", "1e400", "1,5", "5%", "1s"}) {
    INFO("text: '" << text << "'");
    CHECK(number_error(text, nanoseconds()) ==
          "--flag '" + text + "': must be a number >= 0 (nanoseconds)");
  }
}

TEST_CASE("cli: parse_count takes digits only, within min and max") {
  CHECK(parse_count("flag", "0", 0, 10) == 0u);
  CHECK(parse_count("flag", "10", 0, 10) == 10u);
  CHECK(parse_count("flag", "007", 0, 10) == 7u);
  CHECK(parse_count("flag", "1", 1, 1) == 1u);
  CHECK(parse_count("flag", "18446744073709551615", 0, kMaxU64) == kMaxU64);
  CHECK(count_error("0", 1, 1000) == "--flag '0': must be an integer in [1, 1000]");
  CHECK(count_error("1001", 1, 1000) == "--flag '1001': must be an integer in [1, 1000]");
  for (const std::string text :
       {"", "-1", "+1", "1.0", "1e3", " 1", "1 ", "0x10", "ten", "1_000"}) {
    INFO("text: '" << text << "'");
    CHECK(count_error(text, 0, 1000) == "--flag '" + text + "': must be an integer in [0, 1000]");
  }
}

TEST_CASE("cli: parse_count refuses a number beyond UINT64_MAX instead of wrapping") {
  const std::string range = "must be an integer in [0, 18446744073709551615]";
  CHECK(count_error("18446744073709551616", 0, kMaxU64) ==
        "--flag '18446744073709551616': " + range);
  CHECK(count_error("99999999999999999999999", 0, kMaxU64) ==
        "--flag '99999999999999999999999': " + range);
  // Past 2^64 and reduced mod 2^64 it would be 1: still refused for a small range.
  CHECK(count_error("18446744073709551617", 0, 10) ==
        "--flag '18446744073709551617': must be an integer in [0, 10]");
}

TEST_CASE("cli: exact_decimal writes the shortest text that reads back as the same double") {
  CHECK(exact_decimal(0.1) == "0.1");
  CHECK(exact_decimal(1e-300) == "1e-300");
  CHECK(exact_decimal(123456789.123) == "123456789.123");
  CHECK(exact_decimal(0) == "0");
  CHECK(exact_decimal(1e-05) == "1e-05");
  CHECK(exact_decimal(0.5) == "0.5");
  CHECK(exact_decimal(86400) == "86400");  // whole numbers as integers, not "8.64e+04"
  CHECK(exact_decimal(600) == "600");
}

TEST_CASE("cli: exact_decimal text reads back bit for bit through read_decimal") {
  for (const double v :
       {0.1, 1e-300, 123456789.123, std::ldexp(1.0, 62), 1.0 / 3, 2.0 / 3, std::nextafter(1.0, 0.0),
        std::nextafter(86400.0, 0.0), 1e300, std::numeric_limits<double>::max(), 0.0}) {
    const std::string text = exact_decimal(v);
    INFO("text: " << text);
    CHECK(read_decimal(text) == std::optional<double>(v));
    CHECK(std::strtod(text.c_str(), nullptr) == v);
  }
  // 2^62 needs more digits than "%g" gives, but not all 17.
  const std::string two62 = exact_decimal(std::ldexp(1.0, 62));
  CHECK(read_decimal(two62) == std::optional<double>(4611686018427387904.0));
  CHECK(two62.size() <= 22);
}
