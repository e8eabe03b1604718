// Integration: gate-only adoption (issue 19). A real Google Benchmark executable
// (tests/fixtures/gbench_json_bench.cpp) writes its JSON files as a team's CI already does, and
// benchgate-compare gates them: two runs of one build never fail, four times the work exits 1,
// files without repetitions are handled and say why time is undecided, malformed files exit 2
// with file:line, and --write-baseline refuses them. No absolute time and no tight ratio is
// asserted: the slowdown is four times the work, the threshold 100%.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;

namespace {

// Runs the fixture into `out` (JSON), with --benchmark_repetitions=`repetitions` when above 1.
void run_bench(const char* exe, const fs::path& out, int repetitions) {
  std::vector<std::string> argv{exe, "--benchmark_out=" + out.string(),
                                "--benchmark_out_format=json", "--benchmark_min_time=0.01"};
  if (repetitions > 1) argv.push_back("--benchmark_repetitions=" + std::to_string(repetitions));
  const SpawnResult r = testing::run_tool(argv);
  INFO(r.stderr_tail);
  REQUIRE(r.exited);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::exists(out));
}

SpawnResult compare(std::vector<std::string> args) {
  args.insert(args.begin(), BENCHGATE_COMPARE);
  return testing::run_tool(std::move(args), std::chrono::seconds(60));
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("gbench json cli: A/A of one build never fails, four times the work exits 1") {
  const fs::path dir = testing::scratch_dir("gbench-json-ab");
  run_bench(BENCHGATE_GBENCH_BENCH, dir / "a.json", 10);
  run_bench(BENCHGATE_GBENCH_BENCH, dir / "b.json", 10);
  run_bench(BENCHGATE_GBENCH_BENCH_SLOW, dir / "slow.json", 10);

  const SpawnResult aa = compare({(dir / "a.json").string(), (dir / "b.json").string(),
                                  "--time-threshold", "100%", "--format", "json"});
  INFO(aa.stdout_tail, aa.stderr_tail);
  REQUIRE(aa.exited);
  CHECK(aa.exit_code == 0);
  // Every key of both files; aggregates (mean, median, stddev, cv) are not samples: 10 a side.
  for (const char* key :
       {"\"function\": \"BM_mix/*\",\n            \"param\": 64",
        "\"function\": \"BM_mix/*\",\n            \"param\": 512", "\"function\": \"BM_fixed\""}) {
    CHECK(testing::has(aa.stdout_tail, key));
  }
  CHECK(testing::has(aa.stdout_tail, "\"n_baseline\": 10,\n                \"n_current\": 10"));
  CHECK_FALSE(testing::has(aa.stdout_tail, "\"n_baseline\": 14"));
  // Counters in the report, and RSS said not gated.
  CHECK(testing::has(aa.stdout_tail, "\"bytes_per_second\": {"));
  CHECK(testing::has(aa.stdout_tail, "\"items_per_second\": {"));
  CHECK(
      testing::has(aa.stdout_tail, "\"rounds\": {\n                    \"baseline_median\": 64.0"));
  CHECK(testing::has(aa.stdout_tail,
                     "peak RSS of 3 of 3 keys not gated: both sides are Google Benchmark JSON"));

  const SpawnResult slow = compare(
      {(dir / "a.json").string(), (dir / "slow.json").string(), "--time-threshold", "100%"});
  INFO(slow.stdout_tail, slow.stderr_tail);
  REQUIRE(slow.exited);
  CHECK(slow.exit_code == 1);
  CHECK(testing::has(slow.stdout_tail, "REGRESSED  BM_fixed"));
  CHECK(testing::has(slow.stdout_tail, "REGRESSED  BM_mix/*"));
  CHECK(testing::has(slow.stdout_tail, "counters (median, not gated): bytes_per_second "));
  CHECK(testing::has(slow.stdout_tail, "FAIL: 3 key(s) fail the gate"));
}

TEST_CASE("gbench json cli: files without repetitions never fail and say to add them") {
  const fs::path dir = testing::scratch_dir("gbench-json-one");
  run_bench(BENCHGATE_GBENCH_BENCH, dir / "a.json", 1);
  run_bench(BENCHGATE_GBENCH_BENCH_SLOW, dir / "b.json", 1);
  // Even four times the work: one sample a side decides nothing, and the gate says why.
  const SpawnResult r = compare({(dir / "a.json").string(), (dir / "b.json").string()});
  INFO(r.stdout_tail, r.stderr_tail);
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(testing::has(r.stdout_tail,
                     "WARNING: time of 3 of 3 keys undecided with one sample on a side"));
  CHECK(testing::has(r.stdout_tail, "run both sides with --benchmark_repetitions=10"));
}

TEST_CASE("gbench json cli: a malformed file exits 2 with file:line, --write-baseline refuses") {
  const fs::path dir = testing::scratch_dir("gbench-json-bad");
  run_bench(BENCHGATE_GBENCH_BENCH, dir / "good.json", 1);
  const std::string text = read(dir / "good.json");
  // Cut short inside the entry of BM_fixed, as by a run that crashed.
  const std::size_t cut = text.find("\"name\": \"BM_fixed\"");
  REQUIRE(cut != std::string::npos);
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(cut), '\n');
  std::ofstream(dir / "cut.json", std::ios::binary) << text.substr(0, cut + 10);
  const SpawnResult r = compare({(dir / "good.json").string(), (dir / "cut.json").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(
      testing::has(r.stderr_tail, (dir / "cut.json").string() + ":" + std::to_string(line) + ": "));
  CHECK(testing::has(r.stderr_tail, "was the benchmark run cut short?"));

  const SpawnResult w =
      compare({"--write-baseline", (dir / "base.jsonl").string(), (dir / "good.json").string()});
  REQUIRE(w.exited);
  CHECK(w.exit_code == 2);
  CHECK(testing::has(w.stderr_tail, "is Google Benchmark JSON; a baseline is benchgate rows"));
  CHECK_FALSE(fs::exists(dir / "base.jsonl"));
}
