// Tests core/run_request.hpp and --cpu's resolution (runner/run_command.hpp): RunRequests survive
// to_argv and parse_run_request, every override flag by its table row, and each bad command line.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/overrides.hpp"
#include "benchgate/core/run_request.hpp"
#include "override_values.hpp"
#include "printers.hpp"
#include "request_printers.hpp"
#include "run_command.hpp"

namespace {

using namespace benchgate;
using benchgate::test::contains;
using benchgate::test::invalid_texts;
using benchgate::test::usage_error;
using benchgate::test::valid_values;
using Argv = std::vector<std::string>;

// What follows the runner's program name: `run` and its arguments, as main hands them over.
Argv rest_of(const Argv& argv) {
  return Argv(argv.begin() + 1, argv.end());
}

// The request as the runner reads it back from the argv compare would start it with.
RunRequest round_trip(const RunRequest& r) {
  const auto back = parse_run_request(rest_of(to_argv("benchgate-runner", r)));
  REQUIRE(back);
  return *back;
}

std::string run_error(const Argv& args) {
  Argv argv{"run"};
  argv.insert(argv.end(), args.begin(), args.end());
  return usage_error([&] { (void)parse_run_request(argv); });
}

// A request with every override flag set, each to its `round`-th valid value (cycling).
RunRequest every_override(std::size_t round) {
  RunRequest r;
  r.exe = "./bench";
  for (const OverrideFlag& f : override_flags()) {
    const auto values = valid_values(f);
    REQUIRE_FALSE(values.empty());
    r.overrides.values[f.name] = values[round % values.size()];
  }
  return r;
}

}  // namespace

TEST_CASE("run request: a default request is run, --, EXE and reads back the same") {
  RunRequest r;
  r.exe = "./bench";
  CHECK(to_argv("benchgate-runner", r) == Argv{"benchgate-runner", "run", "--", "./bench"});
  CHECK(round_trip(r) == r);
  // And the parser's defaults are the struct's.
  const auto parsed = parse_run_request({"run", "./bench"});
  REQUIRE(parsed);
  CHECK(*parsed == r);
}

TEST_CASE("run request: a request with every field set is pinned and reads back the same") {
  RunRequest r;
  r.exe = "./bench";
  r.out = "rows.jsonl";
  r.benches = {"sort.std_sort", "parse_corpus"};
  r.filter = "sort";
  r.tags = {"fast", "nightly"};
  r.overrides.values["outer-trials"] = std::uint64_t(3);
  r.overrides.values["cache-mode"] = CacheMode::cold;
  r.overrides.values["ignore-expected-hash"] = true;
  r.total_seconds = 600.5;
  r.auto_fit = true;
  r.cpu = CpuPin{CpuPin::Mode::fixed, 1};
  r.progress = true;
  r.quiet = true;
  r.measure = Measure::instructions;
  r.baseline_exe = "./old";
  r.baseline_out = "old.jsonl";
  r.adapter = AdapterKind::google_benchmark;
  r.benchmark_filter = "BM_Sort/.*";
  CHECK(to_argv("benchgate-runner", r) == Argv{"benchgate-runner",
                                               "run",
                                               "--out",
                                               "rows.jsonl",
                                               "--bench",
                                               "sort.std_sort",
                                               "--bench",
                                               "parse_corpus",
                                               "--filter",
                                               "sort",
                                               "--tag",
                                               "fast",
                                               "--tag",
                                               "nightly",
                                               "--outer-trials",
                                               "3",
                                               "--cache-mode",
                                               "cold",
                                               "--ignore-expected-hash",
                                               "--total-seconds",
                                               "600.5",
                                               "--auto-fit",
                                               "--cpu",
                                               "1",
                                               "--progress",
                                               "--quiet",
                                               "--measure",
                                               "instructions",
                                               "--baseline-exe",
                                               "./old",
                                               "--baseline-out",
                                               "old.jsonl",
                                               "--adapter",
                                               "google-benchmark",
                                               "--benchmark-filter",
                                               "BM_Sort/.*",
                                               "--",
                                               "./bench"});
  // A value that would read as a flag, an empty one, one with a newline: each as it is, after
  // its flag (the fuzzer found that `--filter=-x\ny` does not read back).
  RunRequest dashes;
  dashes.exe = "./bench";
  dashes.filter = "-x\ny";
  dashes.benches = {"", "--", "-"};
  CHECK(to_argv("benchgate-runner", dashes) == Argv{"benchgate-runner", "run", "--bench", "",
                                                    "--bench", "--", "--bench", "-", "--filter",
                                                    "-x\ny", "--", "./bench"});
  CHECK(round_trip(dashes) == dashes);
  CHECK(round_trip(r) == r);
}

TEST_CASE("run request: --cpu auto, CPU 0 and a zero budget read back the same") {
  RunRequest r;
  r.exe = "./bench";
  r.total_seconds = 0;
  r.cpu = CpuPin{CpuPin::Mode::last_allowed, 0};
  CHECK(round_trip(r) == r);
  r.cpu = CpuPin{CpuPin::Mode::fixed, 0};
  CHECK(round_trip(r).cpu == r.cpu);
  r.cpu = CpuPin{CpuPin::Mode::fixed, 1023};
  CHECK(round_trip(r).cpu == r.cpu);
  for (const double seconds : {0.1, 1e-05, 86400.0, 1.0 / 3, 31536000.0}) {
    r.total_seconds = seconds;
    INFO("total seconds: " << exact_decimal(seconds));
    CHECK(round_trip(r).total_seconds == std::optional<double>(seconds));
  }
}

TEST_CASE("run request: every override flag of the table reads back the value it was given") {
  std::size_t rounds = 0;
  for (const OverrideFlag& f : override_flags()) rounds = std::max(rounds, valid_values(f).size());
  REQUIRE(rounds >= 3);
  for (std::size_t round = 0; round < rounds; ++round) {
    const RunRequest r = every_override(round);
    INFO("request: " << doctest::toString(r));
    const RunRequest back = round_trip(r);
    CHECK(back == r);
    CHECK(back.overrides.values.size() == override_flags().size());
  }
}

TEST_CASE("run request: values with commas, spaces, equals signs and leading dashes stay whole") {
  RunRequest r;
  r.exe = "-bench, x=y";
  r.out = "-rows, a=b.jsonl";
  r.benches = {"--x", "a b", "c=d", "e,f", "-"};
  r.filter = "-a, b=c";
  r.tags = {"-t", "x,y", "p q=r"};
  r.baseline_exe = "--old exe";
  r.baseline_out = "-o,=.jsonl";
  const RunRequest back = round_trip(r);
  CHECK(back == r);
  CHECK(back.exe == "-bench, x=y");
  CHECK(back.benches == Argv{"--x", "a b", "c=d", "e,f", "-"});
  CHECK(back.filter == "-a, b=c");
  CHECK(back.tags == Argv{"-t", "x,y", "p q=r"});
}

TEST_CASE("run request: --bench a,b is one benchmark named a,b") {
  for (const Argv& args :
       {Argv{"run", "--bench", "a,b", "./bench"}, Argv{"run", "--bench=a,b", "./bench"}}) {
    const auto r = parse_run_request(args);
    REQUIRE(r);
    CHECK(r->benches == Argv{"a,b"});
  }
  const auto tags = parse_run_request({"run", "--tag", "x,y", "./bench"});
  REQUIRE(tags);
  CHECK(tags->tags == Argv{"x,y"});
}

TEST_CASE("run request: repeated --bench and --tag keep the first order and drop duplicates") {
  const auto r =
      parse_run_request({"run", "--bench", "z", "--bench", "a", "--tag", "t2", "--bench", "z",
                         "--bench=m", "--tag", "t1", "--tag", "t2", "--bench", "a", "./bench"});
  REQUIRE(r);
  CHECK(r->benches == Argv{"z", "a", "m"});
  CHECK(r->tags == Argv{"t2", "t1"});
}

TEST_CASE("run request: --help and -h give no request") {
  CHECK_FALSE(parse_run_request({"run", "--help"}));
  CHECK_FALSE(parse_run_request({"run", "-h"}));
  CHECK_FALSE(parse_run_request({"run", "./bench", "--outer-trials", "3", "--help"}));
}

TEST_CASE("run request: an unknown flag, a stray argument or no EXE end with the usage") {
  const std::string usage = kRunnerUsage;
  const std::string unknown = run_error({"--bogus", "./bench"});
  CHECK(contains(unknown, "bogus"));
  CHECK(contains(unknown, "\n" + usage));
  const std::string stray = run_error({"./bench", "./other"});
  CHECK(stray == "unexpected argument './other'\n" + usage);
  CHECK(run_error({"--quiet"}) == "run needs the benchmark executable\n" + usage);
  CHECK(run_error({}) == "run needs the benchmark executable\n" + usage);
}

TEST_CASE("run request: a flag missing its value names the flag") {
  const std::string what = run_error({"./bench", "--outer-trials"});
  CHECK(contains(what, "outer-trials"));
  CHECK(contains(what, kRunnerUsage));
}

TEST_CASE("run request: --baseline-exe and --baseline-out come together") {
  CHECK(run_error({"--baseline-exe", "./old", "./bench"}) ==
        "--baseline-exe needs --baseline-out FILE (where its rows go)");
  CHECK(run_error({"--baseline-out", "old.jsonl", "./bench"}) ==
        "--baseline-out needs --baseline-exe EXE2 (what to measure)");
}

TEST_CASE("run request: --adapter takes native or google-benchmark, and only the latter a filter") {
  const auto gb = parse_run_request({"run", "--adapter", "google-benchmark", "./bench"});
  REQUIRE(gb);
  CHECK(gb->adapter == AdapterKind::google_benchmark);
  CHECK_FALSE(gb->benchmark_filter);
  const auto native = parse_run_request({"run", "--adapter", "native", "./bench"});
  REQUIRE(native);
  CHECK(native->adapter == AdapterKind::native);
  CHECK(run_error({"--adapter", "catch2", "./bench"}) ==
        "--adapter 'catch2': must be native or google-benchmark");
  CHECK(contains(run_error({"--benchmark-filter", "BM_.*", "./bench"}),
                 "--benchmark-filter needs --adapter google-benchmark"));
  // An empty filter is a filter (it matches everything), kept apart from none.
  RunRequest empty;
  empty.exe = "./bench";
  empty.adapter = AdapterKind::google_benchmark;
  empty.benchmark_filter = "";
  CHECK(round_trip(empty) == empty);
}

TEST_CASE("run request: a bad --total-seconds, --cpu or --measure names flag, value and range") {
  CHECK(contains(run_error({"--total-seconds", "soon", "./bench"}),
                 "--total-seconds 'soon': must be a number of seconds in [0, "));
  CHECK(contains(run_error({"--total-seconds", "-1", "./bench"}),
                 "--total-seconds '-1': must be a number of seconds in [0, "));
  CHECK(contains(run_error({"--total-seconds", "40000000", "./bench"}),
                 "--total-seconds '40000000': must be a number of seconds in [0, 31536000]"));
  CHECK(run_error({"--cpu", "5000", "./bench"}) == "--cpu '5000': must be an integer in [0, 1023]");
  CHECK(run_error({"--cpu", "last", "./bench"}) ==
        "--cpu 'last': must be auto, none or a CPU number in [0, 1023]");
  CHECK(run_error({"--measure", "cycles", "./bench"}) ==
        "--measure 'cycles': must be time or instructions");
}

TEST_CASE("run request: an invalid value of each override flag names the flag and the value") {
  for (const OverrideFlag& f : override_flags()) {
    for (const std::string& text : invalid_texts(f)) {
      INFO("--" << std::string(f.name) << "=" << text);
      const std::string what = run_error({std::string("--") + f.name + "=" + text, "./bench"});
      CHECK(contains(what, std::string("--") + f.name + " '"));
      CHECK(contains(what, "': must "));
    }
  }
}

TEST_CASE("run request: the help lists every override flag and the run's own flags by name") {
  const std::string help = run_help();
  for (const OverrideFlag& f : override_flags()) {
    INFO("flag: " << std::string(f.name));
    CHECK(contains(help, std::string("--") + f.name));
  }
  for (const char* flag :
       {"--out", "--bench", "--filter", "--tag", "--total-seconds", "--auto-fit", "--cpu",
        "--progress", "--quiet", "--measure", "--baseline-exe", "--baseline-out"}) {
    INFO("flag: " << std::string(flag));
    CHECK(contains(help, flag));
  }
}

TEST_CASE("run request: --cpu none pins nothing, auto pins the last allowed CPU") {
  CHECK(resolve_cpu(CpuPin{}, {0, 1}) == std::nullopt);
  CHECK(resolve_cpu(CpuPin{}, {}) == std::nullopt);
  const CpuPin automatic{CpuPin::Mode::last_allowed, 0};
  CHECK(resolve_cpu(automatic, {0, 1, 3}) == std::optional<int>(3));
  CHECK(resolve_cpu(automatic, {5}) == std::optional<int>(5));
  CHECK(resolve_cpu(automatic, {}) == std::nullopt);
}

TEST_CASE("run request: a fixed --cpu must be one the runner may use") {
  CHECK(resolve_cpu(CpuPin{CpuPin::Mode::fixed, 1}, {0, 1}) == std::optional<int>(1));
  CHECK(resolve_cpu(CpuPin{CpuPin::Mode::fixed, 0}, {0, 2}) == std::optional<int>(0));
  const std::string what = usage_error([] {
    (void)resolve_cpu({CpuPin::Mode::fixed, 2}, {0, 1, 3});
  });
  CHECK(what == "--cpu '2': this runner may only use CPU(s) 0,1,3; or use auto or none");
}
