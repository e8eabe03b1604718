// Progress on stderr while a run measures: what a person waiting for `ctest -L bench` (no
// terminal) or a terminal session sees before the report.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/row.hpp"

namespace benchgate {

enum class ProgressMode {
  off,          // --quiet
  every_batch,  // --progress: one line per batch
  periodic,     // stderr is no terminal (CTest, CI logs): a line now and then
  live,         // stderr is a terminal: one line, rewritten in place
};

// The mode from the flags and whether stderr is a terminal: --quiet wins, then --progress.
ProgressMode progress_mode(bool quiet, bool progress, bool stderr_is_terminal);

// Whether statuses are coloured: only on a terminal, and never when NO_COLOR is set to anything
// but the empty string (no-color.org).
bool use_colour(bool stderr_is_terminal, const char* no_color_env);

// The batches a benchmark is planned to run (the ladder's rungs or the custom list, times
// outer_trials; fixed: the repeats and the warm-up child). A ladder stopped early by a kill,
// ladder_seconds or the budget runs fewer; A/B rounds after the outer trials run more.
std::uint64_t planned_batches(const BenchmarkInfo& info);

// Counts batches, estimates the time left and prints:
//   benchgate-runner: sort.std_sort param=1024 trial 2/3 ok 6.976 µs/call [1/2: 17/33 batches,
//   8.2 s, ETA 7.5 s; run ETA 20 s]
// - every_batch: a line per batch;
// - periodic: a benchmark's first batch, then a batch that ends `interval` or more after the last
//   line (at most one line per interval while a benchmark runs), and a line when it ends;
// - live: the same line rewritten after each batch ("\r", erase), and the end line kept.
// The ETA: the batches left times the mean batch time so far, bounded for a ladder by what its
// ladder_seconds leaves; the run's adds the benchmarks still to come, estimated the same way.
class Progress {
 public:
  Progress(std::ostream& err, ProgressMode mode, bool colour, std::function<std::int64_t()> now,
           std::int64_t interval_nanos = 10'000'000'000);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void start_run(const std::vector<BenchmarkInfo>& benchmarks);
  void start_benchmark(std::size_t index);
  void batch(const BenchmarkInfo& info, const Row& row, bool warmup);
  // `usable`: the benchmark produced usable data (coloured as ok, else as a failure).
  void end_benchmark(std::size_t rows, bool usable, bool budget_truncated);
  // Ends a live line so that what follows starts on a line of its own.
  void finish();

 private:
  std::string counts(std::int64_t now) const;
  std::optional<double> benchmark_eta(std::int64_t now) const;
  void emit(const std::string& line, bool keep);
  std::string paint(const std::string& text, const char* colour) const;

  std::ostream& err_;
  ProgressMode mode_;
  bool colour_;
  std::function<std::int64_t()> now_;
  std::int64_t interval_;
  std::vector<BenchmarkInfo> benchmarks_;
  std::size_t index_ = 0;
  std::uint64_t done_ = 0;     // this benchmark's batches so far
  std::uint64_t planned_ = 0;  // this benchmark's planned batches
  std::int64_t bench_start_ = 0;
  std::int64_t run_start_ = 0;
  std::uint64_t run_batches_ = 0;
  std::int64_t batch_nanos_total_ = 0;  // over the run's finished benchmarks and this one
  std::optional<std::int64_t> last_line_;
  bool live_open_ = false;
};

}  // namespace benchgate
