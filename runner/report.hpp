// The human report of a run: computed rows in, text out.
#pragma once

#include <ostream>

#include "run.hpp"

namespace benchgate {

// One block per benchmark: header, a table of rows (param or repeat, per-call time with unit,
// inner repeats, peak RSS, status), and for fixed benchmarks the median/min/max of ok rows.
void render_text(const BenchmarkRun& run, std::ostream& out);

// One line per batch for progress output: "sort.std_sort param=1024 ok 1.234 µs/call".
std::string progress_line(const BenchmarkInfo& info, const Row& row);

}  // namespace benchgate
