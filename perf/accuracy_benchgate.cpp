// The accuracy workloads (workloads.hpp) as benchgate benchmarks: warm, one param, trials by
// --outer-trials. scripts/perf-accuracy runs it beside accuracy_gbench.
#include <benchgate/benchgate.hpp>

#include "workloads.hpp"

namespace {

benchgate::BenchmarkConfig config() {
  benchgate::BenchmarkConfig c;
  c.param_schedule = benchgate::ParamSchedule::custom({1});
  // Batches of 0.5-1 s: no shorter than Google Benchmark's runs at --benchmark_min_time=0.5, so
  // that a hiccup of the machine weighs no more in one tool's sample than in the other's
  // (docs/lab/2026-11-28-accuracy.md has the CVs with 200 ms, batches of 110-220 ms, and with
  // this).
  c.target_inner_nanos = 910'000'000;
  // The runner clamps a child's target to a quarter of the cap (docs/design.md, "The clamped
  // inner target"): with the default 1 s cap the 910 ms above became about 270 ms, batches of
  // 135-270 ms. A 5 s cap lets the target through.
  c.max_seconds_per_call = 5;
  c.outer_trials = 10;
  return c;
}

// The seed is the param (1), unknown to the compiler: the chain cannot be folded.
template <int I>
benchgate::Registration workload() {
  return benchgate::parametric(
             benchgate_perf::kNames[I], [](std::uint64_t n) { return n; },
             [](std::uint64_t seed) {
               return benchgate_perf::chain(benchgate_perf::kSteps[I], seed);
             })
      .complexity("1", [](double) { return 1.0; })
      .config(config());
}

}  // namespace

BENCHGATE_REGISTER(work_100ns) = workload<0>();
BENCHGATE_REGISTER(work_10us) = workload<1>();
BENCHGATE_REGISTER(work_1ms) = workload<2>();
