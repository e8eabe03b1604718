// Generates the Google Benchmark 1.7.1 samples of tests/unit/gbench_samples (see README there).
#include <benchmark/benchmark.h>
#include <cmath>
#include <vector>
static void BM_sum(benchmark::State& st) {
  std::vector<int> v(static_cast<std::size_t>(st.range(0)), 1);
  for (auto _ : st) {
    long s = 0;
    for (int x : v) s += x;
    benchmark::DoNotOptimize(s);
  }
  st.SetBytesProcessed(st.iterations() * st.range(0) * 4);
  st.counters["elems"] = static_cast<double>(st.range(0));
  st.counters["ratio"] = std::nan("");
}
BENCHMARK(BM_sum)->Arg(8)->Arg(64);
static void BM_fixed(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(st.iterations());
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_fixed)->Unit(benchmark::kMicrosecond);
static void BM_err(benchmark::State& st) {
  st.SkipWithError("no input");
  for (auto _ : st) {
  }
}
BENCHMARK(BM_err);
BENCHMARK_MAIN();
