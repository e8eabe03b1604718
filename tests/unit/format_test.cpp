// Tests benchgate/core/format.hpp: the duration unit ladder with three decimals, digit grouping
// of counts and the repeat notation, by comparing whole strings for chosen inputs.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "benchgate/core/format.hpp"
#include "printers.hpp"

using benchgate::format_count;
using benchgate::format_duration;
using benchgate::format_repeats;

TEST_CASE("format: durations below 1 us are nanoseconds with three decimals") {
  CHECK(format_duration(0) == "0.000 ns");
  CHECK(format_duration(0.5) == "0.500 ns");
  CHECK(format_duration(123) == "123.000 ns");
  CHECK(format_duration(999) == "999.000 ns");
}

TEST_CASE("format: durations climb the unit ladder at each factor of 1000") {
  CHECK(format_duration(1000) == "1.000 µs");
  CHECK(format_duration(1500) == "1.500 µs");
  CHECK(format_duration(999'999) == "999.999 µs");
  CHECK(format_duration(1e6) == "1.000 ms");
  CHECK(format_duration(2e6) == "2.000 ms");
  CHECK(format_duration(1e9) == "1.000 s");
  CHECK(format_duration(1.25e9) == "1.250 s");
  CHECK(format_duration(3600e9) == "3600.000 s");
}

TEST_CASE("format: durations round to three decimals") {
  CHECK(format_duration(1234.5678) == "1.235 µs");
  CHECK(format_duration(1'234'499) == "1.234 ms");
  CHECK(format_duration(12.3456) == "12.346 ns");
}

TEST_CASE("format: a duration that rounds up to 1000 of a unit is shown in the next unit") {
  // Three decimals on the ladder means no unit ever shows 1000 or more of itself.
  CHECK(format_duration(999.9996) == "1.000 µs");
  CHECK(format_duration(999'999.6) == "1.000 ms");
  CHECK(format_duration(999'999'999.6) == "1.000 s");
}

TEST_CASE("format: counts are grouped with '_' every three digits") {
  CHECK(format_count(0) == "0");
  CHECK(format_count(7) == "7");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1_000");
  CHECK(format_count(12'345) == "12_345");
  CHECK(format_count(123'456) == "123_456");
  CHECK(format_count(1'048'576) == "1_048_576");
  CHECK(format_count(std::numeric_limits<std::uint64_t>::max()) == "18_446_744_073_709_551_615");
}

TEST_CASE("format: repeats are x2^k for powers of two, xn otherwise, a dash for 0") {
  CHECK(format_repeats(0) == "—");
  CHECK(format_repeats(1) == "×1");
  CHECK(format_repeats(2) == "×2^1");
  CHECK(format_repeats(3) == "×3");
  CHECK(format_repeats(6) == "×6");
  CHECK(format_repeats(64) == "×2^6");
  CHECK(format_repeats(1000) == "×1000");
  CHECK(format_repeats(std::uint64_t{1} << 63) == "×2^63");
  CHECK(format_repeats(std::numeric_limits<std::uint64_t>::max()) == "×18446744073709551615");
}

TEST_CASE("format: padding counts characters, not UTF-8 bytes") {
  CHECK(benchgate::display_width("1.500 µs") == 8);
  CHECK(benchgate::display_width("×2^4") == 4);
  CHECK(benchgate::pad_left("×2", 4) == "  ×2");
  CHECK(benchgate::pad_right("µs", 4) == "µs  ");
  CHECK(benchgate::pad_right("longer", 3) == "longer");
}
