// Accepting new numbers: `benchgate-compare --write-baseline BASELINE CURRENT`.
#pragma once

#include <ostream>
#include <string>

namespace benchgate {

// Writes CURRENT's rows over BASELINE (file to file, or directory to directory matched by file
// name) in a stable order, so a reviewer's diff shows changed numbers, not reshuffles. One line
// per file written on `out`. Throws UsageError when there is nothing to copy.
void write_baseline(const std::string& baseline, const std::string& current, std::ostream& out);

}  // namespace benchgate
