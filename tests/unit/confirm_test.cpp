// Tests compare/confirm.hpp's planning: RUNNER_ARGS read whole into the rerun's template, one plan
// per (function, cache mode) with its params and files, and every plan's argv read back by the
// runner.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/run_request.hpp"
#include "confirm.hpp"
#include "printers.hpp"
#include "request_printers.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::contains;
using benchgate::test::usage_error;
using Argv = std::vector<std::string>;
using U = std::vector<std::uint64_t>;

const std::string kScratch = "out/cur.jsonl.confirm";

Key parametric_key(const std::string& function, std::uint64_t param, CacheMode mode) {
  Key k;
  k.suite = "sort_bench";
  k.kind = RowKind::parametric;
  k.function = function;
  k.param = param;
  k.cache_mode = mode;
  return k;
}

Key fixed_key(const std::string& function) {
  Key k;
  k.suite = "sort_bench";
  k.kind = RowKind::fixed;
  k.function = function;
  return k;
}

// The keys of one gate round: two functions, one of them at two params in both cache modes (one
// key twice), and a fixed benchmark.
std::vector<Key> regressed_keys() {
  return {parametric_key("sort.std_sort", 4096, CacheMode::warm),
          parametric_key("sort.std_sort", 1024, CacheMode::warm),
          parametric_key("sort.std_sort", 4096, CacheMode::warm),
          parametric_key("sort.std_sort", 64, CacheMode::cold),
          parametric_key("sort.insertion", 8, CacheMode::warm),
          fixed_key("parse_corpus")};
}

RunRequest template_with_trials() {
  return rerun_template("./bench", {"--outer-trials", "3", "--max-seconds-per-call=2.5"});
}

// The plan measuring `function` in `mode` (nullopt: a fixed benchmark's plan).
const RerunPlan& plan_for(const std::vector<RerunPlan>& plans, const std::string& function,
                          std::optional<CacheMode> mode) {
  const auto it = std::find_if(plans.begin(), plans.end(), [&](const RerunPlan& p) {
    const auto m = p.request.overrides.values.find("cache-mode");
    const std::optional<CacheMode> plan_mode = m == p.request.overrides.values.end()
                                                   ? std::nullopt
                                                   : std::optional(std::get<CacheMode>(m->second));
    return p.request.benches == Argv{function} && plan_mode == mode;
  });
  REQUIRE_MESSAGE(it != plans.end(), "no plan for " << function);
  return *it;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("confirm: rerun_template keeps each RUNNER_ARGS value whole") {
  const RunRequest r =
      rerun_template("./bench", {"--param-list", "1024,4096", "--outer-trials", "3",
                                 "--filter=a b=c", "--bench=x,y", "--tag", "-t"});
  CHECK(r.exe == "./bench");
  CHECK(r.overrides.values.at("param-list") == OverrideValue(U{1024, 4096}));
  CHECK(r.overrides.values.at("outer-trials") == OverrideValue(std::uint64_t(3)));
  CHECK(r.overrides.values.size() == 2);
  CHECK(r.filter == "a b=c");
  CHECK(r.benches == Argv{"x,y"});
  CHECK(r.tags == Argv{"-t"});
}

TEST_CASE("confirm: rerun_template without RUNNER_ARGS is the default request over EXE") {
  RunRequest expected;
  expected.exe = "-odd exe, a=b";
  CHECK(rerun_template("-odd exe, a=b", {}) == expected);
}

TEST_CASE("confirm: RUNNER_ARGS the runner would refuse are a usage error naming --runner-arg") {
  const std::string bad_value = usage_error([] {
    (void)rerun_template("./bench", {"--outer-trials", "0"});
  });
  CHECK(contains(bad_value, "--runner-arg"));
  CHECK(contains(bad_value, "--outer-trials '0': must be an integer in [1, 1000]"));
  const std::string unknown = usage_error([] { (void)rerun_template("./bench", {"--bogus"}); });
  CHECK(contains(unknown, "--runner-arg"));
  CHECK(contains(unknown, "bogus"));
  const std::string stray = usage_error([] {
    (void)rerun_template("./bench", {"--param-list", "1024", "4096"});
  });
  CHECK(contains(stray, "--runner-arg"));
  CHECK(contains(stray, "unexpected argument '4096'"));  // the stray value, not EXE
  const std::string help = usage_error([] { (void)rerun_template("./bench", {"--help"}); });
  CHECK(contains(help, "--runner-arg"));
  CHECK(contains(help, "--help"));
}

TEST_CASE("confirm: plan_reruns makes one plan per function and cache mode") {
  const auto plans = plan_reruns(regressed_keys(), template_with_trials(), std::nullopt, kScratch);
  REQUIRE(plans.size() == 4);
  CHECK(plan_for(plans, "sort.std_sort", CacheMode::warm).keys == 2);
  CHECK(plan_for(plans, "sort.std_sort", CacheMode::cold).keys == 1);
  CHECK(plan_for(plans, "sort.insertion", CacheMode::warm).keys == 1);
  CHECK(plan_for(plans, "parse_corpus", std::nullopt).keys == 1);
}

TEST_CASE("confirm: a plan lists its keys' params sorted once in --param-list") {
  const auto plans = plan_reruns(regressed_keys(), template_with_trials(), std::nullopt, kScratch);
  const RunRequest& warm = plan_for(plans, "sort.std_sort", CacheMode::warm).request;
  CHECK(warm.overrides.values.at("param-list") == OverrideValue(U{1024, 4096}));
  CHECK(warm.overrides.values.at("cache-mode") == OverrideValue(CacheMode::warm));
  const RunRequest& cold = plan_for(plans, "sort.std_sort", CacheMode::cold).request;
  CHECK(cold.overrides.values.at("param-list") == OverrideValue(U{64}));
  CHECK(cold.overrides.values.at("cache-mode") == OverrideValue(CacheMode::cold));
  // A fixed benchmark has no params and no cache mode to pin.
  const RunRequest& fixed = plan_for(plans, "parse_corpus", std::nullopt).request;
  CHECK_FALSE(fixed.overrides.has("param-list"));
  CHECK_FALSE(fixed.overrides.has("cache-mode"));
}

TEST_CASE("confirm: every plan is quiet, writes under the scratch prefix and keeps the template") {
  const auto plans = plan_reruns(regressed_keys(), template_with_trials(), std::nullopt, kScratch);
  std::vector<std::string> outs;
  for (const RerunPlan& plan : plans) {
    const RunRequest& r = plan.request;
    INFO("plan: " << doctest::toString(r));
    CHECK(r.exe == "./bench");
    CHECK(r.quiet);
    REQUIRE(r.out);
    CHECK(starts_with(*r.out, kScratch + "."));
    outs.push_back(*r.out);
    CHECK(r.overrides.values.at("outer-trials") == OverrideValue(std::uint64_t(3)));
    CHECK(r.overrides.values.at("max-seconds-per-call") == OverrideValue(2.5));
    CHECK(r.baseline_exe == std::nullopt);
    CHECK(r.baseline_out == std::nullopt);
  }
  std::sort(outs.begin(), outs.end());
  CHECK(std::adjacent_find(outs.begin(), outs.end()) == outs.end());  // one file per plan
}

TEST_CASE("confirm: with a baseline executable every plan measures it into its own file") {
  const auto plans = plan_reruns(regressed_keys(), template_with_trials(),
                                 std::optional<std::string>("./old bench"), kScratch);
  REQUIRE(plans.size() == 4);
  std::vector<std::string> files;
  for (const RerunPlan& plan : plans) {
    const RunRequest& r = plan.request;
    INFO("plan: " << doctest::toString(r));
    CHECK(r.baseline_exe == std::optional<std::string>("./old bench"));
    REQUIRE(r.baseline_out);
    REQUIRE(r.out);
    CHECK(starts_with(*r.baseline_out, kScratch + "."));
    files.push_back(*r.out);
    files.push_back(*r.baseline_out);
  }
  std::sort(files.begin(), files.end());
  CHECK(std::adjacent_find(files.begin(), files.end()) == files.end());
}

TEST_CASE("confirm: a plan's --param-list replaces the template's, other settings stay") {
  RunRequest base =
      rerun_template("./bench", {"--param-list", "1,2,3", "--param-schedule=linear", "--progress",
                                 "--cpu=auto", "--bench", "other", "--out", "elsewhere.jsonl"});
  const auto plans = plan_reruns({parametric_key("sort.std_sort", 512, CacheMode::cold)}, base,
                                 std::nullopt, kScratch);
  REQUIRE(plans.size() == 1);
  const RunRequest& r = plans[0].request;
  CHECK(r.benches == Argv{"sort.std_sort"});
  CHECK(r.overrides.values.at("param-list") == OverrideValue(U{512}));
  CHECK(r.overrides.values.at("param-schedule") == OverrideValue(ParamSchedule::Shape::linear));
  CHECK(r.cpu == CpuPin{CpuPin::Mode::last_allowed, 0});
  CHECK(r.quiet);
  CHECK(r.progress);
  REQUIRE(r.out);
  CHECK(starts_with(*r.out, kScratch + "."));
}

TEST_CASE("confirm: no keys, no plans") {
  CHECK(plan_reruns({}, template_with_trials(), std::nullopt, kScratch).empty());
}

TEST_CASE("confirm: each rerun's argv reads back as its plan's request") {
  const RunRequest base = rerun_template(
      "./bench", {"--param-list", "1024,4096", "--outer-trials", "3", "--filter=a b=c"});
  for (const std::optional<std::string>& baseline_exe :
       {std::optional<std::string>(), std::optional<std::string>("-old, a=b")}) {
    for (const RerunPlan& plan :
         plan_reruns(regressed_keys(), base, baseline_exe, "-scratch dir, x=y/cur")) {
      INFO("plan: " << doctest::toString(plan.request));
      const Argv argv = to_argv("benchgate-runner", plan.request);
      const auto back = parse_run_request(Argv(argv.begin() + 1, argv.end()));
      REQUIRE(back);
      CHECK(*back == plan.request);
    }
  }
}

TEST_CASE("confirm: scratch files go next to a CURRENT file, or inside a CURRENT directory") {
  CHECK(scratch_prefix("out/cur.jsonl") == "out/cur.jsonl.confirm");
  // A bare file name is a file in the working directory, not a directory to create.
  CHECK(scratch_prefix("cur.jsonl") == "cur.jsonl.confirm");
  const benchgate::test::TempDir dir;
  CHECK(scratch_prefix(dir.path().string()) == (dir.path() / "confirm").string() + ".confirm");
}
