// The compare command line: its cxxopts specification and parser.
#include "cli.hpp"

#include "benchgate/core/cli.hpp"
#include "benchgate/core/parse_args.hpp"

namespace benchgate {
namespace {

cxxopts::Options compare_options() {
  cxxopts::Options options(
      "benchgate-compare",
      "Compare current benchmark rows with a baseline; exit 1 on a regression.");
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
      "counter-threshold",
      "gate a custom counter: NAME=THRESHOLD:lower or NAME=THRESHOLD:higher (which direction is "
      "better), e.g. nodes_visited=5%:lower; repeatable",
      cxxopts::value<VerbatimArgs>())(
      "min-time-delta", "time changes smaller than this many ns never regress (default 0)",
      cxxopts::value<std::string>())(
      "min-rss-delta", "RSS changes smaller than this many KiB never regress (default 0)",
      cxxopts::value<std::string>())(
      "min-alloc-delta",
      "allocation changes smaller than this many bytes per call never regress (default 0)",
      cxxopts::value<std::string>())(
      "alpha", "false-alarm rate of a benchmark's time decision over all its looks (default 0.01)",
      cxxopts::value<std::string>())(
      "run-spread",
      "spread of a run's time between a baseline's recorded runs, assumed where it holds one run "
      "and the prior where it holds more (default 3%; 0: none)",
      cxxopts::value<std::string>())(
      "ignore-env", "compare times even when cpu_model, compiler or build_type differ")(
      "on-env-mismatch",
      "when they differ (and not --ignore-env): skip (report the gate skipped, exit 77 unless a "
      "key fails; default), fail, or warn (pass with a warning)",
      cxxopts::value<std::string>())("fail-on-missing",
                                     "a key in the baseline only fails the gate")(
      "fail-on-hash-change", "a changed result_hash fails the gate")(
      "format", "text, markdown or json (default text)",
      cxxopts::value<std::string>()->default_value("text"))(
      "output", "write the report to FILE instead of stdout", cxxopts::value<std::string>())(
      "results",
      "also write the result as PREFIX.json, .md, .junit.xml and .html, whatever the outcome",
      cxxopts::value<std::string>())(
      "accept", "the command that accepts the new numbers, shown with a failure",
      cxxopts::value<std::string>())(
      "collect",
      "collect the results (*.gate.json, from --results) under DIR (repeatable) into one "
      "Markdown report (stdout or --output), --html and --junit; compares nothing",
      cxxopts::value<VerbatimArgs>())("junit", "with --collect: write the merged JUnit XML to FILE",
                                      cxxopts::value<std::string>())(
      "html", "also write a self-contained HTML report with SVG plots to FILE",
      cxxopts::value<std::string>())(
      "confirm",
      "measure a benchmark whose time is undecided up to N more times, pooling the samples "
      "(default 1 with --runner and --exe, else 0)",
      cxxopts::value<std::string>())("runner", "benchgate-runner for --confirm",
                                     cxxopts::value<std::string>())(
      "exe", "the benchmark executable for --confirm", cxxopts::value<std::string>())(
      "baseline-exe",
      "for --confirm, when BASELINE came from `benchgate-runner run --baseline-exe EXE2`: EXE2; "
      "each rerun measures it too, alternating, and is judged against its rows",
      cxxopts::value<std::string>())(
      "runner-arg", "extra argument for the rerun (repeatable; write --runner-arg=--flag)",
      cxxopts::value<VerbatimArgs>())(
      "write-baseline",
      "write CURRENT's rows into BASELINE for the benchmarks the gate finds changed (thresholds as "
      "for the gate), keep the others' lines, and exit")(
      "add-run",
      "with --write-baseline: add CURRENT's run to BASELINE's recorded runs instead of replacing "
      "them (the gate then knows the spread between runs)")(
      "keep-runs", "with --add-run: the most recent runs kept, CURRENT's included (default 5)",
      cxxopts::value<std::string>())(
      "all",
      "with --write-baseline: write every benchmark from CURRENT, not only those the gate finds "
      "changed")("h,help", "show this help");
  options.parse_positional({"baseline", "current"});
  options.positional_help("BASELINE CURRENT");
  return options;
}

double threshold(const std::string& flag, const std::string& text) {
  if (const auto v = parse_threshold(text)) return *v;
  throw UsageError("--" + flag + " '" + text +
                   "': must be a percentage like 5% or a fraction like 0.05, from 0 to 1000%");
}

double floor_value(const std::string& flag, const std::string& text, const char* unit) {
  NumberRule rule;
  rule.unit = unit;
  return parse_number(flag, text, rule);
}

ReportFormat format_of(const std::string& text) {
  if (text == "text") return ReportFormat::text;
  if (text == "markdown") return ReportFormat::markdown;
  if (text == "json") return ReportFormat::json;
  throw UsageError("--format '" + text + "': must be text, markdown or json");
}

CompareOptions options_of(const cxxopts::ParseResult& p) {
  auto text = [&](const char* flag) { return p[flag].as<std::string>(); };
  CompareOptions o;
  if (p.count("baseline-exe")) o.time_threshold = kDefaultAbTimeThreshold;
  if (p.count("time-threshold"))
    o.time_threshold = threshold("time-threshold", text("time-threshold"));
  if (p.count("rss-threshold")) o.rss_threshold = threshold("rss-threshold", text("rss-threshold"));
  if (p.count("alloc-threshold"))
    o.alloc_threshold = threshold("alloc-threshold", text("alloc-threshold"));
  if (p.count("instructions-threshold")) {
    o.instructions_threshold = threshold("instructions-threshold", text("instructions-threshold"));
  }
  if (p.count("min-time-delta"))
    o.min_time_delta_ns = floor_value("min-time-delta", text("min-time-delta"), "nanoseconds");
  if (p.count("min-rss-delta"))
    o.min_rss_delta_kb = floor_value("min-rss-delta", text("min-rss-delta"), "KiB");
  if (p.count("min-alloc-delta")) {
    o.min_alloc_delta_bytes =
        floor_value("min-alloc-delta", text("min-alloc-delta"), "bytes per call");
  }
  if (p.count("alpha")) {
    NumberRule rule;
    rule.lo_open = rule.hi_open = true;
    rule.hi = 0.5;
    o.alpha = parse_number("alpha", text("alpha"), rule);
  }
  if (p.count("run-spread")) o.run_spread = threshold("run-spread", text("run-spread"));
  o.ignore_env = p.count("ignore-env") > 0;
  if (p.count("on-env-mismatch")) {
    const std::string v = text("on-env-mismatch");
    if (v == "fail")
      o.on_env_mismatch = OnEnvMismatch::fail;
    else if (v == "skip")
      o.on_env_mismatch = OnEnvMismatch::skip;
    else if (v == "warn")
      o.on_env_mismatch = OnEnvMismatch::warn;
    else
      throw UsageError("--on-env-mismatch '" + v + "': must be fail, skip or warn");
  }
  if (p.count("counter-threshold")) {
    for (const auto& item : p["counter-threshold"].as<VerbatimArgs>().items) {
      CounterGate g = parse_counter_threshold(item);
      for (const auto& other : o.counter_gates) {
        if (other.name == g.name)
          throw UsageError("--counter-threshold names counter '" + g.name + "' twice");
      }
      o.counter_gates.push_back(std::move(g));
    }
  }
  o.fail_on_missing = p.count("fail-on-missing") > 0;
  o.fail_on_hash_change = p.count("fail-on-hash-change") > 0;
  return o;
}

}  // namespace

std::optional<CompareRequest> parse_compare_request(const std::vector<std::string>& args) {
  cxxopts::Options options = compare_options();
  const cxxopts::ParseResult p = parse_args(options, args, " (see --help)");
  if (p.count("help")) return std::nullopt;
  auto optional = [&](const char* flag) {
    return p.count(flag) ? std::optional<std::string>(p[flag].as<std::string>()) : std::nullopt;
  };
  CompareRequest r;
  if (p.count("collect")) {
    if (p.count("baseline"))
      throw UsageError("--collect reads the results under its directories: no BASELINE/CURRENT");
    r.collect = p["collect"].as<VerbatimArgs>().items;
    r.output = optional("output");
    r.html = optional("html");
    r.junit = optional("junit");
    return r;
  }
  if (p.count("junit")) throw UsageError("--junit goes with --collect (see --results)");
  if (!p.count("baseline") || !p.count("current"))
    throw UsageError("need BASELINE and CURRENT (see --help)");
  r.baseline = p["baseline"].as<std::string>();
  r.current = p["current"].as<std::string>();
  r.write_baseline = p.count("write-baseline") > 0;
  r.add_run = p.count("add-run") > 0;
  if (p.count("keep-runs"))
    r.keep_runs = parse_count("keep-runs", p["keep-runs"].as<std::string>(), 2, 100);
  if ((r.add_run || p.count("keep-runs")) && !r.write_baseline)
    throw UsageError("--add-run and --keep-runs go with --write-baseline");
  if (p.count("keep-runs") && !r.add_run) throw UsageError("--keep-runs goes with --add-run");
  r.all = p.count("all") > 0;
  if (r.all && !r.write_baseline) throw UsageError("--all goes with --write-baseline");
  r.options = options_of(p);
  if (r.write_baseline) {
    // The gate's rule at its first look: as many looks planned as the compare test's (it passes
    // --runner and --exe), though writing measures nothing. The report's flags do not apply.
    const std::size_t reruns = p.count("confirm")
                                   ? parse_count("confirm", p["confirm"].as<std::string>(), 0, 100)
                                   : kDefaultReruns;
    r.options.looks = 1 + reruns;
    return r;
  }
  r.format = format_of(p["format"].as<std::string>());
  r.output = optional("output");
  r.html = optional("html");
  r.results = optional("results");
  if (p.count("accept")) r.accept = p["accept"].as<std::string>();
  r.runner = optional("runner");
  r.exe = optional("exe");
  r.baseline_exe = optional("baseline-exe");
  if (p.count("runner-arg")) r.runner_args = p["runner-arg"].as<VerbatimArgs>().items;
  // More looks need the runner and the executable: given both, they are on by default.
  r.confirm = r.runner && r.exe ? kDefaultReruns : 0;
  if (p.count("confirm")) {
    r.confirm = parse_count("confirm", p["confirm"].as<std::string>(), 0, 100);
    if (r.confirm > 0 && (!r.runner || !r.exe)) {
      throw UsageError(
          "--confirm needs --runner (benchgate-runner) and --exe (the benchmark executable)");
    }
  }
  r.options.looks = 1 + r.confirm;
  return r;
}

std::string compare_help() {
  return compare_options().help();
}

}  // namespace benchgate
