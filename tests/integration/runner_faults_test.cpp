// Integration: benchgate-runner against real fixture benchmarks that crash, hang, flood their
// output or exit without a row. Runs the real runner executable and reads its JSONL output.
#include <doctest/doctest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;

namespace {

struct RunnerResult {
  SpawnResult process;
  std::vector<Row> rows;
  double seconds = 0;
};

fs::path scratch(const std::string& name) {
  return testing::scratch_dir(name);
}

RunnerResult run_runner(const std::string& exe, std::vector<std::string> args,
                        const fs::path& out) {
  SpawnRequest req;
  req.argv = {BENCHGATE_RUNNER, "run", exe, "--out", out.string(), "--quiet"};
  req.argv.insert(req.argv.end(), args.begin(), args.end());
  req.term_after = std::chrono::seconds(120);
  req.kill_after = std::chrono::seconds(125);
  PosixExecutor ex;
  const auto start = std::chrono::steady_clock::now();
  RunnerResult r;
  r.process = ex.run(req);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (fs::exists(out)) r.rows = read_rows(out.string());
  return r;
}

bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  // Re-parented to an init that has not reaped it yet: a zombie is dead too.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

}  // namespace

TEST_CASE("runner: a segfault at a param becomes an error row naming SIGSEGV and ends the ladder") {
  const auto dir = scratch("segv");
  const auto r =
      run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "fault.segv_at_8"}, dir / "rows.jsonl");
  REQUIRE(r.process.started);
  CHECK(r.process.exited);          // the runner itself exits normally
  CHECK(r.process.exit_code == 0);  // params 0..4 are usable data
  REQUIRE(r.rows.size() == 5);      // 0, 1, 2, 4 ok; 8 crashed; 16.. never run
  for (std::size_t i = 0; i < 4; ++i) CHECK(r.rows[i].status == RowStatus::ok);
  const Row& crashed = r.rows.back();
  CHECK(crashed.param == std::uint64_t{8});
  CHECK(crashed.status == RowStatus::error);
  REQUIRE(crashed.error);
  CHECK(crashed.error->find("SIGSEGV") != std::string::npos);
}

TEST_CASE("runner: a batch sleeping past its cap is killed with its grandchild") {
  const auto dir = scratch("sleep");
  const auto pidfile = dir / "grandchild.pid";
  ::setenv("BENCHGATE_FIXTURE_PIDFILE", pidfile.c_str(), 1);
  const auto r =
      run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "fault.sleep_past_cap"}, dir / "rows.jsonl");
  ::unsetenv("BENCHGATE_FIXTURE_PIDFILE");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);  // no usable data
  REQUIRE(r.rows.size() == 1);      // the first rung failed, the ladder stopped
  CHECK(r.rows[0].status == RowStatus::killed_at_cap);
  // Cap 1 s + grace 0.1 s + 1 s of slack for listing, spawning and writing.
  CHECK(r.seconds < 2.1);

  std::ifstream in(pidfile);
  pid_t grandchild = 0;
  in >> grandchild;
  REQUIRE(grandchild > 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {  // reaping by init is asynchronous
    gone = process_gone(grandchild);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(gone);
  if (!gone) ::kill(grandchild, SIGKILL);
}

TEST_CASE("runner: 10 MB on stdout and 10 MB on stderr do not deadlock and the row is ok") {
  const auto dir = scratch("flood");
  const auto r =
      run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "fault.flood_output"}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::ok);
}

TEST_CASE("runner: a child that exits 0 without a row gets an error row saying so") {
  const auto dir = scratch("norow");
  const auto r =
      run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "fault.exit_without_row"}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  REQUIRE(r.rows[0].error);
  CHECK(r.rows[0].error->find("without writing a row") != std::string::npos);
  CHECK(r.rows[0].error->find("code 0") != std::string::npos);
}

TEST_CASE("runner: a benchmark that throws keeps the child's own error message") {
  const auto dir = scratch("throws");
  const auto r = run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "fault.throws"}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  REQUIRE(r.rows[0].error);
  CHECK(r.rows[0].error->find("fixture failure") != std::string::npos);
  CHECK(r.rows[0].error->find("code 1") != std::string::npos);
}

TEST_CASE("runner: the optimisation barrier keeps the work at -O2 (time grows with n)") {
  const auto dir = scratch("barrier");
  const auto r =
      run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "barrier.sum_to_n"}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  REQUIRE(r.process.exit_code == 0);
  REQUIRE(r.rows.size() >= 2);
  const Row& small = r.rows.front();
  const Row& large = r.rows.back();
  REQUIRE(small.param == std::uint64_t{1000});
  REQUIRE(large.param == std::uint64_t{1'024'000});
  // Without the barrier the sum is removed from the repeat loop: the autotuner then fills its
  // target with 2^62 empty iterations and per-call time collapses to ~1e-17 ns at the small
  // rungs before jumping by orders of magnitude. With it, each doubling of n roughly doubles
  // the per-call time; the bounds below leave 20-50x room for noise either way.
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    CHECK(r.rows[i].status == RowStatus::ok);
    CHECK(r.rows[i].inner_repeats < (std::uint64_t{1} << 40));
    if (i == 0) continue;
    const double step = per_call_nanos(r.rows[i]) / per_call_nanos(r.rows[i - 1]);
    CHECK(step > 0.1);
    CHECK(step < 100);
  }
  // 1024x more additions; 10x is far below the expected ratio and far above what noise fakes.
  CHECK(per_call_nanos(large) > 10 * per_call_nanos(small));
  CHECK(small.result_hash != large.result_hash);
}

TEST_CASE("runner: every row it writes is a valid schema v1 row with suite and env") {
  const auto dir = scratch("schema");
  const auto r = run_runner(BENCHGATE_FAULT_BENCH, {"--filter", "fault.", "--param-ceiling", "4"},
                            dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  REQUIRE_FALSE(r.rows.empty());  // read_rows would have thrown on an invalid line
  for (const Row& row : r.rows) {
    CHECK(row.suite == std::string("benchgate_fault_bench"));
    REQUIRE(row.env);
    CHECK(row.env->benchgate_version == std::string("0.1.0"));
    CHECK(row.trial_index.has_value());
  }
}

TEST_CASE("runner: registration errors in the executable are a usage error (exit 2)") {
  const auto dir = scratch("badreg");
  const auto r = run_runner(BENCHGATE_BAD_REGISTRATION, {}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 2);
  CHECK(r.process.stderr_tail.find("'dup.name' is registered twice") != std::string::npos);
  CHECK(r.process.stderr_tail.find("FixedBenchmarkConfig.repeats must be >= 1; got 0") !=
        std::string::npos);
  CHECK(r.process.stderr_tail.find("empty name") != std::string::npos);
  CHECK(r.process.stderr_tail.find("'no.complexity' has no declared complexity") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "rows.jsonl"));
}

TEST_CASE("runner: a missing executable and an unknown benchmark name are usage errors") {
  const auto dir = scratch("usage");
  auto missing = run_runner((dir / "no-such-exe").string(), {}, dir / "rows.jsonl");
  REQUIRE(missing.process.exited);
  CHECK(missing.process.exit_code == 2);
  CHECK(missing.process.stderr_tail.find("no-such-exe") != std::string::npos);

  auto unknown = run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "nope"}, dir / "rows.jsonl");
  REQUIRE(unknown.process.exited);
  CHECK(unknown.process.exit_code == 2);
  CHECK(unknown.process.stderr_tail.find("'nope'") != std::string::npos);
  CHECK(unknown.process.stderr_tail.find("fault.segv_at_8") !=
        std::string::npos);  // valid names listed

  auto bad_flag = run_runner(BENCHGATE_FAULT_BENCH, {"--outer-trials", "0"}, dir / "rows.jsonl");
  REQUIRE(bad_flag.process.exited);
  CHECK(bad_flag.process.exit_code == 2);
  CHECK(bad_flag.process.stderr_tail.find("--outer-trials '0'") != std::string::npos);
}

TEST_CASE(
    "runner: a result type with no hash runs with result_hash null, a supplied hash is used") {
  const auto dir = scratch("hash");
  const auto r = run_runner(BENCHGATE_FAULT_BENCH, {"--filter", "hash."}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[0].function == "hash.none");
  CHECK(r.rows[0].status == RowStatus::ok);
  CHECK_FALSE(r.rows[0].result_hash.has_value());
  CHECK(r.rows[1].function == "hash.custom");
  CHECK(r.rows[1].result_hash == std::uint64_t{42 + 0xabc000});
}

TEST_CASE("runner: cold mode runs one call per child, warm mode auto-tunes powers of two") {
  const auto dir = scratch("cold");
  const auto cold =
      run_runner(BENCHGATE_FAULT_BENCH,
                 {"--bench", "barrier.sum_to_n", "--cache-mode", "cold", "--param-ceiling", "4000"},
                 dir / "cold.jsonl");
  REQUIRE(cold.process.exited);
  CHECK(cold.process.exit_code == 0);
  REQUIRE(cold.rows.size() == 3);  // 1000, 2000, 4000
  for (const Row& row : cold.rows) {
    CHECK(row.inner_repeats == std::uint64_t{1});
    CHECK(row.cache_mode == CacheMode::cold);
    CHECK(row.cpu_nanos.has_value());
  }
  const auto warm =
      run_runner(BENCHGATE_FAULT_BENCH, {"--bench", "barrier.sum_to_n", "--param-ceiling", "1000"},
                 dir / "warm.jsonl");
  REQUIRE(warm.rows.size() == 1);
  const std::uint64_t n = warm.rows[0].inner_repeats.value_or(0);
  CHECK(n > 1);
  CHECK((n & (n - 1)) == 0);
  CHECK(warm.rows[0].cache_mode == CacheMode::warm);
}

TEST_CASE("runner: outer trials spawn one child per trial, interleaved across rungs") {
  const auto dir = scratch("trials");
  const auto r =
      run_runner(BENCHGATE_FAULT_BENCH,
                 {"--bench", "barrier.sum_to_n", "--param-ceiling", "2000", "--outer-trials", "3"},
                 dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.rows.size() == 6);
  // The ladder (trial 0 of each rung), then the other trials round-robin across rungs.
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    CHECK(r.rows[i].trial_index == std::uint64_t{i / 2});
    CHECK(r.rows[i].param == std::uint64_t{i % 2 == 0 ? 1000u : 2000u});
    CHECK(r.rows[i].status == RowStatus::ok);
  }
}
