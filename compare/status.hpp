// The gate's status of a key, of a benchmark and of each metric, and its outcome (docs/compare.md
// "Statuses").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace benchgate {

// In the order a report lists them.
enum class KeyStatus {
  regressed,
  broken,
  missing,
  new_key,
  inconclusive,
  improved,
  not_comparable,
  unchanged
};
const char* to_string(KeyStatus v);  // "regressed", "broken", "missing", "new", ...

// The gate's outcome as CTest sees it (gate_outcome() in outcome.hpp computes it).
struct GateOutcome {
  enum class Result { pass, fail, skip, error };
  Result result = Result::pass;
  // One line: how many keys fail, or why the gate was skipped; empty for a clean pass.
  std::string reason;
  // "time of 3 of 12 keys not gated: cpu_model differs: 'A' vs 'B'": one line per metric.
  std::vector<std::string> warnings;
  std::size_t keys_not_gated = 0;  // keys in both sides of which a metric was not gated

  int exit_code() const;  // 0, 1, 77 or 2
};

const char* to_string(GateOutcome::Result r);  // "pass", "fail", "skip", "error"

}  // namespace benchgate
