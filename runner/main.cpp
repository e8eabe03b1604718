// benchgate-runner: list, run and verify the benchmarks of one executable. Parses the command,
// dispatches to run_command.hpp, and maps errors to exit codes in one place: 0 ran and rows
// written, 1 a benchmark broke (no usable data), 2 usage or input error, 128 + the signal (130,
// 143) when SIGINT or SIGTERM interrupted it.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/env.hpp"
#include "benchgate/core/run_request.hpp"
#include "benchgate/process/posix.hpp"
#include "run_command.hpp"
#include "verify_cli.hpp"

namespace {

using namespace benchgate;

int dispatch(const std::vector<std::string>& args, const ProcessGuard& guard) {
  const std::string cmd = args.size() > 1 ? args[1] : "";
  const std::vector<std::string> rest(args.begin() + (args.size() > 1 ? 1 : 0), args.end());
  PosixExecutor executor(guard);
  if (cmd == "list") {
    if (args.size() != 3)
      throw UsageError(std::string("list takes exactly one executable\n") + kRunnerUsage);
    return list_command(args[2], executor, std::cout);
  }
  if (cmd == "run") {
    const auto request = parse_run_request(rest);
    if (!request) std::cout << run_help();
    return request ? run_command(*request, executor, guard, std::cout, std::cerr, isatty(2)) : 0;
  }
  if (cmd == "verify") {
    const auto request = parse_verify_request(rest);
    if (!request) std::cout << verify_help();
    return request ? verify_command(*request, executor, std::cout) : 0;
  }
  if (cmd == "-h" || cmd == "--help" || cmd == "--version") {
    std::cout << (cmd == "--version" ? std::string(kBenchgateVersion) + "\n" : kRunnerUsage);
    return 0;
  }
  throw UsageError(
      (cmd.empty() ? std::string("missing command") : "unknown command '" + cmd + "'") +
      "; valid commands: list, run, verify\n" + kRunnerUsage);
}

}  // namespace

int main(int argc, char** argv) {
  // SIGINT/SIGTERM end the running child's group and unwind (Interrupted) instead of killing
  // us and leaving the child behind; descendants that leave its group still die with it.
  const ProcessGuard guard;
  try {
    return dispatch(std::vector<std::string>(argv, argv + argc), guard);
  } catch (const Interrupted& e) {
    std::cerr << "benchgate-runner: interrupted by " << signal_name(e.signal)
              << ": stopped the running benchmark and wrote no rows (an existing --out file is "
                 "left as it was)\n";
    return e.exit_code();
  } catch (const std::exception& e) {  // UsageError, and input errors such as a bad --out
    std::cerr << "benchgate-runner: error: " << e.what() << "\n";
    return 2;
  }
}
