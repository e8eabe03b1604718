// Tests runner/spawn.hpp: signal names, and PosixExecutor on programs whose outcome is certain
// (/bin/true, /bin/false, a missing path). No shell; the fault cases are integration tests.
#include <doctest/doctest.h>

#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include "printers.hpp"
#include "spawn.hpp"

using benchgate::PosixExecutor;
using benchgate::signal_name;
using benchgate::SpawnRequest;
using benchgate::SpawnResult;

namespace {

SpawnResult run_argv(std::vector<std::string> argv) {
  SpawnRequest req;
  req.argv = std::move(argv);
  PosixExecutor ex;
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
