// Tests process/: signal names, ProcessGuard, and PosixExecutor on programs whose outcome is
// certain
// (/bin/true, /bin/false, a missing path, dd, sleep, setsid). No shell; the fault cases of the
// benchmark fixtures are integration tests.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/process/posix.hpp"
#include "printers.hpp"

using benchgate::PosixExecutor;
using benchgate::ProcessGuard;
using benchgate::signal_name;
using benchgate::SpawnRequest;
using benchgate::SpawnResult;

namespace {

// One guard for the test process, as a tool's main holds one.
const ProcessGuard& guard() {
  static const ProcessGuard g;
  return g;
}

SpawnResult run_argv(std::vector<std::string> argv) {
  SpawnRequest req;
  req.argv = std::move(argv);
  PosixExecutor ex(guard());
  return ex.run(req);
}

}  // namespace

TEST_CASE("spawn: signal_name names the common signals") {
  CHECK(signal_name(SIGSEGV) == "SIGSEGV");
  CHECK(signal_name(SIGABRT) == "SIGABRT");
  CHECK(signal_name(SIGKILL) == "SIGKILL");
  CHECK(signal_name(SIGTERM) == "SIGTERM");
  CHECK(signal_name(SIGBUS) == "SIGBUS");
  CHECK(signal_name(SIGFPE) == "SIGFPE");
}

TEST_CASE("spawn: signal_name of an unknown number is 'signal N'") {
  CHECK(signal_name(77) == "signal 77");
  CHECK(signal_name(0) == "signal 0");
  CHECK(signal_name(-3) == "signal -3");
}

TEST_CASE("spawn: PosixExecutor runs /bin/true to exit code 0") {
  const SpawnResult r = run_argv({"/bin/true"});
  CHECK(r.started);
  CHECK(r.start_error.empty());
  CHECK(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.term_signal == 0);
  CHECK_FALSE(r.killed_at_cap);
  CHECK(r.result.empty());
  CHECK_FALSE(r.result_overflow);
}

TEST_CASE("spawn: PosixExecutor reports the exit code of /bin/false") {
  const SpawnResult r = run_argv({"/bin/false"});
  CHECK(r.started);
  CHECK(r.exited);
  CHECK(r.exit_code == 1);
  CHECK_FALSE(r.killed_at_cap);
}

TEST_CASE("spawn: PosixExecutor reports a missing program as not started, naming it") {
  const std::string missing = "/nonexistent/benchgate-unit-no-such-program";
  const SpawnResult r = run_argv({missing, "--benchgate-list"});
  CHECK_FALSE(r.started);
  CHECK(r.start_error.find(missing) != std::string::npos);
}

TEST_CASE("spawn: PosixExecutor refuses an empty command line") {
  const SpawnResult r = run_argv({});
  CHECK_FALSE(r.started);
  CHECK_FALSE(r.start_error.empty());
}

TEST_CASE("spawn: a result longer than max_result_bytes is dropped, counted, and never kept") {
  SpawnRequest req;
  // 5 MiB to the result descriptor (dd reopens it through /dev/fd).
  req.argv = {"dd", "if=/dev/zero", "of=/dev/fd/3", "bs=65536", "count=80", "status=none"};
  req.max_result_bytes = 1 << 20;
  const SpawnResult r = PosixExecutor(guard()).run(req);
  REQUIRE(r.started);
  CHECK(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.result_overflow);
  CHECK(r.result.empty());
  CHECK(r.result_bytes == 5u << 20);
}

TEST_CASE("spawn: a result up to max_result_bytes is kept whole") {
  SpawnRequest req;
  req.argv = {"dd", "if=/dev/zero", "of=/dev/fd/3", "bs=65536", "count=16", "status=none"};
  req.max_result_bytes = 1 << 20;
  const SpawnResult r = PosixExecutor(guard()).run(req);
  REQUIRE(r.started);
  CHECK_FALSE(r.result_overflow);
  CHECK(r.result.size() == 1u << 20);
  CHECK(r.result_bytes == 1u << 20);
}

TEST_CASE("spawn: a child still running at term_after is killed_at_cap by SIGTERM") {
  SpawnRequest req;
  req.argv = {"sleep", "30"};
  req.term_after = std::chrono::milliseconds(50);
  req.kill_after = std::chrono::seconds(5);
  const SpawnResult r = PosixExecutor(guard()).run(req);
  REQUIRE(r.started);
  CHECK(r.killed_at_cap);
  CHECK_FALSE(r.stopped_at_cap);
  CHECK_FALSE(r.exited);
  CHECK(r.term_signal == SIGTERM);
}

TEST_CASE(
    "spawn: as a subreaper, a descendant that left the group with setsid is killed and reaped") {
  REQUIRE(guard().subreaper());
  SpawnRequest req;
  // setsid(1) forks (its child leads a group already), and the fork runs sleep in a new
  // session: out of reach of the group kill, holding stdout and stderr open.
  req.argv = {"setsid", "sleep", "60"};
  const SpawnResult r = PosixExecutor(guard()).run(req);
  if (!r.started) {
    MESSAGE("setsid(1) is not installed: " << r.start_error);
    return;
  }
  CHECK(r.exited);
  CHECK(r.exit_code == 0);
  // Nothing of ours is left, alive or zombie: the adopted sleep was killed and reaped.
  siginfo_t info{};
  const int rc = waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT);
  CHECK(rc == -1);
  CHECK(errno == ECHILD);
}

TEST_CASE("spawn: SpawnRequest env adds a variable and replaces one of the same name") {
  ::setenv("BENCHGATE_SPAWN_TEST_KEPT", "kept", 1);
  ::setenv("BENCHGATE_SPAWN_TEST_REPLACED", "old", 1);
  SpawnRequest req;
  req.argv = {"/bin/sh", "-c",
              "echo \"$BENCHGATE_SPAWN_TEST_KEPT $BENCHGATE_SPAWN_TEST_REPLACED "
              "$BENCHGATE_SPAWN_TEST_ADDED\""};
  req.env = {"BENCHGATE_SPAWN_TEST_REPLACED=new", "BENCHGATE_SPAWN_TEST_ADDED=added"};
  PosixExecutor ex(guard());
  const SpawnResult r = ex.run(req);
  ::unsetenv("BENCHGATE_SPAWN_TEST_KEPT");
  ::unsetenv("BENCHGATE_SPAWN_TEST_REPLACED");
  REQUIRE(r.started);
  CHECK(r.exit_code == 0);
  CHECK(r.stdout_tail == "kept new added\n");
}
