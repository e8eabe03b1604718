// Named variants and thread benchmarks (issue 20), through the real runner and compare: each
// variant is its own key and is gated on its own; a thread benchmark's rows carry k, every
// thread's calls and the CPU time of all of them.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

using namespace benchgate;
using namespace benchgate::testing;
namespace fs = std::filesystem;

namespace {

std::vector<Row> run_shape(const std::string& exe, std::vector<std::string> args,
                           const fs::path& out) {
  // A signal floor of one spawn: under ASan a spawn takes ~16 ms, and the autotuned batches of
  // these quick functions may fall below the default ten (the run would then exit 1 with no
  // usable data); these tests check keys and counts, not precision.
  std::vector<std::string> argv{BENCHGATE_RUNNER,
                                "run",
                                exe,
                                "--quiet",
                                "--out",
                                out.string(),
                                "--signal-floor-multiplier",
                                "1"};
  argv.insert(argv.end(), args.begin(), args.end());
  const SpawnResult r = run_tool(argv, std::chrono::seconds(300));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exited);
  REQUIRE(r.exit_code == 0);
  return read_rows(out.string());
}

double median(std::vector<double> v) {
  REQUIRE_FALSE(v.empty());
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

TEST_CASE("shape: every variant of a product and a list is listed and measured under its name") {
  const SpawnResult list = run_tool({BENCHGATE_RUNNER, "list", BENCHGATE_SHAPE_BENCH});
  INFO(list.stdout_tail << list.stderr_tail);
  REQUIRE(list.exit_code == 0);
  for (const char* name :
       {"shape.work/kind:steady", "shape.work/kind:slowed", "shape.product/algo:a/scale:1",
        "shape.product/algo:a/scale:2", "shape.product/algo:b/scale:1",
        "shape.product/algo:b/scale:2", "shape.list/size:0.5/mode:x", "shape.list/size:2/mode:y",
        "shape.spin/threads:1", "shape.spin/threads:2", "shape.scan/threads:2"}) {
    CHECK(has(list.stdout_tail, name));
  }
  const fs::path dir = scratch_dir("shape_list");
  // --filter reaches a variant by its name.
  const auto rows = run_shape(BENCHGATE_SHAPE_BENCH, {"--filter", "size:0.5", "--repeats", "2"},
                              dir / "rows.jsonl");
  REQUIRE_FALSE(rows.empty());
  for (const Row& row : rows) {
    CHECK(row.function == "shape.list/size:0.5/mode:x");
    CHECK(row.status == RowStatus::ok);
    CHECK(row.variant == std::map<std::string, std::string>{{"size", "0.5"}, {"mode", "x"}});
    CHECK_FALSE(row.threads);
  }
}

TEST_CASE("shape: variants are keyed apart and gated apart") {
  const fs::path dir = scratch_dir("shape_gate");
  const std::vector<std::string> args{"--filter",    "shape.work/", "--param-list",
                                      "20000,80000", "--repeats",   "3"};
  const auto base = run_shape(copy_as(dir / "a", BENCHGATE_SHAPE_BENCH, "shape_bench"), args,
                              dir / "baseline.jsonl");
  const auto slower = run_shape(copy_as(dir / "b", BENCHGATE_SHAPE_BENCH_SLOWER, "shape_bench"),
                                args, dir / "current.jsonl");
  for (const auto* rows : {&base, &slower}) {
    std::map<std::string, int> per_key;
    for (const Row& row : *rows) {
      REQUIRE(row.status == RowStatus::ok);
      REQUIRE(row.variant);
      CHECK(row.function == "shape.work/kind:" + row.variant->at("kind"));
      ++per_key[row.function];
    }
    CHECK(per_key ==
          std::map<std::string, int>{{"shape.work/kind:slowed", 6}, {"shape.work/kind:steady", 6}});
  }
  // Four times the work in one variant: that key fails, the other does not. A 100% threshold
  // keeps the steady variant quiet on a noisy machine.
  const SpawnResult r = run_tool({BENCHGATE_COMPARE, (dir / "baseline.jsonl").string(),
                                  (dir / "current.jsonl").string(), "--time-threshold", "100%"});
  INFO(r.stdout_tail << r.stderr_tail);
  CHECK(r.exit_code == 1);
  // The status column is as wide as the widest status word, so lines are matched by their
  // start and the key.
  auto status_of = [&](const std::string& key) {
    std::istringstream lines(r.stdout_tail);
    std::vector<std::string> statuses;
    for (std::string line; std::getline(lines, line);) {
      if (line.find(" " + key + " ") == std::string::npos) continue;
      statuses.push_back(line.substr(0, line.find(' ')));
    }
    return statuses;
  };
  const auto slowed = status_of("shape_bench/shape.work/kind:slowed");
  REQUIRE_FALSE(slowed.empty());
  for (const auto& s : slowed) CHECK(s == "REGRESSED");
  const auto steady = status_of("shape_bench/shape.work/kind:steady");
  REQUIRE_FALSE(steady.empty());
  for (const auto& s : steady) CHECK(s != "REGRESSED");
  CHECK(has(r.stdout_tail, "shape_bench/shape.work/kind:steady n=80000"));
  // A/A of one build passes.
  fs::copy_file(dir / "baseline.jsonl", dir / "again.jsonl", fs::copy_options::overwrite_existing);
  const SpawnResult aa = run_tool({BENCHGATE_COMPARE, (dir / "baseline.jsonl").string(),
                                   (dir / "again.jsonl").string(), "--time-threshold", "100%"});
  INFO(aa.stdout_tail << aa.stderr_tail);
  CHECK(aa.exit_code == 0);
}

TEST_CASE("shape: thread benchmark rows carry k and a plausible CPU/wall ratio") {
  const fs::path dir = scratch_dir("shape_threads");
  const auto rows = run_shape(BENCHGATE_SHAPE_BENCH, {"--filter", "shape.spin/", "--repeats", "5"},
                              dir / "rows.jsonl");
  std::map<std::uint64_t, std::vector<double>> cpu_per_call;
  for (const Row& row : rows) {
    REQUIRE(row.status == RowStatus::ok);
    REQUIRE(row.threads);
    const std::uint64_t k = *row.threads;
    CHECK(row.function == "shape.spin/threads:" + std::to_string(k));
    REQUIRE(row.inner_repeats);
    REQUIRE(row.cpu_nanos);
    CHECK(*row.inner_repeats % k == 0);  // every thread made the same number of calls
    // Each call reported one counter from its own thread: one per call at every k.
    REQUIRE(row.counters);
    CHECK(row.counters->at("calls") == 1.0);
    // The process's CPU time over all threads: at most k cores' worth of the wall time.
    const double ratio = static_cast<double>(*row.cpu_nanos) / static_cast<double>(row.total_nanos);
    CAPTURE(ratio);
    CHECK(ratio > 0.0);
    CHECK(ratio <= static_cast<double>(k) * 1.15 + 0.05);
    cpu_per_call[k].push_back(static_cast<double>(*row.cpu_nanos) /
                              static_cast<double>(*row.inner_repeats));
  }
  REQUIRE(cpu_per_call.size() == 2);
  // A call costs the same CPU on 1 or 2 threads: the ratio would be 0.5 if only the calling
  // thread's CPU were counted, and 2 if the other threads' calls were not.
  const double cpu_ratio = median(cpu_per_call[2]) / median(cpu_per_call[1]);
  CAPTURE(cpu_ratio);
  CHECK(cpu_ratio > 0.7);
  CHECK(cpu_ratio < 1.45);
}

TEST_CASE("shape: A/B pairs of a thread benchmark share every thread's call count") {
  const fs::path dir = scratch_dir("shape_ab");
  const std::string current = copy_as(dir / "a", BENCHGATE_SHAPE_BENCH, "shape_bench");
  const std::string base = copy_as(dir / "b", BENCHGATE_SHAPE_BENCH_SLOWER, "shape_bench");
  const auto rows = run_shape(current,
                              {"--filter", "shape.scan/threads:2", "--param-list", "4000,8000",
                               "--repeats", "3", "--pair-seconds", "0", "--baseline-exe", base,
                               "--baseline-out", (dir / "base.jsonl").string()},
                              dir / "current.jsonl");
  const auto base_rows = read_rows((dir / "base.jsonl").string());
  REQUIRE(rows.size() == base_rows.size());
  REQUIRE_FALSE(rows.empty());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i);
    CHECK(rows[i].threads == std::uint64_t{2});
    CHECK(base_rows[i].threads == std::uint64_t{2});
    // The second child of a pair is given the first's inner_repeats (all threads' calls) and
    // splits it among its threads, so both make the same calls.
    CHECK(rows[i].inner_repeats == base_rows[i].inner_repeats);
  }
}
