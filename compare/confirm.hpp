// Confirmation reruns: the keys whose time regressed are measured again by benchgate-runner,
// one runner invocation per (function, cache mode), and the report is decided again from the
// rerun's samples (apply_confirmation in compare.hpp).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "benchgate/core/run_request.hpp"
#include "benchgate/process/executor.hpp"
#include "reduce.hpp"

namespace benchgate {

// The runner's command line every rerun starts from: the run test's own runner arguments
// (RUNNER_ARGS, so the same trials and caps), read as the runner reads them, over `exe`.
// Throws UsageError naming --runner-arg when the runner would refuse them.
RunRequest rerun_template(const std::string& exe, const std::vector<std::string>& runner_args);

struct RerunPlan {
  RunRequest request;    // the rows go to request.out (and request.baseline_out)
  std::size_t keys = 0;  // how many keys it measures, for the progress line
};

// One plan per (function, cache mode) of `keys`: the template with --bench, --param-list (the
// keys' params), --cache-mode, --quiet and --out under `scratch`; with `baseline_exe`, the
// runner measures it too (--baseline-exe, --baseline-out), so the rerun carries its own
// baseline. Pure: nothing is run.
std::vector<RerunPlan> plan_reruns(const std::vector<Key>& keys, const RunRequest& base,
                                   const std::optional<std::string>& baseline_exe,
                                   const std::string& scratch);

// Where a rerun's scratch files go: next to CURRENT (a file), or inside it (a directory).
std::string scratch_prefix(const std::string& current);

struct Rerun {
  Reduction current;
  std::optional<Reduction> baseline;  // with --baseline-exe: its rows from the same rerun
};

// Runs the plans through `runner`, reads and removes their files. Throws UsageError when the
// runner cannot start or refuses its command line; an interrupt ends the running runner (see
// ProcessGuard) and propagates as Interrupted.
Rerun run_reruns(const std::vector<RerunPlan>& plans, const std::string& runner, Executor& executor,
                 std::ostream& err);

}  // namespace benchgate
