// Pure planning arithmetic: the parameter ladder and the inner-repeat autotuner.
// No clocks and no I/O here; the child passes in a function that times one batch.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace benchgate {

// The doubling ladder: start at floor; a floor of 0 is followed by 1; then double while the
// doubled value stays <= ceiling (a non-zero floor doubles from itself: 16, 32, 64, ...).
// floor = ceiling = 0 still yields [0, 1], so a ladder always has a rung with real work. Stops
// before overflowing 2^64.
std::vector<std::uint64_t> doubling_ladder(std::uint64_t floor, std::uint64_t ceiling);

// Smallest power of two >= x (next_pow2(0) == 1); saturates at 2^63.
std::uint64_t next_pow2(std::uint64_t x);

// One timed batch as the autotuner sees it.
struct Batch {
  std::uint64_t count = 0;
  std::uint64_t nanos = 0;
};

// The jump factor once the probe has a measurable batch of `nanos` (> 0) against the goal
// `half`: ceil(1.1 * half / nanos), rounded up to a power of two, at least 2. The 1.1 aims
// just past the goal so one jump almost always lands on it.
std::uint64_t autotune_scale(std::uint64_t half, std::uint64_t nanos);

// How many more jumps autotune_warm makes when a jump lands short of the goal.
inline constexpr int kAutotuneExtraJumps = 3;

// Warm-mode autotune. Goal half = target / 2; probe floor = max(1, half / 256).
// Probe: time count = 1 and keep doubling while the batch is below both the probe floor and the
// goal. If the probe reached the goal, that batch is the result; otherwise a batch of
// count * autotune_scale(...). When that batch still lands below the goal (the probe ran during a
// slow spell of the machine, so the scale was too small), jump again from it, at most
// kAutotuneExtraJumps times, rather than keep a batch far shorter than the target. The last batch
// is the result. Each batch is timed from scratch. `time_batch(count)` runs `count` calls and
// returns the elapsed nanoseconds.
template <class TimeBatch>
Batch autotune_warm(std::uint64_t target_nanos, TimeBatch&& time_batch) {
  constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 62;
  const std::uint64_t half = target_nanos / 2;
  const std::uint64_t probe_floor = half / 256 > 0 ? half / 256 : 1;
  Batch b{1, time_batch(std::uint64_t{1})};
  while (b.nanos < probe_floor && b.nanos < half && b.count < kMaxCount) {
    b.count *= 2;
    b.nanos = time_batch(b.count);
  }
  for (int jump = 0; jump <= kAutotuneExtraJumps && b.nanos < half && b.count < kMaxCount; ++jump) {
    const std::uint64_t scale = autotune_scale(half, b.nanos);
    b.count = b.count > kMaxCount / scale ? kMaxCount : b.count * scale;
    b.nanos = time_batch(b.count);
  }
  return b;
}

// Fixed-benchmark inner repeats: count = 1, doubling until one batch lasts at least
// min_total_nanos (0 means a single call).
template <class TimeBatch>
Batch autotune_fixed(std::uint64_t min_total_nanos, TimeBatch&& time_batch) {
  Batch b{1, time_batch(std::uint64_t{1})};
  while (b.nanos < min_total_nanos && b.count < (std::uint64_t{1} << 62)) {
    b.count *= 2;
    b.nanos = time_batch(b.count);
  }
  return b;
}

}  // namespace benchgate
