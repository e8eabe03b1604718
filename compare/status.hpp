// The gate's status of a key, of a benchmark and of each metric (docs/compare.md "Statuses").
#pragma once

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

}  // namespace benchgate
