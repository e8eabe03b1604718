// The run command line: its cxxopts specification, parser and argv writer.
#include "benchgate/core/run_request.hpp"

#include <algorithm>
#include <tuple>

#include "benchgate/core/parse_args.hpp"
#include "benchgate/core/schedule.hpp"

namespace benchgate {
namespace {

cxxopts::Options make_run_options() {
  cxxopts::Options options("benchgate-runner run",
                           "Measure every benchmark of EXE, one child process per batch.");
  // Values are taken as strings and validated afterwards so each error names flag, value and
  // range.
  options.add_options()("exe", "benchmark executable", cxxopts::value<std::string>())(
      "out", "write all rows to FILE as JSONL (whole or not at all)",
      cxxopts::value<std::string>())("bench", "run only this benchmark (repeatable)",
                                     cxxopts::value<VerbatimArgs>())(
      "filter", "run benchmarks whose name contains TEXT",
      cxxopts::value<std::string>()->default_value(""));
  for (const OverrideFlag& f : override_flags()) {
    if (f.kind == OverrideFlag::Kind::flag)
      options.add_options()(f.name, f.help);
    else
      options.add_options()(f.name, f.help, cxxopts::value<std::string>());
  }
  options.add_options()("tag", "run benchmarks carrying this tag (repeatable; any tag matches)",
                        cxxopts::value<VerbatimArgs>())(
      "total-seconds", "budget for the whole run: no rung, trial or benchmark starts after it",
      cxxopts::value<std::string>())(
      "auto-fit", "rank the complexity catalog against each parametric benchmark's data")(
      "cpu",
      "pin each child to CPU N; 'auto': the last CPU this runner may use; 'none' (default): no "
      "pinning",
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
      cxxopts::value<std::string>())(
      "baseline-out", "write --baseline-exe's rows to FILE as JSONL (whole or not at all)",
      cxxopts::value<std::string>())(
      "adapter",
      "native (default): EXE was built with benchgate_add_benchmark(); google-benchmark: EXE "
      "is a Google Benchmark executable (BENCHMARK_MAIN), measured one instance per child",
      cxxopts::value<std::string>()->default_value("native"))(
      "benchmark-filter",
      "with --adapter google-benchmark: only the instances matching this regular expression "
      "(Google Benchmark's --benchmark_filter, applied when listing)",
      cxxopts::value<std::string>())("h,help", "show this help");
  options.parse_positional({"exe"});
  options.positional_help("EXE");
  return options;
}

// Built once: building cxxopts' specification costs far more than parsing with it. Parsing
// leaves it as it was (each parse keeps its values in its own ParseResult).
cxxopts::Options& run_options() {
  static cxxopts::Options options = make_run_options();
  return options;
}

std::vector<std::string> unique(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

CpuPin parse_cpu(const std::string& text) {
  CpuPin pin;
  if (text == "auto") {
    pin.mode = CpuPin::Mode::last_allowed;
  } else if (text != "none") {
    pin.mode = CpuPin::Mode::fixed;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
      throw UsageError("--cpu '" + text + "': must be auto, none or a CPU number in [0, 1023]");
    pin.cpu = static_cast<int>(parse_count("cpu", text, 0, 1023));
  }
  return pin;
}

double parse_total_seconds(const std::string& text) {
  const auto v = read_decimal(text);
  if (!v) {
    throw UsageError("--total-seconds '" + text + "': must be a number of seconds in [0, " +
                     std::to_string(static_cast<std::uint64_t>(kMaxTotalSeconds)) + "]");
  }
  if (auto error = validate_total_seconds(*v)) throw UsageError(*error);
  return *v;
}

}  // namespace

const char* to_string(AdapterKind kind) {
  switch (kind) {
    case AdapterKind::native: return "native";
    case AdapterKind::google_benchmark: return "google-benchmark";
  }
  return "native";
}

std::optional<AdapterKind> parse_adapter_kind(const std::string& text) {
  if (text == "native") return AdapterKind::native;
  if (text == "google-benchmark") return AdapterKind::google_benchmark;
  return std::nullopt;
}

bool operator==(const RunRequest& a, const RunRequest& b) {
  auto tie = [](const RunRequest& r) {
    return std::tie(r.exe, r.out, r.benches, r.filter, r.tags, r.overrides, r.total_seconds,
                    r.auto_fit, r.cpu, r.progress, r.quiet, r.measure, r.baseline_exe,
                    r.baseline_out, r.adapter, r.benchmark_filter);
  };
  return tie(a) == tie(b);
}

std::vector<std::string> to_argv(const std::string& runner, const RunRequest& r) {
  std::vector<std::string> argv{runner, "run"};
  // `--flag value`: cxxopts takes the argument after a flag that needs a value as it is, whatever
  // it holds (a leading dash, '=', a newline, nothing), while `--flag=value` must match its
  // option syntax, which a newline in the value breaks.
  auto add = [&](const std::string& flag, const std::string& value) {
    argv.insert(argv.end(), {"--" + flag, value});
  };
  if (r.out) add("out", *r.out);
  for (const auto& b : r.benches) add("bench", b);
  if (!r.filter.empty()) add("filter", r.filter);
  for (const auto& t : r.tags) add("tag", t);
  for (const OverrideFlag& f : override_flags()) {
    const auto it = r.overrides.values.find(f.name);
    if (it == r.overrides.values.end()) continue;
    if (f.kind == OverrideFlag::Kind::flag)
      argv.push_back(std::string("--") + f.name);
    else
      add(f.name, format_override(f, it->second));
  }
  if (r.total_seconds) add("total-seconds", exact_decimal(*r.total_seconds));
  if (r.auto_fit) argv.push_back("--auto-fit");
  if (r.cpu.mode == CpuPin::Mode::last_allowed) add("cpu", "auto");
  if (r.cpu.mode == CpuPin::Mode::fixed) add("cpu", std::to_string(r.cpu.cpu));
  if (r.progress) argv.push_back("--progress");
  if (r.quiet) argv.push_back("--quiet");
  if (r.measure != Measure::time) add("measure", to_string(r.measure));
  if (r.baseline_exe) add("baseline-exe", *r.baseline_exe);
  if (r.baseline_out) add("baseline-out", *r.baseline_out);
  if (r.adapter != AdapterKind::native) add("adapter", to_string(r.adapter));
  if (r.benchmark_filter) add("benchmark-filter", *r.benchmark_filter);
  argv.insert(argv.end(), {"--", r.exe});
  return argv;
}

std::optional<RunRequest> parse_run_request(const std::vector<std::string>& args) {
  const cxxopts::ParseResult p = parse_args(run_options(), args, "\n" + std::string(kRunnerUsage));
  if (p.count("help")) return std::nullopt;
  if (!p.count("exe"))
    throw UsageError(std::string("run needs the benchmark executable\n") + kRunnerUsage);
  auto text = [&](const char* flag) { return p[flag].as<std::string>(); };
  RunRequest r;
  r.exe = text("exe");
  if (p.count("out")) r.out = text("out");
  if (p.count("bench")) r.benches = unique(p["bench"].as<VerbatimArgs>().items);
  r.filter = text("filter");
  if (p.count("tag")) r.tags = unique(p["tag"].as<VerbatimArgs>().items);
  for (const OverrideFlag& f : override_flags()) {
    if (!p.count(f.name)) continue;
    r.overrides.values[f.name] =
        f.kind == OverrideFlag::Kind::flag ? OverrideValue(true) : parse_override(f, text(f.name));
  }
  if (p.count("total-seconds")) r.total_seconds = parse_total_seconds(text("total-seconds"));
  r.auto_fit = p.count("auto-fit") > 0;
  r.cpu = parse_cpu(text("cpu"));
  r.progress = p.count("progress") > 0;
  r.quiet = p.count("quiet") > 0;
  const auto measure = parse_measure(text("measure"));
  if (!measure) {
    throw UsageError("--measure '" + text("measure") + "': must be time or instructions");
  }
  r.measure = *measure;
  if (p.count("baseline-exe") != p.count("baseline-out")) {
    throw UsageError(p.count("baseline-exe")
                         ? "--baseline-exe needs --baseline-out FILE (where its rows go)"
                         : "--baseline-out needs --baseline-exe EXE2 (what to measure)");
  }
  if (p.count("baseline-exe")) {
    r.baseline_exe = text("baseline-exe");
    r.baseline_out = text("baseline-out");
  }
  const auto adapter = parse_adapter_kind(text("adapter"));
  if (!adapter) {
    throw UsageError("--adapter '" + text("adapter") + "': must be native or google-benchmark");
  }
  r.adapter = *adapter;
  if (p.count("benchmark-filter")) {
    if (r.adapter != AdapterKind::google_benchmark) {
      throw UsageError(
          "--benchmark-filter needs --adapter google-benchmark (for native "
          "executables use --filter or --bench)");
    }
    r.benchmark_filter = text("benchmark-filter");
  }
  return r;
}

std::string run_help() {
  return run_options().help();
}

}  // namespace benchgate
