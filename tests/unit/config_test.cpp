// Tests benchgate/config.hpp: validate() for both config structs, rule by rule, and the string
// forms of CacheMode and ParamSchedule::Shape. Each case breaks one field of a default config.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "benchgate/config.hpp"
#include "printers.hpp"

namespace {

using benchgate::BenchmarkConfig;
using benchgate::CacheMode;
using benchgate::FixedBenchmarkConfig;
using benchgate::ParamSchedule;
using benchgate::validate;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string joined(const std::vector<std::string>& errors) {
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  return all;
}

// Exactly one message, naming the benchmark first, then "<Struct>.<field>", then the value.
void require_one_error(const std::vector<std::string>& errors, const std::string& field,
                       const std::string& got) {
  INFO("messages:\n" << joined(errors));
  REQUIRE(errors.size() == 1);
  const std::string& e = errors.front();
  CHECK(e.rfind("sort: ", 0) == 0);
  CHECK(e.find(field) != std::string::npos);
  CHECK(e.find(got) != std::string::npos);
  CHECK(e.find(field) < e.find(got));
}

}  // namespace

TEST_CASE("config: default configs validate clean") {
  CHECK(validate("sort", BenchmarkConfig{}).empty());
  CHECK(validate("sort", FixedBenchmarkConfig{}).empty());
}

TEST_CASE("config: the defaults are the reference's, except those that make the gate work") {
  const BenchmarkConfig c;
  CHECK(c.target_inner_nanos == 500'000'000u);
  CHECK(c.max_seconds_per_call == 1.0);
  CHECK(c.param_ceiling == (std::uint64_t{1} << 30));
  CHECK(c.param_floor == 0u);
  // Issue 18: trials enough for the gate's statistics, a ceiling by time, a cap for setup.
  CHECK(c.outer_trials == 3u);
  CHECK(c.ladder_seconds == 30.0);
  CHECK(c.max_setup_seconds == 60.0);
  CHECK(c.pair_seconds == 5.0);
  CHECK(c.pair_target_nanos == 10'000'000u);
  CHECK(c.param_schedule.shape == ParamSchedule::Shape::automatic);
  CHECK(c.cache_mode == CacheMode::warm);
  const FixedBenchmarkConfig f;
  CHECK(f.repeats == 5u);
  CHECK(f.max_seconds_per_call == 60.0);
  CHECK(f.max_setup_seconds == 60.0);
  CHECK(f.warmup);
  CHECK_FALSE(f.expected_hash.has_value());
}

TEST_CASE("config: BenchmarkConfig.max_seconds_per_call must be positive and finite") {
  BenchmarkConfig c;
  SUBCASE("negative") {
    c.max_seconds_per_call = -1;
    require_one_error(validate("sort", c), "BenchmarkConfig.max_seconds_per_call", "got -1");
  }
  SUBCASE("zero") {
    c.max_seconds_per_call = 0;
    require_one_error(validate("sort", c), "BenchmarkConfig.max_seconds_per_call", "got 0");
  }
  SUBCASE("NaN") {
    c.max_seconds_per_call = kNaN;
    require_one_error(validate("sort", c), "BenchmarkConfig.max_seconds_per_call", "got nan");
  }
  SUBCASE("infinite") {
    c.max_seconds_per_call = kInf;
    require_one_error(validate("sort", c), "BenchmarkConfig.max_seconds_per_call", "got inf");
  }
  SUBCASE("a tiny positive cap is valid") {
    c.max_seconds_per_call = 1e-6;
    CHECK(validate("sort", c).empty());
  }
}

TEST_CASE("config: the message states the rule between the field and the value") {
  BenchmarkConfig c;
  c.max_seconds_per_call = -1;
  const auto errors = validate("sort", c);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "sort: BenchmarkConfig.max_seconds_per_call must be > 0 and finite; got -1");
}

TEST_CASE("config: BenchmarkConfig.target_inner_nanos must be positive") {
  BenchmarkConfig c;
  c.target_inner_nanos = 0;
  require_one_error(validate("sort", c), "BenchmarkConfig.target_inner_nanos", "got 0");
  c.target_inner_nanos = 1;
  CHECK(validate("sort", c).empty());
}

TEST_CASE("config: BenchmarkConfig.slope_tolerance must be positive") {
  BenchmarkConfig c;
  SUBCASE("zero") {
    c.slope_tolerance = 0;
    require_one_error(validate("sort", c), "BenchmarkConfig.slope_tolerance", "got 0");
  }
  SUBCASE("negative") {
    c.slope_tolerance = -0.5;
    require_one_error(validate("sort", c), "BenchmarkConfig.slope_tolerance", "got -0.5");
  }
  SUBCASE("NaN") {
    c.slope_tolerance = kNaN;
    require_one_error(validate("sort", c), "BenchmarkConfig.slope_tolerance", "got nan");
  }
}

TEST_CASE("config: BenchmarkConfig.verdict_warmup_fraction must be at least 0 and below 1") {
  BenchmarkConfig c;
  SUBCASE("negative") {
    c.verdict_warmup_fraction = -0.1;
    require_one_error(validate("sort", c), "BenchmarkConfig.verdict_warmup_fraction", "got -0.1");
  }
  SUBCASE("one") {
    c.verdict_warmup_fraction = 1.0;
    require_one_error(validate("sort", c), "BenchmarkConfig.verdict_warmup_fraction", "got 1");
  }
  SUBCASE("NaN") {
    c.verdict_warmup_fraction = kNaN;
    require_one_error(validate("sort", c), "BenchmarkConfig.verdict_warmup_fraction", "got nan");
  }
  SUBCASE("the closed end and just below the open end are valid") {
    c.verdict_warmup_fraction = 0.0;
    CHECK(validate("sort", c).empty());
    c.verdict_warmup_fraction = 0.99;
    CHECK(validate("sort", c).empty());
  }
}

TEST_CASE("config: BenchmarkConfig.narrow_range_noise_floor must be at least 1") {
  BenchmarkConfig c;
  SUBCASE("below one") {
    c.narrow_range_noise_floor = 0.5;
    require_one_error(validate("sort", c), "BenchmarkConfig.narrow_range_noise_floor", "got 0.5");
  }
  SUBCASE("NaN") {
    c.narrow_range_noise_floor = kNaN;
    require_one_error(validate("sort", c), "BenchmarkConfig.narrow_range_noise_floor", "got nan");
  }
  SUBCASE("exactly one is valid") {
    c.narrow_range_noise_floor = 1.0;
    CHECK(validate("sort", c).empty());
  }
}

TEST_CASE("config: BenchmarkConfig.param_floor must not exceed param_ceiling") {
  BenchmarkConfig c;
  c.param_floor = 10;
  c.param_ceiling = 5;
  const auto errors = validate("sort", c);
  require_one_error(errors, "BenchmarkConfig.param_floor", "got 10");
  CHECK(errors[0].find("param_ceiling (5)") != std::string::npos);
  c.param_floor = 5;
  CHECK(validate("sort", c).empty());
}

TEST_CASE("config: BenchmarkConfig.signal_floor_multiplier must be at least 1") {
  BenchmarkConfig c;
  SUBCASE("below one") {
    c.signal_floor_multiplier = 0.5;
    require_one_error(validate("sort", c), "BenchmarkConfig.signal_floor_multiplier", "got 0.5");
  }
  SUBCASE("NaN") {
    c.signal_floor_multiplier = kNaN;
    require_one_error(validate("sort", c), "BenchmarkConfig.signal_floor_multiplier", "got nan");
  }
  SUBCASE("one disables the floor and is valid") {
    c.signal_floor_multiplier = 1.0;
    CHECK(validate("sort", c).empty());
  }
}

TEST_CASE("config: BenchmarkConfig.outer_trials must be at least 1") {
  BenchmarkConfig c;
  c.outer_trials = 0;
  require_one_error(validate("sort", c), "BenchmarkConfig.outer_trials", "got 0");
}

TEST_CASE("config: BenchmarkConfig.pair_seconds is at most a day and pair_target_nanos positive") {
  BenchmarkConfig c;
  c.pair_seconds = 0;  // outer trials only
  CHECK(validate("sort", c).empty());
  for (const double bad : {-1.0, 86401.0, std::nan("")}) {
    c.pair_seconds = bad;
    CAPTURE(bad);
    require_one_error(validate("sort", c), "BenchmarkConfig.pair_seconds", "be in [0, 86400]");
  }
  c = BenchmarkConfig{};
  c.pair_target_nanos = 0;
  require_one_error(validate("sort", c), "BenchmarkConfig.pair_target_nanos", "got 0");
}

TEST_CASE("config: max_setup_seconds is above 0 and at most a day, ladder_seconds 0 to a day") {
  BenchmarkConfig c;
  c.max_setup_seconds = 0;
  require_one_error(validate("sort", c), "BenchmarkConfig.max_setup_seconds", "got 0");
  c.max_setup_seconds = 86401;
  require_one_error(validate("sort", c), "BenchmarkConfig.max_setup_seconds", "got 86401");
  c = BenchmarkConfig{};
  c.ladder_seconds = 0;
  CHECK(validate("sort", c).empty());
  c.ladder_seconds = -1;
  require_one_error(validate("sort", c), "BenchmarkConfig.ladder_seconds", "got -1");
  FixedBenchmarkConfig f;
  f.max_setup_seconds = -2;
  require_one_error(validate("sort", f), "FixedBenchmarkConfig.max_setup_seconds", "got -2");
}

TEST_CASE("config: BenchmarkConfig.kill_grace_ms is at most one hour") {
  BenchmarkConfig c;
  c.kill_grace_ms = 3'600'001;
  require_one_error(validate("sort", c), "BenchmarkConfig.kill_grace_ms", "got 3600001");
  c.kill_grace_ms = 3'600'000;
  CHECK(validate("sort", c).empty());
  c.kill_grace_ms = 0;
  CHECK(validate("sort", c).empty());
}

TEST_CASE("config: a linear schedule needs at least one sample") {
  BenchmarkConfig c;
  c.param_schedule = ParamSchedule::linear(0);
  require_one_error(validate("sort", c), "BenchmarkConfig.param_schedule", "got 0");
  c.param_schedule = ParamSchedule::linear(1);
  CHECK(validate("sort", c).empty());
}

TEST_CASE("config: a custom schedule lists at least one param, each once") {
  BenchmarkConfig c;
  SUBCASE("empty") {
    c.param_schedule = ParamSchedule::custom({});
    require_one_error(validate("sort", c), "BenchmarkConfig.param_schedule", "got []");
  }
  SUBCASE("duplicates") {
    c.param_schedule = ParamSchedule::custom({1, 2, 2, 8});
    require_one_error(validate("sort", c), "BenchmarkConfig.param_schedule", "got 1 duplicate");
  }
  SUBCASE("distinct params in any order are valid") {
    c.param_schedule = ParamSchedule::custom({100, 3, 7});
    CHECK(validate("sort", c).empty());
  }
}

TEST_CASE("config: every broken field of a BenchmarkConfig gets its own message") {
  BenchmarkConfig c;
  c.max_seconds_per_call = -1;
  c.target_inner_nanos = 0;
  c.outer_trials = 0;
  const auto errors = validate("sort", c);
  INFO(joined(errors));
  REQUIRE(errors.size() == 3);
  const std::string all = joined(errors);
  CHECK(all.find("BenchmarkConfig.max_seconds_per_call") != std::string::npos);
  CHECK(all.find("BenchmarkConfig.target_inner_nanos") != std::string::npos);
  CHECK(all.find("BenchmarkConfig.outer_trials") != std::string::npos);
  for (const auto& e : errors) CHECK(e.rfind("sort: ", 0) == 0);
}

TEST_CASE("config: FixedBenchmarkConfig.max_seconds_per_call must be positive and finite") {
  FixedBenchmarkConfig c;
  SUBCASE("negative") {
    c.max_seconds_per_call = -1;
    // min_total_seconds < max_seconds_per_call fails too; the cap's own message must be there.
    const auto errors = validate("sort", c);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors[0].rfind("sort: FixedBenchmarkConfig.max_seconds_per_call", 0) == 0);
    CHECK(errors[0].find("got -1") != std::string::npos);
  }
  SUBCASE("NaN") {
    c.max_seconds_per_call = kNaN;
    const auto errors = validate("sort", c);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors[0].rfind("sort: FixedBenchmarkConfig.max_seconds_per_call", 0) == 0);
    CHECK(errors[0].find("got nan") != std::string::npos);
  }
  SUBCASE("infinite") {
    c.max_seconds_per_call = kInf;
    require_one_error(validate("sort", c), "FixedBenchmarkConfig.max_seconds_per_call", "got inf");
  }
}

TEST_CASE("config: FixedBenchmarkConfig.repeats must be at least 1") {
  FixedBenchmarkConfig c;
  c.repeats = 0;
  require_one_error(validate("sort", c), "FixedBenchmarkConfig.repeats", "got 0");
  c.repeats = 1;
  CHECK(validate("sort", c).empty());
}

TEST_CASE("config: FixedBenchmarkConfig.kill_grace_ms is at most one hour") {
  FixedBenchmarkConfig c;
  c.kill_grace_ms = 3'600'001;
  require_one_error(validate("sort", c), "FixedBenchmarkConfig.kill_grace_ms", "got 3600001");
}

TEST_CASE("config: FixedBenchmarkConfig.min_total_seconds must be at least 0 and below the cap") {
  FixedBenchmarkConfig c;
  SUBCASE("negative") {
    c.min_total_seconds = -1;
    require_one_error(validate("sort", c), "FixedBenchmarkConfig.min_total_seconds", "got -1");
  }
  SUBCASE("NaN") {
    c.min_total_seconds = kNaN;
    require_one_error(validate("sort", c), "FixedBenchmarkConfig.min_total_seconds", "got nan");
  }
  SUBCASE("equal to the cap") {
    c.max_seconds_per_call = 2;
    c.min_total_seconds = 2;
    require_one_error(validate("sort", c), "FixedBenchmarkConfig.min_total_seconds", "got 2");
  }
  SUBCASE("zero means a single call and is valid") {
    c.min_total_seconds = 0;
    CHECK(validate("sort", c).empty());
  }
}

TEST_CASE("config: cache modes and schedule shapes round-trip through their names") {
  for (auto m : {CacheMode::warm, CacheMode::cold}) {
    CHECK(benchgate::parse_cache_mode(benchgate::to_string(m)) == m);
  }
  CHECK(std::string(benchgate::to_string(CacheMode::cold)) == "cold");
  CHECK_FALSE(benchgate::parse_cache_mode("Warm").has_value());
  CHECK_FALSE(benchgate::parse_cache_mode("").has_value());
  for (auto s : {ParamSchedule::Shape::automatic, ParamSchedule::Shape::doubling,
                 ParamSchedule::Shape::linear, ParamSchedule::Shape::custom}) {
    CHECK(benchgate::parse_schedule_shape(benchgate::to_string(s)) == s);
  }
  CHECK(std::string(benchgate::to_string(ParamSchedule::Shape::automatic)) == "auto");
  CHECK_FALSE(benchgate::parse_schedule_shape("exponential").has_value());
}
