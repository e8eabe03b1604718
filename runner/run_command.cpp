// The runner's commands, from a parsed command line to an exit code.
#include "run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "ab.hpp"
#include "adapter.hpp"
#include "benchgate/core/cli.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/row_json.hpp"
#include "listing.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "run.hpp"
#include "verify.hpp"

namespace benchgate {
namespace {

constexpr const char* kProg = "benchgate-runner";

// Removes a directory tree when it goes out of scope (Callgrind's output, the children's result
// files): `what` names it in the error.
class TempDir {
 public:
  TempDir(const std::string& prefix, const std::string& what) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/benchgate-" + prefix + ".XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw UsageError("cannot create a temporary directory for " + what + " under '" +
                       pattern.substr(0, pattern.rfind('/')) + "': " + std::strerror(errno));
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// valgrind on PATH, for --measure instructions (before anything is listed or measured).
std::string find_valgrind() {
  if (auto valgrind = find_on_path("valgrind")) return *valgrind;
  throw UsageError(
      "--measure instructions runs each batch under Valgrind's Callgrind, but valgrind is not on "
      "PATH. Install it (Debian: apt-get install valgrind)");
}

// The listed, selected benchmarks with the command line's overrides applied (notes on `err`).
std::vector<BenchmarkInfo> selected_benchmarks(const RunRequest& r, const ListDocument& doc,
                                               std::ostream& err) {
  std::vector<BenchmarkInfo> selected = select_benchmarks(doc, r.benches, r.filter, r.tags);
  for (auto& b : selected) {
    for (const auto& note : apply_overrides(b, r.overrides)) err << kProg << ": " << note << "\n";
  }
  return selected;
}

// A/B in one run: the other executable, after the output files' checks (docs/cli.md).
// `base_adapter` lists the other executable and prepares its children.
AbPlan ab_plan(const RunRequest& r, Executor& ex, Adapter& base_adapter, const std::string& exe,
               const std::vector<BenchmarkInfo>& selected, std::ostream& err) {
  if (!r.baseline_exe) return {};
  prepare_output("baseline-out", *r.baseline_out);
  // weakly_canonical resolves symbolic links in the part that exists (the directories were just
  // created), so `link/rows.jsonl` and `dir/rows.jsonl` are seen to be one file.
  namespace fs = std::filesystem;
  if (r.out && fs::weakly_canonical(*r.out) == fs::weakly_canonical(*r.baseline_out)) {
    throw UsageError("--baseline-out '" + *r.baseline_out +
                     "' is the --out file: the two executables' rows need two files");
  }
  AbPlan plan = plan_ab(ex, base_adapter, exe, *r.baseline_exe, *r.baseline_out, selected,
                        r.measure == Measure::instructions);
  for (const auto& note : plan.notes) err << kProg << ": " << note << "\n";
  return plan;
}

// Each benchmark's report on `out`; the rows files' contents; the count of broken benchmarks.
struct Rendered {
  std::string rows;
  std::string baseline_rows;
  int broken = 0;
};
Rendered render_runs(const RunOutput& output, bool paired, std::ostream& out) {
  Rendered r;
  for (const auto& run : output.runs) {
    render_text(run, out);
    render_ctest_measurements(run, out);
    if (paired) render_paired(run, out);
    out << "\n";
    if (!run.usable()) ++r.broken;
    for (const auto& row : run.rows) r.rows += write_row(row) + "\n";
    for (const auto& row : run.paired_rows) r.baseline_rows += write_row(row) + "\n";
  }
  if (output.budget) out << format_budget_summary(*output.budget) << "\n";
  return r;
}

std::int64_t steady_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<int> resolve_cpu(const CpuPin& pin, const std::vector<int>& allowed) {
  switch (pin.mode) {
    case CpuPin::Mode::none: return std::nullopt;
    case CpuPin::Mode::last_allowed:
      return allowed.empty() ? std::nullopt : std::optional<int>(allowed.back());
    case CpuPin::Mode::fixed: break;
  }
  if (std::find(allowed.begin(), allowed.end(), pin.cpu) == allowed.end()) {
    std::string list;
    for (int c : allowed) list += (list.empty() ? "" : ",") + std::to_string(c);
    if (list.empty()) list = "(none known)";
    throw UsageError("--cpu '" + std::to_string(pin.cpu) + "': this runner may only use CPU(s) " +
                     list + "; or use auto or none");
  }
  return pin.cpu;
}

int run_command(const RunRequest& r, Executor& ex, const ProcessGuard& guard, std::ostream& out,
                std::ostream& err, bool terminal) {
  const std::string exe = exe_path(r.exe);
  RunSettings settings;
  settings.cpu = resolve_cpu(r.cpu, allowed_cpus());
  const bool instructions = r.measure == Measure::instructions;
  const std::optional<std::string> valgrind =
      instructions ? std::optional<std::string>(find_valgrind()) : std::nullopt;
  const std::unique_ptr<Adapter> adapter = make_adapter(r.adapter, r.benchmark_filter.value_or(""));
  if (!adapter->native_protocol()) {
    // Callgrind's client requests need the harness inside the executable.
    if (instructions)
      throw UsageError(std::string("--measure instructions is not supported with --adapter ") +
                       to_string(r.adapter) + " yet");
  }
  const ListDocument doc = adapter->list(ex, exe);
  if (instructions && !doc.callgrind) {
    throw UsageError(
        "--measure instructions: " + exe +
        " was built without <valgrind/callgrind.h>, so it cannot switch Callgrind's counting on "
        "around its batches. Install valgrind (Debian: apt-get install valgrind), then "
        "reconfigure and rebuild the benchmark");
  }
  const std::vector<BenchmarkInfo> selected = selected_benchmarks(r, doc, err);
  if (r.out) prepare_output("out", *r.out);
  // The other executable's own adapter: a Google Benchmark one keeps its listing's instances.
  const std::unique_ptr<Adapter> base_adapter =
      make_adapter(r.adapter, r.benchmark_filter.value_or(""));
  const AbPlan ab = ab_plan(r, ex, *base_adapter, exe, selected, err);
  settings.paired = ab.paired;
  // Both children of a pair must accept the shared count.
  if (settings.paired)
    settings.paired->share_count = settings.paired->share_count && doc.inner_repeats;
  // Both children of a pair get the same argv: --setup-fd only when both accept it.
  settings.setup_phase = doc.setup_fd && (!settings.paired || settings.paired->setup_fd);
  Progress shown(err, progress_mode(r.quiet, r.progress, terminal),
                 use_colour(terminal, std::getenv("NO_COLOR")), steady_nanos);
  shown.start_run(selected);
  BatchObserver observe = [&shown](const BenchmarkInfo& info, const Row& row, bool warmup) {
    shown.batch(info, row, warmup);
  };
  settings.benchmark_started = [&shown](std::size_t i) { shown.start_benchmark(i); };
  settings.benchmark_finished = [&shown](const BenchmarkRun& run) {
    shown.end_benchmark(run.rows.size(), run.usable(), run.budget_truncated);
  };
  settings.auto_fit = r.auto_fit;
  // The budget starts here: everything after listing the executable counts against it (env
  // capture, the spawn floor, the complexity questions and every batch).
  if (r.total_seconds) settings.budget = Budget::seconds(*r.total_seconds, steady_nanos());
  settings.adapter = adapter.get();
  std::optional<TempDir> results_dir;
  if (!adapter->native_protocol()) {
    results_dir.emplace("results", "the children's result files");
    settings.scratch_dir = results_dir->path();
  }
  std::optional<TempDir> callgrind_dir;
  if (valgrind) {
    callgrind_dir.emplace("callgrind", "Callgrind's output");
    settings.callgrind = CallgrindSettings{*valgrind, callgrind_dir->path()};
  }
  const RunOutput output =
      run_benchmarks(ex, exe, doc.suite, selected, run_env(ex, exe, doc), observe, settings);
  shown.finish();

  const Rendered rendered = render_runs(output, ab.paired.has_value(), out);
  std::vector<OutputFile> files;
  if (r.out) files.push_back({*r.out, rendered.rows, "rows"});
  if (ab.baseline_out)
    files.push_back({*ab.baseline_out, rendered.baseline_rows, "--baseline-exe rows"});
  if (const auto code = write_outputs(files, guard, out, err)) return *code;
  if (rendered.broken == 0) return 0;
  err << kProg << ": " << rendered.broken << " benchmark(s) produced no usable data:";
  for (const auto& run : output.runs) {
    if (!run.usable()) err << "\n  " << run.info.name << ": " << *run.problem;
  }
  err << "\n";
  return 1;
}

int list_command(const std::string& exe, Executor& ex, std::ostream& out) {
  const ListDocument doc = load_list(ex, exe);
  out << doc.suite << ": " << doc.benchmarks.size() << " benchmark(s)\n";
  for (const auto& b : doc.benchmarks) {
    out << "  " << b.name;
    if (b.kind == RowKind::parametric)
      out << "    expected complexity: "
          << (b.complexity.empty() ? "(none declared)" : b.complexity);
    else
      out << "    [fixed] repeats=" << b.fixed_config.repeats;
    if (!b.hashable) out << "  (no hash)";
    if (!b.tags().empty()) {
      out << "  [";
      for (std::size_t i = 0; i < b.tags().size(); ++i) out << (i ? ", " : "") << b.tags()[i];
      out << "]";
    }
    out << "\n";
  }
  return 0;
}

int verify_command(const VerifyRequest& r, Executor& ex, std::ostream& out) {
  const std::string exe = exe_path(r.exe);
  const ListDocument doc = load_list(ex, exe);
  const auto selected = select_benchmarks(doc, r.benches, r.filter, r.tags);
  const auto results =
      verify_benchmarks(ex, exe, selected, write_env(run_env(ex, exe, doc)), doc.setup_fd);
  return render_verify(results, out) ? 0 : 1;
}

}  // namespace benchgate
