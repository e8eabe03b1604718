// The time decision of one benchmark (all its params, all the looks so far): the effect of the
// change as a ratio with a confidence interval, and what it means against the threshold
// (docs/compare.md "Decision rules"). Pure: no I/O, no text but the note.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reduce.hpp"
#include "status.hpp"

namespace benchgate {

// One param's time samples (ns per call), both sides, with where each came from.
struct ParamTimes {
  std::optional<std::uint64_t> param;  // none for a fixed benchmark
  std::vector<double> baseline, current;
  std::vector<SampleId> baseline_ids, current_ids;  // run 0 (no env): never paired
};

// Everything measured of one benchmark's time: every param, every look.
struct TimeEvidence {
  std::vector<ParamTimes> params;
  // Adds one key's samples (either side may be null: nothing from it) to its param's stratum.
  void add(std::optional<std::uint64_t> param, const Side* baseline, const Side* current);
};

// The prior of the spread between recorded baseline runs (the standard deviation of a run's log
// time, and the degrees of freedom it counts for), moderating the spread a few runs show:
// docs/compare.md "Committed baselines".
inline constexpr double kPriorRunSpread = 0.03;
inline constexpr double kPriorRunDf = 3;

struct DecisionRule {
  double threshold = 0.10;  // relative: a regression is slower by more than this
  double min_delta_ns = 0;  // and by more than this much per call (at the baseline's median)
  double alpha = 0.01;      // the false-alarm rate per benchmark, over all looks
  std::size_t looks = 1;    // planned looks (1 + reruns); each spends alpha / looks
  // Unpaired: the spread between recorded runs assumed where the baseline holds one run, and
  // the prior (worth kPriorRunDf) that moderates what several show; 0 assumes none.
  double run_spread = kPriorRunSpread;
};

// current / baseline: 1.10 is 10% slower.
struct EffectRatio {
  double estimate = 1;
  double lo = 1;
  double hi = 1;
};

struct ParamEffect {
  std::optional<std::uint64_t> param;
  EffectRatio ratio;
  std::size_t n = 0;      // pairs, or baseline + current samples
  bool covers = false;    // enough samples for the interval's level
  bool decisive = false;  // this param alone decided the benchmark (a regression at this size)
};

struct TimeDecision {
  KeyStatus status = KeyStatus::not_comparable;
  bool settled = true;    // false: the interval straddles a bound, more samples would tell
  bool paired = false;    // from A/B pairs (same run on both sides)
  EffectRatio ratio;      // pooled over the params
  double confidence = 0;  // two-sided level of the intervals
  std::size_t pairs = 0;  // paired: pairs used
  std::size_t n_baseline = 0, n_current = 0;  // samples used
  std::size_t baseline_runs = 0;              // unpaired: recorded runs in the baseline
  double run_spread_half = 0;     // unpaired: the interval's least half-width (log), between runs
  std::optional<double> p_value;  // one-sided p of "slower" (or of "faster" when improved)
  std::vector<ParamEffect> params;
  // The ratio per doubling of n (log ratio against log2 n, least squares), with its interval;
  // with two or more params. `grows` when its interval lies above 1.
  std::optional<EffectRatio> trend;
  bool grows = false;
  std::string note;
};

// The decision from all the evidence so far: the intervals are two-sided at level
// 1 - alpha / looks (level_of: an upper tail of alpha / (2 looks) for the pooled interval, as
// much again for the trend), so that a regression is called at some look with probability at
// most alpha when nothing changed.
//   regressed     estimate above 1 + threshold (and min_delta_ns) and interval above 1: pooled,
//                 or one param's own interval at its share of alpha (a regression at some sizes
//                 only is not averaged away);
//   improved      the interval's top below 1 and the estimate below 1 / (1 + threshold);
//   unchanged     otherwise, when the interval's top is at most 1 + threshold;
//   inconclusive  the interval straddles 1 + threshold: not `settled`, so another look (if the
//                 budget has one) measures more.
TimeDecision decide_time(const TimeEvidence& evidence, const DecisionRule& rule);

// What a decision was made from: "35 pairs", "15 vs 15 samples, baseline of 3 runs".
std::string decided_from(const TimeDecision& d);

// "+12.3%" appended: the fraction in percent with one decimal, exactly rounded (std::to_chars: no
// stream, no locale, no string per call); skip_first drops the sign.
void append_percent(std::string& out, double fraction, bool skip_first = false);

// "+15.7% [+9.8%, +21.9%]".
std::string format_ratio(const EffectRatio& r);

}  // namespace benchgate
