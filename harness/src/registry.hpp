// The process-wide registry of benchmarks, filled during static initialisation.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/benchgate.hpp"

namespace benchgate::detail {

struct BuildInfo {
  std::string compiler;
  std::string compiler_version;
  std::string build_type;
};

struct Registry {
  std::vector<ParametricEntry>
      parametric;  // declaration order (within a TU; TU order is the link order)
  std::vector<FixedEntry> fixed;
  std::vector<std::string> errors;  // reported by main() before anything runs
  BuildInfo build;
  bool build_known = false;
  std::string runner_hint;  // where add_benchmark() found benchgate-runner (BENCHGATE_RUNNER_PATH)
};

Registry& registry();

// The custom counters (benchgate::counter) the last timed batch reported: name and sum over its
// calls, in first-report order (measure.cpp).
std::vector<std::pair<std::string, double>> batch_counter_sums();

// While one lives (a .threads(k) batch), benchgate::counter() serialises its calls with a lock.
extern std::atomic<bool> g_counters_shared;
extern std::mutex g_counter_mutex;
struct SharedCounters {
  SharedCounters();
  ~SharedCounters();
  SharedCounters(const SharedCounters&) = delete;
  SharedCounters& operator=(const SharedCounters&) = delete;
};

// A build field as the list document and the rows carry it: null where unknown (empty).
inline std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace benchgate::detail
