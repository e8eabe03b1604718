// The comparison of a baseline reduction with a current one: pure functions over plain structs.
// Thresholds are inputs; nothing here reads files, spawns processes or formats text.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "decide.hpp"
#include "reduce.hpp"
#include "status.hpp"

namespace benchgate {

// The default time threshold, and the one of A/B in one run (--baseline-exe). A benchmark
// regresses when its ratio's estimate exceeds the threshold and its interval lies above 1, so
// the interval, not the threshold, keeps the false alarms at alpha; the threshold is the size of
// change that counts. "Estimate beyond the threshold" catches a change equal to it only about
// half the time, so side by side, where phases cancel in each pair, it sits below 5% to catch
// +5%: 3% (docs/design.md, "The default time thresholds"; the A/A rates at it:
// docs/performance.md). Committed baselines keep 10%: their interval carries the spread between
// recorded runs.
inline constexpr double kDefaultTimeThreshold = 0.10;
inline constexpr double kDefaultAbTimeThreshold = 0.03;
// How many more looks an undecided benchmark gets by default (benchgate-compare --confirm): one,
// so that a gate costs at most about twice its run (issue 17's cost goal).
inline constexpr std::size_t kDefaultReruns = 1;

// What an environment mismatch (cpu_model, compiler, its major version or build_type differ
// between the sides) does to the gate, whose times and instruction counts are then not compared:
// `skip` reports the gate as skipped (exit 77, CTest's summary shows it) unless another key fails;
// `fail` fails every key it concerns; `warn` passes with a warning line (docs/compare.md, "When
// the environments differ").
enum class OnEnvMismatch { fail, skip, warn };
const char* to_string(OnEnvMismatch v);

struct CompareOptions {
  double time_threshold = kDefaultTimeThreshold;  // relative change of the median per-call time
  double rss_threshold = 0.05;                    // relative change of the median peak RSS
  std::optional<double> alloc_threshold;          // off unless given
  double instructions_threshold = 0.01;  // instructions per call, where both sides counted them
  double min_time_delta_ns = 0;          // a time change smaller than this is never a regression
  double min_rss_delta_kb = 0;           // likewise for peak RSS
  double min_alloc_delta_bytes = 0;
  double alpha = 0.01;    // false-alarm rate of the time decision per benchmark, over all looks
  std::size_t looks = 1;  // planned looks at the time (1 + confirmation reruns)
  double run_spread = kPriorRunSpread;  // between recorded runs, where a baseline cannot show it
  bool ignore_env = false;
  OnEnvMismatch on_env_mismatch = OnEnvMismatch::skip;
  bool fail_on_missing = false;
  bool fail_on_hash_change = false;
  // Custom counters gated (--counter-threshold): each named counter's median, decided like RSS.
  std::vector<CounterGate> counter_gates;
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
  std::optional<double> p_value;     // time: the benchmark's one-sided p
  std::optional<EffectRatio> ratio;  // time: this key's own ratio and interval
  std::string note;                  // why not comparable, or how the decision was made
};

// The metric's note: its own, or else the stock note's text.
const std::string& note_of(const MetricResult& m);

// A counter's medians (Side::counters), null on a side without it: shown in reports, and gated
// when a --counter-threshold names it (issue 20).
struct CounterResult {
  std::string name;
  std::optional<double> baseline;
  std::optional<double> current;
  std::optional<CounterGate> gate;  // its threshold and direction, when gated
  MetricResult decision;            // when gated: decide_counter's; else not_comparable
};

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
  bool env_differs = false;  // times not compared: the environments differ (not --ignore-env)
  std::string note;          // key-level: why broken, why not comparable
  bool failing = false;      // counts against the gate (exit code 1)
  std::vector<CounterResult> counters;  // by name, every counter of either side
  // Declared throughput per call (issue 20), per side: shown as MB/s and items/s, never gated.
  std::optional<double> baseline_bytes, current_bytes, baseline_items, current_items;
};

// A benchmark: its suite, kind, function and cache mode (a Key without a param). Time is
// decided per benchmark, from every param's samples; its status is each of its keys' time
// status.
struct BenchmarkResult {
  Key id;
  TimeDecision time;
  std::size_t looks = 1;  // looks taken (1 + reruns that measured it)
  std::vector<Key> keys;  // its keys whose time was compared
  TimeEvidence evidence;  // kept while the decision is not settled, for another look
  bool failing = false;
};

struct Report {
  CompareOptions options;
  // What a reader does next (benchgate-compare fills them when it knows how; empty otherwise):
  // per benchmark with a failing key (by describe() of its id, no param), the runner command
  // that measures those keys again; and the command that accepts the new numbers.
  std::map<std::string, std::string> reproduce;
  std::string accept;
  // Set when the gate ended before comparing (no baseline yet, an error): its outcome, for
  // --results; gate_outcome() returns it.
  std::optional<GateOutcome> ended_early;
  // Warnings about the inputs, which gate_outcome() adds to its own (a Google Benchmark side
  // without repetitions: note_gbench_sides).
  std::vector<std::string> warnings;
  std::vector<KeyResult> results;           // failing first, then by status order, then by key
  std::vector<BenchmarkResult> benchmarks;  // in Key order of their ids
  std::size_t count(KeyStatus v) const;
  std::size_t failing() const;
};

// The decision for near-deterministic metrics (peak RSS, allocations): the effect on medians
// against the relative threshold and the absolute floor.
MetricResult decide_effect(const Samples& baseline, const Samples& current, double threshold,
                           double min_delta);

// A gated counter's decision: decide_effect on its medians (no floor), with regressed and
// improved swapped when higher is better; zero-variance samples decide cleanly (equal medians
// are unchanged, a change beyond the threshold is one).
MetricResult decide_counter(const Samples& baseline, const Samples& current,
                            const CounterGate& gate);

// Why two environments make times incomparable ("cpu_model differs: 'A' vs 'B'"), or nullopt.
// Hard fields: cpu_model, compiler, compiler major version, build_type; null is unknown and
// never a difference.
std::optional<std::string> env_mismatch(const std::optional<Env>& baseline,
                                        const std::optional<Env>& current);

// Compares every key of either side, consuming both reductions: the records of each key are
// released once its result is built, so the reductions and the report never peak together. Time
// is decided per benchmark (decide_time, look 1 of options.looks).
Report compare(CompactReduction&& baseline, CompactReduction&& current,
               const CompareOptions& options);

// The benchmarks whose time is not settled and that another look may still decide.
std::vector<std::size_t> unsettled(const Report& report);

// Another look at the benchmarks `which`: their rerun's rows (`baseline` null when the rerun
// measured the current build only) join their evidence, and they are decided again; their keys'
// time status and the report's order follow.
void apply_look(Report& report, const std::vector<std::size_t>& which, const Reduction* baseline,
                const Reduction& current);

}  // namespace benchgate
