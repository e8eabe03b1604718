// The rerecord fixture's second executable: a fixed hash chain that never changes.
#include <benchgate/benchgate.hpp>
#include <cstdint>

BENCHGATE_REGISTER(chain) = benchgate::fixed(
                                "other.chain", [] { return std::uint64_t{42}; },
                                [](std::uint64_t seed) {
                                  std::uint64_t h = seed;
                                  for (std::uint64_t i = 0; i < 100'000; ++i)
                                    h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL + i;
                                  return h;
                                })
                                .config([] {
                                  benchgate::FixedBenchmarkConfig c;
                                  c.repeats = 5;
                                  c.min_total_seconds = 0.02;
                                  return c;
                                }());
