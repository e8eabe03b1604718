// Tests runner/report.hpp: progress lines and the text block of a run, built from hand-made
// rows; only key fragments are checked, never whole tables.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "printers.hpp"
#include "report.hpp"

namespace {

using namespace benchgate;

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

Row parametric_row(std::uint64_t param, double per_call, RowStatus status = RowStatus::ok) {
  Row r;
  r.function = "sort.std_sort";
  r.param = param;
  r.inner_repeats = 64;
  r.total_nanos = static_cast<std::uint64_t>(per_call * 64);
  r.per_call_nanos = per_call;
  r.status = status;
  if (status != RowStatus::ok) r.error = "boom";
  return r;
}

Row fixed_row(std::uint64_t index, double per_call, RowStatus status = RowStatus::ok) {
  Row r;
  r.kind = RowKind::fixed;
  r.function = "parse_corpus";
  r.repeat_index = index;
  r.inner_repeats = 1;
  r.per_call_nanos = per_call;
  r.status = status;
  return r;
}

std::string render(const BenchmarkRun& run) {
  std::ostringstream out;
  render_text(run, out);
  return out.str();
}

}  // namespace

TEST_CASE("report: a progress line names the benchmark, the param, the trial and the time") {
  BenchmarkInfo info;
  info.name = "sort.std_sort";
  info.config.outer_trials = 1;
  CHECK(progress_line(info, parametric_row(1024, 1500)) ==
        "sort.std_sort param=1024 ok 1.500 µs/call");
  CHECK(progress_line(info, parametric_row(8, 0, RowStatus::killed_at_cap)) ==
        "sort.std_sort param=8 killed_at_cap");
  info.config.outer_trials = 3;
  Row second = parametric_row(64, 1500);
  second.trial_index = 1;
  CHECK(progress_line(info, second) == "sort.std_sort param=64 trial 2/3 ok 1.500 µs/call");
  BenchmarkInfo fixed;
  fixed.name = "parse_corpus";
  fixed.kind = RowKind::fixed;
  CHECK(progress_line(fixed, fixed_row(2, 2e6)) == "parse_corpus repeat=2 ok 2.000 ms/call");
}

TEST_CASE("report: a parametric block shows the complexity, rows, statuses and the problem") {
  BenchmarkRun run;
  run.info.name = "sort.std_sort";
  run.info.complexity = "n log n";
  run.rows = {parametric_row(1024, 1500), parametric_row(2048, 0, RowStatus::error)};
  run.rows[0].peak_rss_kb = 20'480;
  run.problem = "something to say";
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "sort.std_sort"));
  CHECK(contains(text, "n log n"));
  CHECK(contains(text, "1_024"));
  CHECK(contains(text, "1.500 µs"));
  CHECK(contains(text, "×2^6"));
  CHECK(contains(text, "20_480 kB"));
  CHECK(contains(text, "[error: boom]"));
  CHECK(contains(text, "something to say"));
}

TEST_CASE("report: trials are numbered when there is more than one") {
  BenchmarkRun run;
  run.info.name = "f";
  run.info.config.outer_trials = 3;
  run.rows = {parametric_row(1, 10), parametric_row(1, 11)};
  run.rows[1].trial_index = 1;
  CHECK(contains(render(run), "[trial 2/3]"));
}

TEST_CASE("report: A/B rounds beyond the outer trials count in the trial numbers") {
  BenchmarkRun run;
  run.info.name = "f";
  run.info.config.outer_trials = 2;
  run.rows = {parametric_row(1, 10), parametric_row(1, 11), parametric_row(1, 12)};
  for (std::uint64_t t = 0; t < 3; ++t) run.rows[t].trial_index = t;
  run.summaries = trial_summaries(run.rows);
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "[trial 3/3]"));
  CHECK_FALSE(contains(text, "/2]"));
  CHECK(contains(text, "trial summaries (3 trials per param"));
}

TEST_CASE("report: a fixed block ends with the median, min and max of the ok repeats") {
  BenchmarkRun run;
  run.info.name = "parse_corpus";
  run.info.kind = RowKind::fixed;
  run.info.fixed_config.repeats = 4;
  run.rows = {fixed_row(0, 1000), fixed_row(1, 3000), fixed_row(2, 9e9, RowStatus::error),
              fixed_row(3, 2000)};
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "median: 2.000 µs"));
  CHECK(contains(text, "min: 1.000 µs"));
  CHECK(contains(text, "max: 3.000 µs"));
}

TEST_CASE("report: a fixed block without ok repeats says so") {
  BenchmarkRun run;
  run.info.name = "parse_corpus";
  run.info.kind = RowKind::fixed;
  run.rows = {fixed_row(0, 0, RowStatus::error)};
  CHECK(contains(render(run), "no successful repeats"));
}

TEST_CASE(
    "report: memory lines give the range of peak RSS, batch growth and allocations per call") {
  BenchmarkRun run;
  run.info.name = "f";
  run.rows = {parametric_row(1, 10), parametric_row(2, 20), parametric_row(4, 0, RowStatus::error)};
  run.rows[0].peak_rss_kb = 4'096;
  run.rows[0].rss_baseline_kb = 4'000;
  run.rows[0].peak_rss_includes_setup = false;
  run.rows[0].alloc_bytes = 64 * 100;  // 64 inner repeats: 100 B in 2 allocations per call
  run.rows[0].alloc_count = 64 * 2;
  run.rows[1].peak_rss_kb = 5'120;
  run.rows[1].rss_baseline_kb = 4'000;
  run.rows[1].peak_rss_includes_setup = false;
  run.rows[1].alloc_bytes = 64 * 250;
  run.rows[1].alloc_count = 64 * 3;
  run.rows[2].peak_rss_kb = 99'999;  // not ok: never in the ranges
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(
      text, "peak RSS: 4_096 kB..5_120 kB, batch growth 96 kB..1_120 kB (across 2 ok row(s))\n"));
  CHECK(
      contains(text, "alloc: 100 B..250 B in 2..3 allocation(s) per call (across 2 ok row(s))\n"));
  CHECK_FALSE(contains(text, "99_999 kB.."));
  CHECK_FALSE(contains(text, "includes setup"));
}

TEST_CASE("report: one value is not a range, and fractional per-call allocations keep a decimal") {
  BenchmarkRun run;
  run.info.name = "parse_corpus";
  run.info.kind = RowKind::fixed;
  run.rows = {fixed_row(0, 5), fixed_row(1, 6)};
  for (Row& r : run.rows) {
    r.inner_repeats = 4;
    r.peak_rss_kb = 3'000;
    r.alloc_bytes = 10;  // 2.5 B per call
    r.alloc_count = 4;
  }
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "peak RSS: 3_000 kB (across 2 ok repeat(s))"));
  CHECK(contains(text, "alloc: 2.5 B in 1 allocation(s) per call (across 2 ok repeat(s))"));
}

TEST_CASE("report: unmeasured memory is n/a, and a peak that includes setup says so") {
  BenchmarkRun run;
  run.info.name = "f";
  run.rows = {parametric_row(1, 10)};
  std::string text = render(run);
  CHECK(contains(text, "peak RSS: n/a"));
  CHECK(contains(text, "alloc: n/a"));
  run.rows[0].peak_rss_kb = 4'096;
  run.rows[0].peak_rss_includes_setup = true;
  text = render(run);
  CHECK(contains(text, "peak RSS: 4_096 kB (across 1 ok row(s)) [includes setup"));
  // No ok row: no memory lines at all.
  run.rows = {parametric_row(1, 0, RowStatus::error)};
  CHECK_FALSE(contains(render(run), "peak RSS:"));
}

TEST_CASE("report: without a declared complexity the block says so and how to add one") {
  BenchmarkRun run;
  run.info.name = "f";
  run.info.kind = RowKind::parametric;
  run.rows = {parametric_row(64, 1500)};
  run.rows[0].function = "f";
  const std::string text = render(run);
  CHECK(contains(text, "f    expected complexity: (none declared)"));
  CHECK(contains(text,
                 "verdict: none (no complexity declared; to check how the time grows with "
                 "n, add e.g. .complexity(\"n\", [](double n) { return n; }) to the "
                 "registration)"));
}

TEST_CASE(
    "report: a Google Benchmark block has no cache mode, complexity hint, C column or spawn "
    "floor") {
  BenchmarkRun run;
  run.adapter = AdapterKind::google_benchmark;
  run.info.name = "BM_Sum/*";
  run.info.kind = RowKind::parametric;
  run.rows = {parametric_row(64, 1500)};
  run.rows[0].function = "BM_Sum/*";
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "BM_Sum/*    [Google Benchmark instances]\n"));
  CHECK_FALSE(contains(text, "cache]"));
  CHECK_FALSE(contains(text, "complexity"));
  CHECK_FALSE(contains(text, "per-spawn floor"));
  CHECK_FALSE(contains(text, " C "));
  CHECK_FALSE(contains(text, "—"));  // the C column's empty cell
  // The same run from a native executable keeps them.
  run.adapter = AdapterKind::native;
  const std::string native = render(run);
  CHECK(contains(native, " C "));
  CHECK(contains(native, "[warm cache]"));
  CHECK(contains(native, ".complexity("));
  CHECK(contains(native, "per-spawn floor"));
}

TEST_CASE("report: a sub-microsecond Google Benchmark median suggests benchmark::DoNotOptimize") {
  BenchmarkRun run;
  run.adapter = AdapterKind::google_benchmark;
  run.info.name = "BM_Capture/small";
  run.info.kind = RowKind::fixed;
  run.info.fixed_config.repeats = 2;
  run.rows = {fixed_row(0, 20), fixed_row(1, 30)};
  const std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "BM_Capture/small    [fixed] repeats=2\n"));
  CHECK(contains(text, "(benchmark::DoNotOptimize)"));
  CHECK_FALSE(contains(text, "benchgate::do_not_optimize"));
  CHECK_FALSE(contains(text, "result hash"));
  run.adapter = AdapterKind::native;
  CHECK(contains(render(run), "benchgate::do_not_optimize"));
}

TEST_CASE(
    "report: a thread benchmark shows k and its CPU/wall ratio, and says when cores ran out") {
  BenchmarkRun run;
  run.info.name = "lookup/threads:2";
  run.info.kind = RowKind::fixed;
  run.info.fixed_config.repeats = 3;
  auto threaded = [](std::uint64_t index, std::uint64_t wall, std::uint64_t cpu) {
    Row r = fixed_row(index, 1000);
    r.threads = 2;
    r.total_nanos = wall;
    r.cpu_nanos = cpu;
    return r;
  };
  run.rows = {threaded(0, 1000, 1980), threaded(1, 1000, 1900), threaded(2, 1000, 1000)};
  std::string text = render(run);
  INFO(text);
  CHECK(contains(text, "threads: 2; CPU time / wall time: median 1.90 (1.00..1.98)\n"));
  run.rows = {threaded(0, 1000, 1000), threaded(1, 1000, 1100), threaded(2, 1000, 1980)};
  text = render(run);
  CHECK(contains(text, "median 1.10 (1.00..1.98) [the threads did not all run at once"));
  // Rows without threads get no such line.
  run.rows = {fixed_row(0, 1000)};
  CHECK_FALSE(contains(render(run), "  threads: "));
}
