// Accepting new numbers: `benchgate-compare --write-baseline BASELINE CURRENT`.
#pragma once

#include <ostream>
#include <string>

namespace benchgate {

// Writes CURRENT's rows over BASELINE (file to file, or directory to directory matched by file
// name) in a stable order, so a reviewer's diff shows changed numbers, not reshuffles. With
// keep_runs > 1 (--add-run) the baseline's own rows of its most recent keep_runs - 1 runs stay
// (a run: the rows sharing env.timestamp_unix_ms; a run already in it is replaced, not added
// twice), so that the gate can measure the spread between runs. One line per file written on
// `out`. Throws UsageError when there is nothing to copy.
void write_baseline(const std::string& baseline, const std::string& current, std::size_t keep_runs,
                    std::ostream& out);

}  // namespace benchgate
