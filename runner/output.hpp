// The run's output files: prepared before the run (their directories), written whole after it,
// with interrupts held so that none is left half written.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "benchgate/process/posix.hpp"

namespace benchgate {

// Creates the parent directories of `path`; throws UsageError naming the flag when it cannot.
void prepare_output(const std::string& flag, const std::string& path);

struct OutputFile {
  std::string path;
  std::string content;
  std::string what;  // "rows", "--baseline-exe rows"
};

// Writes each file atomically and says so on `out`. An interrupt that came before leaves every
// file as it was (throws Interrupted); one that comes while they are written is held until they
// are whole, and then its exit code (130, 143) is returned after a line on `err`.
std::optional<int> write_outputs(const std::vector<OutputFile>& files, const ProcessGuard& guard,
                                 std::ostream& out, std::ostream& err);

}  // namespace benchgate
