// benchgate-compare: the merge gate. Compares current rows with a committed baseline.
// Thin main: parse -> load -> compare (pure) -> confirm (reruns through benchgate-runner)
// -> render. Exit codes: 0 nothing failing, 1 a key fails the gate, 2 usage or input error,
// 77 no baseline yet (CTest SKIP_RETURN_CODE).
#include <algorithm>
#include <cxxopts.hpp>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/process/posix.hpp"
#include "compare.hpp"
#include "html.hpp"
#include "render.hpp"
#include "threshold.hpp"

namespace benchgate {

// The values of a repeatable flag, each kept whole. cxxopts splits the value of a std::vector
// option at every comma, so `--runner-arg=1024,4096` (the value of RUNNER_ARGS'
// `--param-list 1024,4096`) reached the rerun as two arguments; this type's own parse_value,
// found by argument-dependent lookup, appends the value as it came.
struct VerbatimArgs {
  std::vector<std::string> items;
};
inline void parse_value(const std::string& text, VerbatimArgs& args) {
  args.items.push_back(text);
}

}  // namespace benchgate

namespace {

using namespace benchgate;
namespace fs = std::filesystem;

constexpr const char* kProg = "benchgate-compare";
constexpr int kNoBaseline = 77;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct NoBaseline : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double threshold_flag(const cxxopts::ParseResult& p, const char* flag, double fallback) {
  if (!p.count(flag)) return fallback;
  const auto text = p[flag].as<std::string>();
  auto v = parse_threshold(text);
  if (!v) {
    throw UsageError(std::string("--") + flag + " '" + text +
                     "': must be a percentage like 5% or a fraction like 0.05, from 0 to 1000%");
  }
  return *v;
}

double number_flag(const cxxopts::ParseResult& p, const char* flag, double fallback,
                   const char* unit) {
  if (!p.count(flag)) return fallback;
  const auto text = p[flag].as<std::string>();
  auto v = parse_non_negative(text);
  if (!v)
    throw UsageError(std::string("--") + flag + " '" + text + "': must be a number >= 0 (" + unit +
                     ")");
  return *v;
}

// Writes CURRENT's rows over BASELINE (file to file, or directory to directory matched by
// file name) in a stable order, so a reviewer's diff shows changed numbers, not reshuffles.
int write_baseline(const std::string& baseline, const std::string& current) {
  auto order = [](const Row& r) {
    return std::make_tuple(r.suite.value_or(""), r.kind, r.function, r.cache_mode, r.param,
                           r.repeat_index, r.trial_index);
  };
  if (!fs::exists(current)) {
    throw UsageError("no current rows at '" + current +
                     "': run the benchmarks first (ctest -L bench)");
  }
  const bool dir = fs::is_directory(current);
  if (dir) fs::create_directories(baseline);
  std::size_t files = 0, rows_written = 0;
  for (const auto& file : jsonl_files(current)) {
    std::vector<Row> rows = read_rows(file);
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row& a, const Row& b) { return order(a) < order(b); });
    std::string text;
    for (const auto& r : rows) text += write_row(r) + "\n";
    const fs::path target =
        dir ? fs::path(baseline) / fs::path(file).filename() : fs::path(baseline);
    if (target.has_parent_path()) fs::create_directories(target.parent_path());
    write_file_atomically(target.string(), text);
    ++files;
    rows_written += rows.size();
    std::cout << kProg << ": wrote " << rows.size() << " row(s) to " << target.string() << "\n";
  }
  if (files == 0) throw UsageError("'" + current + "' holds no .jsonl file to copy");
  return 0;
}

std::string create_baseline_hint(const std::string& baseline, const std::string& current) {
  return std::string(
             "Create it from the current rows with "
             "`cmake --build <build dir> --target benchgate-update-baselines` or `") +
         kProg + " --write-baseline " + baseline + " " + current + "`, then commit it";
}

// Reduces the baseline and the current rows at the same time, on two threads: they are independent,
// and reading is most of the work. The errors are those of reading them one after the other:
// the baseline's first, and no baseline rows (exit 77) before anything about the current rows.
std::pair<CompactReduction, CompactReduction> reduce_both(const std::string& baseline,
                                                          const std::string& current) {
  CompactReduction base, cur;
  std::exception_ptr base_error, cur_error;
  std::thread reader([&] {
    try {
      cur = reduce_path(current);
    } catch (...) {
      cur_error = std::current_exception();
    }
  });
  try {
    base = reduce_path(baseline);
  } catch (...) {
    base_error = std::current_exception();
  }
  reader.join();
  if (base_error) std::rethrow_exception(base_error);
  // An empty baseline file is a baseline not written yet, as a missing one is: both only skip.
  if (base.empty()) {
    throw NoBaseline("the baseline '" + baseline + "' holds no rows yet. " +
                     create_baseline_hint(baseline, current));
  }
  if (cur_error) std::rethrow_exception(cur_error);
  if (cur.empty()) {
    throw InputError("'" + current +
                     "' holds no rows: the run produced nothing to compare. "
                     "Run the benchmarks first (ctest -L bench)");
  }
  return {std::move(base), std::move(cur)};
}

struct Rerun {
  Reduction current;
  std::optional<Reduction> baseline;  // with --baseline-exe: its rows from the same rerun
};

// Measures the keys again in fresh children: one runner invocation per (function, cache mode).
// With `baseline_exe`, each invocation measures it too, batch for batch (runner --baseline-exe).
Rerun rerun(const std::vector<Key>& keys, const std::string& runner, const std::string& exe,
            const std::optional<std::string>& baseline_exe,
            const std::vector<std::string>& runner_args, const std::string& scratch, Executor& ex) {
  std::map<std::pair<std::string, std::optional<CacheMode>>, std::set<std::uint64_t>> groups;
  for (const auto& k : keys) {
    auto& params = groups[{k.function, k.cache_mode}];
    if (k.param) params.insert(*k.param);
  }
  CompactReduction current, base;
  std::size_t i = 0;
  for (const auto& [what, params] : groups) {
    const std::string file = scratch + "." + std::to_string(i) + ".jsonl";
    const std::string base_file = scratch + "." + std::to_string(i++) + ".base.jsonl";
    SpawnRequest req;
    req.argv = {runner, "run", exe, "--bench", what.first, "--out", file, "--quiet"};
    if (baseline_exe) {
      req.argv.insert(req.argv.end(),
                      {"--baseline-exe", *baseline_exe, "--baseline-out", base_file});
    }
    req.argv.insert(req.argv.end(), runner_args.begin(), runner_args.end());
    if (!params.empty()) {
      std::string list;
      for (auto p : params) list += (list.empty() ? "" : ",") + std::to_string(p);
      req.argv.insert(req.argv.end(), {"--param-list", list});
    }
    if (what.second) req.argv.insert(req.argv.end(), {"--cache-mode", to_string(*what.second)});
    req.term_after = std::chrono::hours(1);
    req.kill_after = std::chrono::hours(1) + std::chrono::seconds(5);
    // On Ctrl-C the runner gets SIGTERM and stops its own running benchmark first (within its
    // own interrupt grace); what outlives it is re-parented here and killed (ProcessGuard).
    req.interrupt_grace = std::chrono::seconds(3);
    std::cerr << kProg << ": confirming " << what.first << " ("
              << std::max<std::size_t>(1, params.size()) << " key(s)) with a rerun\n";
    const SpawnResult r = ex.run(req);
    if (!r.started)
      throw UsageError("cannot start the runner for the confirmation rerun: " + r.start_error);
    if (r.exited && r.exit_code == 2) {
      throw UsageError("the confirmation rerun failed with a usage error:\n" + r.stderr_tail);
    }
    if (fs::exists(file)) {
      for_each_row(file, [&](Row&& row) { current.add(row); });
      fs::remove(file);
    }
    if (baseline_exe && fs::exists(base_file)) {
      for_each_row(base_file, [&](Row&& row) { base.add(row); });
      fs::remove(base_file);
    }
  }
  Rerun out;
  out.current = current.expand();
  if (baseline_exe) out.baseline = base.expand();
  return out;
}

int run(int argc, char** argv, const ProcessGuard& guard) {
  cxxopts::Options options(
      kProg, "Compare current benchmark rows with a baseline; exit 1 on a regression.");
  options.add_options()("baseline", "baseline .jsonl file or directory",
                        cxxopts::value<std::string>())(
      "current", "current .jsonl file or directory", cxxopts::value<std::string>())(
      "time-threshold",
      "relative growth of median per-call time that regresses (default 10%; 5% with "
      "--baseline-exe)",
      cxxopts::value<std::string>())(
      "rss-threshold", "relative growth of median peak RSS that regresses (default 5%)",
      cxxopts::value<std::string>())(
      "alloc-threshold",
      "relative growth of allocated bytes per call that regresses (default: not gated)",
      cxxopts::value<std::string>())(
      "instructions-threshold",
      "relative growth of instructions per call that regresses, where both sides counted "
      "them (default 1%)",
      cxxopts::value<std::string>())(
      "min-time-delta", "time changes smaller than this many ns never regress (default 0)",
      cxxopts::value<std::string>())(
      "min-rss-delta", "RSS changes smaller than this many KiB never regress (default 0)",
      cxxopts::value<std::string>())(
      "min-alloc-delta",
      "allocation changes smaller than this many bytes per call never regress (default 0)",
      cxxopts::value<std::string>())(
      "alpha", "level of the one-sided Mann-Whitney U test on time (default 0.01)",
      cxxopts::value<std::string>())(
      "ignore-env", "compare times even when cpu_model, compiler or build_type differ")(
      "fail-on-missing", "a key in the baseline only fails the gate")(
      "fail-on-hash-change", "a changed result_hash fails the gate")(
      "format", "text, markdown or json (default text)",
      cxxopts::value<std::string>()->default_value("text"))(
      "output", "write the report to FILE instead of stdout", cxxopts::value<std::string>())(
      "html", "also write a self-contained HTML report with SVG plots to FILE",
      cxxopts::value<std::string>())(
      "confirm",
      "rerun time regressions N times; fail only if every rerun reproduces them (default 1 "
      "with --runner and --exe, else 0)",
      cxxopts::value<std::string>())("runner", "benchgate-runner for --confirm",
                                     cxxopts::value<std::string>())(
      "exe", "the benchmark executable for --confirm", cxxopts::value<std::string>())(
      "baseline-exe",
      "for --confirm, when BASELINE came from `benchgate-runner run --baseline-exe EXE2`: EXE2; "
      "each rerun measures it too, alternating, and is judged against its rows",
      cxxopts::value<std::string>())(
      "runner-arg", "extra argument for the rerun (repeatable; write --runner-arg=--flag)",
      cxxopts::value<VerbatimArgs>())(
      "write-baseline", "copy CURRENT's rows over BASELINE in a stable order and exit")(
      "h,help", "show this help");
  options.parse_positional({"baseline", "current"});
  options.positional_help("BASELINE CURRENT");
  cxxopts::ParseResult p;
  try {
    p = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(std::string(e.what()) + " (see --help)");
  }
  if (p.count("help")) {
    std::cout << options.help();
    return 0;
  }
  if (!p.unmatched().empty())
    throw UsageError("unexpected argument '" + p.unmatched().front() + "'");
  if (!p.count("baseline") || !p.count("current"))
    throw UsageError("need BASELINE and CURRENT (see --help)");
  const auto baseline = p["baseline"].as<std::string>();
  const auto current = p["current"].as<std::string>();
  if (p.count("write-baseline")) return write_baseline(baseline, current);

  CompareOptions o;
  o.time_threshold = threshold_flag(
      p, "time-threshold", p.count("baseline-exe") ? kDefaultAbTimeThreshold : o.time_threshold);
  o.rss_threshold = threshold_flag(p, "rss-threshold", o.rss_threshold);
  if (p.count("alloc-threshold")) o.alloc_threshold = threshold_flag(p, "alloc-threshold", 0);
  o.instructions_threshold = threshold_flag(p, "instructions-threshold", o.instructions_threshold);
  o.min_time_delta_ns = number_flag(p, "min-time-delta", 0, "nanoseconds");
  o.min_rss_delta_kb = number_flag(p, "min-rss-delta", 0, "KiB");
  o.min_alloc_delta_bytes = number_flag(p, "min-alloc-delta", 0, "bytes per call");
  if (p.count("alpha")) {
    const auto text = p["alpha"].as<std::string>();
    auto a = parse_non_negative(text);
    if (!a || *a <= 0 || *a >= 0.5)
      throw UsageError("--alpha '" + text + "': must be a number in (0, 0.5)");
    o.alpha = *a;
  }
  o.ignore_env = p.count("ignore-env") > 0;
  o.fail_on_missing = p.count("fail-on-missing") > 0;
  o.fail_on_hash_change = p.count("fail-on-hash-change") > 0;
  const auto format = p["format"].as<std::string>();
  if (format != "text" && format != "markdown" && format != "json") {
    throw UsageError("--format '" + format + "': must be text, markdown or json");
  }
  // Confirmation needs the runner and the executable: asked for both, it is on by default.
  std::size_t confirm = p.count("runner") && p.count("exe") ? 1 : 0;
  if (p.count("confirm")) {
    const auto text = p["confirm"].as<std::string>();
    if (text.empty() || text.size() > 3 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      throw UsageError("--confirm '" + text + "': must be an integer in [0, 100]");
    }
    confirm = std::stoul(text);
    if (confirm > 100) throw UsageError("--confirm '" + text + "': must be an integer in [0, 100]");
    if (confirm > 0 && (!p.count("runner") || !p.count("exe"))) {
      throw UsageError(
          "--confirm needs --runner (benchgate-runner) and --exe (the benchmark executable)");
    }
  }

  std::optional<std::string> baseline_exe;
  if (p.count("baseline-exe")) baseline_exe = p["baseline-exe"].as<std::string>();
  if (!fs::exists(baseline)) {
    // A/B in one run: the runner writes no baseline file when EXE2 does not exist.
    if (baseline_exe) {
      throw NoBaseline("no baseline rows at '" + baseline + "': the run measured nothing of " +
                       *baseline_exe +
                       " (it did not exist then, e.g. a benchmark new in this change), so there "
                       "is nothing to compare with");
    }
    throw NoBaseline("no baseline yet at '" + baseline + "'. " +
                     create_baseline_hint(baseline, current));
  }
  if (fs::is_directory(baseline) && jsonl_files(baseline).empty()) {
    throw NoBaseline("no baseline yet: the directory '" + baseline + "' holds no .jsonl file. " +
                     create_baseline_hint(baseline, current));
  }
  // One file on both sides (or a link to it) compares every key with itself: a gate that can
  // never fail. Only a misconfiguration does it (add_benchmark's BASELINE pointing at OUTPUT,
  // BENCHGATE_BASELINE_DIR at the build tree), and CTest hides what a passing test prints.
  std::error_code same_error;
  if (fs::exists(current) && fs::equivalent(baseline, current, same_error)) {
    throw UsageError(std::string("BASELINE and CURRENT are the same ") +
                     (fs::is_directory(current) ? "directory" : "file") + " '" + current +
                     "': the rows would be compared with themselves and the gate could never "
                     "fail. Point BASELINE at the committed baseline and CURRENT at the rows of "
                     "this run");
  }
  auto [base, cur] = reduce_both(baseline, current);
  // The HTML plots draw each side's medians on its own; taken before the comparison consumes them.
  PlotData plots;
  if (p.count("html")) {
    plots.baseline = plot_side(base);
    plots.current = plot_side(cur);
  }
  // What --confirm needs of the baseline: the sides of the keys whose time regressed.
  Reduction regressed_base;
  Report report = compare(std::move(base), std::move(cur), o, &regressed_base);
  std::vector<std::string> runner_args;
  if (p.count("runner-arg")) runner_args = p["runner-arg"].as<VerbatimArgs>().items;
  PosixExecutor executor(guard);
  for (std::size_t round = 0; round < confirm; ++round) {
    const auto keys = time_regressions(report);
    if (keys.empty()) break;
    const std::string scratch = (fs::path(current).has_parent_path() && !fs::is_directory(current)
                                     ? fs::path(current).string()
                                     : (fs::path(current) / "confirm").string()) +
                                ".confirm";
    const Rerun again = rerun(keys, p["runner"].as<std::string>(), p["exe"].as<std::string>(),
                              baseline_exe, runner_args, scratch, executor);
    // A/B: the rerun's own baseline rows, measured alongside, not the first measurement's.
    apply_confirmation(report, again.baseline ? *again.baseline : regressed_base, again.current);
  }

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (p.count("output")) {
    file.open(p["output"].as<std::string>());
    if (!file)
      throw UsageError("--output '" + p["output"].as<std::string>() + "': cannot open for writing");
    out = &file;
  }
  std::ofstream html;
  if (p.count("html")) {
    html.open(p["html"].as<std::string>());
    if (!html)
      throw UsageError("--html '" + p["html"].as<std::string>() + "': cannot open for writing");
  }
  if (format == "json")
    render_json(report, *out);
  else if (format == "markdown")
    render_markdown(report, *out);
  else
    render_text(report, *out);
  if (html.is_open()) {
    render_html(report, plots, html);
    html.close();
    if (!html) throw UsageError("--html '" + p["html"].as<std::string>() + "': write failed");
  }
  return report.failing() > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // Give every large block (the reductions' record blocks, the report) its own mapping, returned to
  // the system when freed: glibc otherwise raises this threshold as large blocks are freed and then
  // serves them from a heap that keeps the pages, and the reductions, released while the report is
  // built, would still count in the peak resident set (issue #3).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  // Ctrl-C while a confirmation rerun measures stops the runner it started, and its benchmark.
  const ProcessGuard guard;
  try {
    return run(argc, argv, guard);
  } catch (const Interrupted& e) {
    std::cerr << kProg << ": interrupted by " << signal_name(e.signal)
              << ": stopped the confirmation rerun; no report written\n";
    return e.exit_code();
  } catch (const NoBaseline& e) {
    std::cerr << kProg << ": " << e.what() << "\n";
    return kNoBaseline;
  } catch (const std::exception& e) {  // usage and input errors alike (InputError, UsageError)
    std::cerr << kProg << ": error: " << e.what() << "\n";
    return 2;
  }
}
