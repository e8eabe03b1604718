// Integration (issue 18, "Results people see in CI"): setup has its own cap and a kill names its
// phase; progress lines when stderr is no terminal; a benchmark executable run with no arguments
// measures itself through benchgate-runner.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;
using benchgate::testing::has;
using benchgate::testing::run_tool;

namespace {

std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (has(line, needle)) out.push_back(line);
  }
  return out;
}

// Sets an environment variable for one scope (the tests run one at a time).
class EnvVar {
 public:
  EnvVar(const char* name, const std::string& value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~EnvVar() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("setup: a 1.5 s setup with a fast call gives ok rows at the default caps") {
  const auto dir = testing::scratch_dir("setup_slow");
  const auto out = dir / "rows.jsonl";
  // One rung keeps the test short; the caps, the trials and the grace are the defaults.
  const auto r = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_SETUP_BENCH, "--bench", "setup.slow",
                           "--param-list", "64", "--out", out.string(), "--quiet"});
  REQUIRE(r.exited);
  // Exit 1 only for batches below the signal floor, which an instrumented build (ASan's spawn
  // floor is tens of ms) can leave with a fast call: never for a kill.
  INFO(r.stderr_tail);
  CHECK((r.exit_code == 0 || (r.exit_code == 1 && has(r.stderr_tail, "below the signal floor"))));
  CHECK_FALSE(has(r.stderr_tail, "killed"));
  const auto rows = read_rows(out.string());
  REQUIRE(rows.size() == 3);  // outer_trials = 3 by default
  for (const Row& row : rows) {
    CHECK(row.status == RowStatus::ok);
    CHECK_FALSE(row.error.has_value());
  }
}

TEST_CASE("setup: a fixed benchmark's 1.5 s setup is not counted against its batch cap") {
  const auto dir = testing::scratch_dir("setup_fixed_slow");
  const auto out = dir / "rows.jsonl";
  // A batch cap below the setup's time: only a separate setup cap lets the repeat through.
  const auto r = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_SETUP_BENCH, "--bench",
                           "setup.fixed_slow", "--repeats", "1", "--warmup", "off",
                           "--max-seconds-per-call", "1", "--out", out.string(), "--quiet"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto rows = read_rows(out.string());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == RowStatus::ok);
}

TEST_CASE("setup: a setup that hangs is killed at max_setup_seconds with a message naming setup") {
  const auto dir = testing::scratch_dir("setup_hangs");
  const auto out = dir / "rows.jsonl";
  const auto r = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_SETUP_BENCH, "--bench", "setup.hangs",
                           "--param-list", "1", "--outer-trials", "1", "--max-setup-seconds", "0.5",
                           "--out", out.string(), "--quiet"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  const auto rows = read_rows(out.string());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == RowStatus::killed_at_cap);
  CHECK(rows[0].error.value_or("") ==
        "killed in setup after 0.5 s: setup still running at max_setup_seconds = 0.5 s");
  CHECK(has(r.stderr_tail, "setup.hangs: no batch succeeded; first failure: killed in setup"));
  CHECK(has(r.stdout_tail, "--max-setup-seconds"));  // the advisory says what to raise
}

TEST_CASE("setup: a batch that hangs after setup is killed at the batch cap, which says so") {
  const auto dir = testing::scratch_dir("setup_batch_hangs");
  const auto out = dir / "rows.jsonl";
  const auto r = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_SETUP_BENCH, "--bench",
                           "setup.batch_hangs", "--param-list", "1", "--outer-trials", "1",
                           "--max-seconds-per-call", "0.3", "--out", out.string(), "--quiet"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  const auto rows = read_rows(out.string());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == RowStatus::killed_at_cap);
  CHECK(has(rows[0].error.value_or(""),
            "killed at the cap: still running after max_seconds_per_call = 0.3 s (in the "
            "measured batch, after a setup of "));
}

TEST_CASE("progress: without a terminal, lines with a batch count and an ETA, none with --quiet") {
  const auto loud = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_QUICK_BENCH});
  REQUIRE(loud.exited);
  CHECK(loud.exit_code == 0);
  // Each benchmark's first batch: "[1/3: 1/6 batches, 0.1 s, ETA 0.5 s; run ETA 1.2 s]".
  const auto counted = lines_with(loud.stderr_tail, " batches, ");
  REQUIRE(counted.size() >= 3);
  CHECK(has(counted.front(), "benchgate-runner: quick.sum param=1 trial 1/2 ok "));
  CHECK(has(counted.front(), "[1/3: 1/6 batches, "));
  CHECK(has(counted.front(), ", ETA "));
  CHECK(has(counted.front(), "; run ETA "));
  // The end of each benchmark, and no colour codes off a terminal.
  CHECK(lines_with(loud.stderr_tail, " done [").size() == 3);
  CHECK_FALSE(has(loud.stderr_tail, "\033["));

  const auto quiet = run_tool({BENCHGATE_RUNNER, "run", BENCHGATE_QUICK_BENCH, "--quiet"});
  REQUIRE(quiet.exited);
  CHECK(quiet.exit_code == 0);
  CHECK(lines_with(quiet.stderr_tail, "benchgate-runner: quick.").empty());
  CHECK(has(quiet.stdout_tail, "quick.sum    expected complexity: n"));  // measured all the same
}

TEST_CASE("bench executable: with no arguments it measures itself and prints the report") {
  const auto r = run_tool({BENCHGATE_QUICK_BENCH});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "quick.sum    expected complexity: n"));
  CHECK(has(r.stdout_tail, "  verdict: "));
  CHECK(has(r.stdout_tail, "quick.fixed    [fixed] repeats=2"));
  CHECK(has(r.stdout_tail, "name=\"quick.sum per-call ns\""));
  // A benchmark without a declared complexity: measured, no verdict, and how to add one.
  CHECK(has(r.stdout_tail, "quick.no_complexity    expected complexity: (none declared)"));
  CHECK(has(r.stdout_tail,
            "verdict: none (no complexity declared; to check how the time grows "
            "with n, add e.g. .complexity(\"n\""));
  // Rows go to a file only when asked.
  CHECK_FALSE(has(r.stdout_tail, "rows written to"));
}

TEST_CASE("bench executable: filters and --out pass through to the runner") {
  const auto dir = testing::scratch_dir("bench_exe_filter");
  const auto out = dir / "rows.jsonl";
  const auto r =
      run_tool({BENCHGATE_QUICK_BENCH, "--filter", "fixed", "--out", out.string(), "--quiet"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "quick.fixed"));
  CHECK_FALSE(has(r.stdout_tail, "quick.sum"));
  CHECK(has(r.stdout_tail, "rows written to " + out.string()));
  const auto rows = read_rows(out.string());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].function == "quick.fixed");
}

TEST_CASE("bench executable: --help lists the flags and the runner it found, --list the names") {
  const auto help = run_tool({BENCHGATE_QUICK_BENCH, "--help"});
  REQUIRE(help.exited);
  CHECK(help.exit_code == 0);
  CHECK(has(help.stdout_tail, "usage: benchgate_quick_bench [--filter TEXT]"));
  CHECK(has(help.stdout_tail, "--out FILE"));
  CHECK(has(help.stdout_tail, "benchgate-runner: /"));  // found: a path
  CHECK(has(help.stdout_tail, "--benchgate-child"));    // the protocol's synopsis still there
  const auto list = run_tool({BENCHGATE_QUICK_BENCH, "--list"});
  REQUIRE(list.exited);
  CHECK(list.exit_code == 0);
  CHECK(has(list.stdout_tail, "  quick.no_complexity    expected complexity: (none declared)"));
}

TEST_CASE("bench executable: a BENCHGATE_RUNNER that names no runner is an error saying so") {
  const auto dir = testing::scratch_dir("bench_exe_no_runner");
  const std::string missing = (dir / "no-such-runner").string();
  const EnvVar env("BENCHGATE_RUNNER", missing);
  const auto r = run_tool({BENCHGATE_QUICK_BENCH});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "cannot find benchgate-runner"));
  CHECK(has(r.stderr_tail, "Looked in: " + missing));
  CHECK(has(r.stderr_tail, "BENCHGATE_RUNNER does not name an executable file"));
}

TEST_CASE("setup: verify gives a 1.5 s setup its own cap too") {
  const auto r =
      run_tool({BENCHGATE_RUNNER, "verify", BENCHGATE_SETUP_BENCH, "--bench", "setup.slow"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "  [ok ] setup.slow"));
}
