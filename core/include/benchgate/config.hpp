// Per-benchmark configuration: the declared knobs, their defaults and their validation.
// Standard library only: this header is part of the benchmark author's API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace benchgate {

enum class CacheMode { warm, cold };

// How the runner walks the parameter axis: `automatic` picks linear for exponential
// complexities and doubling otherwise (resolve_auto in benchgate/core/schedule.hpp); see
// docs/cli.md "Schedules".
struct ParamSchedule {
  enum class Shape { automatic, doubling, linear, custom };
  Shape shape = Shape::automatic;
  std::uint64_t linear_samples = 16;
  std::vector<std::uint64_t> custom_params;

  static ParamSchedule doubling() { return {Shape::doubling, 16, {}}; }
  static ParamSchedule linear(std::uint64_t samples = 16) { return {Shape::linear, samples, {}}; }
  static ParamSchedule custom(std::vector<std::uint64_t> params) {
    return {Shape::custom, 16, std::move(params)};
  }
};

// A parametric benchmark's settings and their defaults; validate() below gives each field's
// valid range. benchgate/core/plan.hpp (the ladder, the autotune), schedule.hpp and verdict.hpp
// say how each is used.
struct BenchmarkConfig {
  std::uint64_t target_inner_nanos = 500'000'000;  // autotune aims just past half of this
  double max_seconds_per_call = 1.0;               // wall cap per child batch, after setup
  // Wall cap on a child's start and setup (loading a data set, building an index), before the
  // batch cap starts: generous, so that a slow setup is not mistaken for a slow batch.
  double max_setup_seconds = 60.0;
  std::uint64_t param_ceiling = std::uint64_t{1} << 30;
  std::uint64_t param_floor = 0;
  std::uint64_t kill_grace_ms = 100;  // SIGTERM at the cap, SIGKILL this much later
  double verdict_warmup_fraction = 0.2;
  double slope_tolerance = 0.15;
  double narrow_range_noise_floor = 1.5;
  ParamSchedule param_schedule;  // automatic
  CacheMode cache_mode = CacheMode::warm;
  double signal_floor_multiplier = 10.0;
  // Three children per rung: three samples per param on each side give the gate's stratified
  // rank test per-param information, and a ladder of five or more params gives at least the 15
  // pairs an A/B interval at alpha 0.01 needs (docs/design.md, "Defaults that gate").
  std::uint64_t outer_trials = 3;
  // With param_ceiling left at its default, the doubling ladder (and linear's probe) climbs to
  // its next rung only while the rungs so far, times outer_trials, took less than this: the
  // benchmark then costs about this much. A declared param_ceiling is climbed to. 0: no limit.
  double ladder_seconds = 30.0;
  // A/B in one run (benchgate-runner --baseline-exe): more rounds of pairs after the
  // outer_trials while this benchmark has run less than pair_seconds (0: outer_trials only), and
  // the autotune target of a param's first pair, whose call count both sides then share.
  double pair_seconds = 5.0;
  std::uint64_t pair_target_nanos = 10'000'000;
  std::vector<std::string> tags;
};

// A fixed benchmark's settings and their defaults: `repeats` measured children (after one
// discarded warmup child unless `warmup` is false), each batch's inner repeats doubling until it
// lasts min_total_seconds (autotune_fixed in benchgate/core/plan.hpp), and, when declared, the
// result hash every ok repeat must return (expected_hash).
struct FixedBenchmarkConfig {
  std::uint64_t repeats = 5;
  double max_seconds_per_call = 60.0;  // wall cap per child batch, after setup
  double max_setup_seconds = 60.0;     // wall cap on a child's start and setup
  std::uint64_t kill_grace_ms = 100;
  bool warmup = true;                // one discarded child before the measured repeats
  double min_total_seconds = 0.001;  // inner repeats double until a batch lasts this long
  std::optional<std::uint64_t> expected_hash;
  std::vector<std::string> tags;
};

// Returns one message per invalid field, empty when valid. Each message names the benchmark,
// the field, the value and the valid range, e.g.
// "sort: BenchmarkConfig.max_seconds_per_call must be > 0; got -1".
std::vector<std::string> validate(const std::string& name, const BenchmarkConfig& config);
std::vector<std::string> validate(const std::string& name, const FixedBenchmarkConfig& config);

const char* to_string(CacheMode mode);
std::optional<CacheMode> parse_cache_mode(const std::string& text);
const char* to_string(ParamSchedule::Shape shape);
std::optional<ParamSchedule::Shape> parse_schedule_shape(const std::string& text);

}  // namespace benchgate
