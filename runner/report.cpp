// Text rendering of run results.
#include "report.hpp"

#include <algorithm>
#include <sstream>
#include <tuple>

#include "benchgate/core/format.hpp"
#include "benchgate/core/stats.hpp"

namespace benchgate {
namespace {

std::string status_text(const Row& r) {
  switch (r.status) {
    case RowStatus::ok: return "ok";
    case RowStatus::timed_out: return "[timed out]";
    case RowStatus::killed_at_cap: return "[killed at cap]";
    case RowStatus::error: return "[error: " + r.error.value_or("") + "]";
  }
  return "";
}

}  // namespace

void render_text(const BenchmarkRun& run, std::ostream& out) {
  const auto& info = run.info;
  out << info.name;
  if (info.kind == RowKind::parametric) {
    out << "    expected complexity: " << info.complexity << "    ["
        << to_string(info.config.cache_mode) << " cache]";
  } else {
    out << "    [fixed] repeats=" << info.fixed_config.repeats;
  }
  out << "\n";
  const bool trials = info.kind == RowKind::parametric && info.config.outer_trials > 1;
  out << "  " << pad_left(info.kind == RowKind::parametric ? "param" : "repeat", 10) << "  "
      << pad_left("per-call", 12) << "  " << pad_right("repeats", 8) << "  "
      << pad_left("peak RSS", 12) << "  status\n";
  std::vector<double> ok_per_call;
  // Rows are in execution order (trials round-robin); show them by param, then trial.
  std::vector<const Row*> shown;
  for (const Row& r : run.rows) shown.push_back(&r);
  std::stable_sort(shown.begin(), shown.end(), [](const Row* a, const Row* b) {
    return std::make_tuple(a->param, a->repeat_index, a->trial_index) <
           std::make_tuple(b->param, b->repeat_index, b->trial_index);
  });
  for (const Row* row : shown) {
    const Row& r = *row;
    const std::uint64_t which =
        info.kind == RowKind::parametric ? r.param.value_or(0) : r.repeat_index.value_or(0);
    const bool ok = r.status == RowStatus::ok;
    if (ok) ok_per_call.push_back(per_call_nanos(r));
    out << "  " << pad_left(format_count(which), 10) << "  "
        << pad_left(ok ? format_duration(per_call_nanos(r)) : "—", 12) << "  "
        << pad_right(format_repeats(ok ? r.inner_repeats.value_or(1) : 0), 8) << "  "
        << pad_left(r.peak_rss_kb ? format_count(*r.peak_rss_kb) + " kB" : "n/a", 12) << "  "
        << status_text(r);
    if (trials)
      out << " [trial " << r.trial_index.value_or(0) + 1 << "/" << info.config.outer_trials << "]";
    out << "\n";
  }
  if (info.kind == RowKind::fixed) {
    if (ok_per_call.empty()) {
      out << "  median: — (no successful repeats)\n";
    } else {
      std::sort(ok_per_call.begin(), ok_per_call.end());
      out << "  median: " << format_duration(median(ok_per_call))
          << "    min: " << format_duration(ok_per_call.front())
          << "    max: " << format_duration(ok_per_call.back()) << "\n";
    }
  }
  if (run.problem) out << "  ‼ " << *run.problem << "\n";
}

std::string progress_line(const BenchmarkInfo& info, const Row& row) {
  std::ostringstream s;
  s << info.name;
  if (row.kind == RowKind::parametric)
    s << " param=" << row.param.value_or(0);
  else
    s << " repeat=" << row.repeat_index.value_or(0);
  if (row.status == RowStatus::ok)
    s << " ok " << format_duration(per_call_nanos(row)) << "/call";
  else
    s << " " << to_string(row.status);
  return s.str();
}

}  // namespace benchgate
