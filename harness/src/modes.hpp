// The benchmark executable's protocol modes (docs/design.md, "The wire protocol"), each
// called by main() with the whole argv. They throw UsageError for a command line they cannot
// carry out; main maps that to exit code 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace benchgate::detail {

// --benchgate-child: one batch, one row on the result descriptor. Returns the exit code: 0, or
// 1 when the benchmark failed (its error row was written).
int child_main(const std::vector<std::string>& argv);

// --benchgate-complexity: the declared complexity at the given params, "P C" per line.
int complexity_main(const std::vector<std::string>& argv);

// --benchgate-list: the list document on stdout.
void print_list_document(const std::string& exe);

// --list: which benchmarks this executable registers, for people.
void print_human_list(const std::string& exe);

// The protocol's synopsis (the end of --help).
void print_usage();

// Where benchgate-runner is: BENCHGATE_RUNNER when set (and only it), else the path
// add_benchmark() compiled in, beside this executable, ../bin/ from it, the runner built beside
// the harness library, its install location, then PATH. `looked_in` lists what was tried.
struct RunnerSearch {
  std::optional<std::string> found;
  std::vector<std::string> looked_in;
  bool from_env = false;
};
RunnerSearch find_runner(const std::string& argv0);

// No arguments, or user flags (--filter, --out, ...): exec `benchgate-runner run EXE args...`.
// Returns only on failure: 2, after a message saying how to make the runner findable.
int launch_runner(const std::vector<std::string>& args);

// --help: the flags a person uses, the runner found, then the protocol's synopsis.
void print_user_help(const std::string& exe);

}  // namespace benchgate::detail
