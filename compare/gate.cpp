// The gate's steps in order.
#include "gate.hpp"

#include <fstream>

#include "benchgate/core/cli.hpp"
#include "compare.hpp"
#include "confirm.hpp"
#include "html.hpp"
#include "load.hpp"
#include "render.hpp"

namespace benchgate {
namespace {

// Up to `confirm` more looks at the benchmarks whose time is undecided: each measures them
// again (with --baseline-exe, both builds, so the look adds pairs) and decides them from all
// their samples. A benchmark decided from A/B pairs gains nothing from a rerun of the current
// build alone, so without --baseline-exe it is not measured again.
void more_looks(const CompareRequest& r, Report& report, Executor& ex, std::ostream& err) {
  if (r.confirm == 0) return;
  const RunRequest base = rerun_template(*r.exe, r.runner_args);
  for (std::size_t round = 0; round < r.confirm; ++round) {
    std::vector<std::size_t> which;
    std::vector<Key> keys;
    for (std::size_t i : unsettled(report)) {
      const BenchmarkResult& b = report.benchmarks[i];
      if (b.time.paired && !r.baseline_exe) continue;
      which.push_back(i);
      keys.insert(keys.end(), b.keys.begin(), b.keys.end());
    }
    if (which.empty()) break;
    const auto plans = plan_reruns(keys, base, r.baseline_exe, scratch_prefix(r.current));
    const Rerun again = run_reruns(plans, *r.runner, ex, err);
    apply_look(report, which, again.baseline ? &*again.baseline : nullptr, again.current);
  }
}

void render(const Report& report, ReportFormat format, std::ostream& out) {
  switch (format) {
    case ReportFormat::json: render_json(report, out); break;
    case ReportFormat::markdown: render_markdown(report, out); break;
    case ReportFormat::text: render_text(report, out); break;
  }
}

// The file a flag names, open for writing, or a UsageError naming it.
std::ofstream open_output(const char* flag, const std::string& path) {
  std::ofstream file(path);
  if (!file)
    throw UsageError(std::string("--") + flag + " '" + path + "': cannot open for writing");
  return file;
}

}  // namespace

int run_gate(const CompareRequest& r, Executor& ex, std::ostream& out, std::ostream& err) {
  auto [base, cur] = load_sides(r.baseline, r.current, r.baseline_exe);
  // The HTML plots draw each side's medians on its own; taken before the comparison consumes them.
  PlotData plots;
  if (r.html) {
    plots.baseline = plot_side(base);
    plots.current = plot_side(cur);
  }
  Report report = compare(std::move(base), std::move(cur), r.options);
  more_looks(r, report, ex, err);

  std::ofstream file;
  if (r.output) file = open_output("output", *r.output);
  std::ofstream html;
  if (r.html) html = open_output("html", *r.html);
  render(report, r.format, r.output ? file : out);
  if (r.html) {
    render_html(report, plots, html);
    html.close();
    if (!html) throw UsageError("--html '" + *r.html + "': write failed");
  }
  return report.failing() > 0 ? 1 : 0;
}

}  // namespace benchgate
