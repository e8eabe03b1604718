// Integration: hostile Google Benchmark benchmarks (tests/fixtures/gbench_hostile_bench.cpp) are
// classified like native children (runner_faults_test.cpp): an abort is an error row naming
// SIGABRT, a hang is killed at the cap, an output flood is drained and measured, an error the
// benchmark reports is an error row with its message; the other benchmarks' rows are kept. An
// interrupt ends a child as it ends a native one.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
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

namespace {

// The pids of live processes whose command line contains `marker`.
std::vector<pid_t> processes_with(const std::string& marker) {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    if (cmdline.find(marker) != std::string::npos) out.push_back(std::stoi(name));
  }
  return out;
}

}  // namespace

TEST_CASE("gbench: SIGINT during a hanging instance kills its child and removes the scratch") {
  const fs::path dir = testing::scratch_dir("gbench_interrupt");
  const fs::path tmp = dir / "tmp";  // the runner's TMPDIR: its result files' directory is here
  fs::create_directories(tmp);
  const std::string tmpdir = "TMPDIR=" + tmp.string();
  std::vector<std::string> args{BENCHGATE_RUNNER,
                                "run",
                                BENCHGATE_GBENCH_HOSTILE_BENCH,
                                "--adapter",
                                "google-benchmark",
                                "--bench",
                                "BM_Hang",
                                "--max-seconds-per-call",
                                "60",
                                "--out",
                                (dir / "rows.jsonl").string(),
                                "--quiet"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(const_cast<char*>(tmpdir.c_str()));
  envp.push_back(nullptr);
  pid_t runner = 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const int rc =
      posix_spawn(&runner, BENCHGATE_RUNNER, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  // The child of the hanging instance: its --benchmark_out names a file under `tmp`.
  bool started = false;
  for (int i = 0; i < 2000 && !started; ++i) {
    started = !processes_with(tmp.string() + "/").empty();
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(started);
  ::kill(runner, SIGINT);
  int status = 0;
  bool done = false;
  for (int i = 0; i < 3000 && !done; ++i) {
    done = ::waitpid(runner, &status, WNOHANG) == runner;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!done) {
    ::kill(runner, SIGKILL);
    ::waitpid(runner, &status, 0);
    FAIL("the runner did not exit within 30 s of SIGINT");
  }
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(processes_with(tmp.string() + "/").empty());  // the child is gone
  CHECK(fs::is_empty(tmp));                           // and its scratch directory too
}
