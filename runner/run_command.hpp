// `benchgate-runner run`, `list` and `verify` as functions over an Executor: what main
// dispatches to once it has parsed the command line.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "benchgate/core/run_request.hpp"
#include "benchgate/process/posix.hpp"

namespace benchgate {

// Where --cpu pins the children, given the CPUs this runner may use: none, the last allowed
// one (auto), or the CPU asked for if allowed. Throws UsageError listing the allowed CPUs.
// Pinning is off by default: on this project's 2-vCPU CI machine it did not steady the
// measurements (the machine's slow phases hit every CPU at once), and a pinned child cannot
// escape to the idle CPU when something else runs on its own, so it gets preempted.
std::optional<int> resolve_cpu(const CpuPin& pin, const std::vector<int>& allowed);

// Measures, reports on `out` (per-benchmark blocks, CTest measurements), writes the rows files,
// and returns the exit code: 0, 1 when a benchmark produced no usable data, or 128 + the signal
// when an interrupt came while the files were written. `terminal`: whether stderr is a terminal
// (main: isatty(2)), which decides the progress display and its colours (progress.hpp).
int run_command(const RunRequest& request, Executor& executor, const ProcessGuard& guard,
                std::ostream& out, std::ostream& err, bool terminal);

// `benchgate-runner list EXE`: the benchmarks and their declared complexity or repeats.
int list_command(const std::string& exe, Executor& executor, std::ostream& out);

struct VerifyRequest {
  std::string exe;
  std::vector<std::string> benches;
  std::string filter;
  std::vector<std::string> tags;
};

// `benchgate-runner verify`: every selected benchmark once in a child; 0 when all pass, else 1.
int verify_command(const VerifyRequest& request, Executor& executor, std::ostream& out);

}  // namespace benchgate
