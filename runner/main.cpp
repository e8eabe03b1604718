// benchgate-runner: list and run the benchmarks of one executable.
// Thin main: parse -> validate -> run -> write; exit codes are mapped in one place below:
// 0 ran and rows written, 1 a benchmark broke (no usable data), 2 usage or input error,
// 128 + the signal (130, 143) when SIGINT or SIGTERM interrupted it.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <cxxopts.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "benchgate/core/env.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/process/posix.hpp"
#include "report.hpp"
#include "run.hpp"
#include "verify.hpp"

namespace {

using namespace benchgate;

constexpr const char* kProg = "benchgate-runner";
constexpr const char* kUsage =
    "usage: benchgate-runner list EXE\n"
    "       benchgate-runner run EXE [--out FILE] [--bench NAME]... [--filter TEXT] [overrides]\n"
    "       benchgate-runner run --help     (all flags)\n"
    "       benchgate-runner verify EXE [--bench NAME]... [--filter TEXT] [--tag T]...\n";

std::uint64_t parse_count(const std::string& flag, const std::string& text, std::uint64_t min,
                          std::uint64_t max) {
  const std::string range =
      "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    throw UsageError("--" + flag + " '" + text + "': must be " + range);
  }
  std::uint64_t v = 0;
  try {
    v = std::stoull(text);
  } catch (const std::exception&) {
    throw UsageError("--" + flag + " '" + text + "': must be " + range);
  }
  if (v < min || v > max) throw UsageError("--" + flag + " '" + text + "': must be " + range);
  return v;
}

double parse_seconds(const std::string& flag, const std::string& text) {
  std::istringstream in(text);
  double v = 0;
  in >> v;
  if (text.empty() || !in.eof() || in.fail() || !std::isfinite(v) || v <= 0 || v > 86400) {
    throw UsageError("--" + flag + " '" + text + "': must be a number of seconds in (0, 86400]");
  }
  return v;
}

// A finite number within [lo, hi] (or (lo, hi] / [lo, hi) when an end is open); the error
// names the flag, the value and the range.
double parse_real(const std::string& flag, const std::string& text, double lo, bool lo_open,
                  double hi, bool hi_open) {
  std::ostringstream range;
  range << (lo_open ? "(" : "[") << lo << ", " << hi << (hi_open ? ")" : "]");
  std::istringstream in(text);
  double v = 0;
  in >> v;
  const bool ok = !text.empty() && in.eof() && !in.fail() && std::isfinite(v) &&
                  (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  if (!ok) throw UsageError("--" + flag + " '" + text + "': must be a number in " + range.str());
  return v;
}

ListDocument load_list(Executor& ex, const std::string& exe) {
  SpawnRequest req;
  req.argv = {exe, "--benchgate-list"};
  req.term_after = std::chrono::seconds(60);
  req.kill_after = std::chrono::seconds(61);
  req.tail_bytes = 64u << 20;  // the whole document, not a tail
  const SpawnResult r = ex.run(req);
  if (!r.started) throw UsageError(r.start_error + ". Pass the path of a benchmark executable");
  if (!r.exited || r.exit_code != 0) {
    std::string why = r.exited ? "exited with code " + std::to_string(r.exit_code)
                               : "was killed by " + signal_name(r.term_signal);
    throw UsageError("'" + exe + " --benchgate-list' " + why +
                     (r.stderr_tail.empty() ? "" : ":\n" + r.stderr_tail) +
                     "\nIs it a benchmark executable built with benchgate_add_benchmark()?");
  }
  auto parsed = parse_list_doc(r.stdout_tail);
  if (auto* e = std::get_if<JsonError>(&parsed)) {
    throw UsageError("'" + exe + " --benchgate-list' printed an invalid list (column " +
                     std::to_string(e->column) + ": " + e->message +
                     "). Rebuild it against this benchgate");
  }
  return std::get<ListDocument>(std::move(parsed));
}

// The env of this run: captured once, forwarded to every child. git_dirty needs `git status`.
Env run_env(Executor& ex, const std::string& exe, const ListDocument& doc) {
  Env env = capture_env(exe);
  env.compiler = doc.compiler;
  env.compiler_version = doc.compiler_version;
  env.build_type = doc.build_type;
  if (env.git_commit) {
    SpawnRequest req;
    req.argv = {"git", "status", "--porcelain", "--untracked-files=no"};
    req.term_after = std::chrono::seconds(10);
    req.kill_after = std::chrono::seconds(11);
    const SpawnResult r = ex.run(req);
    if (r.started && r.exited && r.exit_code == 0) env.git_dirty = r.stdout_bytes > 0;
  }
  return env;
}

int cmd_list(const std::vector<std::string>& args, const ProcessGuard& guard) {
  if (args.size() != 1)
    throw UsageError(std::string("list takes exactly one executable\n") + kUsage);
  PosixExecutor ex(guard);
  const ListDocument doc = load_list(ex, args[0]);
  std::cout << doc.suite << ": " << doc.benchmarks.size() << " benchmark(s)\n";
  for (const auto& b : doc.benchmarks) {
    std::cout << "  " << b.name;
    if (b.kind == RowKind::parametric)
      std::cout << "    expected complexity: " << b.complexity;
    else
      std::cout << "    [fixed] repeats=" << b.fixed_config.repeats;
    if (!b.hashable) std::cout << "  (no hash)";
    if (!b.tags().empty()) {
      std::cout << "  [";
      for (std::size_t i = 0; i < b.tags().size(); ++i) std::cout << (i ? ", " : "") << b.tags()[i];
      std::cout << "]";
    }
    std::cout << "\n";
  }
  return 0;
}

std::vector<std::string> unique_names(const cxxopts::ParseResult& parsed, const char* flag) {
  std::vector<std::string> names;
  if (parsed.count(flag)) {
    for (const auto& n : parsed[flag].as<std::vector<std::string>>()) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  return names;
}

// Removes a directory tree when it goes out of scope (the Callgrind output directory).
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/benchgate-callgrind.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw UsageError("cannot create a temporary directory for Callgrind's output under '" +
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

// A bare name would be searched on PATH by posix_spawnp; a file here is what was meant.
std::string exe_path(std::string exe) {
  if (exe.find('/') == std::string::npos && std::filesystem::exists(exe)) exe = "./" + exe;
  return exe;
}

// Parses a command's flags (EXE positional); nullopt when --help was asked for and printed.
std::optional<cxxopts::ParseResult> parse_command(cxxopts::Options& options, int argc, char** argv,
                                                  const std::string& command) {
  options.parse_positional({"exe"});
  options.positional_help("EXE");
  cxxopts::ParseResult parsed;
  try {
    parsed = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(std::string(e.what()) + "\n" + kUsage);
  }
  if (parsed.count("help")) {
    std::cout << options.help();
    return std::nullopt;
  }
  if (!parsed.count("exe"))
    throw UsageError(command + " needs the benchmark executable\n" + kUsage);
  if (!parsed.unmatched().empty()) {
    throw UsageError("unexpected argument '" + parsed.unmatched().front() + "'\n" + kUsage);
  }
  return parsed;
}

int cmd_verify(int argc, char** argv, const ProcessGuard& guard) {
  cxxopts::Options options("benchgate-runner verify",
                           "Smoke-check every benchmark of EXE in children with the declared cap: "
                           "params 0 and 1 of each parametric benchmark, one call of each fixed "
                           "one. Exit 0 when all pass, 1 when any fails.");
  options.add_options()("exe", "benchmark executable", cxxopts::value<std::string>())(
      "bench", "verify only this benchmark (repeatable)",
      cxxopts::value<std::vector<std::string>>())("filter",
                                                  "verify benchmarks whose name contains TEXT",
                                                  cxxopts::value<std::string>()->default_value(""))(
      "tag", "verify benchmarks carrying this tag (repeatable)",
      cxxopts::value<std::vector<std::string>>())("h,help", "show this help");
  const auto maybe_parsed = parse_command(options, argc, argv, "verify");
  if (!maybe_parsed) return 0;  // --help
  const cxxopts::ParseResult& parsed = *maybe_parsed;
  const std::string exe = exe_path(parsed["exe"].as<std::string>());
  PosixExecutor ex(guard);
  const ListDocument doc = load_list(ex, exe);
  const auto selected =
      select_benchmarks(doc, unique_names(parsed, "bench"), parsed["filter"].as<std::string>(),
                        unique_names(parsed, "tag"));
  const auto results = verify_benchmarks(ex, exe, selected, write_env(run_env(ex, exe, doc)));
  return render_verify(results, std::cout) ? 0 : 1;
}

int cmd_run(int argc, char** argv, const ProcessGuard& guard) {
  cxxopts::Options options("benchgate-runner run",
                           "Measure every benchmark of EXE, one child process per batch.");
  // Values are taken as strings and validated here so each error names flag, value and range.
  options.add_options()("exe", "benchmark executable", cxxopts::value<std::string>())(
      "out", "write all rows to FILE as JSONL (whole or not at all)",
      cxxopts::value<std::string>())("bench", "run only this benchmark (repeatable)",
                                     cxxopts::value<std::vector<std::string>>())(
      "filter", "run benchmarks whose name contains TEXT",
      cxxopts::value<std::string>()->default_value(""))(
      "max-seconds-per-call", "override: wall cap per child batch, seconds",
      cxxopts::value<std::string>())("kill-grace-ms",
                                     "override: SIGTERM->SIGKILL grace after the cap, ms",
                                     cxxopts::value<std::string>())(
      "target-inner-nanos", "override: warm autotune target, ns", cxxopts::value<std::string>())(
      "param-floor", "override: first rung of the ladder", cxxopts::value<std::string>())(
      "param-ceiling", "override: last possible rung of the ladder", cxxopts::value<std::string>())(
      "outer-trials", "override: child processes per rung", cxxopts::value<std::string>())(
      "cache-mode", "override: warm or cold", cxxopts::value<std::string>())(
      "repeats", "override: measured repeats of fixed benchmarks", cxxopts::value<std::string>())(
      "param-list", "override: run exactly these params, e.g. 64,1024 (a custom schedule)",
      cxxopts::value<std::string>())("param-schedule",
                                     "override: auto, doubling or linear (custom: --param-list)",
                                     cxxopts::value<std::string>())(
      "linear-samples", "override: stride-1 rungs of the linear sweep",
      cxxopts::value<std::string>())(
      "warmup-fraction", "override: leading fraction of ratios the verdict drops, [0, 1)",
      cxxopts::value<std::string>())("slope-tolerance",
                                     "override: largest |slope| still consistent, > 0",
                                     cxxopts::value<std::string>())(
      "narrow-range-noise-floor", "override: narrow-range verdict bound floor, >= 1",
      cxxopts::value<std::string>())(
      "signal-floor-multiplier",
      "override: batches under this many spawn floors leave the verdict (1 disables)",
      cxxopts::value<std::string>())("warmup",
                                     "override (fixed): on or off, the discarded warmup child",
                                     cxxopts::value<std::string>())(
      "min-total-seconds", "override (fixed): inner repeats double until a batch lasts this long",
      cxxopts::value<std::string>())(
      "expected-hash", "override (fixed): the result_hash every repeat must produce, 0x...",
      cxxopts::value<std::string>())("ignore-expected-hash",
                                     "do not check fixed benchmarks' expected_hash")(
      "tag", "run benchmarks carrying this tag (repeatable; any tag matches)",
      cxxopts::value<std::vector<std::string>>())(
      "total-seconds", "budget for the whole run: no rung, trial or benchmark starts after it",
      cxxopts::value<std::string>())(
      "auto-fit", "rank the complexity catalog against each parametric benchmark's data")(
      "cpu",
      "pin each child to CPU N; 'auto': the last CPU this "
      "runner may use; 'none' (default): no pinning",
      cxxopts::value<std::string>()->default_value("none"))(
      "progress", "print one line per batch on stderr (default: when stderr is a terminal)")(
      "quiet", "no per-batch progress lines")(
      "measure",
      "time (default) or instructions: count each batch's instructions under Valgrind's "
      "Callgrind (about 50x slower; caps scaled to match)",
      cxxopts::value<std::string>()->default_value("time"))(
      "baseline-exe",
      "A/B in one run: also measure EXE2's benchmarks of the same names, batch for batch, "
      "alternating with EXE (needs --baseline-out)",
      cxxopts::value<std::string>())("baseline-out",
                                     "write --baseline-exe's rows to FILE as JSONL (whole or not "
                                     "at all)",
                                     cxxopts::value<std::string>())("h,help", "show this help");
  const auto maybe_parsed = parse_command(options, argc, argv, "run");
  if (!maybe_parsed) return 0;  // --help
  const cxxopts::ParseResult& parsed = *maybe_parsed;
  const std::string exe = exe_path(parsed["exe"].as<std::string>());

  Overrides o;
  auto text = [&](const char* flag) { return parsed[flag].as<std::string>(); };
  constexpr std::uint64_t kMax = std::uint64_t{1} << 62;
  if (parsed.count("max-seconds-per-call"))
    o.max_seconds_per_call = parse_seconds("max-seconds-per-call", text("max-seconds-per-call"));
  if (parsed.count("kill-grace-ms"))
    o.kill_grace_ms = parse_count("kill-grace-ms", text("kill-grace-ms"), 0, 3'600'000);
  if (parsed.count("target-inner-nanos"))
    o.target_inner_nanos = parse_count("target-inner-nanos", text("target-inner-nanos"), 1, kMax);
  if (parsed.count("param-floor"))
    o.param_floor = parse_count("param-floor", text("param-floor"), 0, kMax);
  if (parsed.count("param-ceiling"))
    o.param_ceiling = parse_count("param-ceiling", text("param-ceiling"), 0, kMax);
  if (parsed.count("outer-trials"))
    o.outer_trials = parse_count("outer-trials", text("outer-trials"), 1, 1000);
  if (parsed.count("repeats")) o.repeats = parse_count("repeats", text("repeats"), 1, 100000);
  if (parsed.count("param-list")) {
    std::vector<std::uint64_t> params;
    std::stringstream list(text("param-list"));
    std::string item;
    while (std::getline(list, item, ','))
      params.push_back(parse_count("param-list", item, 0, kMax));
    if (params.empty())
      throw UsageError("--param-list '': must list at least one param, e.g. 64,1024");
    o.param_list = params;
  }
  if (parsed.count("param-schedule")) {
    const auto shape = parse_schedule_shape(text("param-schedule"));
    if (!shape || *shape == ParamSchedule::Shape::custom) {
      throw UsageError("--param-schedule '" + text("param-schedule") +
                       "': must be auto, doubling or linear (a custom list: --param-list)");
    }
    o.param_schedule = shape;
  }
  if (parsed.count("linear-samples"))
    o.linear_samples = parse_count("linear-samples", text("linear-samples"), 1, 1'000'000);
  if (parsed.count("warmup-fraction"))
    o.verdict_warmup_fraction =
        parse_real("warmup-fraction", text("warmup-fraction"), 0, false, 1, true);
  if (parsed.count("slope-tolerance"))
    o.slope_tolerance = parse_real("slope-tolerance", text("slope-tolerance"), 0, true, 100, false);
  if (parsed.count("narrow-range-noise-floor"))
    o.narrow_range_noise_floor = parse_real("narrow-range-noise-floor",
                                            text("narrow-range-noise-floor"), 1, false, 1e6, false);
  if (parsed.count("signal-floor-multiplier"))
    o.signal_floor_multiplier = parse_real("signal-floor-multiplier",
                                           text("signal-floor-multiplier"), 1, false, 1e6, false);
  if (parsed.count("warmup")) {
    const std::string w = text("warmup");
    if (w != "on" && w != "off") throw UsageError("--warmup '" + w + "': must be on or off");
    o.warmup = w == "on";
  }
  if (parsed.count("min-total-seconds"))
    o.min_total_seconds =
        parse_real("min-total-seconds", text("min-total-seconds"), 0, false, 86400, false);
  if (parsed.count("expected-hash")) {
    o.expected_hash = parse_hash(text("expected-hash"));
    if (!o.expected_hash) {
      throw UsageError("--expected-hash '" + text("expected-hash") +
                       "': must be 0x followed by 1 to 16 hex digits");
    }
  }
  o.ignore_expected_hash = parsed.count("ignore-expected-hash") > 0;
  if (parsed.count("cache-mode")) {
    o.cache_mode = parse_cache_mode(text("cache-mode"));
    if (!o.cache_mode)
      throw UsageError("--cache-mode '" + text("cache-mode") + "': must be warm or cold");
  }

  // Pinning is off by default: on this project's 2-vCPU CI machine it did not steady the
  // measurements (the machine's slow phases hit every CPU at once), and a pinned child cannot
  // escape to the idle CPU when something else runs on its own, so it gets preempted.
  std::optional<int> cpu;
  const std::string cpu_text = text("cpu");
  const std::vector<int> cpus = allowed_cpus();
  if (cpu_text == "auto") {
    if (!cpus.empty()) cpu = cpus.back();
  } else if (cpu_text != "none") {
    const auto n = parse_count("cpu", cpu_text, 0, 1023);
    if (std::find(cpus.begin(), cpus.end(), static_cast<int>(n)) == cpus.end()) {
      std::string allowed;
      for (int c : cpus) allowed += (allowed.empty() ? "" : ",") + std::to_string(c);
      throw UsageError("--cpu '" + cpu_text + "': this runner may only use CPU(s) " + allowed +
                       "; or use auto or none");
    }
    cpu = static_cast<int>(n);
  }

  const std::string measure = text("measure");
  if (measure != "time" && measure != "instructions") {
    throw UsageError("--measure '" + measure + "': must be time or instructions");
  }
  std::optional<std::string> valgrind;
  if (measure == "instructions") {
    valgrind = find_on_path("valgrind");
    if (!valgrind) {
      throw UsageError(
          "--measure instructions runs each batch under Valgrind's Callgrind, but valgrind is "
          "not on PATH. Install it (Debian: apt-get install valgrind)");
    }
  }

  PosixExecutor ex(guard);
  const ListDocument doc = load_list(ex, exe);
  if (valgrind && !doc.callgrind) {
    throw UsageError(
        "--measure instructions: " + exe +
        " was built without <valgrind/callgrind.h>, so it cannot switch Callgrind's counting on "
        "around its batches. Install valgrind (Debian: apt-get install valgrind), then "
        "reconfigure and rebuild the benchmark");
  }
  std::vector<BenchmarkInfo> selected = select_benchmarks(
      doc, unique_names(parsed, "bench"), text("filter"), unique_names(parsed, "tag"));
  for (auto& b : selected) {
    for (const auto& note : apply_overrides(b, o)) std::cerr << kProg << ": " << note << "\n";
  }

  auto output_file = [&](const char* flag) {
    const std::string path = text(flag);
    const auto dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) {
      throw UsageError("--" + std::string(flag) + " '" + path +
                       "': cannot create its directory: " + ec.message());
    }
    return path;
  };
  std::optional<std::string> out_path;
  if (parsed.count("out")) out_path = output_file("out");

  // A/B in one run (docs/cli.md, "A/B in one run").
  if (parsed.count("baseline-exe") != parsed.count("baseline-out")) {
    throw UsageError(parsed.count("baseline-exe")
                         ? "--baseline-exe needs --baseline-out FILE (where its rows go)"
                         : "--baseline-out needs --baseline-exe EXE2 (what to measure)");
  }
  std::optional<PairedRun> paired;
  std::optional<std::string> baseline_out;
  if (parsed.count("baseline-exe")) {
    baseline_out = output_file("baseline-out");
    // weakly_canonical resolves symbolic links in the part that exists (the directories were
    // just created), so `link/rows.jsonl` and `dir/rows.jsonl` are seen to be one file.
    if (out_path && std::filesystem::weakly_canonical(*out_path) ==
                        std::filesystem::weakly_canonical(*baseline_out)) {
      throw UsageError("--baseline-out '" + *baseline_out +
                       "' is the --out file: the two executables' rows need two files");
    }
    const std::string base = exe_path(text("baseline-exe"));
    // Found the way EXE is: a name without '/' that is not a file here is looked up on PATH.
    const bool base_exists = base.find('/') == std::string::npos ? find_on_path(base).has_value()
                                                                 : std::filesystem::exists(base);
    if (!base_exists) {
      // The merge base may not have this benchmark executable yet (it is new in the change):
      // measure EXE alone and leave no baseline file, so the compare test skips (77) instead of
      // judging against stale rows. A wrong path says so here.
      std::error_code ec;
      std::filesystem::remove(*baseline_out, ec);
      std::cerr << kProg << ": --baseline-exe '" << base << "' does not exist: measuring " << exe
                << " alone; no rows written to " << *baseline_out << "\n";
      baseline_out.reset();
    } else {
      const ListDocument base_doc = load_list(ex, base);
      if (valgrind && !base_doc.callgrind) {
        throw UsageError("--measure instructions: --baseline-exe " + base +
                         " was built without <valgrind/callgrind.h>; rebuild it with valgrind "
                         "installed");
      }
      PairedRun p{base, {}};
      for (const auto& b : base_doc.benchmarks) p.benchmarks.push_back(b.name);
      for (const auto& b : selected) {
        if (std::find(p.benchmarks.begin(), p.benchmarks.end(), b.name) == p.benchmarks.end()) {
          std::cerr << kProg << ": " << b.name << ": not registered by --baseline-exe " << base
                    << "; measured in " << exe << " alone\n";
        }
      }
      paired = std::move(p);
    }
  }

  const bool progress = !parsed.count("quiet") && (parsed.count("progress") || isatty(2));
  BatchObserver observe;
  if (progress) {
    observe = [](const BenchmarkInfo& info, const Row& row, bool warmup) {
      std::cerr << kProg << ": " << progress_line(info, row)
                << (warmup ? " (warmup, discarded)" : "") << "\n";
    };
  }
  RunSettings settings;
  settings.cpu = cpu;
  settings.paired = paired;
  settings.auto_fit = parsed.count("auto-fit") > 0;
  if (parsed.count("total-seconds")) {
    std::istringstream in(text("total-seconds"));
    double total = 0;
    in >> total;
    std::optional<std::string> error;
    if (text("total-seconds").empty() || !in.eof() || in.fail()) {
      error = "--total-seconds '" + text("total-seconds") +
              "': must be a number of seconds in [0, " +
              std::to_string(static_cast<std::uint64_t>(kMaxTotalSeconds)) + "]";
    } else {
      error = validate_total_seconds(total);
    }
    if (error) throw UsageError(*error);
    // The budget starts here: everything after listing the executable counts against it (env
    // capture, the spawn floor, the complexity questions and every batch).
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    settings.budget = Budget::seconds(total, now);
  }
  std::optional<TempDir> callgrind_dir;
  if (valgrind) {
    callgrind_dir.emplace();
    settings.callgrind = CallgrindSettings{*valgrind, callgrind_dir->path()};
  }
  const RunOutput output =
      run_benchmarks(ex, exe, doc.suite, selected, run_env(ex, exe, doc), observe, settings);

  int broken = 0;
  std::string rows;
  std::string baseline_rows;
  for (const auto& run : output.runs) {
    render_text(run, std::cout);
    render_ctest_measurements(run, std::cout);
    if (paired) render_paired(run, std::cout);
    std::cout << "\n";
    if (!run.usable()) ++broken;
    for (const auto& r : run.rows) rows += write_row(r) + "\n";
    for (const auto& r : run.paired_rows) baseline_rows += write_row(r) + "\n";
  }
  if (output.budget) std::cout << format_budget_summary(*output.budget) << "\n";
  struct OutputFile {
    std::string path;
    const std::string* content;
    const char* what;
  };
  std::vector<OutputFile> files;
  if (out_path) files.push_back({*out_path, &rows, "rows"});
  if (baseline_out) files.push_back({*baseline_out, &baseline_rows, "--baseline-exe rows"});
  if (!files.empty())
    guard.throw_if_interrupted();  // an interrupted run leaves the files as they were
  for (const auto& [path, content, what] : files) {
    {
      // Held while the temporary file exists, so an interrupt cannot leave it behind.
      InterruptsHeld held;
      write_file_atomically(path, *content);
    }
    std::cout << what << " written to " << path << "\n";
  }
  if (!files.empty()) {
    if (const int sig = guard.interrupt_signal()) {  // arrived while the files were being written
      std::cerr << kProg << ": interrupted by " << signal_name(sig)
                << " after the rows were written\n";
      return Interrupted{sig}.exit_code();
    }
  }
  if (broken > 0) {
    std::cerr << kProg << ": " << broken << " benchmark(s) produced no usable data:";
    for (const auto& run : output.runs) {
      if (!run.usable()) std::cerr << "\n  " << run.info.name << ": " << *run.problem;
    }
    std::cerr << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // SIGINT/SIGTERM end the running child's group and unwind (Interrupted) instead of killing
  // us and leaving the child behind; descendants that leave its group still die with it.
  const ProcessGuard guard;
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "list") return cmd_list(std::vector<std::string>(argv + 2, argv + argc), guard);
    if (cmd == "run") return cmd_run(argc - 1, argv + 1, guard);
    if (cmd == "verify") return cmd_verify(argc - 1, argv + 1, guard);
    if (cmd == "-h" || cmd == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (cmd == "--version") {
      std::cout << kBenchgateVersion << "\n";
      return 0;
    }
    throw UsageError(
        (cmd.empty() ? std::string("missing command") : "unknown command '" + cmd + "'") +
        "; valid commands: list, run, verify\n" + kUsage);
  } catch (const Interrupted& e) {
    std::cerr << kProg << ": interrupted by " << signal_name(e.signal)
              << ": stopped the running benchmark and wrote no rows (an existing --out file is "
                 "left as it was)\n";
    return e.exit_code();
  } catch (const std::exception& e) {  // UsageError, and input errors such as a bad --out
    std::cerr << kProg << ": error: " << e.what() << "\n";
    return 2;
  }
}
