// The complexity verdict of a parametric run: per-param ratios, trial summaries, the verdict, its
// advisories, the auto-fit ranking and their report lines. Pure functions over rows: no I/O, no
// clocks. C(n) lives in the benchmark executable, so the runner asks it for the params it needs and
// passes the values in as a map param -> C(param).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/config.hpp"
#include "benchgate/core/row.hpp"

namespace benchgate {

// A row feeds the verdict iff it is ok, not a probe (part_of_verdict != false) and not below
// the signal floor (below_signal_floor != true). Null annotations count as "feeds".
bool verdict_eligible(const Row& row);

// C_p: the median per-call time of the eligible rows at `param` divided by C(param).
struct Ratio {
  std::uint64_t param = 0;
  double c = 0;

  friend bool operator==(const Ratio& a, const Ratio& b) {
    return a.param == b.param && a.c == b.c;
  }
};

// One ratio per eligible param in first-occurrence order, for p >= 2 whose C(p) is in
// `complexity`, finite and non-zero. Params 0 and 1 never produce a ratio. Rows without a param
// (fixed rows) are ignored. The median is benchgate::median (mean of the two middles).
std::vector<Ratio> ratios(const std::vector<Row>& rows,
                          const std::map<std::uint64_t, double>& complexity);

// The spread of the outer trials at one param, over its eligible rows' per-call times.
struct TrialSummary {
  std::uint64_t param = 0;
  std::uint64_t ok_count = 0;  // eligible rows at the param
  std::uint64_t trials = 0;    // rows at the param that were run (any status, probes excluded)
  double median = 0;           // benchgate::median of the per-call times
  double min = 0;
  double max = 0;
  double spread = 0;  // (max - min) / median; 0 when median <= 0
};

// One summary per eligible param (0 and 1 included), in first-occurrence order.
std::vector<TrialSummary> trial_summaries(const std::vector<Row>& rows);

// The report's trial-summary block, or nothing when outer_trials <= 1 or there are no summaries:
//   "  trial summaries (3 trials per param; spread = (max-min)/median):"
//   "    param  trials  median  min  max  spread" (aligned), then one row per param with
//   ok_count/trials, durations (format_duration) and the spread as a percent with 3 decimals.
//   With `instructions` (rows measured under Callgrind) the values are instruction counts.
std::vector<std::string> trial_summary_lines(const std::vector<TrialSummary>& summaries,
                                             const BenchmarkConfig& config,
                                             bool instructions = false);

// Deliberately two-valued: the direction of a mismatch comes from the slope, not the verdict.
// (Not to be confused with the gate's per-key status, KeyStatus in compare/compare.hpp.)
enum class ComplexityVerdict { consistent, inconclusive };

// Export strings: "consistent_with_declared_complexity", "inconclusive".
const char* to_string(ComplexityVerdict verdict);
// Report wording: "consistent with declared complexity", "inconclusive".
const char* display_name(ComplexityVerdict verdict);

struct VerdictResult {
  ComplexityVerdict verdict = ComplexityVerdict::inconclusive;
  std::optional<double> c_min;  // min/max of the kept C values, also when inconclusive
  std::optional<double> c_max;
  std::optional<double> slope;  // β: OLS slope of ln C on ln p over the kept points with C > 0
  std::size_t dropped = 0;      // leading ratios dropped as warmup (their params get a †)
  std::vector<Ratio> ratios;    // every ratio, dropped ones included

  std::size_t kept() const { return ratios.size() - dropped; }
};

// Fewer than 3 ratios: inconclusive with nothing else. Otherwise drop
// min(trunc(size × verdict_warmup_fraction), size − 3) leading ratios; β exists when at least 2
// kept points have C > 0, their ln p range is >= 1.0 (pmax/pmin >= e) and Σdx² >= 1e-12, and
// then the verdict is consistent iff |β| <= slope_tolerance. Without β (a narrow range) it is
// consistent iff cMin > 0 and cMax/cMin <= max(narrow_range_noise_floor,
// exp(slope_tolerance × (max ln p − min ln p))).
VerdictResult derive_verdict(const std::vector<Ratio>& ratios, const BenchmarkConfig& config);

// A C value for reports: 3 decimals ("12.500") for 0 and 0.001 <= |c| < 1e6, else scientific
// with 3 decimals ("1.250e-07", "3.000e+09") so tiny ratios (2^n models) never print as 0.000.
std::string format_ratio(double c);

// "verdict: <display> (cMin=<c>, cMax=<c>, β=<+x.xxx or —>[, looks slower|faster than
// declared by ~n^<|β|, 3 decimals>])". C values via format_ratio, "—" when absent. The hint
// shows when |β| > slope_tolerance and |β| >= 0.05; positive β means slower.
std::string verdict_line(const VerdictResult& result, const BenchmarkConfig& config);

// Advisories; export strings via to_string: "below_signal_floor", "partially_below_signal_floor",
// "all_capped", "truncated_at_cap", "too_few_verdict_rows".
enum class AdvisoryKind {
  below_signal_floor,
  partially_below_signal_floor,
  all_capped,
  truncated_at_cap,
  too_few_verdict_rows
};
const char* to_string(AdvisoryKind kind);

// `text` is one sentence-level message with something to do; a report prints it as
// "  ‼ <text>". Suggestions follow the schedule: custom schedules are told to extend, trim or
// drop params of the declared ParamSchedule::custom list (or --param-list), others to move
// --param-floor / --param-ceiling.
struct Advisory {
  AdvisoryKind kind;
  std::string text;
};

// In this order, over every row of the run (probes included):
// 1. no ok row: all_capped iff rows is non-empty and every row is killed_at_cap or timed_out
//    (its text names max_setup_seconds when every row was killed in setup)
//    (an all-error run gets nothing); otherwise below_signal_floor when every ok row is below
//    the floor, partially_below_signal_floor when some are.
// 2. an ok row and a capped row: truncated_at_cap at the first capped row's param.
// 3. an ok row and result.kept() < 3: too_few_verdict_rows.
// `spawn_floor_nanos` is quoted in the below-floor texts ("not measured" when absent).
std::vector<Advisory> advisories(const std::vector<Row>& rows, const VerdictResult& result,
                                 const BenchmarkConfig& config,
                                 std::optional<double> spawn_floor_nanos);

// No usable data: no ratio at all, and the budget did not cut the run short. One ratio is data.
bool no_usable_data(const VerdictResult& result, bool budget_truncated);

// Auto-fit (advisory only): the catalog `1`, `n`, `n log n` (n · ⌊log2(n+1)⌋), `n^2`, `n^3`, `2^n`,
// evaluated in the log domain so 2^n never overflows.
struct ModelFit {
  std::string label;
  double std_log_c = 0;    // population standard deviation of ln t − ln M(p)
  double mean_c = 0;       // exp(mean of ln t − ln M(p))
  std::size_t points = 0;  // samples the model was fitted on
};

enum class FitConfidence { none, weak, decisive };

struct AutoFit {
  std::vector<ModelFit> fits;  // ascending std_log_c, catalog order among ties; may be empty
  FitConfidence confidence = FitConfidence::none;
  std::string reason;  // why the pick is weak; empty otherwise
};

// Samples are the summaries' (param, median) with p >= 2 and a finite median > 0. A model
// needs 2 samples. Confidence: none without fits; weak when the winner has < 3 points; else
// decisive iff the runner-up's std >= winner's std + max(0.10, 0.5 × winner's std) (or there
// is no runner-up).
AutoFit auto_fit(const std::vector<TrialSummary>& summaries);

// The report block: "  auto-fit (heuristic; not a proof — ranks the catalog by stddev of log
// C):", a column header "model stdLogC mean C n", one row per fit with "  ←" on the winner when
// decisive, and "    ‼ inconclusive: <reason>" when weak; with no fits,
// "    no candidates fit — fewer than 2 verdict-eligible rungs survived".
std::vector<std::string> auto_fit_lines(const AutoFit& fit);

}  // namespace benchgate
