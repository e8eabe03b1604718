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

// Up to `confirm` rounds of reruns of the time regressions that still stand.
void confirm_regressions(const CompareRequest& r, Report& report, const Reduction& regressed_base,
                         Executor& ex, std::ostream& err) {
  if (r.confirm == 0) return;
  const RunRequest base = rerun_template(*r.exe, r.runner_args);
  for (std::size_t round = 0; round < r.confirm; ++round) {
    const auto keys = time_regressions(report);
    if (keys.empty()) break;
    const auto plans = plan_reruns(keys, base, r.baseline_exe, scratch_prefix(r.current));
    const Rerun again = run_reruns(plans, *r.runner, ex, err);
    // A/B: the rerun's own baseline rows, measured alongside, not the first measurement's.
    apply_confirmation(report, again.baseline ? *again.baseline : regressed_base, again.current);
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
  // What confirmation needs of the baseline: the sides of the keys whose time regressed.
  Reduction regressed_base;
  Report report = compare(std::move(base), std::move(cur), r.options, &regressed_base);
  confirm_regressions(r, report, regressed_base, ex, err);

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
