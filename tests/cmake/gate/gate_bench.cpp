// A benchmark for the gate tests. Its work is a register-only hash chain: on this project's
// shared CI machine such loops vary by a few percent while memory-bound ones vary by tens of
// percent (docs/lab/2026-11-28-ci-noise.md), so a 30% slowdown here is a real signal, not a coin
// toss.
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr std::uint64_t kBaseIterations = 200'000;
constexpr std::uint64_t kIterations =
    kBaseIterations * (100 + BENCHGATE_FIXTURE_SLOWDOWN_PERCENT) / 100;

struct State {
  std::vector<char> ballast;  // resident, untouched by the timed work
  std::uint64_t seed;
};

}  // namespace

BENCHGATE_REGISTER(chain) = benchgate::fixed(
                                "gate.hash_chain",
                                [] {
                                  State s;
                                  s.ballast.resize(std::size_t{BENCHGATE_FIXTURE_EXTRA_MIB} << 20);
                                  std::memset(s.ballast.data(), 1,
                                              s.ballast.size());  // make it resident
                                  s.seed = 42;
                                  return s;
                                },
                                [](State& s) {
                                  std::uint64_t h = s.seed;
                                  for (std::uint64_t i = 0; i < kIterations; ++i) {
                                    h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL + i;
                                  }
                                  return h;
                                })
                                .config([] {
                                  benchgate::FixedBenchmarkConfig c;
                                  // 11 vs 11: the U test still rejects with a preempted
                                  // batch or two on either side.
                                  c.repeats = 11;
                                  c.min_total_seconds = 0.02;
                                  return c;
                                }());
