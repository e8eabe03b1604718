// The human report of a run: computed rows in, text out.
#pragma once

#include <ostream>

#include "run.hpp"

namespace benchgate {

// One block per benchmark: the header, a table of rows
// (param or repeat, per-call time, inner repeats, C, peak RSS, status and markers), then for
// parametric benchmarks the verdict, the spawn floor, memory, trial summaries, advisories and
// auto-fit; for fixed ones median/min/max, hash agreement, the expected_hash check and memory.
// A Google Benchmark run's block has no cache mode, complexity hint or spawn floor (none applies
// to its executables), and names benchmark::DoNotOptimize where a fixed median looks folded.
void render_text(const BenchmarkRun& run, std::ostream& out);

// CTest's measurement tags, so `ctest -T Test` records the headline numbers in Testing/*.xml:
// "<name> per-call ns": the median per-call time at the largest verdict param (fixed: of all ok
// repeats), "<name> n": that param, "<name> peak RSS KiB": the median peak RSS of the same rows.
// Names stay the same from run to run, so dashboards can plot them.
void render_ctest_measurements(const BenchmarkRun& run, std::ostream& out);

// With `run --baseline-exe`: one line on the paired rows, "  A/B with --baseline-exe: 14 paired
// batches, 14 ok; median per call at n=1024: 1.20 µs there, 1.26 µs here (+5.0%)" (parametric:
// at the largest verdict param; fixed: over the repeats), or that the benchmark was measured
// alone. The gate's judgement is benchgate-compare's; this is for people reading the log.
void render_paired(const BenchmarkRun& run, std::ostream& out);

// One line per batch for progress output: "sort.std_sort param=1024 ok 1.234 µs/call".
std::string progress_line(const BenchmarkInfo& info, const Row& row);

}  // namespace benchgate
