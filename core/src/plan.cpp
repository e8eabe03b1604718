// Ladder and autotune arithmetic.
#include "benchgate/core/plan.hpp"

#include <limits>

namespace benchgate {

std::vector<std::uint64_t> doubling_ladder(std::uint64_t floor, std::uint64_t ceiling) {
  std::vector<std::uint64_t> rungs{floor};
  std::uint64_t p = floor;
  if (p == 0) {
    rungs.push_back(1);
    p = 1;
  }
  while (p <= std::numeric_limits<std::uint64_t>::max() / 2 && p * 2 <= ceiling) {
    p *= 2;
    rungs.push_back(p);
  }
  return rungs;
}

std::uint64_t next_pow2(std::uint64_t x) {
  std::uint64_t p = 1;
  while (p < x && p < (std::uint64_t{1} << 63)) p <<= 1;
  return p;
}

std::uint64_t autotune_scale(std::uint64_t half, std::uint64_t nanos) {
  if (nanos == 0) nanos = 1;
  // ceil(1.1 * half / nanos) in integers: (11 * half + 10 * nanos - 1) / (10 * nanos),
  // computed in long double when 11 * half would overflow.
  std::uint64_t raw;
  if (half <= std::numeric_limits<std::uint64_t>::max() / 11 &&
      nanos <= std::numeric_limits<std::uint64_t>::max() / 20) {
    raw = (11 * half + 10 * nanos - 1) / (10 * nanos);
  } else {
    raw = static_cast<std::uint64_t>(1.1L * static_cast<long double>(half) /
                                     static_cast<long double>(nanos)) +
          1;
  }
  const std::uint64_t scale = next_pow2(raw);
  return scale < 2 ? 2 : scale;
}

}  // namespace benchgate
