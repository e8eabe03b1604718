// Integration: hostile Google Benchmark benchmarks (tests/fixtures/gbench_hostile_bench.cpp) are
// classified like native children (runner_faults_test.cpp): an abort is an error row naming
// SIGABRT, a hang is killed at the cap, an output flood is drained and measured, an error the
// benchmark reports is an error row with its message; the other benchmarks' rows are kept.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;

TEST_CASE("gbench: a crash, a hang, a flood and an error are classified, the others kept") {
  const fs::path dir = testing::scratch_dir("gbench_hostile");
  const fs::path out = dir / "rows.jsonl";
  const auto p = testing::run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_GBENCH_HOSTILE_BENCH,
                                    "--adapter", "google-benchmark", "--out", out.string(),
                                    "--quiet", "--target-inner-nanos", "5000000", "--outer-trials",
                                    "1", "--repeats", "1", "--max-seconds-per-call", "2"});
  INFO(p.stderr_tail);
  REQUIRE(p.exited);
  CHECK(p.exit_code == 1);  // three benchmarks produced no usable data
  const std::vector<Row> rows = read_rows(out.string());
  auto row = [&](const std::string& function, std::optional<std::uint64_t> param) -> const Row& {
    for (const Row& r : rows) {
      if (r.function == function && r.param == param) return r;
    }
    FAIL("no row for " << function);
    return rows.front();
  };
  REQUIRE(rows.size() == 7);
  CHECK(row("BM_First/*", 100).status == RowStatus::ok);
  const Row& aborted = row("BM_Abort", std::nullopt);
  CHECK(aborted.status == RowStatus::error);
  CHECK(testing::has(aborted.error.value_or(""), "child killed by SIGABRT"));
  const Row& hung = row("BM_Hang", std::nullopt);
  CHECK(hung.status == RowStatus::killed_at_cap);
  CHECK(testing::has(hung.error.value_or(""), "max_seconds_per_call = 2 s"));
  CHECK(row("BM_Flood", std::nullopt).status == RowStatus::ok);
  const Row& skipped = row("BM_Skip", std::nullopt);
  CHECK(skipped.status == RowStatus::error);
  CHECK(skipped.error == std::string("the benchmark reported an error: fixture: no input"));
  CHECK(row("BM_Last/*", 100).status == RowStatus::ok);
  CHECK(row("BM_Last/*", 200).status == RowStatus::ok);
  for (const char* name : {"BM_Abort", "BM_Hang", "BM_Skip"}) {
    CHECK(testing::has(p.stderr_tail, std::string(name) + ": no batch succeeded"));
  }
}
