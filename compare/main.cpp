// benchgate-compare: the merge gate. Parses the command line, dispatches (gate.hpp,
// --write-baseline, or --collect), and maps errors to exit codes in one place: 0 nothing failing,
// 1 a key fails the gate, 2 usage or input error, 77 no baseline yet or nothing gated (CTest
// SKIP_RETURN_CODE), 128 + the signal when SIGINT or SIGTERM interrupted a confirmation rerun.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "baseline_file.hpp"
#include "benchgate/process/posix.hpp"
#include "cli.hpp"
#include "collect.hpp"
#include "gate.hpp"
#include "load.hpp"

int main(int argc, char** argv) {
  using namespace benchgate;
#if defined(__GLIBC__)
  // Give every large block (the reductions' record blocks, the report) its own mapping, returned to
  // the system when freed: glibc otherwise raises this threshold as large blocks are freed and then
  // serves them from a heap that keeps the pages, and the reductions, released while the report is
  // built, would still count in the peak resident set (issue #3).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  // Ctrl-C while a confirmation rerun measures stops the runner it started, and its benchmark.
  const ProcessGuard guard;
  std::optional<CompareRequest> request;
  // With --results, a gate that ends before comparing still leaves its result for --collect.
  auto ended = [&](GateOutcome::Result result, const std::string& why) {
    if (!request || !request->results) return;
    try {
      write_ended_early(*request->results, *request, result, why);
    } catch (const std::exception& e) {
      std::cerr << "benchgate-compare: error: " << e.what() << "\n";
    }
  };
  try {
    request = parse_compare_request(std::vector<std::string>(argv, argv + argc));
    if (!request) {
      std::cout << compare_help();
      return 0;
    }
    if (!request->collect.empty()) return collect_results(*request, std::cout, std::cerr);
    if (request->write_baseline) {
      write_baseline(request->baseline, request->current,
                     {request->add_run ? request->keep_runs : 1, request->all, request->options},
                     std::cout);
      return 0;
    }
    PosixExecutor executor(guard);
    return run_gate(*request, executor, std::cout, std::cerr);
  } catch (const Interrupted& e) {
    std::cerr << "benchgate-compare: interrupted by " << signal_name(e.signal)
              << ": stopped the confirmation rerun; no report written\n";
    return e.exit_code();
  } catch (const NoBaseline& e) {
    std::cerr << "benchgate-compare: " << e.what() << "\n";
    ended(GateOutcome::Result::skip, e.what());
    return 77;
  } catch (const std::exception& e) {  // usage and input errors alike (InputError, UsageError)
    std::cerr << "benchgate-compare: error: " << e.what() << "\n";
    ended(GateOutcome::Result::error, e.what());
    return 2;
  }
}
