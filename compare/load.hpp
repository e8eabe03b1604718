// Reading both sides of a comparison: the cases that are not a comparison at all (no baseline
// yet, the same file on both sides, no current rows), then both reductions.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "reduce.hpp"

namespace benchgate {

// There is no baseline to compare with yet (exit code 77: CTest shows the test as skipped).
class NoBaseline : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "Create it from the current rows with ..., then commit it".
std::string create_baseline_hint(const std::string& baseline, const std::string& current);

// Reads BASELINE and CURRENT into reductions. Throws NoBaseline when BASELINE does not exist,
// is a directory with no .jsonl file or holds no rows (`baseline_exe`: the A/B run measured
// nothing of it); UsageError when both name the same file or directory; InputError for bad
// input and for a CURRENT without rows. The baseline's errors come first, as when the two are
// read one after the other; they are read at the same time, on two threads (reading is most of
// the work).
std::pair<CompactReduction, CompactReduction> load_sides(
    const std::string& baseline, const std::string& current,
    const std::optional<std::string>& baseline_exe);

}  // namespace benchgate
