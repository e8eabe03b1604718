// Integration: Ctrl-C on benchgate-compare while a confirmation rerun measures. The real compare
// starts the real runner on the fault fixture's slow.sleep (a 30 s batch with a grandchild in its
// group); the test interrupts compare once the batch runs and looks for anything left behind.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"
#include "processes.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace benchgate;
using namespace benchgate::testing;

namespace {

// Three repeats of slow.sleep in suite `suite`, every one `per_call` ns: too few to decide a
// time, so compare measures again.
std::string fixed_rows(const std::string& suite, double per_call) {
  std::string text;
  for (std::uint64_t i = 0; i < 3; ++i) {
    Row r;
    r.kind = RowKind::fixed;
    r.function = "slow.sleep";
    r.repeat_index = i;
    r.inner_repeats = 1;
    r.per_call_nanos = per_call + static_cast<double>(i);
    r.total_nanos = static_cast<std::uint64_t>(per_call);
    r.suite = suite;
    r.trial_index = 0;
    text += write_row(r) + "\n";
  }
  return text;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("compare: SIGINT while it measures again stops the runner and its benchmark") {
  const fs::path dir = scratch_dir("compare-interrupt");
  // A copy under the scratch directory: every process of this test names the directory in its
  // argv (the runner's EXE and --out), so anything left over is found by it.
  const fs::path exe = dir / "interrupt_bench";
  fs::copy_file(BENCHGATE_FAULT_BENCH, exe);
  const fs::path pidfile = dir / "batch.pids";
  std::ofstream(dir / "base.jsonl") << fixed_rows("interrupt_bench", 1000);
  std::ofstream(dir / "cur.jsonl") << fixed_rows("interrupt_bench", 3000);  // undecided

  std::vector<std::string> args{BENCHGATE_COMPARE,
                                (dir / "base.jsonl").string(),
                                (dir / "cur.jsonl").string(),
                                "--confirm",
                                "1",
                                "--runner",
                                BENCHGATE_RUNNER,
                                "--exe",
                                exe.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, (dir / "stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (dir / "stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::setenv("BENCHGATE_FIXTURE_PIDFILE", pidfile.c_str(), 1);
  ::setenv("BENCHGATE_FIXTURE_SLEEP_SECONDS", "30", 1);
  pid_t compare = -1;
  const int rc = posix_spawn(&compare, argv[0], &actions, nullptr, argv.data(), environ);
  ::unsetenv("BENCHGATE_FIXTURE_PIDFILE");
  ::unsetenv("BENCHGATE_FIXTURE_SLEEP_SECONDS");
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);

  // The rerun's batch writes its pids (the child, then its grandchild) once it runs.
  for (int i = 0; i < 3000 && !fs::exists(pidfile); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(fs::exists(pidfile));
  REQUIRE(!processes_naming(dir.string()).empty());  // the runner and the batch are running
  ::kill(compare, SIGINT);

  int status = 0;
  bool done = false;
  for (int i = 0; i < 3000 && !done; ++i) {
    done = ::waitpid(compare, &status, WNOHANG) == compare;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!done) {
    ::kill(compare, SIGKILL);
    ::waitpid(compare, &status, 0);
    FAIL("benchgate-compare did not exit within 30 s of SIGINT");
  }
  const std::string err = slurp(dir / "stderr");
  INFO("stderr: " << err);
  // Not killed by the signal: it stopped its rerun first. (CHECK, not REQUIRE: what follows
  // also kills whatever was left behind.)
  CHECK(WIFEXITED(status));
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 130));
  CHECK(has(err, "interrupted by SIGINT"));
  const std::vector<pid_t> batch = read_pids(pidfile);
  CHECK(batch.size() == 2);
  CHECK(survivors(batch).empty());
  if (!batch.empty()) CHECK_FALSE(group_has_live_member(batch[0]));
  // Nor the runner, nor anything else started with the scratch directory in its argv.
  std::vector<pid_t> left = processes_naming(dir.string());
  for (int i = 0; i < 100 && !left.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    left = processes_naming(dir.string());
  }
  CHECK(left.empty());
  for (pid_t p : left) ::kill(p, SIGKILL);
}
