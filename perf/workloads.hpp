// The accuracy workloads (issue 7): the same code measured by benchgate and by Google Benchmark,
// compiled with the same flags. A dependent xorshift chain: about 1.5 ns a step on the CI
// machine, so 64, 6,400 and 640,000 steps are about 100 ns, 10 µs and 1 ms per call.
#pragma once

#include <cstdint>

namespace benchgate_perf {

inline constexpr std::uint64_t kSteps[3] = {64, 6'400, 640'000};
inline constexpr const char* kNames[3] = {"work.100ns", "work.10us", "work.1ms"};

inline std::uint64_t chain(std::uint64_t steps, std::uint64_t seed) {
  std::uint64_t x = seed | 1;
  for (std::uint64_t i = 0; i != steps; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

}  // namespace benchgate_perf
