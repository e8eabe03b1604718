// Integration: the measurement engine of issue 5 on real children — the auto schedule turning
// linear on an exponential function, the verdict on a quadratic function declared linear, the
// --total-seconds budget cutting a minute-long suite, and the inert-flag note of a custom
// schedule.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "helpers.hpp"

using namespace benchgate;
using namespace benchgate::testing;

namespace {

struct Run {
  SpawnResult process;
  std::vector<Row> rows;
  double seconds = 0;
};

Run run_engine(const std::string& name, std::vector<std::string> args) {
  const auto dir = scratch_dir("engine-" + name);
  const auto out = dir / "rows.jsonl";
  std::vector<std::string> argv{BENCHGATE_RUNNER, "run", BENCHGATE_ENGINE_BENCH, "--out",
                                out.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto start = std::chrono::steady_clock::now();
  Run r;
  r.process = run_tool(argv, std::chrono::seconds(300));
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (std::filesystem::exists(out)) r.rows = read_rows(out.string());
  return r;
}

}  // namespace

TEST_CASE(
    "engine: an exponential function resolves to linear and lands 8+ verdict rows under a 1 s "
    "cap") {
  const Run r = run_engine("exponential", {"--bench", "engine.exponential", "--quiet"});
  INFO(r.process.stdout_tail << r.process.stderr_tail);
  REQUIRE(r.process.exit_code == 0);
  CHECK(has(r.process.stdout_tail, "[schedule: linear (auto)]"));
  std::size_t verdict_rows = 0;
  for (const Row& row : r.rows) {
    if (row.status == RowStatus::ok && row.part_of_verdict == true) ++verdict_rows;
  }
  CHECK(verdict_rows >= 8);
  // The probe rows are kept, marked, and shown as such.
  CHECK(std::any_of(r.rows.begin(), r.rows.end(),
                    [](const Row& row) { return row.part_of_verdict == false; }));
  CHECK(has(r.process.stdout_tail, "[probe]"));
}

TEST_CASE("engine: a quadratic function declared linear is inconclusive and looks slower") {
  const Run r = run_engine("quadratic", {"--bench", "engine.quadratic_declared_linear", "--quiet"});
  INFO(r.process.stdout_tail << r.process.stderr_tail);
  REQUIRE(r.process.exit_code == 0);
  CHECK(has(r.process.stdout_tail, "verdict: inconclusive"));
  CHECK(has(r.process.stdout_tail, "looks slower than declared"));
}

TEST_CASE("engine: --total-seconds 5 ends a minute-long suite within the budget, the cap and 1 s") {
  const Run r =
      run_engine("budget", {"--filter", "engine.slow", "--total-seconds", "5", "--quiet"});
  INFO(r.process.stdout_tail << r.process.stderr_tail);
  CHECK(r.process.exit_code == 0);  // truncated and skipped benchmarks are not broken
  // The budget covers measuring, not listing the executable: allow the cap (2 s) and 1 s more.
  CHECK(r.seconds < 5 + 2 + 1);
  CHECK(has(r.process.stdout_tail, "budget: 5.000s"));
  CHECK(has(r.process.stdout_tail, "[budget truncated]"));
  CHECK(has(r.process.stdout_tail, "[budget skip] engine.slow_c"));
  CHECK_FALSE(r.rows.empty());
}

TEST_CASE("engine: --param-ceiling on a custom schedule prints the inert-flag note") {
  const Run r =
      run_engine("custom", {"--bench", "engine.custom", "--param-ceiling", "64", "--quiet"});
  INFO(r.process.stderr_tail);
  REQUIRE(r.process.exit_code == 0);
  CHECK(has(r.process.stderr_tail, "note:"));
  CHECK(has(r.process.stderr_tail, "--param-ceiling"));
  // The custom params still ran as declared, 256 above the ceiling included.
  std::vector<std::uint64_t> params;
  for (const Row& row : r.rows) params.push_back(*row.param);
  CHECK(std::find(params.begin(), params.end(), 256) != params.end());
}

TEST_CASE("engine: verify runs every benchmark in capped children and names each failure") {
  const auto faults = run_tool({BENCHGATE_RUNNER, "verify", BENCHGATE_FAULT_BENCH});
  INFO(faults.stdout_tail << faults.stderr_tail);
  CHECK(faults.exit_code == 1);
  CHECK(has(faults.stdout_tail, "[ok ] fault.segv_at_8"));  // params 0 and 1 are fine
  CHECK(has(faults.stdout_tail, "[FAIL] fault.sleep_past_cap"));
  CHECK(has(faults.stdout_tail, "killed at the max_seconds_per_call cap (1 s) at param=0"));
  CHECK(has(faults.stdout_tail, "[FAIL] fault.throws  [fixed]"));
  CHECK(has(faults.stdout_tail, "benchmark threw: fixture failure"));
  CHECK(has(faults.stdout_tail, "benchmark(s) failed verification"));
  const auto fine =
      run_tool({BENCHGATE_RUNNER, "verify", BENCHGATE_ENGINE_BENCH, "--bench", "engine.custom"});
  INFO(fine.stdout_tail << fine.stderr_tail);
  CHECK(fine.exit_code == 0);
  CHECK(has(fine.stdout_tail, "all 1 benchmark(s) passed"));
}

TEST_CASE("engine: every override flag is validated, naming the flag, the value and the range") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--warmup-fraction", "1"}, "--warmup-fraction '1': must be a number in [0, 1)"},
      {{"--slope-tolerance", "0"}, "--slope-tolerance '0': must be a number in (0, 100]"},
      {{"--narrow-range-noise-floor", "0.5"},
       "--narrow-range-noise-floor '0.5': must be a number in [1, 1e+06]"},
      {{"--signal-floor-multiplier", "abc"},
       "--signal-floor-multiplier 'abc': must be a number in [1, 1e+06]"},
      {{"--param-schedule", "custom"},
       "--param-schedule 'custom': must be auto, doubling or linear"},
      {{"--linear-samples", "0"}, "--linear-samples '0': must be an integer in [1, 1000000]"},
      {{"--warmup", "maybe"}, "--warmup 'maybe': must be on or off"},
      {{"--min-total-seconds", "-1"}, "--min-total-seconds '-1': must be a number in [0, 86400]"},
      {{"--expected-hash", "0xZZ"}, "--expected-hash '0xZZ': must be 0x followed by 1 to 16 hex"},
      {{"--total-seconds", "-5"}, "--total-seconds '-5'"},
      {{"--total-seconds", "soon"}, "--total-seconds 'soon': must be a number of seconds in [0, "},
      {{"--tag", "no-such-tag"}, "--tag no-such-tag matches no benchmark"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv{BENCHGATE_RUNNER, "run", BENCHGATE_ENGINE_BENCH};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const auto r = run_tool(argv, std::chrono::seconds(60));
    CAPTURE(c.args.front());
    INFO(r.stderr_tail);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, c.message));
  }
}
