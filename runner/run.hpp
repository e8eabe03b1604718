// Orchestrating a run: select benchmarks, apply overrides, walk each ladder with one child per
// batch, and collect the rows. Process work goes through an Executor.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapter.hpp"
#include "benchgate/core/cli.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/core/schedule.hpp"
#include "benchgate/core/verdict.hpp"
#include "benchgate/process/executor.hpp"
#include "classify.hpp"

namespace benchgate {

// Benchmarks in declaration order: those named (every name must exist, else UsageError naming
// it and the valid names), else all whose name contains `filter` and, when `tags` is not empty,
// that carry at least one of them. A filter or tag that matches nothing is a UsageError.
std::vector<BenchmarkInfo> select_benchmarks(const ListDocument& doc,
                                             const std::vector<std::string>& names,
                                             const std::string& filter,
                                             const std::vector<std::string>& tags = {});

// The request of one child batch of `info` (its effective configuration) at `which`, a param or
// a repeat index: the wire protocol's --benchgate-child arguments.
ChildRequest child_request(const BenchmarkInfo& info, std::uint64_t which,
                           const std::string& env_json);

// Whether ladder_seconds bounds the ladder of `info`: a doubling ladder (or linear's probe) whose
// param_ceiling is the default, i.e. nobody bounded it. A declared ceiling, like a custom list,
// is walked to its end: the user chose those params, and a gate's keys must not depend on how
// fast the machine was that day.
bool time_ceiling(const BenchmarkInfo& info);

// The caps of one child of `info` (its effective configuration), each multiplied by `factor`
// (Callgrind's slowdown). With `setup_phase` (the executable accepts --setup-fd) the child gets
// the setup descriptor, and the spawn max_setup_seconds until setup ends, then
// max_seconds_per_call for the batch; without, max_seconds_per_call counts from the start, setup
// included (an executable built before setup had its own cap). `req` gets the caps for the
// classification's messages. Used by run and verify alike.
void set_child_caps(const BenchmarkInfo& info, bool setup_phase, double factor, ChildRequest& child,
                    SpawnRequest& spawn, RowRequest& req);

struct BenchmarkRun {
  BenchmarkInfo info;  // the effective configuration (overrides applied)
  // What kind of executable measured it: the report's hints differ (no cache mode, complexity or
  // spawn floor for Google Benchmark; its own DoNotOptimize).
  AdapterKind adapter = AdapterKind::native;
  // The schedule walked: `automatic` resolved to doubling or linear; custom as declared.
  ParamSchedule::Shape schedule = ParamSchedule::Shape::doubling;
  bool schedule_was_auto = false;
  std::vector<Row> rows;  // measured rows in execution order (the fixed warmup is not kept)
  // With RunSettings::paired: the other executable's rows, one per row of `rows` and in the
  // same order (same param or repeat, trial_index, part_of_verdict); empty when it does not
  // register this benchmark.
  std::vector<Row> paired_rows;
  std::optional<std::string> problem;  // why the benchmark produced no usable data
  bool budget_truncated = false;       // the budget ran out between its rungs or repeats
  bool pairs_share_count = false;      // A/B pairs with a shared call count (see PairedRun)
  std::optional<std::uint64_t> spawn_floor_nanos;
  std::uint64_t child_target_nanos = 0;              // effective_inner_target() of the children
  std::map<std::uint64_t, double> complexity;        // C(param) as the executable declared it
  std::optional<VerdictResult> verdict;              // parametric
  std::vector<Advisory> advisories;                  // parametric
  std::vector<TrialSummary> summaries;               // parametric
  std::optional<AutoFit> auto_fit;                   // parametric, with RunSettings::auto_fit
  std::optional<bool> hashes_agree;                  // fixed: ok repeats' hashes all equal
  std::optional<std::uint64_t> observed_hash;        // fixed: the first ok repeat's hash
  std::optional<std::string> expected_hash_failure;  // fixed: expected_hash not met
  std::vector<std::string> notes;                    // for people: why something was decided

  bool usable() const { return !problem.has_value(); }
};

struct RunOutput {
  std::string suite;
  std::vector<BenchmarkRun> runs;
  std::vector<BudgetSkip> skipped;      // benchmarks the budget did not let start
  std::optional<BudgetSummary> budget;  // with a limited budget
  std::optional<std::uint64_t> spawn_floor_nanos;
};

// Called after each batch: (benchmark, row just measured, whether it was the discarded fixed
// warmup). For progress lines.
using BatchObserver = std::function<void(const BenchmarkInfo&, const Row&, bool warmup)>;

// The `instructions` measure: every child runs under Valgrind's Callgrind, which counts the
// instructions of its timed batch (the harness switches collection on around it).
struct CallgrindSettings {
  std::string valgrind;    // the valgrind executable
  std::string out_dir;     // where Callgrind writes its per-child output files (removed after)
  double cap_factor = 50;  // max_seconds_per_call is multiplied by this: Callgrind is ~50x slower
};

// The Callgrind command line for one child: valgrind's argv followed by the child's (whose
// request says Measure::instructions).
std::vector<std::string> callgrind_argv(const CallgrindSettings& c, const std::string& out_file,
                                        std::vector<std::string> child);

// The instructions Callgrind collected, from its output file's "totals:" line (else its
// "summary:" line); nullopt when the file is missing or holds neither.
std::optional<std::uint64_t> read_callgrind_total(const std::string& path);

// A/B in one run (`benchgate-runner run --baseline-exe`): every batch of a benchmark that
// `exe` also registers is measured twice, once in each executable, back to back, with the
// order alternating (the other executable first, then this one, ...). Both children get the same
// argv but for argv[0]: the measured executable's configuration (params, target, cache mode),
// so the two rows of a pair differ only in the code. A slow phase of the machine then falls on
// both sides alike instead of on one (docs/cli.md, "A/B in one run").
//
// Where both executables accept --inner-repeats (`share_count`), a warm parametric benchmark's
// pairs are cheaper and more alike (docs/design.md, "A/B pairs"): the first pair at a param
// autotunes to pair_target_nanos, and every later child at that param, on both sides, runs the
// first child's call count, raised toward half the per-child overhead the second child showed
// (capped at half the child target); the order alternates with the trial; rounds continue after
// outer_trials while the benchmark has run less than pair_seconds; no signal floor applies.
//
// With an adapter that lists instances one by one (Google Benchmark), the other executable has
// its own adapter (it listed that executable: `adapter`), and where it registers only some of a
// benchmark's params (`params`), only those are paired: the others are measured here alone.
struct PairedRun {
  std::string exe;                      // the other executable, e.g. the merge base's build
  std::vector<std::string> benchmarks;  // the names it registers; others are measured alone
  bool share_count = false;             // both executables accept --inner-repeats
  bool setup_fd = false;                // the other executable accepts --setup-fd
  // What prepares the other executable's children and reads their results; null: the run's.
  const Adapter* adapter = nullptr;
  // Benchmark -> the params the other executable registers, where it lists them (a benchmark
  // not in the map is paired at every param).
  std::map<std::string, std::vector<std::uint64_t>> params = {};

  // Whether the batch of `name` at `which` (a param, or a fixed benchmark's repeat) is paired.
  bool pairs(const std::string& name, RowKind kind, std::uint64_t which) const;
};

// The call count a param's later pairs share, from the second child of its first pair: `count`
// calls lasting `batch_nanos`, in a child whose whole wall time was `wall_nanos` (start, setup,
// one warm-up call, the batch, exit). Raised so that the batch lasts at least half the rest (the
// per-child overhead: a pair costs 2 x (overhead + batch), and the noise barely shrinks with
// longer batches, so longer batches pay only where overhead dominates), but never beyond
// `max_batch_nanos`, nor below `count`.
std::uint64_t shared_pair_count(std::uint64_t count, std::uint64_t batch_nanos,
                                std::uint64_t wall_nanos, std::uint64_t max_batch_nanos);

struct RunSettings {
  // What kind of executable the children run (docs/design.md, "Adapters"); null: native. An
  // adapter without the native protocol gets no spawn floor, no complexity questions, no setup
  // phase, no Callgrind and no A/B pairs.
  const Adapter* adapter = nullptr;
  // Where children may write their result files (Adapter::prepare_child); each is removed after
  // its row is read. Needed by adapters that write one (Google Benchmark's JSON).
  std::string scratch_dir;
  std::optional<int> cpu;               // pin every child to this CPU
  Budget budget = Budget::unlimited();  // checked before each benchmark, rung and trial
  std::function<std::int64_t()> now;    // monotonic nanoseconds; default steady_clock
  bool auto_fit = false;
  std::uint64_t spawn_floor_samples = 3;       // --benchgate-probe spawns; 0: no floor
  std::optional<CallgrindSettings> callgrind;  // the instructions measure (no spawn floor then)
  std::optional<PairedRun> paired;             // A/B in one run: see PairedRun
  // The executable (and in A/B the other one too) accepts --setup-fd: setup gets its own cap.
  bool setup_phase = false;
  // Called before each benchmark that starts (its index in the list given) and after it: for
  // progress.
  std::function<void(std::size_t)> benchmark_started;
  std::function<void(const BenchmarkRun&)> benchmark_finished;
};

// Runs every benchmark in the order given (docs/cli.md, "What run does"):
// - first the spawn floor: the median wall time of a few `EXE --benchgate-probe` spawns;
// - parametric: resolve `automatic` (C(8), C(16), C(32), C(64) asked of the executable), walk
//   the doubling ladder or the custom list one trial per rung (a failed trial is retried up to
//   outer_trials times: a rung is ok if any trial is), stop at the first rung with no ok trial;
//   linear: sweep stride 1 above the last ok rung (bracket tightened by C and the cap) and mark
//   the probe rows part_of_verdict=false; then the remaining trials of the verdict rungs
//   round-robin; annotate rows below signal_floor_multiplier x the floor; derive the verdict;
// - fixed: an optional discarded warmup child, then `repeats` children; hash agreement and the
//   expected_hash check.
// The budget is checked before each benchmark (a skipped one is listed in `skipped`), each rung
// and each trial; a started child is never interrupted. Every row carries env, suite and
// trial_index.
RunOutput run_benchmarks(Executor& executor, const std::string& exe, const std::string& suite,
                         const std::vector<BenchmarkInfo>& benchmarks, const Env& env,
                         const BatchObserver& observe = {}, RunSettings settings = {});

// C(param) for each param, asked of `EXE --benchgate-complexity`; params it could not give are
// missing from the map (the caller decides what that means).
std::map<std::uint64_t, double> query_complexity(Executor& executor, const std::string& exe,
                                                 const std::string& name,
                                                 const std::vector<std::uint64_t>& params);

}  // namespace benchgate
