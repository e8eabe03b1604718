// The benchmark executable's main(): dispatches the protocol modes (modes.hpp) and maps errors
// to exit codes: 0 ok, 1 the benchmark failed (an error row was written), 2 usage error or a
// registration error. Run by a person (no arguments, or flags such as --filter), it becomes
// benchgate-runner measuring itself, whose exit codes are then the runner's.
#include <iostream>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/env.hpp"
#include "benchgate/core/protocol.hpp"
#include "modes.hpp"
#include "registry.hpp"

int main(int argc, char** argv) {
  using namespace benchgate;
  const std::vector<std::string> args(argv, argv + argc);
  const std::string exe = args.empty() ? "benchmark" : args[0];
  const std::string prog = base_name(exe);
  const auto& errors = detail::registry().errors;
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << prog << ": error: " << e << "\n";
    std::cerr << prog << ": " << errors.size() << " registration error(s); fix them and rebuild.\n";
    return 2;
  }
  try {
    const std::string mode = args.size() > 1 ? args[1] : "";
    if (mode == kProbeFlag) return 0;
    if (mode == kListFlag && args.size() == 2) {
      detail::print_list_document(exe);
      return 0;
    }
    if (mode == kChildFlag) return detail::child_main(args);
    if (mode == kComplexityFlag) return detail::complexity_main(args);
    if (mode == "--help" || mode == "-h") {
      detail::print_user_help(exe);
      return 0;
    }
    if (mode == "--list" && args.size() == 2) {
      detail::print_human_list(exe);
      return 0;
    }
    // Any other --benchgate-* is the runner's mistake or a newer runner's mode: refuse it here
    // rather than hand it to a runner that would start this executable again.
    if (mode.rfind("--benchgate-", 0) == 0) throw UsageError("unknown argument '" + mode + "'");
    // No arguments or a person's flags: measure, through benchgate-runner.
    return detail::launch_runner(args);
  } catch (const UsageError& e) {
    // One line: the runner quotes the end of stderr in its error row.
    std::cerr << prog << ": error: " << e.what() << " (run with --help for usage)\n";
    return 2;
  }
}
