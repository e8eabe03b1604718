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

// "3" or "2.5": per-call allocation figures are exact integers unless calls differ.
std::string format_per_call(double v) {
  if (v == static_cast<double>(static_cast<std::uint64_t>(v))) {
    return format_count(static_cast<std::uint64_t>(v));
  }
  std::ostringstream s;
  s.precision(1);
  s << std::fixed << v;
  return s.str();
}

template <class T>
std::string range(const std::vector<T>& values, const std::string& unit, std::string (*fmt)(T)) {
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::string text = fmt(*lo) + unit;
  if (*hi != *lo) text += ".." + fmt(*hi) + unit;
  return text;
}

std::string count_text(std::uint64_t v) {
  return format_count(v);
}

// The memory lines of reference §4, over ok rows: peak RSS of the batch, its growth over the
// resident set the batch started from, and allocations per call. "n/a" when nothing measured.
void render_memory(const std::vector<const Row*>& ok, const char* noun, std::ostream& out) {
  if (ok.empty()) return;
  std::vector<std::uint64_t> peak, growth;
  std::vector<double> bytes, calls;
  bool includes_setup = false;
  for (const Row* r : ok) {
    if (r->peak_rss_kb) {
      peak.push_back(*r->peak_rss_kb);
      includes_setup = includes_setup || r->peak_rss_includes_setup.value_or(true);
      if (r->rss_baseline_kb) {
        growth.push_back(
            *r->peak_rss_kb > *r->rss_baseline_kb ? *r->peak_rss_kb - *r->rss_baseline_kb : 0);
      }
    }
    if (r->alloc_bytes && r->alloc_count) {
      const double repeats =
          static_cast<double>(std::max<std::uint64_t>(1, r->inner_repeats.value_or(1)));
      bytes.push_back(static_cast<double>(*r->alloc_bytes) / repeats);
      calls.push_back(static_cast<double>(*r->alloc_count) / repeats);
    }
  }
  const std::string across = " (across " + std::to_string(ok.size()) + " ok " + noun + "(s))";
  if (peak.empty()) {
    out << "  peak RSS: n/a (not measured on this platform)\n";
  } else {
    out << "  peak RSS: " << range(peak, " kB", count_text);
    if (!growth.empty()) out << ", batch growth " << range(growth, " kB", count_text);
    out << across;
    if (includes_setup) out << " [includes setup: the high-water mark could not be reset]";
    out << "\n";
  }
  if (bytes.empty()) {
    out << "  alloc: n/a (allocations not counted in this build)\n";
  } else {
    out << "  alloc: " << range(bytes, " B", format_per_call) << " in "
        << range(calls, "", format_per_call) << " allocation(s) per call" << across << "\n";
  }
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
  std::vector<const Row*> ok_rows;
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
    if (ok) {
      ok_per_call.push_back(per_call_nanos(r));
      ok_rows.push_back(&r);
    }
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
  render_memory(ok_rows, info.kind == RowKind::parametric ? "row" : "repeat", out);
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
