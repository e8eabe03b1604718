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

TEST_CASE("gbench: a native-only flag is refused with the Google Benchmark adapter") {
  const auto r = testing::run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_GBENCH_ADAPTER_BENCH,
                                    "--adapter", "google-benchmark", "--measure", "instructions"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(testing::has(r.stderr_tail, "--measure instructions is not supported"));
}
