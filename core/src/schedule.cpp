// Schedule planning: auto resolution, linear sweep, probe bracket, inner target, signal floor,
// budget.
#include "benchgate/core/schedule.hpp"

#include "benchgate/core/cli.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace benchgate {
namespace {

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
// 2^64 and 2^63 as doubles: the first values that no longer fit the integer types.
constexpr double kTwoTo64 = 18446744073709551616.0;
constexpr double kTwoTo63 = 9223372036854775808.0;

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return b > kU64Max - a ? kU64Max : a + b;
}

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  return a != 0 && b > kU64Max / a ? kU64Max : a * b;
}

// Seconds to nanoseconds rounded to the nearest, as the runner's kill timer rounds the cap;
// NaN and non-positive give 0, anything past 2^64 ns saturates.
std::uint64_t seconds_to_nanos(double seconds) {
  const double nanos = std::round(seconds * 1e9);
  if (!(nanos > 0)) return 0;
  if (nanos >= kTwoTo64) return kU64Max;
  return static_cast<std::uint64_t>(nanos);
}

// The window end of a sweep: min(first_fail - 1, last_ok + samples), without overflow.
// Requires samples >= 1 and first_fail >= last_ok + 2.
std::uint64_t window_end(std::uint64_t last_ok, std::uint64_t first_fail, std::uint64_t samples) {
  const std::uint64_t hi = first_fail - 1;
  return samples >= hi - last_ok ? hi : last_ok + samples;
}

bool window_empty(std::uint64_t last_ok, std::uint64_t first_fail, std::uint64_t samples) {
  return samples == 0 || first_fail <= last_ok || first_fail - last_ok <= 1;
}

double complexity_at(const std::map<std::uint64_t, double>& complexity, std::uint64_t n) {
  const auto it = complexity.find(n);
  if (it == complexity.end()) {
    throw std::invalid_argument("linear_sweep: no complexity value for param " + std::to_string(n) +
                                "; ask for every linear_sweep_candidates()");
  }
  return it->second;
}

std::string three_decimals(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

}  // namespace

ParamSchedule::Shape resolve_auto(double c8, double c16, double c32, double c64) {
  const double r8 = c16 / std::max(1.0, c8);
  const double r32 = c64 / std::max(1.0, c32);
  return r32 >= 4 * r8 ? ParamSchedule::Shape::linear : ParamSchedule::Shape::doubling;
}

ProbeBracket probe_bracket(const std::vector<Row>& probe_rows) {
  ProbeBracket out;
  std::optional<std::uint64_t> rung;  // param of the rung being read
  bool rung_ok = false;
  auto close_rung = [&] {
    if (!rung) return true;
    if (!rung_ok) {
      out.first_fail = rung;
      return false;
    }
    out.last_ok = out.last_ok ? std::max(*out.last_ok, *rung) : *rung;
    return true;
  };
  for (const Row& row : probe_rows) {
    if (!row.param) continue;
    if (rung != row.param) {
      if (!close_rung()) return out;
      rung = row.param;
      rung_ok = false;
    }
    rung_ok = rung_ok || row.status == RowStatus::ok;
  }
  close_rung();
  return out;
}

std::vector<std::uint64_t> linear_sweep_candidates(std::uint64_t last_ok, std::uint64_t first_fail,
                                                   std::uint64_t samples) {
  if (window_empty(last_ok, first_fail, samples)) return {};
  const std::uint64_t end = window_end(last_ok, first_fail, samples);
  std::vector<std::uint64_t> out{last_ok};
  // end <= first_fail - 1 < 2^64 - 1, so n never wraps.
  for (std::uint64_t n = last_ok + 1; n <= end; ++n) out.push_back(n);
  return out;
}

std::vector<std::uint64_t> linear_sweep(std::uint64_t last_ok, std::uint64_t first_fail,
                                        double per_call_at_last_ok_nanos,
                                        const std::map<std::uint64_t, double>& complexity,
                                        double cap_seconds, std::uint64_t samples) {
  const std::vector<std::uint64_t> candidates =
      linear_sweep_candidates(last_ok, first_fail, samples);
  if (candidates.empty()) return {};
  // Check all up front, so a missing value is reported whatever the tightening does.
  for (std::uint64_t n : candidates) (void)complexity_at(complexity, n);

  const double per_unit =
      per_call_at_last_ok_nanos / std::max(1.0, complexity_at(complexity, last_ok));
  const double limit = kLinearCapSafetyFactor * (cap_seconds * 1e9);
  std::vector<std::uint64_t> rungs;
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    const std::uint64_t n = candidates[i];
    if (per_unit * complexity_at(complexity, n) > limit) break;  // n is the tightened first_fail
    rungs.push_back(n);
  }
  return rungs;
}

std::uint64_t effective_inner_target(std::uint64_t target_nanos,
                                     std::optional<std::uint64_t> spawn_floor_nanos,
                                     double cap_seconds, std::uint64_t kill_grace_ms) {
  if (!spawn_floor_nanos) return target_nanos;
  const std::uint64_t f = *spawn_floor_nanos;
  const std::uint64_t d =
      saturating_add(seconds_to_nanos(cap_seconds), saturating_mul(kill_grace_ms, 1'000'000));
  const std::uint64_t bound = f >= d ? d / 8 : (d - f) / 4;
  return std::max<std::uint64_t>(1, std::min(target_nanos, bound));
}

void annotate_below_signal_floor(std::vector<Row>& rows, std::optional<std::uint64_t> floor_nanos,
                                 double multiplier) {
  if (!floor_nanos || *floor_nanos == 0 || !(multiplier > 1.0)) return;
  const double threshold = multiplier * static_cast<double>(*floor_nanos);
  for (Row& row : rows) {
    if (row.status != RowStatus::ok) continue;
    row.below_signal_floor = static_cast<double>(row.total_nanos) < threshold;
  }
}

std::optional<std::string> validate_total_seconds(double seconds) {
  if (std::isfinite(seconds) && seconds >= 0 && seconds <= kMaxTotalSeconds) return std::nullopt;
  return "--total-seconds '" + exact_decimal(seconds) + "': must be a number of seconds in [0, " +
         exact_decimal(kMaxTotalSeconds) + "], e.g. 600 (0 skips every benchmark)";
}

Budget Budget::seconds(double total_seconds, std::int64_t start_nanos) {
  Budget b;
  b.limited_ = true;
  b.total_seconds_ = total_seconds;
  b.skip_all_ = !(total_seconds > 0);
  b.deadline_ = start_nanos;
  if (!b.skip_all_) {
    const double add = std::trunc(total_seconds * 1e9);
    const std::int64_t nanos = add >= kTwoTo63 ? kI64Max : static_cast<std::int64_t>(add);
    b.deadline_ = start_nanos > 0 && nanos > kI64Max - start_nanos ? kI64Max : start_nanos + nanos;
  }
  return b;
}

bool Budget::exhausted(std::int64_t now_nanos) const {
  if (!limited_) return false;
  return skip_all_ || now_nanos >= deadline_;
}

std::optional<std::int64_t> Budget::deadline() const {
  if (!limited_) return std::nullopt;
  return deadline_;
}

std::optional<double> Budget::total_seconds() const {
  if (!limited_) return std::nullopt;
  return total_seconds_;
}

std::string format_budget_line(const BudgetSummary& summary) {
  const double elapsed =
      static_cast<double>(std::max<std::int64_t>(0, summary.elapsed_nanos)) / 1e9;
  std::string line = "budget: " + three_decimals(summary.total_seconds) + "s; elapsed " +
                     three_decimals(elapsed) + "s; completed " + std::to_string(summary.completed) +
                     ", skipped " + std::to_string(summary.skips.size());
  if (summary.truncated > 0) line += ", truncated " + std::to_string(summary.truncated);
  return line;
}

std::string format_budget_skip(const BudgetSkip& skip) {
  return "  [budget skip] " + skip.name + "    [" + to_string(skip.kind) + "]";
}

std::string format_budget_summary(const BudgetSummary& summary) {
  std::string out = format_budget_line(summary) + "\n";
  for (const BudgetSkip& skip : summary.skips) out += format_budget_skip(skip) + "\n";
  return out;
}

std::optional<std::string> custom_schedule_note(const std::string& name, bool floor_given,
                                                bool ceiling_given) {
  if (!floor_given && !ceiling_given) return std::nullopt;
  std::string flags;
  if (floor_given) flags = "--param-floor";
  if (ceiling_given) flags += std::string(flags.empty() ? "" : ", ") + "--param-ceiling";
  return "note: " + flags + " ignored for " + name +
         ": effective `param_schedule` is `custom`, which walks the declared params verbatim; "
         "pass `--param-schedule doubling` (or `linear`) to switch the shape, or change the "
         "params in `ParamSchedule::custom(...)` or `--param-list`.";
}

}  // namespace benchgate
