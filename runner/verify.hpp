// `benchgate-runner verify`: a smoke check of every selected benchmark, each in a child with the
// declared cap (params 0 and 1 of a parametric benchmark with a ~1 ms autotune target; one call of
// a fixed one). For CI jobs that should run every benchmark's code, e.g. under sanitizers, without
// paying for measurements.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "benchgate/core/list_doc.hpp"
#include "benchgate/process/executor.hpp"

namespace benchgate {

struct VerifyResult {
  std::string name;
  RowKind kind = RowKind::parametric;
  std::vector<std::string> failures;  // empty: passed
};

// Runs the checks; `env_json` is forwarded to every child; `setup_phase`: the executable
// accepts --setup-fd, so setup gets its own cap (set_child_caps).
std::vector<VerifyResult> verify_benchmarks(Executor& executor, const std::string& exe,
                                            const std::vector<BenchmarkInfo>& benchmarks,
                                            const std::string& env_json, bool setup_phase = false);

// "verifying N benchmark(s)...", one [ok ]/[FAIL] line per benchmark with its failures, and the
// summary line. Returns whether all passed.
bool render_verify(const std::vector<VerifyResult>& results, std::ostream& out);

}  // namespace benchgate
