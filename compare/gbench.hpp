// Google Benchmark JSON files (--benchmark_out) as a side of the gate: their runs as rows, so that
// the statistics and reports apply unchanged (docs/compare.md, "Google Benchmark JSON files";
// issue 19).
#pragma once

#include <string>
#include <vector>

#include "benchgate/core/gbench_json.hpp"
#include "benchgate/core/row.hpp"

namespace benchgate {

struct Report;

// True when `path` is a regular file whose text begins with a Google Benchmark JSON object (a
// top-level "benchmarks" key; looks_like_gbench_json on its first MiB). A directory or a missing
// file is not.
bool is_gbench_file(const std::string& path);

// Reads and parses a whole Google Benchmark JSON file. Throws InputError ("path:line: what").
GbenchDoc read_gbench_file(const std::string& path);

// The env a document's context gives: host_name as hostname, executable's file name as
// exe_name, num_cpus as cpu_cores, date as timestamp_iso. library_build_type is Google
// Benchmark's own build type, not the measured code's: never build_type.
Env gbench_env(const GbenchDoc& doc);

// One row per measured run: every entry that is not an aggregate (aggregates are never samples;
// they are ignored). Key gbench_key(run_name): parametric at its param (trial_index = the
// repetition index), else fixed (repeat_index = the repetition index, or the run's position among
// the instance's runs without one). per_call_nanos = real_time_ns, inner_repeats = iterations,
// total_nanos = real_time_ns x iterations, cpu_nanos = cpu_time_ns x iterations, counters = the
// run's counters (absent when it has none); peak RSS and everything else null. A run with
// error_occurred is a row with status error and its error_message. Rows carry no env (see
// gbench_env).
std::vector<Row> gbench_rows(const GbenchDoc& doc);

// After the comparison, when a side is a Google Benchmark file: peak RSS, not measured there, says
// so in each key's note (the gate's warning line carries it), and a time left undecided with one
// sample on a side says to run with --benchmark_repetitions.
void note_gbench_sides(Report& report, bool baseline_is_gbench, bool current_is_gbench);

}  // namespace benchgate
