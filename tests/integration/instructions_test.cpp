// The instructions measure (issue 9), through the real runner and compare: every batch under
// Valgrind's Callgrind, counts exact from run to run, 2% more work caught every time, and clear
// errors where the measure is unavailable; and the CPU-counter fields null where
// perf_event_open is not available.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

using namespace benchgate;
using namespace benchgate::testing;
namespace fs = std::filesystem;

namespace {

bool valgrind_installed() {
  const SpawnResult r = run_tool({"valgrind", "--version"});
  return r.started && r.exited && r.exit_code == 0;
}

// Valgrind cannot run a process that ASan instruments, nor without valgrind installed, nor count
// a harness built without <valgrind/callgrind.h> (BENCHGATE_WITH_CALLGRIND OFF, or no header).
bool valgrind_usable() {
  return !BENCHGATE_UNDER_ASAN && BENCHGATE_HARNESS_HAS_CALLGRIND && valgrind_installed();
}

// The fixture copied into `dir` under one name, so that both builds' rows carry the same suite.
std::string as_suite(const fs::path& dir, const char* exe) {
  fs::create_directories(dir);
  const fs::path to = dir / "instructions_bench";
  fs::copy_file(exe, to, fs::copy_options::overwrite_existing);
  return to.string();
}

// Runs the fixture in instructions mode at two params: the warm parametric benchmark, and with
// `fixed` the fixed one too (two repeats).
std::vector<Row> measure(const std::string& exe, const fs::path& out, bool fixed = false) {
  std::vector<std::string> argv{BENCHGATE_RUNNER, "run",       exe,         "--measure",
                                "instructions",   "--quiet",   "--bench",   "instr.passes",
                                "--param-list",   "256,1024",  "--repeats", "2",
                                "--out",          out.string()};
  if (fixed) argv.insert(argv.end(), {"--bench", "instr.fixed"});
  const SpawnResult r = run_tool(argv, std::chrono::seconds(300));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exited);
  REQUIRE(r.exit_code == 0);
  return read_rows(out.string());
}

// Instructions per call by benchmark and param (or repeat), from ok rows.
std::map<std::string, std::vector<double>> counts(const std::vector<Row>& rows) {
  std::map<std::string, std::vector<double>> out;
  for (const Row& r : rows) {
    REQUIRE(r.status == RowStatus::ok);
    CHECK(r.measured_under == MeasuredUnder::callgrind);
    REQUIRE(r.instructions);
    out[r.function + "@" + std::to_string(r.param.value_or(0))].push_back(
        *instructions_per_call(r));
  }
  return out;
}

SpawnResult compare(const fs::path& baseline, const fs::path& current) {
  return run_tool({BENCHGATE_COMPARE, baseline.string(), current.string()});
}

}  // namespace

TEST_CASE("instructions: two runs give identical counts per call" *
          doctest::skip(!valgrind_usable())) {
  const fs::path dir = scratch_dir("instructions_repeat");
  const std::string exe = as_suite(dir / "a", BENCHGATE_INSTRUCTIONS_BENCH);
  const auto first = counts(measure(exe, dir / "first.jsonl", true));
  const auto second = counts(measure(exe, dir / "second.jsonl", true));
  REQUIRE(first.size() == 3);  // instr.passes at 256 and 1024, instr.fixed
  CHECK(first == second);      // exactly: no tolerance
  for (const auto& [key, values] : first) {
    CAPTURE(key);
    for (double v : values) CHECK(v == values.front());  // every trial and repeat alike
  }
  // The count follows the work: four times the values, about four times the instructions.
  CHECK(first.at("instr.passes@1024").front() > 3.5 * first.at("instr.passes@256").front());
}

TEST_CASE("instructions: ten A/A comparisons at the default 1% threshold all pass" *
          doctest::skip(!valgrind_usable())) {
  const fs::path dir = scratch_dir("instructions_aa");
  const std::string exe = as_suite(dir / "a", BENCHGATE_INSTRUCTIONS_BENCH);
  measure(exe, dir / "baseline.jsonl");
  for (int i = 0; i < 10; ++i) {
    const fs::path again = dir / ("run" + std::to_string(i) + ".jsonl");
    measure(exe, again);
    const SpawnResult r = compare(dir / "baseline.jsonl", again);
    INFO(r.stdout_tail);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("instructions: 2% more work is caught ten times out of ten" *
          doctest::skip(!valgrind_usable())) {
  const fs::path dir = scratch_dir("instructions_more");
  measure(as_suite(dir / "a", BENCHGATE_INSTRUCTIONS_BENCH), dir / "baseline.jsonl");
  const std::string more = as_suite(dir / "b", BENCHGATE_INSTRUCTIONS_BENCH_MORE);
  for (int i = 0; i < 10; ++i) {
    const fs::path slower = dir / ("run" + std::to_string(i) + ".jsonl");
    measure(more, slower);
    const SpawnResult r = compare(dir / "baseline.jsonl", slower);
    INFO(r.stdout_tail);
    CHECK(r.exit_code == 1);
    CHECK(has(r.stdout_tail, "REGRESSED"));
    CHECK(has(r.stdout_tail, "instructions: median +2.0%"));
  }
}

TEST_CASE("instructions: cold and warm batches count the same work, one call per batch" *
          doctest::skip(!valgrind_usable())) {
  const fs::path dir = scratch_dir("instructions_cold");
  const std::string exe = as_suite(dir / "a", BENCHGATE_INSTRUCTIONS_BENCH);
  const SpawnResult r =
      run_tool({BENCHGATE_RUNNER, "run", exe, "--measure", "instructions", "--quiet",
                "--param-list", "512", "--out", (dir / "rows.jsonl").string()},
               std::chrono::seconds(300));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "instr/call"));
  CHECK(has(r.stdout_tail, "instructions per call"));  // the CTest measurement
  const auto rows = read_rows((dir / "rows.jsonl").string());
  std::map<std::string, double> by_function;
  for (const Row& row : rows) {
    REQUIRE(row.instructions);
    CHECK(row.inner_repeats == 1);  // no autotune under Callgrind
    by_function[row.function] = *instructions_per_call(row);
  }
  REQUIRE(by_function.count("instr.passes_cold"));
  CHECK(by_function.at("instr.passes_cold") == by_function.at("instr.passes"));
}

TEST_CASE("instructions: without valgrind on PATH the runner says what to install" *
          doctest::skip(BENCHGATE_UNDER_ASAN)) {
  const char* saved = std::getenv("PATH");
  const std::string path = saved ? saved : "";
  ::setenv("PATH", "/nonexistent", 1);
  const SpawnResult r = run_tool(
      {BENCHGATE_RUNNER, "run", BENCHGATE_INSTRUCTIONS_BENCH, "--measure", "instructions"});
  ::setenv("PATH", path.c_str(), 1);
  INFO(r.stderr_tail);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "valgrind is not on PATH"));
  CHECK(has(r.stderr_tail, "apt-get install valgrind"));
}

TEST_CASE("instructions: an executable built without callgrind.h is refused, naming the fix") {
  const SpawnResult r =
      run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_INSTRUCTIONS_BENCH_NO_CALLGRIND, "--measure",
                "instructions"});
  INFO(r.stderr_tail);
  CHECK(r.exit_code == 2);
  if (!valgrind_installed()) return;  // refused for the missing valgrind first (tested above)
  CHECK(has(r.stderr_tail, "built without <valgrind/callgrind.h>"));
  CHECK(has(r.stderr_tail, "apt-get install valgrind"));
  // The rest of benchgate works with that executable: it measures time as usual.
  const fs::path dir = scratch_dir("instructions_no_header");
  const SpawnResult time =
      run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_INSTRUCTIONS_BENCH_NO_CALLGRIND, "--quiet",
                "--param-list", "256", "--bench", "instr.passes", "--signal-floor-multiplier", "1",
                "--out", (dir / "rows.jsonl").string()});
  CHECK(time.exit_code == 0);
}

TEST_CASE("instructions: without perf_event_open the CPU-counter fields are null and shown n/a") {
  const fs::path dir = scratch_dir("instructions_no_perf");
  ::setenv("BENCHGATE_NO_PERF_EVENTS", "1", 1);
  const SpawnResult r =
      run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_INSTRUCTIONS_BENCH, "--quiet", "--param-list",
                "256", "--bench", "instr.passes", "--signal-floor-multiplier", "1", "--out",
                (dir / "rows.jsonl").string()});
  ::unsetenv("BENCHGATE_NO_PERF_EVENTS");
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  auto rows = read_rows((dir / "rows.jsonl").string());
  REQUIRE(!rows.empty());
  for (const Row& row : rows) {
    CHECK(row.measured_under == MeasuredUnder::native);
    CHECK(!row.instructions);
    CHECK(!row.cycles);
  }
  // A baseline that had a CPU counter against these rows: instructions are n/a, never a failure.
  std::string baseline;
  for (Row row : rows) {
    row.instructions = 1000 * row.inner_repeats.value_or(1);
    row.cycles = 2000 * row.inner_repeats.value_or(1);
    baseline += write_row(row) + "\n";
  }
  write_file_atomically((dir / "baseline.jsonl").string(), baseline);
  const SpawnResult c = compare(dir / "baseline.jsonl", dir / "rows.jsonl");
  INFO(c.stdout_tail);
  CHECK(c.exit_code == 0);
  CHECK(has(c.stdout_tail, "instructions: not counted on both sides (n/a)"));
}
