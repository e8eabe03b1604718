// Pure planning of a parametric run's schedule: auto shape resolution, the linear sweep, the probe
// bracket, the child's effective inner target, the below-signal-floor annotation and the
// --total-seconds budget. No clocks and no I/O: the runner passes times in as integer nanoseconds
// and complexity values C(n) as doubles it obtained from the benchmark executable (C is not
// available in the runner's own process).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/config.hpp"
#include "benchgate/core/row.hpp"

namespace benchgate {

// ---- Auto shape -------------------------------------------------------------------------------

// The params whose C(n) resolve_auto needs, in the order of its arguments.
inline constexpr std::array<std::uint64_t, 4> kAutoProbeParams{8, 16, 32, 64};

// `automatic` resolves to `linear` with this many samples, the linear shape's default.
inline constexpr std::uint64_t kAutoLinearSamples = 16;

// r8 = C(16) / max(1, C(8)), r32 = C(64) / max(1, C(32)); linear iff r32 >= 4 * r8, else
// doubling. Polynomials give equal ratios (n^k: both 2^k), exponentials blow up (2^n: r8 = 2^8,
// r32 = 2^32), a constant gives 1 and 1. A NaN anywhere fails the comparison: doubling.
ParamSchedule::Shape resolve_auto(double c8, double c16, double c32, double c64);

// ---- Probe bracket ----------------------------------------------------------------------------

// What the doubling probe learned: the largest ok param before the first failing rung, and that
// rung's param. Either may be missing (the first rung failed; the probe reached the ceiling or
// was cut by the budget).
struct ProbeBracket {
  std::optional<std::uint64_t> last_ok;
  std::optional<std::uint64_t> first_fail;
};

// Reads the probe rows in execution order. Consecutive rows with the same param form one rung,
// which is ok if any of its rows has status ok (the probe runs one trial per rung; this also
// accepts a runner that runs a failed rung's other trials at once). The first rung with no ok
// row is first_fail and ends the walk: later rows are ignored. Rows without a param are ignored.
ProbeBracket probe_bracket(const std::vector<Row>& probe_rows);

// ---- Linear sweep -----------------------------------------------------------------------------

// The 0.7 of "perUnit * C(n) > 0.7 * cap": a rung predicted to take more than 70% of the cap is
// left out, so noise and the child's start-up do not push a planned rung over the kill.
inline constexpr double kLinearCapSafetyFactor = 0.7;

// The params whose C(n) linear_sweep needs: last_ok, then the sweep window
// last_ok+1 ... min(first_fail-1, last_ok+samples). Empty when the window is (samples = 0,
// first_fail <= last_ok+1): the sweep is empty whatever C is, so nothing needs asking.
// Never overflows, even with values near 2^64.
std::vector<std::uint64_t> linear_sweep_candidates(std::uint64_t last_ok, std::uint64_t first_fail,
                                                   std::uint64_t samples);

// The linear rungs after the probe bracketed [last_ok, first_fail):
//   perUnit = pc / max(1, C(last_ok)); capNanos = cap_seconds * 1e9;
//   first_fail' = the first n in (last_ok, first_fail) with perUnit * C(n) > 0.7 * capNanos,
//                 else first_fail;
//   rungs = last_ok+1 ... min(first_fail'-1, last_ok+samples), stride 1;
//   empty if first_fail' <= last_ok+1 or samples = 0.
// Only the window's n are examined for the tightening: an n beyond last_ok+samples would give
// min(n-1, last_ok+samples) = last_ok+samples, the untightened end, so the result is exactly
// that of examining every n in (last_ok, first_fail). `complexity` must hold C for every param
// of linear_sweep_candidates (extra entries are ignored); a missing one throws
// std::invalid_argument naming it.
std::vector<std::uint64_t> linear_sweep(std::uint64_t last_ok, std::uint64_t first_fail,
                                        double per_call_at_last_ok_nanos,
                                        const std::map<std::uint64_t, double>& complexity,
                                        double cap_seconds, std::uint64_t samples);

// ---- Effective inner target -------------------------------------------------------------------

// The target_inner_nanos passed to each child. With spawn floor f and
// D = cap_seconds * 1e9 + kill_grace_ms * 1e6 (ns; the cap rounded to the nearest ns, as the
// kill timer is): f >= D -> max(1, min(target, D / 8)); else max(1, min(target, (D - f) / 4)).
// Without a floor the target is returned unchanged. Keeps a child's autotune (which aims just
// past half the target, and times several batches) well inside the cap once the process
// overhead is paid. Saturates instead of overflowing. The reported config keeps the declared
// target.
std::uint64_t effective_inner_target(std::uint64_t target_nanos,
                                     std::optional<std::uint64_t> spawn_floor_nanos,
                                     double cap_seconds, std::uint64_t kill_grace_ms);

// ---- Below-signal-floor annotation ------------------------------------------------------------

// With no floor, a floor of 0, or multiplier <= 1 (or NaN): no change. Else every ok row gets
// below_signal_floor = (total_nanos < multiplier * floor) — strictly below — so the field is
// never left null when a floor exists; non-ok rows are untouched. total_nanos is the child's
// timed batch and the floor a whole spawn seen from the parent: mixing them is by design, a
// batch shorter than a few process start-ups is dominated by machine noise.
void annotate_below_signal_floor(std::vector<Row>& rows, std::optional<std::uint64_t> floor_nanos,
                                 double multiplier);

// ---- Budget: --total-seconds ------------------------------------------------------------------

// Largest accepted --total-seconds: one year. Far beyond any CI job, and far below the ~292
// years of nanoseconds an int64 deadline can hold.
inline constexpr double kMaxTotalSeconds = 365.0 * 24 * 3600;

// nullopt when `seconds` is a valid --total-seconds (finite, in [0, kMaxTotalSeconds]), else
// the message, e.g. "--total-seconds '-1': must be a number of seconds in [0, 31536000], e.g.
// 600 (0 skips every benchmark)".
std::optional<std::string> validate_total_seconds(double seconds);

// A suite's time budget. Checked before each benchmark, rung and trial; a started child is
// never interrupted, so a run overruns by at most one batch (its cap plus kill grace).
class Budget {
 public:
  // No --total-seconds: never exhausted.
  static Budget unlimited() { return Budget(); }
  // deadline = start + trunc(total * 1e9), saturating at the int64 maximum. total <= 0 (or NaN)
  // is exhausted at any time, even before start: 0 skips everything.
  static Budget seconds(double total_seconds, std::int64_t start_nanos);

  bool limited() const { return limited_; }
  // now >= deadline: the deadline instant itself is already past the budget.
  bool exhausted(std::int64_t now_nanos) const;
  std::optional<std::int64_t> deadline() const;
  std::optional<double> total_seconds() const;

 private:
  Budget() = default;
  bool limited_ = false;
  bool skip_all_ = false;
  double total_seconds_ = 0;
  std::int64_t deadline_ = 0;
};

// A benchmark the budget skipped before it started.
struct BudgetSkip {
  std::string name;
  RowKind kind = RowKind::parametric;
};

// The end-of-suite budget report. `completed` counts the benchmarks that ran, truncated ones
// included; `truncated` those cut between rungs; the skipped count is skips.size().
struct BudgetSummary {
  double total_seconds = 0;
  std::int64_t elapsed_nanos = 0;
  std::uint64_t completed = 0;
  std::uint64_t truncated = 0;
  std::vector<BudgetSkip> skips;
};

// "budget: 10.000s; elapsed 3.250s; completed 2, skipped 1" plus ", truncated <t>" when t > 0.
// A negative elapsed time prints as 0.000s.
std::string format_budget_line(const BudgetSummary& summary);

// "  [budget skip] <name>    [parametric|fixed]".
std::string format_budget_skip(const BudgetSkip& skip);

// The budget line and then one skip line per skip, each ending in '\n'. The caller prints a
// blank line before it, to set it apart from the last benchmark's report.
std::string format_budget_summary(const BudgetSummary& summary);

// ---- Custom schedule note ---------------------------------------------------------------------

// For a benchmark whose effective schedule is custom: when --param-floor and/or --param-ceiling
// were given, the note saying they are ignored (one line, no trailing newline, starting with
// "note: "); nullopt when neither was. Call it only when the merged schedule is custom, so a
// --param-schedule doubling|linear that switched the shape keeps it silent.
std::optional<std::string> custom_schedule_note(const std::string& name, bool floor_given,
                                                bool ceiling_given);

}  // namespace benchgate
