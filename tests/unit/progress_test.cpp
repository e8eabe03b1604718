// Tests runner/progress.hpp: the modes, the rate limit of lines without a terminal, the counts
// and ETA, colour only on a terminal and never with NO_COLOR; on a fake clock.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "printers.hpp"
#include "progress.hpp"

namespace {

using namespace benchgate;

BenchmarkInfo ladder(const std::string& name, std::uint64_t ceiling, std::uint64_t trials) {
  BenchmarkInfo b;
  b.name = name;
  b.kind = RowKind::parametric;
  b.complexity = "n";
  b.config.param_floor = 1;
  b.config.param_ceiling = ceiling;
  b.config.outer_trials = trials;
  b.config.ladder_seconds = 0;
  return b;
}

Row ok_row(const std::string& name, std::uint64_t param) {
  Row r;
  r.function = name;
  r.param = param;
  r.inner_repeats = 1;
  r.total_nanos = 1000;
  r.per_call_nanos = 1000;
  r.status = RowStatus::ok;
  r.trial_index = 0;
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("progress: --quiet wins, then --progress, else a terminal gets the live line") {
  CHECK(progress_mode(true, true, true) == ProgressMode::off);
  CHECK(progress_mode(false, true, false) == ProgressMode::every_batch);
  CHECK(progress_mode(false, false, true) == ProgressMode::live);
  CHECK(progress_mode(false, false, false) == ProgressMode::periodic);
}

TEST_CASE("progress: colour only on a terminal and only while NO_COLOR is unset or empty") {
  CHECK(use_colour(true, nullptr));
  CHECK(use_colour(true, ""));
  CHECK_FALSE(use_colour(true, "1"));
  CHECK_FALSE(use_colour(false, nullptr));
}

TEST_CASE("progress: planned batches are the rungs or repeats times the trials") {
  CHECK(planned_batches(ladder("f", 8, 3)) == 4 * 3);  // 1, 2, 4, 8
  BenchmarkInfo custom = ladder("f", 8, 2);
  custom.config.param_schedule = ParamSchedule::custom({5, 7});
  CHECK(planned_batches(custom) == 2 * 2);
  BenchmarkInfo fixed;
  fixed.kind = RowKind::fixed;
  fixed.fixed_config.repeats = 5;
  CHECK(planned_batches(fixed) == 6);  // and the warm-up child
}

TEST_CASE("progress: without a terminal, a benchmark's first batch, then one line per interval") {
  std::int64_t t = 0;
  std::ostringstream err;
  const std::vector<BenchmarkInfo> benchmarks{ladder("f", 8, 3), ladder("g", 2, 1)};
  {
    Progress p(err, ProgressMode::periodic, false, [&t] { return t; });
    p.start_run(benchmarks);
    p.start_benchmark(0);
    for (std::uint64_t i = 0; i < 12; ++i) {
      t += 2'000'000'000;  // 2 s a batch: a line at the 1st, 6th and 11th
      p.batch(benchmarks[0], ok_row("f", 1), false);
    }
    p.end_benchmark(12, true, false);
  }
  const auto got = lines(err.str());
  REQUIRE(got.size() == 4);
  CHECK(got[0] ==
        "benchgate-runner: f param=1 trial 1/3 ok 1.000 µs/call [1/2: 1/12 batches, 2.0 s, "
        "ETA 22 s; run ETA 26 s]");
  CHECK(got[1].find("[1/2: 6/12 batches, 12 s, ETA 12 s; ") != std::string::npos);
  CHECK(got[2].find("[1/2: 11/12 batches, 22 s, ETA 2.0 s; ") != std::string::npos);
  CHECK(got[3] == "benchgate-runner: f done [1/2: 12 rows in 24 s]");
  CHECK(err.str().find('\033') == std::string::npos);
}

TEST_CASE("progress: --progress prints every batch, off prints nothing") {
  std::int64_t t = 0;
  const std::vector<BenchmarkInfo> benchmarks{ladder("f", 2, 1)};
  std::ostringstream every, off;
  for (auto [mode, out] :
       {std::pair{ProgressMode::every_batch, &every}, std::pair{ProgressMode::off, &off}}) {
    Progress p(*out, mode, false, [&t] { return t += 1'000'000; });
    p.start_run(benchmarks);
    p.start_benchmark(0);
    p.batch(benchmarks[0], ok_row("f", 1), false);
    p.batch(benchmarks[0], ok_row("f", 2), false);
    p.end_benchmark(2, true, false);
  }
  CHECK(lines(every.str()).size() == 3);
  CHECK(off.str().empty());
}

TEST_CASE("progress: a terminal gets one line rewritten in place, statuses in colour") {
  std::int64_t t = 0;
  std::ostringstream err;
  const std::vector<BenchmarkInfo> benchmarks{ladder("f", 2, 1)};
  Row killed = ok_row("f", 2);
  killed.status = RowStatus::killed_at_cap;
  {
    Progress p(err, ProgressMode::live, true, [&t] { return t += 1'000'000; });
    p.start_run(benchmarks);
    p.start_benchmark(0);
    p.batch(benchmarks[0], ok_row("f", 1), false);
    p.batch(benchmarks[0], killed, false);
    p.end_benchmark(2, false, false);
  }
  const std::string text = err.str();
  CHECK(text.rfind("\r\033[Kbenchgate-runner: f param=1 \033[32mok\033[0m 1.000 µs/call [1/1: ",
                   0) == 0);
  CHECK(text.find("f param=2 \033[31mkilled_at_cap\033[0m [1/1: 2/2 batches") != std::string::npos);
  CHECK(text.find("\r\033[Kbenchgate-runner: f \033[31mno usable data\033[0m [1/1: 2 rows in ") !=
        std::string::npos);
  CHECK(lines(text).size() == 1);  // one line on the screen, ended once the benchmark is done
}
