// Orchestrating a run: select benchmarks, apply overrides, walk each ladder with one child per
// batch, and collect the rows. Process work goes through an Executor.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/row.hpp"
#include "spawn.hpp"

namespace benchgate {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// CLI overrides of the declared configuration; nullopt keeps the declared value.
struct Overrides {
  std::optional<double> max_seconds_per_call;  // both kinds
  std::optional<std::uint64_t> kill_grace_ms;  // both kinds
  std::optional<std::uint64_t> target_inner_nanos;
  std::optional<std::uint64_t> param_floor;
  std::optional<std::uint64_t> param_ceiling;
  std::optional<std::uint64_t> outer_trials;
  std::optional<CacheMode> cache_mode;
  std::optional<std::uint64_t> repeats;                  // fixed only
  std::optional<std::vector<std::uint64_t>> param_list;  // parametric: a custom schedule
};

// Benchmarks in declaration order: those named (every name must exist, else UsageError naming
// it and the valid names), else all whose name contains `filter`.
std::vector<BenchmarkInfo> select_benchmarks(const ListDocument& doc,
                                             const std::vector<std::string>& names,
                                             const std::string& filter);

// Applies overrides and re-validates; throws UsageError with every validation message.
void apply_overrides(BenchmarkInfo& info, const Overrides& overrides);

// The argv of one child batch per the wire protocol.
std::vector<std::string> child_argv(const std::string& exe, const BenchmarkInfo& info,
                                    std::uint64_t param_or_repeat, const std::string& env_json);

struct BenchmarkRun {
  BenchmarkInfo info;
  std::vector<Row> rows;  // measured rows in execution order (the fixed warmup is not kept)
  std::optional<std::string> problem;  // why the benchmark produced no usable data

  bool usable() const { return !problem.has_value(); }
};

struct RunOutput {
  std::string suite;
  std::vector<BenchmarkRun> runs;
};

// Called after each batch: (benchmark, row just measured, whether it was the discarded fixed
// warmup). For progress lines.
using BatchObserver = std::function<void(const BenchmarkInfo&, const Row&, bool warmup)>;

// Runs every benchmark: parametric ones up the doubling (or custom) ladder, one child per rung
// (all outer_trials of a rung when its first fails), stopping at the first rung where no trial
// is ok, then the remaining trials of the ok rungs round-robin; fixed ones with an optional
// discarded warmup child and then `repeats` children. Rows are in execution order; every row
// carries env, suite and trial_index.
// `cpu`, when set, pins every child to that CPU.
RunOutput run_benchmarks(Executor& executor, const std::string& exe, const std::string& suite,
                         const std::vector<BenchmarkInfo>& benchmarks, const Env& env,
                         const BatchObserver& observe = {}, std::optional<int> cpu = std::nullopt);

}  // namespace benchgate
