// Resolving --baseline-exe.
#include "ab.hpp"

#include <algorithm>
#include <filesystem>

#include "benchgate/core/cli.hpp"
#include "listing.hpp"

namespace benchgate {

AbPlan plan_ab(Executor& ex, Adapter& base_adapter, const std::string& exe,
               const std::string& baseline_exe, const std::string& baseline_out,
               const std::vector<BenchmarkInfo>& selected, bool instructions) {
  AbPlan plan;
  const std::string base = exe_path(baseline_exe);
  if (!executable_exists(base)) {
    std::error_code ec;
    std::filesystem::remove(baseline_out, ec);
    plan.notes.push_back("--baseline-exe '" + base + "' does not exist: measuring " + exe +
                         " alone; no rows written to " + baseline_out);
    return plan;
  }
  const ListDocument base_doc = base_adapter.list(ex, base);
  if (instructions && !base_doc.callgrind) {
    throw UsageError("--measure instructions: --baseline-exe " + base +
                     " was built without <valgrind/callgrind.h>; rebuild it with valgrind "
                     "installed");
  }
  PairedRun p{base, {}, base_doc.inner_repeats, base_doc.setup_fd};
  p.adapter = &base_adapter;
  const bool by_instance = !base_adapter.native_protocol();
  for (const auto& b : selected) {
    const auto there = std::find_if(base_doc.benchmarks.begin(), base_doc.benchmarks.end(),
                                    [&](const BenchmarkInfo& t) { return t.name == b.name; });
    if (there == base_doc.benchmarks.end() || (by_instance && there->kind != b.kind)) {
      plan.notes.push_back(
          b.name + ": not registered by --baseline-exe " + base +
          (there == base_doc.benchmarks.end() ? "" : std::string(" as ") + to_string(b.kind)) +
          "; measured in " + exe + " alone");
      continue;
    }
    p.benchmarks.push_back(b.name);
    if (!by_instance || b.kind != RowKind::parametric) continue;
    const std::vector<std::uint64_t>& listed = there->config.param_schedule.custom_params;
    p.params[b.name] = listed;
    for (const std::uint64_t param : b.config.param_schedule.custom_params) {
      if (std::find(listed.begin(), listed.end(), param) == listed.end()) {
        plan.notes.push_back(b.name + " at param " + std::to_string(param) +
                             ": not registered by --baseline-exe " + base + "; measured in " + exe +
                             " alone");
      }
    }
  }
  plan.paired = std::move(p);
  plan.baseline_out = baseline_out;
  return plan;
}

}  // namespace benchgate
