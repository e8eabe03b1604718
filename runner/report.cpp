// Text rendering of run results.
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "benchgate/core/format.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/core/stats.hpp"
#include "benchgate/core/verdict.hpp"

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

// The memory lines of a report, over ok rows: peak RSS of the batch, its growth over the
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

// The counters of ok rows (issue 20: benchgate::counter's, per call; an adapter's as reported):
// each name's median across the rows.
void render_counters(const std::vector<const Row*>& ok, std::ostream& out) {
  std::map<std::string, std::vector<double>> values;
  for (const Row* r : ok) {
    if (!r->counters) continue;
    for (const auto& c : *r->counters) values[c.first].push_back(c.second);
  }
  if (values.empty()) return;
  out << "  counters (median):";
  const char* sep = " ";
  for (const auto& entry : values) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", median(entry.second));
    out << sep << entry.first << " " << text;
    sep = ", ";
  }
  out << "\n";
}

// A thread benchmark's line (issue 20): k, and the median CPU time over wall time of its ok
// rows, which says whether the threads ran in parallel (near k) or took turns (near 1).
void render_threads(const std::vector<const Row*>& ok, std::ostream& out) {
  std::vector<double> ratios;
  std::uint64_t k = 0;
  for (const Row* r : ok) {
    if (!r->threads) continue;
    k = *r->threads;
    if (r->cpu_nanos && r->total_nanos > 0) {
      ratios.push_back(static_cast<double>(*r->cpu_nanos) / static_cast<double>(r->total_nanos));
    }
  }
  if (k == 0) return;
  out << "  threads: " << k;
  if (!ratios.empty()) {
    const auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
    const double med = median(ratios);
    char text[96];
    std::snprintf(text, sizeof text, "; CPU time / wall time: median %.2f (%.2f..%.2f)", med, *lo,
                  *hi);
    out << text;
    if (k > 1 && med < 0.75 * static_cast<double>(k)) {
      out << " [the threads did not all run at once: fewer free cores than threads]";
    }
  }
  out << "\n";
}

}  // namespace

namespace {

std::string schedule_text(const BenchmarkRun& run) {
  std::string text = to_string(run.schedule);
  if (run.schedule_was_auto) text += " (auto)";
  return text;
}

// The trials a param was planned: outer_trials, or more where A/B pairs went on for
// pair_seconds.
std::uint64_t trials_per_param(const BenchmarkRun& run) {
  std::uint64_t most = run.info.config.outer_trials;
  for (const Row& r : run.rows) most = std::max(most, r.trial_index.value_or(0) + 1);
  return most;
}

// Markers after the status: [probe], [<floor], [trial k/N], † for warmup-dropped params.
std::string markers(const BenchmarkRun& run, const Row& r, const std::set<std::uint64_t>& dropped) {
  std::string m;
  const bool ok = r.status == RowStatus::ok;
  if (ok && r.part_of_verdict == false) m += " [probe]";
  if (ok && r.below_signal_floor == true) m += " [<floor]";
  if (run.info.kind == RowKind::parametric && trials_per_param(run) > 1) {
    m += " [trial " + std::to_string(r.trial_index.value_or(0) + 1) + "/" +
         std::to_string(trials_per_param(run)) + "]";
  }
  if (r.param && dropped.count(*r.param)) m += " †";
  return m;
}

bool google_benchmark(const BenchmarkRun& run) {
  return run.adapter == AdapterKind::google_benchmark;
}

void render_fixed_summary(const BenchmarkRun& run, const std::vector<double>& ok_per_call,
                          std::ostream& out) {
  if (ok_per_call.empty()) {
    out << "  median: — (no successful repeats)\n";
  } else {
    std::vector<double> sorted = ok_per_call;
    std::sort(sorted.begin(), sorted.end());
    const double med = median(sorted);
    out << "  median: " << format_duration(med) << "    min: " << format_duration(sorted.front())
        << "    max: " << format_duration(sorted.back()) << "\n";
    if (med < 1000) {
      out << "  ‼ median per-call time below 1 µs — possibly a constant the compiler folded; make "
          << (google_benchmark(run)
                  ? "the input and the result opaque (benchmark::DoNotOptimize)\n"
                  : "the input opaque (benchgate::do_not_optimize) or check the result hash\n");
    }
  }
  if (run.hashes_agree) {
    out << (*run.hashes_agree
                ? "  hash: all repeats agree\n"
                : "  hash: DIVERGED across repeats — likely a non-deterministic benchmark\n");
  }
  if (run.observed_hash) out << "  observed hash: " << format_hash(*run.observed_hash) << "\n";
  if (run.info.fixed_config.expected_hash) {
    if (run.expected_hash_failure) {
      out << "  expected hash: FAIL — " << *run.expected_hash_failure << "\n";
    } else if (run.observed_hash) {
      out << "  expected hash: matches\n";
    }
  }
}

}  // namespace

void render_text(const BenchmarkRun& run, std::ostream& out) {
  const auto& info = run.info;
  const bool parametric = info.kind == RowKind::parametric;
  out << info.name;
  if (parametric && google_benchmark(run)) {
    // Its instances' arguments as params: no cache mode, no complexity, no schedule to choose.
    out << "    [Google Benchmark instances]";
  } else if (parametric) {
    out << "    expected complexity: "
        << (info.complexity.empty() ? "(none declared)" : info.complexity) << "    ["
        << to_string(info.config.cache_mode) << " cache]    [schedule: " << schedule_text(run)
        << "]";
  } else {
    out << "    [fixed] repeats=" << info.fixed_config.repeats;
  }
  if (run.budget_truncated) out << "    [budget truncated]";
  out << "\n";
  // C per param from the verdict's ratios (medians), and the warmup-dropped params.
  std::map<std::uint64_t, double> c_of;
  std::set<std::uint64_t> dropped;
  if (run.verdict) {
    for (std::size_t i = 0; i < run.verdict->ratios.size(); ++i) {
      c_of[run.verdict->ratios[i].param] = run.verdict->ratios[i].c;
      if (i < run.verdict->dropped) dropped.insert(run.verdict->ratios[i].param);
    }
  }
  out << "  " << pad_left(parametric ? "param" : "repeat", 10) << "  " << pad_left("per-call", 12)
      << "  " << pad_right("repeats", 8) << "  ";
  // C (per-call cost over the declared complexity) needs a complexity: none for Google Benchmark.
  const bool show_c = parametric && !google_benchmark(run);
  if (show_c) out << pad_right("C", 11) << "  ";
  // Instructions per call: counted by Callgrind (--measure instructions) or the CPU's counter.
  const bool counted = std::any_of(run.rows.begin(), run.rows.end(),
                                   [](const Row& r) { return r.instructions.has_value(); });
  if (counted) out << pad_left("instr/call", 14) << "  ";
  // Declared throughput (issue 20): bytes and/or items per call over the row's time.
  const bool with_bytes = std::any_of(run.rows.begin(), run.rows.end(),
                                      [](const Row& r) { return r.bytes_per_call.has_value(); });
  const bool with_items = std::any_of(run.rows.begin(), run.rows.end(),
                                      [](const Row& r) { return r.items_per_call.has_value(); });
  if (with_bytes) out << pad_left("bytes/s", 11) << "  ";
  if (with_items) out << pad_left("items/s", 15) << "  ";
  out << pad_left("peak RSS", 12) << "  status\n";
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
    const std::uint64_t which = parametric ? r.param.value_or(0) : r.repeat_index.value_or(0);
    const bool ok = r.status == RowStatus::ok;
    if (ok) {
      ok_per_call.push_back(per_call_nanos(r));
      ok_rows.push_back(&r);
    }
    out << "  " << pad_left(format_count(which), 10) << "  "
        << pad_left(ok ? format_duration(per_call_nanos(r)) : "—", 12) << "  "
        << pad_right(format_repeats(ok ? r.inner_repeats.value_or(1) : 0), 8) << "  ";
    if (show_c) {
      const auto c = r.param ? c_of.find(*r.param) : c_of.end();
      out << pad_right(c != c_of.end() ? "C=" + format_ratio(c->second) : "—", 11) << "  ";
    }
    if (counted) {
      const auto ipc = ok ? instructions_per_call(r) : std::nullopt;
      out << pad_left(ipc ? format_count(static_cast<std::uint64_t>(std::llround(*ipc))) : "n/a",
                      14)
          << "  ";
    }
    if (with_bytes) {
      out << pad_left(ok && r.bytes_per_call
                          ? format_bytes_rate(*r.bytes_per_call, per_call_nanos(r))
                          : "n/a",
                      11)
          << "  ";
    }
    if (with_items) {
      out << pad_left(ok && r.items_per_call
                          ? format_items_rate(*r.items_per_call, per_call_nanos(r))
                          : "n/a",
                      15)
          << "  ";
    }
    out << pad_left(r.peak_rss_kb ? format_count(*r.peak_rss_kb) + " kB" : "n/a", 12) << "  "
        << status_text(r) << markers(run, r, dropped) << "\n";
  }
  if (parametric) {
    if (run.verdict) {
      out << "  " << verdict_line(*run.verdict, info.config) << "\n";
    } else if (info.complexity.empty() && !google_benchmark(run)) {
      out << "  verdict: none (no complexity declared; to check how the time grows with n, add "
             "e.g. .complexity(\"n\", [](double n) { return n; }) to the registration)\n";
    }
    if (!google_benchmark(run)) {  // no harness inside to measure its own spawn
      out << "  per-spawn floor (harness self-measurement): "
          << (run.spawn_floor_nanos ? format_duration(static_cast<double>(*run.spawn_floor_nanos))
                                    : std::string("not measured"));
      if (run.child_target_nanos != 0 && run.child_target_nanos != info.config.target_inner_nanos) {
        out << "; children's inner target "
            << format_duration(static_cast<double>(run.child_target_nanos)) << " (declared "
            << format_duration(static_cast<double>(info.config.target_inner_nanos))
            << ", clamped to stay inside the cap)";
      }
      out << "\n";
    }
  } else {
    render_fixed_summary(run, ok_per_call, out);
  }
  render_memory(ok_rows, parametric ? "row" : "repeat", out);
  render_counters(ok_rows, out);
  render_threads(ok_rows, out);
  if (parametric) {
    const bool callgrind = std::any_of(run.rows.begin(), run.rows.end(), [](const Row& r) {
      return r.measured_under == MeasuredUnder::callgrind;
    });
    BenchmarkConfig summary_config = info.config;
    summary_config.outer_trials = trials_per_param(run);
    for (const auto& line : trial_summary_lines(run.summaries, summary_config, callgrind)) {
      out << line << "\n";
    }
    for (const auto& a : run.advisories) out << "  ‼ " << a.text << "\n";
    if (run.auto_fit) {
      for (const auto& line : auto_fit_lines(*run.auto_fit)) out << line << "\n";
    }
  }
  for (const auto& note : run.notes) out << "  note: " << note << "\n";
  if (run.problem) out << "  ‼ " << *run.problem << "\n";
}

namespace {

void measurement(std::ostream& out, const std::string& name, double value) {
  std::ostringstream v;
  v.precision(17);
  v << value;
  out << "<CTestMeasurement type=\"numeric/double\" name=\"" << escape_markup(name) << "\">"
      << v.str() << "</CTestMeasurement>\n";
}

}  // namespace

void render_ctest_measurements(const BenchmarkRun& run, std::ostream& out) {
  std::vector<const Row*> rows;
  if (run.info.kind == RowKind::parametric) {
    std::optional<std::uint64_t> top;
    for (const Row& r : run.rows) {
      if (verdict_eligible(r) && r.param && (!top || *r.param > *top)) top = r.param;
    }
    if (!top) return;
    for (const Row& r : run.rows) {
      if (verdict_eligible(r) && r.param == top) rows.push_back(&r);
    }
    measurement(out, run.info.name + " n", static_cast<double>(*top));
  } else {
    for (const Row& r : run.rows) {
      if (r.status == RowStatus::ok) rows.push_back(&r);
    }
    if (rows.empty()) return;
  }
  std::vector<double> per_call, rss, instructions;
  for (const Row* r : rows) {
    per_call.push_back(per_call_nanos(*r));
    if (r->peak_rss_kb) rss.push_back(static_cast<double>(*r->peak_rss_kb));
    if (auto ipc = instructions_per_call(*r)) instructions.push_back(*ipc);
  }
  measurement(out, run.info.name + " per-call ns", median(per_call));
  if (!rss.empty()) measurement(out, run.info.name + " peak RSS KiB", median(rss));
  if (!instructions.empty()) {
    measurement(out, run.info.name + " instructions per call", median(instructions));
  }
}

void render_paired(const BenchmarkRun& run, std::ostream& out) {
  if (run.paired_rows.empty()) {
    out << "  A/B: not registered by --baseline-exe; measured alone\n";
    return;
  }
  const auto ok = std::count_if(run.paired_rows.begin(), run.paired_rows.end(),
                                [](const Row& r) { return r.status == RowStatus::ok; });
  out << "  A/B with --baseline-exe: " << run.paired_rows.size() << " paired batches, " << ok
      << " ok";
  // The rows to summarise on each side: the largest param both measured with eligible rows.
  auto eligible = [&](const Row& r) {
    return run.info.kind == RowKind::parametric ? verdict_eligible(r) : r.status == RowStatus::ok;
  };
  std::optional<std::uint64_t> top;
  if (run.info.kind == RowKind::parametric) {
    for (const Row& r : run.rows) {
      if (!eligible(r) || !r.param || (top && *r.param <= *top)) continue;
      const bool there =
          std::any_of(run.paired_rows.begin(), run.paired_rows.end(),
                      [&](const Row& p) { return eligible(p) && p.param == r.param; });
      if (there) top = r.param;
    }
  }
  auto per_call = [&](const std::vector<Row>& rows) {
    std::vector<double> v;
    for (const Row& r : rows) {
      if (eligible(r) && (!top || r.param == top)) v.push_back(per_call_nanos(r));
    }
    return v;
  };
  const auto there = per_call(run.paired_rows);
  const auto here = per_call(run.rows);
  if (!there.empty() && !here.empty() && (top || run.info.kind == RowKind::fixed)) {
    const double a = median(there);
    const double b = median(here);
    out << "; median per call";
    if (top) out << " at n=" << *top;
    out << ": " << format_duration(a) << " there, " << format_duration(b) << " here";
    if (a > 0) {
      std::ostringstream change;
      change << std::showpos << std::fixed << std::setprecision(1) << 100 * (b - a) / a << "%";
      out << " (" << change.str() << ")";
    }
  }
  out << "\n";
}

std::string progress_line(const BenchmarkInfo& info, const Row& row) {
  std::ostringstream s;
  s << info.name;
  if (row.kind == RowKind::parametric) {
    s << " param=" << row.param.value_or(0);
    if (info.config.outer_trials > 1) {
      s << " trial " << row.trial_index.value_or(0) + 1 << "/" << info.config.outer_trials;
    }
  } else
    s << " repeat=" << row.repeat_index.value_or(0);
  if (row.status == RowStatus::ok)
    s << " ok " << format_duration(per_call_nanos(row)) << "/call";
  else
    s << " " << to_string(row.status);
  return s.str();
}

}  // namespace benchgate
