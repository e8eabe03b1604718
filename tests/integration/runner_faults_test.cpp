// Integration: benchgate-runner against real fixture benchmarks that crash, hang, flood their
// output, exit without a row, or commit any other fault of the matrix in docs/reliability.md;
// and the runner itself interrupted. Runs the real runner executable and reads its JSONL output.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "helpers.hpp"
#include "processes.hpp"

namespace fs = std::filesystem;
using namespace benchgate;
using benchgate::testing::group_has_live_member;
using benchgate::testing::process_gone;
using benchgate::testing::read_pids;
using benchgate::testing::survivors;

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
  PosixExecutor ex(testing::process_guard());
  const auto start = std::chrono::steady_clock::now();
  RunnerResult r;
  r.process = ex.run(req);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (fs::exists(out)) r.rows = read_rows(out.string());
  return r;
}

// Runs one fixed fault fixture alone; the environment variables are set for that run only.
RunnerResult run_fault(const std::string& bench, const fs::path& dir,
                       const std::vector<std::pair<std::string, std::string>>& env = {},
                       const std::string& exe = BENCHGATE_FAULT_BENCH) {
  for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
  RunnerResult r = run_runner(exe, {"--bench", bench}, dir / "rows.jsonl");
  for (const auto& [k, v] : env) ::unsetenv(k.c_str());
  return r;
}

bool is_valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80                 ? 1
                            : b >= 0xC2 && b <= 0xDF ? 2
                            : b >= 0xE0 && b <= 0xEF ? 3
                            : b >= 0xF0 && b <= 0xF4 ? 4
                                                     : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

std::string error_of(const Row& row) {
  REQUIRE(row.error.has_value());
  return *row.error;
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
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
  // A complexity is optional (issue 18): its absence is no registration error.
  CHECK(r.process.stderr_tail.find("no.complexity") == std::string::npos);
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

// ---- The child fault matrix: each fault ends with one classified row; the runner neither hangs
// nor crashes (it exits 0 or 1 with its rows written).

TEST_CASE("runner: abort() in a batch is an error row naming SIGABRT") {
  const auto r = run_fault("fault.abort", scratch("abort"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  CHECK(has(error_of(r.rows[0]), "child killed by SIGABRT"));
}

TEST_CASE("runner: an exception escaping a noexcept function is SIGABRT with the terminate text") {
  const auto r = run_fault("fault.terminate", scratch("terminate"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  const std::string e = error_of(r.rows[0]);
  CHECK(has(e, "SIGABRT"));
  CHECK(has(e, "fixture: escaped a noexcept function"));  // what() via std::terminate's handler
}

TEST_CASE("runner: exit(3) after writing an ok row is an error row naming code 3") {
  const auto r = run_fault("fault.exit3_after_row", scratch("exit3"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  CHECK(has(error_of(r.rows[0]), "exited with code 3 after writing an ok row"));
}

TEST_CASE("runner: a truncated row without a newline is an error row saying it does not parse") {
  const auto r = run_fault("fault.partial_row", scratch("partial"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  CHECK(has(error_of(r.rows[0]), "does not parse"));
}

TEST_CASE("runner: a 5 MiB row is rejected with its size, and the runner's memory stays bounded") {
  const auto dir = scratch("huge");
  const auto r = run_fault("fault.huge_row", dir);
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  const std::string e = error_of(r.rows[0]);
  CHECK(has(e, "more than the runner accepts"));
  CHECK(has(e, std::to_string(5u << 20).substr(0, 3)));  // "524...." bytes
  // 256 MiB through the result fd: a runner that kept it would peak far above 128 MiB (the
  // child writes from a 64 KiB buffer, so the runner's ru_maxrss, which includes its children's,
  // is the runner's own). Null means not above this test process's: bounded too.
  const auto big = run_fault("fault.huge_row", dir, {{"BENCHGATE_FIXTURE_ROW_MIB", "256"}});
  REQUIRE(big.process.exited);
  CHECK(big.process.exit_code == 1);
  REQUIRE(big.rows.size() == 1);
  CHECK(has(error_of(big.rows[0]), "more than the runner accepts"));
  if (big.process.child_maxrss_kb) CHECK(*big.process.child_maxrss_kb < 128u * 1024);
}

TEST_CASE("runner: garbage on the result fd is an error row, valid UTF-8 whatever the bytes") {
  const auto r = run_fault("fault.garbage_row", scratch("garbage"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  const std::string e = error_of(r.rows[0]);
  CHECK(has(e, "does not parse"));
  CHECK(has(e, "garbage on stderr"));
  CHECK(has(e, "\xEF\xBF\xBD"));  // the invalid stderr bytes, replaced
  CHECK(is_valid_utf8(e));
}

TEST_CASE("runner: a child that closes the result fd early and exits 0 gets a no-row error") {
  const auto r = run_fault("fault.closes_result_fd", scratch("closes"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  const std::string e = error_of(r.rows[0]);
  CHECK(has(e, "code 0"));
  CHECK(has(e, "without writing a row"));
}

TEST_CASE("runner: a row printed on stdout is not taken, and the error says where rows go") {
  const auto r = run_fault("fault.row_on_stdout", scratch("stdout"));
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::error);
  const std::string e = error_of(r.rows[0]);
  CHECK(has(e, "without writing a row"));
  CHECK(has(e, "its stdout has what looks like a row"));
}

TEST_CASE("runner: 50 sleeping grandchildren are all dead after the batch") {
  const auto dir = scratch("fork50");
  const auto r = run_fault("fault.fork_50", dir, {{"BENCHGATE_FIXTURE_PIDFILE", (dir / "pids")}});
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::ok);
  const auto pids = read_pids(dir / "pids");
  REQUIRE(pids.size() == 50);
  CHECK(survivors(pids).empty());
}

TEST_CASE(
    "runner: a child ignoring SIGTERM is killed with SIGKILL after the grace, killed_at_cap") {
  const auto dir = scratch("ignores_term");
  const auto r =
      run_fault("fault.ignores_sigterm", dir, {{"BENCHGATE_FIXTURE_PIDFILE", (dir / "pids")}});
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::killed_at_cap);
  CHECK(has(error_of(r.rows[0]), "SIGKILL"));
  CHECK(r.seconds < 25);  // the fixture sleeps 30 s: only the kill ended it
  CHECK(survivors(read_pids(dir / "pids")).empty());
}

TEST_CASE(
    "runner: a child that stops itself with SIGSTOP does not hang the runner, killed_at_cap") {
  const auto dir = scratch("stops");
  const auto r =
      run_fault("fault.stops_itself", dir, {{"BENCHGATE_FIXTURE_PIDFILE", (dir / "pids")}});
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::killed_at_cap);
  CHECK(has(error_of(r.rows[0]), "stopped"));
  CHECK(r.seconds < 25);
  CHECK(survivors(read_pids(dir / "pids")).empty());
}

TEST_CASE("runner: descendants that left the group with setsid still die with the batch") {
  const auto dir = scratch("setsid");
  const auto r =
      run_fault("fault.setsid_escape", dir, {{"BENCHGATE_FIXTURE_PIDFILE", (dir / "pids")}});
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].status == RowStatus::ok);
  const auto pids = read_pids(dir / "pids");
  REQUIRE(pids.size() == 2);  // the setsid leader and its child
  CHECK(survivors(pids).empty());
}

TEST_CASE(
    "runner: an executable removed or made non-executable mid-run gives a could-not-start row") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"fault.removes_own_exe", "No such file or directory"},
      {"fault.chmods_own_exe", "Permission denied"}};
  for (const auto& [bench, reason] : cases) {
    CAPTURE(bench);
    const auto dir = scratch("self_destruct");
    const fs::path copy = dir / "fault_bench_copy";
    fs::copy_file(BENCHGATE_FAULT_BENCH, copy);
    const auto r = run_fault(bench, dir, {{"BENCHGATE_FIXTURE_SELF_DESTRUCT", "1"}}, copy.string());
    REQUIRE(r.process.exited);
    CHECK(r.process.exit_code == 0);  // repeat 0 is usable data
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].status == RowStatus::ok);
    CHECK(r.rows[1].status == RowStatus::error);
    const std::string e = error_of(r.rows[1]);
    CHECK(has(e, "could not start the benchmark"));
    CHECK(has(e, reason));
  }
}

TEST_CASE("runner: a benchmark executable without execute permission is a usage error (exit 2)") {
  const auto dir = scratch("noexec");
  const fs::path copy = dir / "fault_bench_noexec";
  fs::copy_file(BENCHGATE_FAULT_BENCH, copy);
  fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  const auto r = run_runner(copy.string(), {}, dir / "rows.jsonl");
  REQUIRE(r.process.exited);
  CHECK(r.process.exit_code == 2);
  CHECK(has(r.process.stderr_tail, "fault_bench_noexec"));
  CHECK(has(r.process.stderr_tail, "Permission denied"));
  CHECK_FALSE(fs::exists(dir / "rows.jsonl"));
}

// ---- The runner interrupted.

namespace {

struct InterruptedRun {
  int status = 0;  // waitpid's
  std::string out_after;
  std::string stderr_text;
  std::vector<pid_t> pids;             // the batch child (its group's id), then its grandchild
  std::vector<std::string> leftovers;  // files beside --out other than it
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starts the runner on slow.sleep (30 s) with an existing --out file, sends `sig` about 0.5 s after
// the batch started, and waits (at most 30 s) for the runner to exit.
InterruptedRun interrupt_runner(int sig, const fs::path& dir, const std::string& previous) {
  const fs::path out = dir / "rows.jsonl";
  const fs::path pidfile = dir / "pids" / "batch.pids";
  fs::create_directories(pidfile.parent_path());
  std::ofstream(out, std::ios::binary) << previous;
  std::vector<std::string> args{BENCHGATE_RUNNER, "run",   BENCHGATE_FAULT_BENCH, "--bench",
                                "slow.sleep",     "--out", out.string(),          "--quiet"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, (dir / "pids" / "stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (dir / "pids" / "stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::setenv("BENCHGATE_FIXTURE_PIDFILE", pidfile.c_str(), 1);
  ::setenv("BENCHGATE_FIXTURE_SLEEP_SECONDS", "30", 1);
  pid_t runner = -1;
  const int rc = posix_spawn(&runner, argv[0], &actions, nullptr, argv.data(), environ);
  ::unsetenv("BENCHGATE_FIXTURE_PIDFILE");
  ::unsetenv("BENCHGATE_FIXTURE_SLEEP_SECONDS");
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);

  InterruptedRun result;
  for (int i = 0; i < 2000 && !fs::exists(pidfile); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(fs::exists(pidfile));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::kill(runner, sig);
  bool done = false;
  for (int i = 0; i < 3000 && !done; ++i) {
    done = ::waitpid(runner, &result.status, WNOHANG) == runner;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!done) {
    ::kill(runner, SIGKILL);
    ::waitpid(runner, &result.status, 0);
    FAIL("the runner did not exit within 30 s of the signal");
  }
  result.out_after = slurp(out);
  result.stderr_text = slurp(dir / "pids" / "stderr");
  result.pids = read_pids(pidfile);
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name != "rows.jsonl" && name != "pids") result.leftovers.push_back(name);
  }
  return result;
}

void check_interrupted(int sig, int code, const std::string& name) {
  const auto dir = scratch(name);
  const std::string previous = "{\"previous\":\"rows, kept whole\"}\n";
  const InterruptedRun r = interrupt_runner(sig, dir, previous);
  REQUIRE(WIFEXITED(r.status));
  CHECK(WEXITSTATUS(r.status) == code);
  CHECK(r.out_after == previous);
  CHECK(r.leftovers.empty());  // no temporary file beside --out
  CHECK(has(r.stderr_text, "interrupted by " + std::string(sig == SIGINT ? "SIGINT" : "SIGTERM")));
  CHECK(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n') == 1);
  REQUIRE(r.pids.size() == 2);
  CHECK(survivors(r.pids).empty());
  CHECK_FALSE(group_has_live_member(r.pids[0]));  // the child led its group
}

}  // namespace

TEST_CASE("runner: SIGINT during a batch kills the child's group, keeps --out, exits 130") {
  check_interrupted(SIGINT, 130, "sigint");
}

TEST_CASE("runner: SIGTERM during a batch kills the child's group, keeps --out, exits 143") {
  check_interrupted(SIGTERM, 143, "sigterm");
}
