// The gate's detection fixture (issue 7): known, injected regressions. Built once per variant
// (perf/CMakeLists.txt) with
//   BENCHGATE_SLOWDOWN_PCT   extra work in percent: every call of gate.cpu does (100 + P)% of
//                            the baseline's steps (0, 5, 10, 20);
//   BENCHGATE_RSS_GROWTH_KIB extra memory gate.memory touches in its batch, in KiB (0, or about
//                            5% of the baseline's peak RSS), with its time unchanged.
// scripts/perf-gate measures a variant against the baseline variant, interleaved, and counts
// how often benchmark-compare at its default thresholds catches it.
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <vector>

#ifndef BENCHGATE_SLOWDOWN_PCT
#define BENCHGATE_SLOWDOWN_PCT 0
#endif
#ifndef BENCHGATE_RSS_GROWTH_KIB
#define BENCHGATE_RSS_GROWTH_KIB 0
#endif

namespace {

// About 1.5 ns per step: a dependent xorshift chain whose every step the barrier keeps.
std::uint64_t spin(std::uint64_t steps) {
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (std::uint64_t i = 0; i != steps; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    benchgate::do_not_optimize(x);
  }
  return x;
}

constexpr std::uint64_t kMemoryKib = 64 * 1024 + BENCHGATE_RSS_GROWTH_KIB;

}  // namespace

// Time: n thousand steps (n = 10, 100, 1000: about 10 µs to 1 ms per call), five trials each.
BENCHGATE_REGISTER(gate_cpu) =
    benchgate::parametric(
        "gate.cpu", [](std::uint64_t n) { return n; },
        [](std::uint64_t n) { return spin(n * 10 * (100 + BENCHGATE_SLOWDOWN_PCT)); })
        .complexity("n", [](double n) { return n; })
        .config([] {
          benchgate::BenchmarkConfig c;
          c.param_schedule = benchgate::ParamSchedule::custom({10, 100, 1000});
          c.outer_trials = 5;
          // ~50-100 ms batches: above 10 spawn floors (2-5 ms here), as in the examples.
          c.target_inner_nanos = 100'000'000;
          return c;
        }());

// Memory: touch 64 MiB (+ the injected growth) and spin about 100 ms, one call per child.
BENCHGATE_REGISTER(gate_memory) = benchgate::fixed(
                                      "gate.memory", [] { return 0; },
                                      [](int) {
                                        std::vector<unsigned char> block(kMemoryKib * 1024);
                                        for (std::size_t i = 0; i < block.size(); i += 4096)
                                          block[i] = 1;
                                        benchgate::do_not_optimize(block.data());
                                        return spin(100'000'000) + block[kMemoryKib * 512];
                                      })
                                      .config([] {
                                        benchgate::FixedBenchmarkConfig c;
                                        c.repeats = 5;
                                        c.min_total_seconds =
                                            0;  // one call per child: the peak is one block
                                        c.max_seconds_per_call = 10;
                                        return c;
                                      }());
