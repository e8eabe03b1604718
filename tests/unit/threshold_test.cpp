// Tests core/cli.hpp: thresholds written as percentages or fractions and the absolute
// floors, with the accepted forms and every rejected form checked one by one.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "benchgate/core/cli.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

}  // namespace

TEST_CASE("threshold: a percentage and a fraction read as the same fraction") {
  REQUIRE(parse_threshold("5%"));
  CHECK(*parse_threshold("5%") == doctest::Approx(0.05));
  REQUIRE(parse_threshold("0.05"));
  CHECK(*parse_threshold("0.05") == doctest::Approx(0.05));
  REQUIRE(parse_threshold("12.5%"));
  CHECK(*parse_threshold("12.5%") == doctest::Approx(0.125));
}

TEST_CASE("threshold: zero and the 1000 percent ceiling are accepted") {
  CHECK(parse_threshold("0") == std::optional<double>(0.0));
  CHECK(parse_threshold("0%") == std::optional<double>(0.0));
  REQUIRE(parse_threshold("1000%"));
  CHECK(*parse_threshold("1000%") == doctest::Approx(10.0));
  REQUIRE(parse_threshold("10"));
  CHECK(*parse_threshold("10") == doctest::Approx(10.0));
}

TEST_CASE("threshold: malformed text is rejected") {
  for (const std::string text :
       {"", "abc", "-5%", "5%%", " 5%", "5 %", "nan", "inf", "1e400", "1001%", "%", "5% ", "+5%",
        "5x", "-0.05", "NaN%", "inf%", "0x1", "0x1p-4%"}) {
    INFO("text: '" << text << "'");
    CHECK(parse_threshold(text) == std::nullopt);
  }
}

TEST_CASE("threshold: a fraction above ten is rejected like its percentage") {
  CHECK(parse_threshold("10.5") == std::nullopt);
  CHECK(parse_threshold("1050%") == std::nullopt);
}

TEST_CASE("threshold: non-negative floors accept plain and exponent numbers") {
  CHECK(read_decimal("0") == std::optional<double>(0.0));
  CHECK(read_decimal("250") == std::optional<double>(250.0));
  CHECK(read_decimal("1e3") == std::optional<double>(1000.0));
  CHECK(read_decimal("0.5") == std::optional<double>(0.5));
}

TEST_CASE("threshold: non-negative floors reject signs and words and non-finite values") {
  for (const std::string text : {"-1", "", "abc", "inf", "nan", "1e400", " 1", "1 ", "5%", "+1"}) {
    INFO("text: '" << text << "'");
    CHECK(read_decimal(text) == std::nullopt);
  }
}
