// A/B in one run (`benchgate-runner run --baseline-exe EXE2 --baseline-out FILE`): what the
// flags resolve to before anything is measured.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapter.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/process/executor.hpp"
#include "run.hpp"

namespace benchgate {

struct AbPlan {
  std::optional<PairedRun> paired;          // EXE2 and the benchmarks it registers
  std::optional<std::string> baseline_out;  // where its rows go; null when EXE2 does not exist
  std::vector<std::string> notes;           // for people, on stderr
};

// Lists EXE2 with `base_adapter` (the run's kind of adapter, its own instance: it keeps what it
// listed, and prepares EXE2's children) and notes the selected benchmarks it does not register
// (measured in EXE alone). Where the adapter lists instances one by one (Google Benchmark: not
// the native protocol), a benchmark is paired at the params EXE2 lists (a note names the others,
// measured in EXE alone), and a benchmark that is fixed on one side and parametric on the other
// is not paired.
// When EXE2 does not exist (the merge base may not have this benchmark executable yet: it is
// new in the change), EXE is measured alone and `baseline_out` is removed, so that the compare
// test skips (77) instead of judging against stale rows. Throws UsageError when --measure
// instructions needs a Callgrind-capable EXE2 and it is not one.
AbPlan plan_ab(Executor& executor, Adapter& base_adapter, const std::string& exe,
               const std::string& baseline_exe, const std::string& baseline_out,
               const std::vector<BenchmarkInfo>& selected, bool instructions);

}  // namespace benchgate
