// The accuracy workloads (workloads.hpp) under Google Benchmark (Debian's libbenchmark-dev):
// the same code and flags as accuracy_benchgate. Run with --benchmark_repetitions=10.
#include <benchmark/benchmark.h>

#include "workloads.hpp"

namespace {

template <int I>
void workload(benchmark::State& state) {
  std::uint64_t seed = 1;
  benchmark::DoNotOptimize(seed);  // unknown to the compiler, as benchgate's param is
  for (auto _ : state) {
    benchmark::DoNotOptimize(benchgate_perf::chain(benchgate_perf::kSteps[I], seed));
  }
}

}  // namespace

BENCHMARK(workload<0>)->Name(benchgate_perf::kNames[0]);
BENCHMARK(workload<1>)->Name(benchgate_perf::kNames[1]);
BENCHMARK(workload<2>)->Name(benchgate_perf::kNames[2]);
BENCHMARK_MAIN();
