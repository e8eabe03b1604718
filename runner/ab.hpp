// A/B in one run (`benchgate-runner run --baseline-exe EXE2 --baseline-out FILE`): what the
// flags resolve to before anything is measured.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/list_doc.hpp"
#include "benchgate/process/executor.hpp"
#include "run.hpp"

namespace benchgate {

struct AbPlan {
  std::optional<PairedRun> paired;          // EXE2 and the benchmarks it registers
  std::optional<std::string> baseline_out;  // where its rows go; null when EXE2 does not exist
  std::vector<std::string> notes;           // for people, on stderr
};

// Lists EXE2 and notes the selected benchmarks it does not register (measured in EXE alone).
// When EXE2 does not exist (the merge base may not have this benchmark executable yet: it is
// new in the change), EXE is measured alone and `baseline_out` is removed, so that the compare
// test skips (77) instead of judging against stale rows. Throws UsageError when --measure
// instructions needs a Callgrind-capable EXE2 and it is not one.
AbPlan plan_ab(Executor& executor, const std::string& exe, const std::string& baseline_exe,
               const std::string& baseline_out, const std::vector<BenchmarkInfo>& selected,
               bool instructions);

}  // namespace benchgate
