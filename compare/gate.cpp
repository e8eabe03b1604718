// The gate's steps in order.
#include "gate.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include "benchgate/core/cli.hpp"
#include "compare.hpp"
#include "confirm.hpp"
#include "gbench.hpp"
#include "html.hpp"
#include "junit.hpp"
#include "load.hpp"
#include "outcome.hpp"
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

// A word as a POSIX shell reads it back: bare when it holds only safe characters, else in
// single quotes (a quote inside as '\\'').
std::string shell_word(const std::string& w) {
  const bool safe = !w.empty() && w.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789_-./=,:+@%") == std::string::npos;
  if (safe) return w;
  std::string q = "'";
  for (char c : w) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Per benchmark with a failing key: the runner command that measures its failing keys again,
// as the confirmation rerun does but printing its report (rows next to CURRENT, *.repro.jsonl).
void fill_reproduce(Report& report, const CompareRequest& r) {
  std::map<std::string, std::vector<Key>> failing;
  for (const KeyResult& k : report.results) {
    if (!k.failing || k.status == KeyStatus::missing) continue;
    Key id = k.key;
    id.param.reset();
    failing[describe(id)].push_back(k.key);
  }
  if (failing.empty()) return;
  const RunRequest base = rerun_template(*r.exe, r.runner_args);
  const std::string scratch = scratch_prefix(r.current);
  for (const auto& [benchmark, keys] : failing) {
    auto plans = plan_reruns(keys, base, r.baseline_exe, scratch);
    if (plans.size() != 1) continue;  // one (function, cache mode) by construction
    RunRequest& req = plans.front().request;
    req.quiet = false;
    std::string stem = r.current;
    if (stem.size() > 6 && stem.compare(stem.size() - 6, 6, ".jsonl") == 0)
      stem.resize(stem.size() - 6);
    stem += ".repro";
    req.out = stem + ".jsonl";
    if (req.baseline_out) req.baseline_out = stem + ".base.jsonl";
    std::string line;
    for (const auto& word : to_argv(*r.runner, req))
      line += (line.empty() ? "" : " ") + shell_word(word);
    report.reproduce[benchmark] = line;
  }
}

// --results PREFIX: the four files, each whole or not at all (written under a temporary name,
// then renamed), so that --collect never reads half a result.
void write_results(const std::string& prefix, const Report& report, const PlotData* plots) {
  const std::string name = results_name(prefix);
  auto write = [&](const char* ext, auto&& render) {
    const std::string path = prefix + ext, tmp = path + ".tmp";
    {
      std::ofstream f(tmp);
      if (!f) throw UsageError("--results '" + prefix + "': cannot write " + path);
      render(f);
      f.close();
      if (!f) throw UsageError("--results '" + prefix + "': write failed: " + path);
    }
    std::filesystem::rename(tmp, path);
  };
  write(".json", [&](std::ostream& o) { render_json(report, o); });
  write(".md", [&](std::ostream& o) {
    o << "<!-- benchgate: " << name << " -->\n";
    render_markdown(report, o);
  });
  write(".junit.xml",
        [&](std::ostream& o) { render_junit(report, "bench." + name + ".compare", o); });
  if (plots) write(".html", [&](std::ostream& o) { render_html(report, *plots, o); });
}

// The file a flag names, open for writing, or a UsageError naming it.
std::ofstream open_output(const char* flag, const std::string& path) {
  std::ofstream file(path);
  if (!file)
    throw UsageError(std::string("--") + flag + " '" + path + "': cannot open for writing");
  return file;
}

}  // namespace

std::string results_name(const std::string& prefix) {
  std::string name = std::filesystem::path(prefix).filename().string();
  const std::string suffix = ".gate";
  if (name.size() > suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    name.resize(name.size() - suffix.size());
  return name;
}

void remove_results(const std::string& prefix) {
  std::error_code ec;
  for (const char* ext : {".json", ".md", ".junit.xml", ".html"}) {
    std::filesystem::remove(prefix + ext, ec);
  }
}

void write_ended_early(const std::string& prefix, const CompareRequest& r,
                       GateOutcome::Result result, const std::string& why) {
  Report report;
  report.options = r.options;
  report.ended_early = ended_early(result, why);
  write_results(prefix, report, nullptr);
}

int run_gate(const CompareRequest& r, Executor& ex, std::ostream& out, std::ostream& err) {
  // A result of an earlier run must not be collected as this one's, whatever happens next.
  if (r.results) remove_results(*r.results);
  auto [base, cur] = load_sides(r.baseline, r.current, r.baseline_exe);
  // The HTML plots draw each side's medians on its own; taken before the comparison consumes them.
  PlotData plots;
  if (r.html || r.results) {
    plots.baseline = plot_side(base);
    plots.current = plot_side(cur);
  }
  Report report = compare(std::move(base), std::move(cur), r.options);
  // A Google Benchmark side has no benchgate rows to measure again: no rerun, no reproduce command.
  const bool gbench_base = is_gbench_file(r.baseline), gbench_cur = is_gbench_file(r.current);
  note_gbench_sides(report, gbench_base, gbench_cur);
  if (gbench_base || gbench_cur) {
    if (r.confirm > 0) {
      err << "benchgate-compare: no confirmation rerun: " << (gbench_base ? r.baseline : r.current)
          << " is Google Benchmark JSON, and a rerun measures benchgate rows; an undecided time "
             "stays inconclusive\n";
    }
  } else {
    more_looks(r, report, ex, err);
  }
  report.accept = r.accept;
  if (r.runner && r.exe && !gbench_base && !gbench_cur) fill_reproduce(report, r);
  if (r.results) write_results(*r.results, report, &plots);

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
  return gate_outcome(report).exit_code();
}

}  // namespace benchgate
