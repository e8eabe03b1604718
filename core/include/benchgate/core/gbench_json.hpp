// Google Benchmark's JSON output (--benchmark_format=json, --benchmark_out) as read by benchgate
// (docs/compare.md, "Google Benchmark JSON files"; issue 19).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benchgate/core/row.hpp"

namespace benchgate {

// One entry of "benchmarks": a measured run (run_type "iteration") or an aggregate that Google
// Benchmark computed over repetitions (run_type "aggregate": mean, median, stddev, cv, and the
// BigO and RMS entries of a complexity fit).
struct GbenchRun {
  std::string name;        // "name": the instance name; for aggregates e.g. "BM_x/8_mean"
  std::string run_name;    // "run_name"; the name when absent (Google Benchmark before 1.5)
  bool aggregate = false;  // run_type == "aggregate"
  std::optional<std::string> aggregate_name;  // "mean", "median", "stddev", "cv", "BigO", ...
  std::optional<std::int64_t> repetition_index;
  std::int64_t iterations = 0;
  std::int64_t threads = 1;
  double real_time_ns = 0;  // real_time converted from time_unit (ns, us, ms, s) to ns
  double cpu_time_ns = 0;
  bool error_occurred = false;
  std::optional<std::string> error_message;
  std::optional<std::string> label;  // "label" (State::SetLabel)
  // Every other finite number of the entry: bytes_per_second, items_per_second, user counters,
  // memory manager results. Not the bookkeeping (family_index, per_family_instance_index,
  // repetitions, repetition_index, threads, iterations, real_time, cpu_time, and a complexity
  // fit's cpu_coefficient, real_coefficient, rms). A non-finite value (Google Benchmark writes
  // NaN, Infinity, -Infinity, or inf/nan in old versions, for a counter divided by zero) is left
  // out: the counter is skipped, the entry kept.
  std::map<std::string, double> counters;
  std::size_t line = 0;  // 1-based line of the entry's first key in the text, for messages
};

struct GbenchDoc {
  // The strings, numbers and booleans of "context" as text (host_name, executable, num_cpus,
  // mhz_per_cpu, library_build_type, ...); arrays and objects (caches, load_avg) are left out.
  std::map<std::string, std::string> context;
  std::vector<GbenchRun> benchmarks;  // in the order of the text
};

// Parses Google Benchmark's JSON output. On malformed input (not JSON, no "benchmarks" array, an
// entry without a name or with a value of the wrong type, an unknown time_unit) throws InputError
// (benchgate/core/jsonl.hpp) with "<origin>:<line>: <what>". Bare NaN and Infinity values, which
// Google Benchmark writes although JSON has none, are read as absent (see GbenchRun::counters).
// Unknown keys are counters when they are numbers and ignored otherwise.
GbenchDoc parse_gbench_json(std::string_view text, const std::string& origin);

// True when the text's first JSON value is an object with a top-level "benchmarks" key: a Google
// Benchmark file, not benchgate JSONL (whose lines are objects too). Reads no further than that
// first value (a JSONL file's first line), so it is cheap on large files.
bool looks_like_gbench_json(std::string_view text);

// A measured run's numbers in a row, as both the runner's Google Benchmark adapter and
// benchgate-compare's reading of Google Benchmark files map them: inner_repeats = iterations,
// per_call_nanos = real time per iteration, total_nanos and cpu_nanos = real and CPU time per
// iteration x iterations (rounded, 0 when not positive, saturating), counters = the run's finite
// counters (unset when it has none).
void set_gbench_measurements(const GbenchRun& run, Row& row);

}  // namespace benchgate
