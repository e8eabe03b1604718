// The comparison of a baseline reduction with a current one: pure functions over plain structs.
// Thresholds are inputs; nothing here reads files, spawns processes or formats text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reduce.hpp"

namespace benchgate {

// The gate's status of a key, and of each metric of it (docs/compare.md "Statuses"), in the order
// a report lists them.
enum class KeyStatus { regressed, broken, missing, new_key, improved, not_comparable, unchanged };
const char* to_string(KeyStatus v);  // "regressed", "broken", "missing", "new", ...

// The default time threshold, and the one of A/B in one run (--baseline-exe): both builds are
// then measured side by side, batch for batch, so the machine's slow phases hit both and +10%
// reads close to +10%; "more than 10%" then caught +10% 0 times in 10, "more than 5%" 10 times
// in 10 with no false alarm in 40 A/A comparisons (docs/performance.md, A/B in one run).
inline constexpr double kDefaultTimeThreshold = 0.10;
inline constexpr double kDefaultAbTimeThreshold = 0.05;

struct CompareOptions {
  double time_threshold = kDefaultTimeThreshold;  // relative change of the median per-call time
  double rss_threshold = 0.05;                    // relative change of the median peak RSS
  std::optional<double> alloc_threshold;          // off unless given
  double instructions_threshold = 0.01;  // instructions per call, where both sides counted them
  double min_time_delta_ns = 0;          // a time change smaller than this is never a regression
  double min_rss_delta_kb = 0;           // likewise for peak RSS
  double min_alloc_delta_bytes = 0;
  double alpha = 0.01;  // level of the one-sided Mann–Whitney U test on time samples
  bool ignore_env = false;
  bool fail_on_missing = false;
  bool fail_on_hash_change = false;
};

// A note every key of a report shares (allocations not gated, instructions not counted): held as
// this tag, not as one heap string per key, which cost 19 MB on 200,000 keys (issue #3's memory
// goal, docs/performance.md). note_of() gives the text.
enum class StockNote : unsigned char { none, alloc_not_gated, instructions_not_counted };

struct MetricResult {
  KeyStatus status = KeyStatus::not_comparable;
  StockNote stock = StockNote::none;  // the note when `note` is empty
  std::optional<double> baseline;     // medians; null when the metric was not measured
  std::optional<double> current;
  std::optional<double> change;  // (current - baseline) / baseline; +inf from a zero baseline
  std::size_t n_baseline = 0;
  std::size_t n_current = 0;
  std::optional<double> p_value;  // the U test's, when the samples allow one
  std::string note;               // why not comparable, or how the decision was made
};

// The metric's note: its own, or else the stock note's text.
const std::string& note_of(const MetricResult& m);

struct KeyResult {
  Key key;
  KeyStatus status = KeyStatus::not_comparable;
  MetricResult time;
  MetricResult rss;
  MetricResult alloc;
  MetricResult instructions;  // per call: Callgrind's count, or the CPU's counter
  std::optional<std::uint64_t> baseline_hash;
  std::optional<std::uint64_t> current_hash;
  bool hash_changed = false;
  std::string note;  // key-level: why broken, why not comparable
  // Confirmation reruns of a time regression: how many ran and how many reproduced it.
  std::size_t confirm_runs = 0;
  std::size_t confirm_reproduced = 0;
  std::string confirm_note;
  bool failing = false;  // counts against the gate (exit code 1)
};

struct Report {
  CompareOptions options;
  std::vector<KeyResult> results;  // failing first, then by status order, then by key
  std::size_t count(KeyStatus v) const;
  std::size_t failing() const;
};

// The decision for per-call time: regressed iff the median grew by more than `threshold`
// (relative) and by more than `min_delta` (absolute), the fastest sample grew by as much, and,
// when both sides have enough samples for the one-sided Mann–Whitney U test to reach `alpha`,
// the test rejects "no increase" at alpha. With fewer samples the effects alone decide and the
// note says so. Improvement is the mirror image.
MetricResult decide_time(const Samples& baseline, const Samples& current, double threshold,
                         double min_delta, double alpha);

// The decision for near-deterministic metrics (peak RSS, allocations): the effect on medians
// against the relative threshold and the absolute floor.
MetricResult decide_effect(const Samples& baseline, const Samples& current, double threshold,
                           double min_delta);

// Why two environments make times incomparable ("cpu_model differs: 'A' vs 'B'"), or nullopt.
// Hard fields: cpu_model, compiler, compiler major version, build_type; null is unknown and
// never a difference.
std::optional<std::string> env_mismatch(const std::optional<Env>& baseline,
                                        const std::optional<Env>& current);

// Compares every key of either side, consuming both reductions: the records of each key are
// released once its result is built, so the reductions and the report never peak together.
// `regressed_baseline`, if given, receives the baseline side of every key whose time regressed:
// all that apply_confirmation() reads of the baseline.
Report compare(CompactReduction&& baseline, CompactReduction&& current,
               const CompareOptions& options, Reduction* regressed_baseline = nullptr);

// Keys whose time regressed and are not yet refuted: what a confirmation rerun measures.
std::vector<Key> time_regressions(const Report& report);

// Folds one confirmation rerun into the report: each time-regressed key is decided again from
// the rerun's samples alone against the baseline. A key whose regression does not reproduce
// becomes unchanged in time (and its status is recomputed), with a note quoting the rerun.
void apply_confirmation(Report& report, const Reduction& baseline, const Reduction& rerun);

}  // namespace benchgate
