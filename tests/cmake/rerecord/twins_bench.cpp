// The rerecord fixture's two benchmarks: the same register-only hash chain of n steps per call,
// twins.slowed's BENCHGATE_FIXTURE_SLOW_FACTOR times over.
#include <benchgate/benchgate.hpp>
#include <cstdint>

namespace {

std::uint64_t chain(std::uint64_t steps) {
  std::uint64_t h = 42;
  for (std::uint64_t i = 0; i < steps; ++i) h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL + i;
  return h;
}

}  // namespace

BENCHGATE_REGISTER(slowed) = benchgate::parametric(
                                 "twins.slowed",
                                 [](std::uint64_t n) { return n * BENCHGATE_FIXTURE_SLOW_FACTOR; },
                                 [](std::uint64_t steps) { return chain(steps); })
                                 .complexity("n", [](double n) { return n; });

BENCHGATE_REGISTER(steady) = benchgate::parametric(
                                 "twins.steady", [](std::uint64_t n) { return n; },
                                 [](std::uint64_t steps) { return chain(steps); })
                                 .complexity("n", [](double n) { return n; });
