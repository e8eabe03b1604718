// Validation and string forms of the benchmark configuration.
#include "benchgate/config.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace benchgate {
namespace {

std::string show(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Collects "<name>: <Struct>.<field> must <rule>; got <value>" messages.
class Checker {
 public:
  Checker(const std::string& name, const char* type) : prefix_(name + ": " + type + ".") {}

  void require(bool ok, const char* field, const char* rule, const std::string& got) {
    if (!ok) errors_.push_back(prefix_ + field + " must " + rule + "; got " + got);
  }
  std::vector<std::string> take() { return std::move(errors_); }

 private:
  std::string prefix_;
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<std::string> validate(const std::string& name, const BenchmarkConfig& c) {
  Checker check(name, "BenchmarkConfig");
  // NaN fails every comparison below, so it is rejected with the rest.
  check.require(c.max_seconds_per_call > 0 && std::isfinite(c.max_seconds_per_call),
                "max_seconds_per_call", "be > 0 and finite", show(c.max_seconds_per_call));
  check.require(c.max_setup_seconds > 0 && c.max_setup_seconds <= 86400, "max_setup_seconds",
                "be in (0, 86400]", show(c.max_setup_seconds));
  check.require(c.ladder_seconds >= 0 && c.ladder_seconds <= 86400, "ladder_seconds",
                "be in [0, 86400] (0: no time limit)", show(c.ladder_seconds));
  check.require(c.target_inner_nanos > 0, "target_inner_nanos", "be > 0",
                std::to_string(c.target_inner_nanos));
  check.require(c.slope_tolerance > 0, "slope_tolerance", "be > 0", show(c.slope_tolerance));
  check.require(c.verdict_warmup_fraction >= 0 && c.verdict_warmup_fraction < 1,
                "verdict_warmup_fraction", "be in [0, 1)", show(c.verdict_warmup_fraction));
  check.require(c.narrow_range_noise_floor >= 1, "narrow_range_noise_floor", "be >= 1",
                show(c.narrow_range_noise_floor));
  check.require(c.param_floor <= c.param_ceiling, "param_floor",
                ("be <= param_ceiling (" + std::to_string(c.param_ceiling) + ")").c_str(),
                std::to_string(c.param_floor));
  check.require(c.signal_floor_multiplier >= 1.0, "signal_floor_multiplier",
                "be >= 1 (1 disables the signal floor)", show(c.signal_floor_multiplier));
  check.require(c.outer_trials >= 1, "outer_trials", "be >= 1", std::to_string(c.outer_trials));
  check.require(c.pair_seconds >= 0 && c.pair_seconds <= 86400, "pair_seconds", "be in [0, 86400]",
                show(c.pair_seconds));
  check.require(c.pair_target_nanos > 0, "pair_target_nanos", "be > 0",
                std::to_string(c.pair_target_nanos));
  check.require(c.kill_grace_ms <= 3'600'000, "kill_grace_ms", "be <= 3600000 (one hour)",
                std::to_string(c.kill_grace_ms));
  if (c.param_schedule.shape == ParamSchedule::Shape::linear) {
    check.require(c.param_schedule.linear_samples >= 1, "param_schedule", "have >= 1 linear sample",
                  std::to_string(c.param_schedule.linear_samples));
  }
  if (c.param_schedule.shape == ParamSchedule::Shape::custom) {
    const auto& p = c.param_schedule.custom_params;
    check.require(!p.empty(), "param_schedule", "list at least one param for custom", "[]");
    std::set<std::uint64_t> seen(p.begin(), p.end());
    check.require(seen.size() == p.size(), "param_schedule", "list each custom param once",
                  std::to_string(p.size() - seen.size()) + " duplicate(s)");
  }
  return check.take();
}

std::vector<std::string> validate(const std::string& name, const FixedBenchmarkConfig& c) {
  Checker check(name, "FixedBenchmarkConfig");
  check.require(c.max_seconds_per_call > 0 && std::isfinite(c.max_seconds_per_call),
                "max_seconds_per_call", "be > 0 and finite", show(c.max_seconds_per_call));
  check.require(c.max_setup_seconds > 0 && c.max_setup_seconds <= 86400, "max_setup_seconds",
                "be in (0, 86400]", show(c.max_setup_seconds));
  check.require(c.repeats >= 1, "repeats", "be >= 1", std::to_string(c.repeats));
  check.require(c.kill_grace_ms <= 3'600'000, "kill_grace_ms", "be <= 3600000 (one hour)",
                std::to_string(c.kill_grace_ms));
  check.require(c.min_total_seconds >= 0 && c.min_total_seconds < c.max_seconds_per_call,
                "min_total_seconds", "be >= 0 and < max_seconds_per_call",
                show(c.min_total_seconds));
  return check.take();
}

const char* to_string(CacheMode mode) {
  return mode == CacheMode::warm ? "warm" : "cold";
}

std::optional<CacheMode> parse_cache_mode(const std::string& text) {
  if (text == "warm") return CacheMode::warm;
  if (text == "cold") return CacheMode::cold;
  return std::nullopt;
}

const char* to_string(ParamSchedule::Shape shape) {
  switch (shape) {
    case ParamSchedule::Shape::automatic: return "auto";
    case ParamSchedule::Shape::doubling: return "doubling";
    case ParamSchedule::Shape::linear: return "linear";
    case ParamSchedule::Shape::custom: return "custom";
  }
  return "auto";
}

std::optional<ParamSchedule::Shape> parse_schedule_shape(const std::string& text) {
  for (auto s : {ParamSchedule::Shape::automatic, ParamSchedule::Shape::doubling,
                 ParamSchedule::Shape::linear, ParamSchedule::Shape::custom}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

}  // namespace benchgate
