// Custom counters (issue 20), through the real runner and compare: rows carry each counter per
// call, and a counter 20% worse fails the gate that names it while the time passes.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

using namespace benchgate;
using namespace benchgate::testing;
namespace fs = std::filesystem;

namespace {

std::vector<Row> run_counters(const std::string& exe, const fs::path& out) {
  const SpawnResult r = run_tool(
      {BENCHGATE_RUNNER, "run", exe, "--quiet", "--bench", "counters.walk", "--param-list",
       "256,1024", "--repeats", "3", "--signal-floor-multiplier", "1", "--out", out.string()},
      std::chrono::seconds(300));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exited);
  REQUIRE(r.exit_code == 0);
  return read_rows(out.string());
}

}  // namespace

TEST_CASE("counters: a fixed benchmark's rows carry its constant throughput") {
  const fs::path dir = scratch_dir("counters_fixed");
  const fs::path out = dir / "fixed.jsonl";
  fs::create_directories(dir);
  const SpawnResult r = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_COUNTERS_BENCH, "--bench",
                                  "counters.fixed", "--repeats", "2", "--out", out.string()},
                                 std::chrono::seconds(300));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "B/s"));
  const auto rows = read_rows(out.string());
  REQUIRE_FALSE(rows.empty());
  for (const Row& row : rows) {
    CHECK(row.bytes_per_call == 64.0);
    CHECK(row.items_per_call == 2.0);
    CHECK_FALSE(row.counters);
  }
}

TEST_CASE("counters: rows carry each counter per call, and a worse counter fails its gate") {
  const fs::path dir = scratch_dir("counters_gate");
  const auto base_rows = run_counters(
      copy_as(dir / "a", BENCHGATE_COUNTERS_BENCH, "counters_bench"), dir / "baseline.jsonl");
  const auto worse_rows = run_counters(
      copy_as(dir / "b", BENCHGATE_COUNTERS_BENCH_WORSE, "counters_bench"), dir / "current.jsonl");
  REQUIRE_FALSE(base_rows.empty());
  for (const auto* rows : {&base_rows, &worse_rows}) {
    for (const Row& row : *rows) {
      REQUIRE(row.status == RowStatus::ok);
      REQUIRE(row.counters);
      REQUIRE(row.param);
      const double factor = rows == &base_rows ? 1.0 : 1.2;
      CHECK(row.counters->at("nodes_visited") ==
            doctest::Approx(factor * static_cast<double>(*row.param)));
      CHECK(row.counters->at("calls") == 1.0);
      CHECK(row.bytes_per_call == 4.0 * static_cast<double>(*row.param));
      CHECK(row.items_per_call == static_cast<double>(*row.param));
    }
  }
  // A time threshold of 1000%: the time never fails, whatever the machine does.
  auto gate = [&](const fs::path& current, std::vector<std::string> extra) {
    std::vector<std::string> argv{BENCHGATE_COMPARE, (dir / "baseline.jsonl").string(),
                                  current.string(), "--time-threshold", "1000%"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_tool(argv);
  };
  {  // not gated without a threshold
    const SpawnResult r = gate(dir / "current.jsonl", {});
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 0);
    CHECK(has(r.stdout_tail, "not gated"));
    CHECK(has(r.stdout_tail, "throughput (not gated): "));
    CHECK(has(r.stdout_tail, "B/s → "));
    CHECK(has(r.stdout_tail, " items/s"));
  }
  {  // lower is better: 20% more nodes regress
    const SpawnResult r = gate(
        dir / "current.jsonl",
        {"--counter-threshold", "nodes_visited=5%:lower", "--counter-threshold", "calls=1%:lower"});
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 1);
    CHECK(has(r.stdout_tail, "counter nodes_visited regressed"));
    CHECK_FALSE(has(r.stdout_tail, "counter calls regressed"));
  }
  {  // higher is better: 20% more nodes improve
    const SpawnResult r =
        gate(dir / "current.jsonl", {"--counter-threshold", "nodes_visited=5%:higher"});
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 0);
    CHECK(has(r.stdout_tail, "counter nodes_visited improved"));
  }
  {  // A/A passes
    fs::copy_file(dir / "baseline.jsonl", dir / "again.jsonl",
                  fs::copy_options::overwrite_existing);
    const SpawnResult r =
        gate(dir / "again.jsonl", {"--counter-threshold", "nodes_visited=5%:lower"});
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 0);
  }
  {  // a malformed threshold is a usage error
    const SpawnResult r = gate(dir / "current.jsonl", {"--counter-threshold", "nodes_visited=5%"});
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, "--counter-threshold 'nodes_visited=5%'"));
  }
}
