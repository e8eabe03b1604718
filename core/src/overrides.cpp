// The override table and its parsing, formatting and application.
#include "benchgate/core/overrides.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "benchgate/core/row_json.hpp"
#include "benchgate/core/schedule.hpp"

namespace benchgate {
namespace {

using Kind = OverrideFlag::Kind;

constexpr double kMaxParam =
    4611686018427387904.0;  // 2^62: params and targets stay far from overflow

NumberRule count(double lo, double hi) {
  NumberRule r;
  r.integer = true;
  r.lo = lo;
  r.hi = hi;
  return r;
}
NumberRule number(double lo, bool lo_open, double hi, bool hi_open, const char* noun = nullptr) {
  NumberRule r;
  r.lo = lo;
  r.hi = hi;
  r.lo_open = lo_open;
  r.hi_open = hi_open;
  r.noun = noun;
  return r;
}

template <class T>
T as(const OverrideValue& v) {
  return std::get<T>(v);
}

// Each row: flag, value name, help, kind, accepted range, the parametric field, the fixed field.
// The order matters where rows touch one field: --param-schedule, then --param-list (a custom
// schedule wins over a shape), then --linear-samples; --expected-hash, then
// --ignore-expected-hash (which drops it).
const std::vector<OverrideFlag> kFlags = {
    {"max-seconds-per-call", "S", "override: wall cap per child batch, seconds", Kind::number,
     number(0, true, 86400, false, "seconds"),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.max_seconds_per_call = as<double>(v); },
     [](FixedBenchmarkConfig& c, const OverrideValue& v) {
       c.max_seconds_per_call = as<double>(v);
     }},
    {"max-setup-seconds", "S",
     "override: wall cap on a child's start and setup, seconds; the batch cap starts after it",
     Kind::number, number(0, true, 86400, false, "seconds"),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.max_setup_seconds = as<double>(v); },
     [](FixedBenchmarkConfig& c, const OverrideValue& v) { c.max_setup_seconds = as<double>(v); }},
    {"kill-grace-ms", "MS", "override: SIGTERM->SIGKILL grace after the cap, ms", Kind::count,
     count(0, 3'600'000),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.kill_grace_ms = as<std::uint64_t>(v); },
     [](FixedBenchmarkConfig& c, const OverrideValue& v) {
       c.kill_grace_ms = as<std::uint64_t>(v);
     }},
    {"target-inner-nanos", "N", "override: warm autotune target, ns", Kind::count,
     count(1, kMaxParam),
     [](BenchmarkConfig& c, const OverrideValue& v) {
       c.target_inner_nanos = as<std::uint64_t>(v);
     },
     nullptr},
    {"param-floor", "N", "override: first rung of the ladder", Kind::count, count(0, kMaxParam),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.param_floor = as<std::uint64_t>(v); },
     nullptr},
    {"param-ceiling", "N", "override: last possible rung of the ladder", Kind::count,
     count(0, kMaxParam),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.param_ceiling = as<std::uint64_t>(v); },
     nullptr},
    {"ladder-seconds", "S",
     "override: the ladder climbs while its rungs x outer trials took less (0: to the ceiling)",
     Kind::number, number(0, false, 86400, false, "seconds"),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.ladder_seconds = as<double>(v); }, nullptr},
    {"outer-trials", "N", "override: child processes per rung", Kind::count, count(1, 1000),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.outer_trials = as<std::uint64_t>(v); },
     nullptr},
    {"pair-seconds", "S",
     "override: A/B pairs continue until a benchmark ran this long (0: outer trials only)",
     Kind::number, number(0, false, 86400, false, "seconds"),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.pair_seconds = as<double>(v); }, nullptr},
    {"pair-target-nanos", "N", "override: A/B autotune target of a param's first pair, ns",
     Kind::count, count(1, kMaxParam),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.pair_target_nanos = as<std::uint64_t>(v); },
     nullptr},
    {"cache-mode",
     "MODE",
     "override: warm or cold",
     Kind::cache_mode,
     {},
     [](BenchmarkConfig& c, const OverrideValue& v) { c.cache_mode = as<CacheMode>(v); },
     nullptr},
    {"repeats", "N", "override: measured repeats of fixed benchmarks", Kind::count,
     count(1, 100000), nullptr,
     [](FixedBenchmarkConfig& c, const OverrideValue& v) { c.repeats = as<std::uint64_t>(v); }},
    {"param-schedule",
     "S",
     "override: auto, doubling or linear (custom: --param-list)",
     Kind::shape,
     {},
     [](BenchmarkConfig& c, const OverrideValue& v) {
       // Switching to linear keeps a declared linear sample count, else takes the default 16.
       const auto shape = as<ParamSchedule::Shape>(v);
       const bool was_linear = c.param_schedule.shape == ParamSchedule::Shape::linear;
       c.param_schedule.shape = shape;
       c.param_schedule.custom_params.clear();
       if (shape == ParamSchedule::Shape::linear && !was_linear)
         c.param_schedule.linear_samples = ParamSchedule::linear().linear_samples;
     },
     nullptr},
    {"param-list", "N,N,...",
     "override: run exactly these params, e.g. 64,1024 (a custom schedule)", Kind::param_list,
     count(0, kMaxParam),
     [](BenchmarkConfig& c, const OverrideValue& v) {
       c.param_schedule = ParamSchedule::custom(as<std::vector<std::uint64_t>>(v));
     },
     nullptr},
    {"linear-samples", "N", "override: stride-1 rungs of the linear sweep", Kind::count,
     count(1, 1'000'000),
     [](BenchmarkConfig& c, const OverrideValue& v) {
       c.param_schedule.linear_samples = as<std::uint64_t>(v);
     },
     nullptr},
    {"warmup-fraction", "F", "override: leading fraction of ratios the verdict drops, [0, 1)",
     Kind::number, number(0, false, 1, true),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.verdict_warmup_fraction = as<double>(v); },
     nullptr},
    {"slope-tolerance", "F", "override: largest |slope| still consistent, > 0", Kind::number,
     number(0, true, 100, false),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.slope_tolerance = as<double>(v); },
     nullptr},
    {"narrow-range-noise-floor", "F", "override: narrow-range verdict bound floor, >= 1",
     Kind::number, number(1, false, 1e6, false),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.narrow_range_noise_floor = as<double>(v); },
     nullptr},
    {"signal-floor-multiplier", "F",
     "override: batches under this many spawn floors leave the verdict (1 disables)", Kind::number,
     number(1, false, 1e6, false),
     [](BenchmarkConfig& c, const OverrideValue& v) { c.signal_floor_multiplier = as<double>(v); },
     nullptr},
    {"warmup",
     "on|off",
     "override (fixed): on or off, the discarded warmup child",
     Kind::on_off,
     {},
     nullptr,
     [](FixedBenchmarkConfig& c, const OverrideValue& v) { c.warmup = as<bool>(v); }},
    {"min-total-seconds", "S",
     "override (fixed): inner repeats double until a batch lasts this long", Kind::number,
     number(0, false, 86400, false), nullptr,
     [](FixedBenchmarkConfig& c, const OverrideValue& v) { c.min_total_seconds = as<double>(v); }},
    {"expected-hash",
     "H",
     "override (fixed): the result_hash every repeat must produce, 0x...",
     Kind::hash,
     {},
     nullptr,
     [](FixedBenchmarkConfig& c, const OverrideValue& v) {
       c.expected_hash = as<std::uint64_t>(v);
     }},
    {"ignore-expected-hash",
     "",
     "do not check fixed benchmarks' expected_hash",
     Kind::flag,
     {},
     nullptr,
     [](FixedBenchmarkConfig& c, const OverrideValue&) { c.expected_hash.reset(); }},
};

std::vector<std::uint64_t> parse_param_list(const OverrideFlag& f, const std::string& text) {
  std::vector<std::uint64_t> params;
  std::stringstream list(text);
  std::string item;
  const auto hi = static_cast<std::uint64_t>(f.rule.hi);
  while (std::getline(list, item, ',')) params.push_back(parse_count(f.name, item, 0, hi));
  if (params.empty()) {
    throw UsageError(std::string("--") + f.name + " '" + text +
                     "': must list at least one param, e.g. 64,1024");
  }
  return params;
}

}  // namespace

const std::vector<OverrideFlag>& override_flags() {
  return kFlags;
}

OverrideValue parse_override(const OverrideFlag& f, const std::string& text) {
  const std::string quoted = std::string("--") + f.name + " '" + text + "': ";
  switch (f.kind) {
    case Kind::count:
      return parse_count(f.name, text, static_cast<std::uint64_t>(f.rule.lo),
                         static_cast<std::uint64_t>(f.rule.hi));
    case Kind::number: return parse_number(f.name, text, f.rule);
    case Kind::on_off:
      if (text != "on" && text != "off") throw UsageError(quoted + "must be on or off");
      return text == "on";
    case Kind::cache_mode:
      if (const auto mode = parse_cache_mode(text)) return *mode;
      throw UsageError(quoted + "must be warm or cold");
    case Kind::shape: {
      const auto shape = parse_schedule_shape(text);
      if (!shape || *shape == ParamSchedule::Shape::custom) {
        throw UsageError(quoted + "must be auto, doubling or linear (a custom list: --param-list)");
      }
      return *shape;
    }
    case Kind::param_list: return parse_param_list(f, text);
    case Kind::hash:
      if (const auto hash = parse_hash(text)) return *hash;
      throw UsageError(quoted + "must be 0x followed by 1 to 16 hex digits");
    case Kind::flag: return true;
  }
  return true;
}

std::string format_override(const OverrideFlag& f, const OverrideValue& v) {
  switch (f.kind) {
    case Kind::count: return std::to_string(as<std::uint64_t>(v));
    case Kind::number: return exact_decimal(as<double>(v));
    case Kind::on_off: return as<bool>(v) ? "on" : "off";
    case Kind::cache_mode: return to_string(as<CacheMode>(v));
    case Kind::shape: return to_string(as<ParamSchedule::Shape>(v));
    case Kind::param_list: {
      std::string text;
      for (std::uint64_t p : as<std::vector<std::uint64_t>>(v))
        text += (text.empty() ? "" : ",") + std::to_string(p);
      return text;
    }
    case Kind::hash: return format_hash(as<std::uint64_t>(v));
    case Kind::flag: return "";
  }
  return "";
}

std::vector<std::string> apply_overrides(BenchmarkInfo& info, const Overrides& o) {
  const bool parametric = info.kind == RowKind::parametric;
  for (const OverrideFlag& f : kFlags) {
    const auto it = o.values.find(f.name);
    if (it == o.values.end()) continue;
    if (parametric && f.parametric) f.parametric(info.config, it->second);
    if (!parametric && f.fixed) f.fixed(info.fixed_config, it->second);
  }
  std::vector<std::string> notes;
  if (parametric && info.config.param_schedule.shape == ParamSchedule::Shape::custom) {
    if (auto note = custom_schedule_note(info.name, o.has("param-floor"), o.has("param-ceiling"))) {
      notes.push_back(*note);
    }
  }
  const auto errors =
      parametric ? validate(info.name, info.config) : validate(info.name, info.fixed_config);
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw UsageError(all);
  }
  return notes;
}

}  // namespace benchgate
