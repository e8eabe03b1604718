// Integration: benchgate-runner --adapter google-benchmark against an unmodified Google
// Benchmark executable (tests/fixtures/gbench_adapter_bench.cpp): every instance gets its rows,
// with its counters, and with benchgate::gbench_memory linked, allocations and a peak RSS.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;

namespace {

struct GbenchRun {
  SpawnResult process;
  std::vector<Row> rows;
};

// One child per instance, short: enough to check what the rows carry, not to time anything.
GbenchRun run_gbench(const std::string& exe, const std::string& name,
                     std::vector<std::string> extra = {}) {
  const fs::path dir = testing::scratch_dir(name);
  const fs::path out = dir / "rows.jsonl";
  std::vector<std::string> argv{BENCHGATE_RUNNER,
                                "run",
                                exe,
                                "--adapter",
                                "google-benchmark",
                                "--out",
                                out.string(),
                                "--quiet",
                                "--target-inner-nanos",
                                "5000000",
                                "--outer-trials",
                                "1",
                                "--repeats",
                                "1"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  GbenchRun r;
  r.process = testing::run_tool(argv);
  if (fs::exists(out)) r.rows = read_rows(out.string());
  return r;
}

const Row* find(const std::vector<Row>& rows, const std::string& function,
                std::optional<std::uint64_t> param = std::nullopt) {
  for (const Row& r : rows) {
    if (r.function == function && r.param == param) return &r;
  }
  return nullptr;
}

// The keys of the fixture's instances (gbench_key of each listed name).
const std::vector<std::pair<std::string, std::optional<std::uint64_t>>> kKeys = {
    {"BM_Sum/*", 64},         {"BM_Sum/*", 1024},
    {"BM_Sum/*", 4096},       {"BM_Args/*/2", 256},
    {"BM_Alloc/*", 4096},     {"Numbers/Sum/*", 512},
    {"Fixed/Sum", {}},        {"BM_Template<int>/*", 128},
    {"BM_Capture/small", {}}, {"BM_Threads/*/threads:2", 256}};

}  // namespace

TEST_CASE("gbench: every instance of an unmodified executable gets an ok row with its counters") {
  const GbenchRun r = run_gbench(BENCHGATE_GBENCH_ADAPTER_BENCH, "gbench_rows");
  INFO(r.process.stderr_tail);
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  CHECK(r.rows.size() == kKeys.size());
  for (const auto& key : kKeys) {
    INFO(key.first);
    const Row* row = find(r.rows, key.first, key.second);
    REQUIRE(row != nullptr);
    CHECK(row->status == RowStatus::ok);
    CHECK(row->kind == (key.second ? RowKind::parametric : RowKind::fixed));
    CHECK(row->inner_repeats.value_or(0) > 0);
    CHECK(row->per_call_nanos.value_or(0) > 0);
    CHECK(row->cpu_nanos.has_value());
    CHECK(row->suite == std::string("benchgate_gbench_adapter_bench"));
  }
  const Row* sum = find(r.rows, "BM_Sum/*", 1024);
  REQUIRE(sum != nullptr);
  REQUIRE(sum->counters);
  CHECK(sum->counters->at("elements") == 1024);
  CHECK(sum->counters->at("bytes_per_second") > 0);
}

TEST_CASE("gbench: with gbench_memory linked, rows carry allocations and a peak without setup") {
  const GbenchRun r = run_gbench(BENCHGATE_GBENCH_ADAPTER_BENCH, "gbench_memory",
                                 {"--benchmark-filter", "BM_Alloc|BM_Sum/64"});
  INFO(r.process.stderr_tail);
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.rows.size() == 2);  // the filter reached the listing
  const Row* alloc = find(r.rows, "BM_Alloc/*", 4096);
  REQUIRE(alloc != nullptr);
  REQUIRE(alloc->alloc_count);
  REQUIRE(alloc->alloc_bytes);
  // One vector of 4096 bytes per iteration, at least.
  CHECK(*alloc->alloc_count >= *alloc->inner_repeats);
  CHECK(*alloc->alloc_bytes >= 4096 * *alloc->inner_repeats);
  for (const Row& row : r.rows) {
    REQUIRE(row.peak_rss_kb);
    CHECK(*row.peak_rss_kb > 0);
    REQUIRE(row.peak_rss_includes_setup);
    // Where the kernel refuses the reset (some sandboxes), the row says so instead.
    CHECK(*row.peak_rss_includes_setup == !fs::exists("/proc/self/clear_refs"));
  }
}

TEST_CASE("gbench: without gbench_memory, rows count no allocations and a peak includes setup") {
  const GbenchRun r = run_gbench(BENCHGATE_GBENCH_ADAPTER_BENCH_PLAIN, "gbench_plain",
                                 {"--benchmark-filter", "BM_Alloc"});
  INFO(r.process.stderr_tail);
  REQUIRE(r.rows.size() == 1);
  const Row& row = r.rows[0];
  CHECK(row.status == RowStatus::ok);
  CHECK_FALSE(row.alloc_count);
  CHECK_FALSE(row.alloc_bytes);
  // The child's ru_maxrss, when it can be told from the runner's own: then said to include setup.
  if (row.peak_rss_kb) CHECK(row.peak_rss_includes_setup == true);
  CHECK(row.peak_rss_includes_setup != false);
}

TEST_CASE("gbench: without --adapter, a Google Benchmark executable gets a hint to pass it") {
  const auto r = testing::run_tool({BENCHGATE_RUNNER, "list", BENCHGATE_GBENCH_ADAPTER_BENCH});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(testing::has(r.stderr_tail, "run --adapter google-benchmark"));
  CHECK_FALSE(testing::has(r.stderr_tail, "built with benchgate_add_benchmark()"));
}

TEST_CASE("gbench: a native-only flag is refused with the Google Benchmark adapter") {
  const auto r = testing::run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_GBENCH_ADAPTER_BENCH,
                                    "--adapter", "google-benchmark", "--measure", "instructions"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(testing::has(r.stderr_tail, "--measure instructions is not supported"));
}

// A/B in one run (`--baseline-exe`) with Google Benchmark executables: the base executable is
// listed with the same adapter and measured interleaved, instance by instance.

namespace {

struct AbRun {
  SpawnResult process;
  fs::path current;  // the rows files
  fs::path base;
};

// 4 trials or repeats per instance, in short batches: BM_Sum's 3 instances give 12 pairs, enough
// for the gate's interval; the other benchmarks' 4 pairs are too few (never failing, A/A too).
AbRun run_ab(const std::string& exe, const std::string& base_exe, const std::string& name) {
  const fs::path dir = testing::scratch_dir(name);
  AbRun r{{}, dir / "current.jsonl", dir / "base.jsonl"};
  r.process = testing::run_tool(
      {BENCHGATE_RUNNER, "run", exe, "--adapter", "google-benchmark", "--baseline-exe", base_exe,
       "--baseline-out", r.base.string(), "--out", r.current.string(), "--target-inner-nanos",
       "2000000", "--outer-trials", "4", "--repeats", "4"},
      std::chrono::seconds(300));
  return r;
}

// Generous thresholds: three times the work is far beyond them, an A/A comparison never near.
SpawnResult gate(const AbRun& r) {
  return testing::run_tool({BENCHGATE_COMPARE, r.base.string(), r.current.string(),
                            "--time-threshold", "50%", "--rss-threshold", "50%"},
                           std::chrono::seconds(300));
}

// How many rows of `rows` have the key (function, param) and the trial or repeat `which`.
std::size_t count_rows(const std::vector<Row>& rows, const std::string& function,
                       std::optional<std::uint64_t> param, std::uint64_t which) {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](const Row& row) {
    const std::uint64_t index = param ? row.trial_index.value_or(0) : row.repeat_index.value_or(0);
    return row.function == function && row.param == param && index == which;
  }));
}

}  // namespace

TEST_CASE("gbench ab: every instance is measured in both executables, pair by pair") {
  const AbRun r = run_ab(BENCHGATE_GBENCH_ADAPTER_BENCH_SLOWED,
                         BENCHGATE_GBENCH_ADAPTER_BENCH_PLAIN, "gbench_ab");
  INFO(r.process.stderr_tail);
  REQUIRE(r.process.exited);
  REQUIRE(r.process.exit_code == 0);
  const std::vector<Row> current = read_rows(r.current.string());
  const std::vector<Row> base = read_rows(r.base.string());
  CHECK(current.size() == 4 * kKeys.size());
  CHECK(base.size() == current.size());
  for (const auto& key : kKeys) {
    INFO(key.first);
    for (std::uint64_t i = 0; i < 4; ++i) {
      CHECK(count_rows(current, key.first, key.second, i) == 1);
      CHECK(count_rows(base, key.first, key.second, i) == 1);
    }
  }
  for (const Row& row : base) {
    CHECK(row.status == RowStatus::ok);
    // Under the current executable's suite, so that the two files compare key for key.
    CHECK(row.suite == std::string("benchgate_gbench_adapter_bench_slowed"));
  }
  CHECK(testing::has(r.process.stdout_tail, "A/B with --baseline-exe: 4 paired batches, 4 ok"));

  // Three times the work per call, against the base measured in the same run: regressed.
  const SpawnResult slowed = gate(r);
  INFO(slowed.stdout_tail << slowed.stderr_tail);
  CHECK(slowed.exit_code == 1);
  CHECK(testing::has(slowed.stdout_tail, "REGRESSED"));
  CHECK(testing::has(slowed.stdout_tail, "12 pairs, 1 look: above 50.0%"));  // BM_Sum
}

TEST_CASE("gbench ab: the same code on both sides does not fail the gate") {
  const AbRun r = run_ab(BENCHGATE_GBENCH_ADAPTER_BENCH_PLAIN, BENCHGATE_GBENCH_ADAPTER_BENCH_PLAIN,
                         "gbench_aa");
  INFO(r.process.stderr_tail);
  REQUIRE(r.process.exited);
  REQUIRE(r.process.exit_code == 0);
  CHECK(read_rows(r.base.string()).size() == 4 * kKeys.size());
  const SpawnResult same = gate(r);
  INFO(same.stdout_tail << same.stderr_tail);
  CHECK(same.exit_code == 0);
  CHECK_FALSE(testing::has(same.stdout_tail, "REGRESSED"));
}
