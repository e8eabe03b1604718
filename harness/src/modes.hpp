// The benchmark executable's protocol modes (docs/design.md, "The wire protocol"), each
// called by main() with the whole argv. They throw UsageError for a command line they cannot
// carry out; main maps that to exit code 2.
#pragma once

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

// No arguments: what this executable is and which benchmarks it registers, for people.
void print_human_list(const std::string& exe);

// --help: the protocol's synopsis.
void print_usage();

}  // namespace benchgate::detail
