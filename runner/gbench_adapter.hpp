// Google Benchmark executables (BENCHMARK() and BENCHMARK_MAIN(), unchanged) behind the adapter
// interface (docs/google-benchmark.md): listed with --benchmark_list_tests, one instance per
// child, its JSON written to a file (never parsed from stdout).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapter.hpp"

namespace benchgate {

// The environment variable naming the file benchgate::gbench_memory writes its numbers to.
inline constexpr const char* kGbenchMemoryEnv = "BENCHGATE_GBENCH_MEMORY_OUT";

// Defaults of a Google Benchmark instance's configuration (the command line's overrides apply
// on top): the cap covers the whole child (start-up, Google Benchmark's own iteration estimate
// and the measured run), so it is generous.
inline constexpr double kGbenchCapSeconds = 30.0;
inline constexpr std::uint64_t kGbenchTargetNanos = 200'000'000;  // --benchmark_min_time=0.2

// What benchgate::gbench_memory wrote for one child: its memory run's totals.
struct GbenchMemory {
  std::uint64_t alloc_bytes = 0;
  std::uint64_t alloc_count = 0;
  std::optional<std::uint64_t> peak_rss_kb;
  bool peak_rss_includes_setup = true;  // the high-water mark could not be reset
};

// The instance names of `--benchmark_list_tests` output, one a line (blank lines skipped).
std::vector<std::string> parse_gbench_list(const std::string& text);

// The list document of `instances` (in listing order): one benchmark per key function
// (gbench_key): parametric with the instances' first arguments as a custom param list, or
// fixed when the name has no argument; Google Benchmark's defaults (kGbenchCapSeconds, ...).
// Also fills `instances_by_key`: (function, param or nullopt) -> instance name.
ListDocument gbench_list_doc(
    const std::string& suite, const std::vector<std::string>& instances,
    std::map<std::pair<std::string, std::optional<std::uint64_t>>, std::string>& instances_by_key);

// The argv of the child that measures `instance` once for about `min_time_nanos`.
std::vector<std::string> gbench_child_argv(const std::string& exe, const std::string& instance,
                                           std::uint64_t min_time_nanos,
                                           const std::string& json_file);

// gbench_memory's file: "alloc_bytes alloc_count peak_rss_kb includes_setup" (peak "-" when
// unknown); nullopt when missing or malformed.
std::optional<GbenchMemory> parse_gbench_memory(const std::string& text);

class GbenchAdapter final : public Adapter {
 public:
  explicit GbenchAdapter(std::string benchmark_filter = "")
      : benchmark_filter_(std::move(benchmark_filter)) {}
  AdapterKind kind() const override { return AdapterKind::google_benchmark; }
  ListDocument list(Executor& executor, const std::string& exe) override;
  void prepare_child(const std::string& exe, const ChildRequest& child,
                     const std::string& result_file, SpawnRequest& spawn) const override;
  Row parse_result(const RowRequest& request, const SpawnResult& outcome,
                   const std::string& result_file) const override;

  // The row of a child that exited 0 and wrote `json` (its --benchmark_out file, named `origin`
  // in messages) and, when benchgate::gbench_memory is linked, `memory`.
  Row row_from_output(const RowRequest& request, const SpawnResult& outcome,
                      const std::string& json, const std::string& origin,
                      const std::optional<std::string>& memory) const;

  // The instance a batch of (function, param) measures; nullopt when it was never listed.
  std::optional<std::string> instance(const std::string& function,
                                      std::optional<std::uint64_t> param) const;

 private:
  std::string benchmark_filter_;
  std::map<std::pair<std::string, std::optional<std::uint64_t>>, std::string> instances_;
};

}  // namespace benchgate
