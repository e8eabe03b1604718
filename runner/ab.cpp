// Resolving --baseline-exe.
#include "ab.hpp"

#include <algorithm>
#include <filesystem>

#include "benchgate/core/cli.hpp"
#include "listing.hpp"

namespace benchgate {

AbPlan plan_ab(Executor& ex, const std::string& exe, const std::string& baseline_exe,
               const std::string& baseline_out, const std::vector<BenchmarkInfo>& selected,
               bool instructions) {
  AbPlan plan;
  const std::string base = exe_path(baseline_exe);
  if (!executable_exists(base)) {
    std::error_code ec;
    std::filesystem::remove(baseline_out, ec);
    plan.notes.push_back("--baseline-exe '" + base + "' does not exist: measuring " + exe +
                         " alone; no rows written to " + baseline_out);
    return plan;
  }
  const ListDocument base_doc = load_list(ex, base);
  if (instructions && !base_doc.callgrind) {
    throw UsageError("--measure instructions: --baseline-exe " + base +
                     " was built without <valgrind/callgrind.h>; rebuild it with valgrind "
                     "installed");
  }
  PairedRun p{base, {}, base_doc.inner_repeats, base_doc.setup_fd};
  for (const auto& b : base_doc.benchmarks) p.benchmarks.push_back(b.name);
  for (const auto& b : selected) {
    if (std::find(p.benchmarks.begin(), p.benchmarks.end(), b.name) == p.benchmarks.end()) {
      plan.notes.push_back(b.name + ": not registered by --baseline-exe " + base +
                           "; measured in " + exe + " alone");
    }
  }
  plan.paired = std::move(p);
  plan.baseline_out = baseline_out;
  return plan;
}

}  // namespace benchgate
