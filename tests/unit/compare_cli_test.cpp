// Tests compare/cli.hpp: benchgate-compare's command line parsed into a CompareRequest, its
// defaults (time threshold, --confirm), values kept whole, and each refused flag named.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "cli.hpp"
#include "printers.hpp"
#include "request_printers.hpp"

namespace {

using namespace benchgate;
using benchgate::test::contains;
using benchgate::test::usage_error;
using Argv = std::vector<std::string>;

// benchgate-compare BASELINE CURRENT followed by `args`.
CompareRequest parse(const Argv& args) {
  Argv argv{"benchgate-compare", "base.jsonl", "cur.jsonl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = parse_compare_request(argv);
  REQUIRE(r);
  return *r;
}

std::string parse_error(const Argv& args) {
  return usage_error([&] { (void)parse(args); });
}

}  // namespace

TEST_CASE("compare args: BASELINE and CURRENT alone give the defaults") {
  const CompareRequest r = parse({});
  CHECK(r.baseline == "base.jsonl");
  CHECK(r.current == "cur.jsonl");
  CHECK_FALSE(r.write_baseline);
  CHECK(r.options.time_threshold == kDefaultTimeThreshold);
  CHECK(kDefaultTimeThreshold == 0.10);
  CHECK(r.options.rss_threshold == 0.05);
  CHECK(r.options.alloc_threshold == std::nullopt);
  CHECK(r.options.instructions_threshold == 0.01);
  CHECK(r.options.alpha == 0.01);
  CHECK(r.format == ReportFormat::text);
  CHECK(r.output == std::nullopt);
  CHECK(r.html == std::nullopt);
  CHECK(r.confirm == 0);
  CHECK(r.runner == std::nullopt);
  CHECK(r.exe == std::nullopt);
  CHECK(r.baseline_exe == std::nullopt);
  CHECK(r.runner_args.empty());
}

TEST_CASE("compare args: the time threshold is 5 percent with --baseline-exe") {
  const CompareRequest r = parse({"--baseline-exe", "./old"});
  CHECK(r.options.time_threshold == kDefaultAbTimeThreshold);
  CHECK(kDefaultAbTimeThreshold == 0.03);
  CHECK(r.baseline_exe == std::optional<std::string>("./old"));
}

TEST_CASE("compare args: an explicit --time-threshold wins with or without --baseline-exe") {
  CHECK(parse({"--time-threshold", "20%"}).options.time_threshold == doctest::Approx(0.20));
  CHECK(parse({"--time-threshold", "20%", "--baseline-exe", "./old"}).options.time_threshold ==
        doctest::Approx(0.20));
  CHECK(parse({"--baseline-exe", "./old", "--time-threshold=0.1"}).options.time_threshold ==
        doctest::Approx(0.10));
}

TEST_CASE("compare args: --confirm is 1 with --runner and --exe, else 0, and looks are one more") {
  CHECK(parse({"--runner", "./runner", "--exe", "./bench"}).confirm == 1);
  CHECK(parse({"--runner", "./runner", "--exe", "./bench"}).options.looks == 2);
  CHECK(parse({"--runner", "./runner", "--exe", "./bench", "--confirm", "0"}).options.looks == 1);
  CHECK(parse({"--runner", "./runner"}).confirm == 0);
  CHECK(parse({"--exe", "./bench"}).confirm == 0);
  const CompareRequest r = parse({"--runner", "./runner", "--exe", "./bench"});
  CHECK(r.runner == std::optional<std::string>("./runner"));
  CHECK(r.exe == std::optional<std::string>("./bench"));
}

TEST_CASE("compare args: an explicit --confirm wins, 0 included") {
  CHECK(parse({"--runner", "./runner", "--exe", "./bench", "--confirm", "0"}).confirm == 0);
  CHECK(parse({"--runner", "./runner", "--exe", "./bench", "--confirm", "3"}).confirm == 3);
  CHECK(parse({"--confirm", "0"}).confirm == 0);
  CHECK(parse({"--runner", "./runner", "--exe", "./bench", "--confirm=100"}).confirm == 100);
}

TEST_CASE("compare args: --confirm above 0 without --runner or --exe is a usage error") {
  const std::string expected =
      "--confirm needs --runner (benchgate-runner) and --exe (the benchmark executable)";
  CHECK(parse_error({"--confirm", "2"}) == expected);
  CHECK(parse_error({"--confirm", "2", "--exe", "./bench"}) == expected);
  CHECK(parse_error({"--confirm", "1", "--runner", "./runner"}) == expected);
  CHECK(parse_error({"--runner", "./r", "--exe", "./b", "--confirm", "101"}) ==
        "--confirm '101': must be an integer in [0, 100]");
  CHECK(parse_error({"--runner", "./r", "--exe", "./b", "--confirm", "-1"}) ==
        "--confirm '-1': must be an integer in [0, 100]");
}

TEST_CASE("compare args: --runner-arg values are kept whole, commas included") {
  CHECK(parse({"--runner-arg=--param-list", "--runner-arg=1024,4096"}).runner_args ==
        Argv{"--param-list", "1024,4096"});
  CHECK(parse({"--runner-arg=--filter=a b=c", "--runner-arg", "x,y,z", "--runner-arg=-"})
            .runner_args == Argv{"--filter=a b=c", "x,y,z", "-"});
}

TEST_CASE("compare args: --format takes text, markdown or json") {
  CHECK(parse({"--format", "text"}).format == ReportFormat::text);
  CHECK(parse({"--format", "markdown"}).format == ReportFormat::markdown);
  CHECK(parse({"--format=json"}).format == ReportFormat::json);
  CHECK(parse_error({"--format", "html"}) == "--format 'html': must be text, markdown or json");
  CHECK(parse_error({"--format", "JSON"}) == "--format 'JSON': must be text, markdown or json");
}

TEST_CASE("compare args: thresholds, floors and alpha are read and refused by name") {
  const CompareRequest r = parse({"--rss-threshold",
                                  "12.5%",
                                  "--alloc-threshold",
                                  "0",
                                  "--instructions-threshold",
                                  "2%",
                                  "--min-time-delta",
                                  "1e3",
                                  "--min-rss-delta",
                                  "64",
                                  "--min-alloc-delta",
                                  "8",
                                  "--alpha",
                                  "0.05",
                                  "--run-spread",
                                  "0",
                                  "--ignore-env",
                                  "--fail-on-missing",
                                  "--fail-on-hash-change",
                                  "--output",
                                  "report.txt",
                                  "--html",
                                  "report.html"});
  CHECK(r.options.rss_threshold == doctest::Approx(0.125));
  CHECK(r.options.alloc_threshold == std::optional<double>(0.0));
  CHECK(r.options.instructions_threshold == doctest::Approx(0.02));
  CHECK(r.options.min_time_delta_ns == 1000.0);
  CHECK(r.options.min_rss_delta_kb == 64.0);
  CHECK(r.options.min_alloc_delta_bytes == 8.0);
  CHECK(r.options.alpha == 0.05);
  CHECK(r.options.run_spread == 0.0);
  CHECK(parse({}).options.run_spread == kPriorRunSpread);
  CHECK(r.options.ignore_env);
  CHECK(r.options.fail_on_missing);
  CHECK(r.options.fail_on_hash_change);
  CHECK(r.output == std::optional<std::string>("report.txt"));
  CHECK(r.html == std::optional<std::string>("report.html"));
  CHECK(parse_error({"--time-threshold", "ten"}) ==
        "--time-threshold 'ten': must be a percentage like 5% or a fraction like 0.05, from 0 to "
        "1000%");
  CHECK(parse_error({"--min-time-delta", "-1"}) ==
        "--min-time-delta '-1': must be a number >= 0 (nanoseconds)");
  CHECK(parse_error({"--min-rss-delta", "x"}) ==
        "--min-rss-delta 'x': must be a number >= 0 (KiB)");
  CHECK(parse_error({"--alpha", "0.5"}) == "--alpha '0.5': must be a number in (0, 0.5)");
  CHECK(parse_error({"--alpha", "0"}) == "--alpha '0': must be a number in (0, 0.5)");
  CHECK(parse_error({"--run-spread", "-3%"}) ==
        "--run-spread '-3%': must be a percentage like 5% or a fraction like 0.05, from 0 to "
        "1000%");
}

TEST_CASE("compare args: --write-baseline reads the gate's rule and skips the report's flags") {
  const CompareRequest r = parse({"--write-baseline", "--format", "bogus", "--time-threshold",
                                  "40%", "--rss-threshold", "7%", "--confirm", "3"});
  CHECK(r.write_baseline);
  CHECK_FALSE(r.all);
  CHECK(r.baseline == "base.jsonl");
  CHECK(r.current == "cur.jsonl");
  CHECK(r.confirm == 0);
  CHECK(r.options.time_threshold == doctest::Approx(0.40));
  CHECK(r.options.rss_threshold == doctest::Approx(0.07));
  // The first of the looks the compare test plans: 1 + --confirm, by default 1 + one rerun.
  CHECK(r.options.looks == 4);
  CHECK(parse({"--write-baseline"}).options.looks == 1 + kDefaultReruns);
  CHECK(parse({"--write-baseline", "--all"}).all);
  CHECK(parse_error({"--write-baseline", "--time-threshold", "x"}) ==
        "--time-threshold 'x': must be a percentage like 5% or a fraction like 0.05, from 0 to "
        "1000%");
  CHECK(parse_error({"--all"}) == "--all goes with --write-baseline");
}

TEST_CASE("compare args: --help gives no request, a missing or extra path is a usage error") {
  CHECK_FALSE(parse_compare_request({"benchgate-compare", "--help"}));
  CHECK_FALSE(parse_compare_request({"benchgate-compare", "-h", "a", "b"}));
  CHECK(usage_error([] {
          (void)parse_compare_request({"benchgate-compare", "base.jsonl"});
        }) == "need BASELINE and CURRENT (see --help)");
  CHECK(usage_error([] { (void)parse_compare_request({"benchgate-compare"}); }) ==
        "need BASELINE and CURRENT (see --help)");
  CHECK(parse_error({"third.jsonl"}) == "unexpected argument 'third.jsonl' (see --help)");
  const std::string unknown = parse_error({"--treshold", "5%"});
  CHECK(contains(unknown, "treshold"));
  CHECK(contains(unknown, "(see --help)"));
}
