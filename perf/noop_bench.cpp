// Benchmarks that do nothing, for scripts/perf-report: with the child's own work at its floor,
// the time from spawn to parsed row is the runner's per-batch overhead (issue #2).
#include <benchgate/benchgate.hpp>
#include <cstdint>

namespace {

benchgate::FixedBenchmarkConfig fixed_config() {
  benchgate::FixedBenchmarkConfig c;
  c.min_total_seconds = 0;  // one call per batch: no autotune doubling
  c.repeats = 1;
  c.warmup = false;
  c.tags = {"perf"};
  return c;
}

benchgate::BenchmarkConfig param_config() {
  benchgate::BenchmarkConfig c;
  c.target_inner_nanos = 1'000;  // the autotuner stops after a handful of tiny batches
  c.param_floor = 1;
  c.param_ceiling = 1;
  c.tags = {"perf"};
  return c;
}

}  // namespace

// The measured call returns a constant: nothing observable happens.
BENCHGATE_REGISTER(noop) = benchgate::fixed("noop", []() { return 0; }).config(fixed_config());

BENCHGATE_REGISTER(noop_param) = benchgate::parametric("noop.param", [](std::uint64_t n) {
                                   return n;
                                 }).complexity("1", [](double) {
                                     return 1.0;
                                   }).config(param_config());
