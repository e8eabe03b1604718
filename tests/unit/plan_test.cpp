// Tests benchgate/core/plan.hpp: the doubling ladder, next_pow2, autotune_scale and the two
// autotuners, driven by fake deterministic batch timers that record every count they are given.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "benchgate/core/plan.hpp"
#include "printers.hpp"

namespace {

using benchgate::autotune_fixed;
using benchgate::autotune_scale;
using benchgate::autotune_warm;
using benchgate::Batch;
using benchgate::doubling_ladder;
using benchgate::next_pow2;
using U = std::vector<std::uint64_t>;

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t k2to62 = std::uint64_t{1} << 62;
constexpr std::uint64_t k2to63 = std::uint64_t{1} << 63;

// A batch timer that costs `per_call` nanoseconds per call and remembers each count asked for.
struct LinearTimer {
  std::uint64_t per_call;
  U counts;
  std::uint64_t operator()(std::uint64_t count) {
    counts.push_back(count);
    return count * per_call;
  }
};

// from, 2 * from, 4 * from, ... while <= to (stops before wrapping past 2^64).
U powers_of_two(std::uint64_t from, std::uint64_t to) {
  U out;
  for (std::uint64_t p = from; p <= to; p *= 2) {
    out.push_back(p);
    if (p > kMax / 2) break;
  }
  return out;
}

}  // namespace

TEST_CASE("plan: a ladder from floor 0 is 0, 1, 2, 4, ... up to the ceiling") {
  CHECK(doubling_ladder(0, 16) == U{0, 1, 2, 4, 8, 16});
  CHECK(doubling_ladder(0, 1) == U{0, 1});
  CHECK(doubling_ladder(0, 2) == U{0, 1, 2});
}

TEST_CASE("plan: a nonzero floor doubles from the floor") {
  CHECK(doubling_ladder(3, 24) == U{3, 6, 12, 24});
  CHECK(doubling_ladder(3, 23) == U{3, 6, 12});
  CHECK(doubling_ladder(1, 8) == U{1, 2, 4, 8});
  CHECK(doubling_ladder(5, 5) == U{5});
}

TEST_CASE("plan: floor = ceiling = 0 still yields a rung with real work") {
  CHECK(doubling_ladder(0, 0) == U{0, 1});
}

TEST_CASE("plan: a ceiling that is not a power of two stops at the last rung below it") {
  CHECK(doubling_ladder(0, 100) == U{0, 1, 2, 4, 8, 16, 32, 64});
  CHECK(doubling_ladder(0, 127) == U{0, 1, 2, 4, 8, 16, 32, 64});
  CHECK(doubling_ladder(0, 3) == U{0, 1, 2});
  CHECK(doubling_ladder(10, 1000) == U{10, 20, 40, 80, 160, 320, 640});
}

TEST_CASE("plan: a huge ceiling near 2^64 never overflows") {
  SUBCASE("floor 0, ceiling 2^64 - 1") {
    U expected{0};
    const U pows = powers_of_two(1, k2to63);
    expected.insert(expected.end(), pows.begin(), pows.end());
    const U ladder = doubling_ladder(0, kMax);
    CHECK(ladder == expected);
    CHECK(ladder.size() == 65);
    CHECK(ladder.back() == k2to63);
  }
  SUBCASE("floor 3, ceiling 2^64 - 1") {
    const U ladder = doubling_ladder(3, kMax);
    REQUIRE(ladder.size() == 63);
    CHECK(ladder.back() == 3 * k2to62);
    for (std::size_t i = 1; i < ladder.size(); ++i) CHECK(ladder[i] == 2 * ladder[i - 1]);
  }
  SUBCASE("floor = ceiling = 2^64 - 1") {
    CHECK(doubling_ladder(kMax, kMax) == U{kMax});
  }
  SUBCASE("floor 2^63") {
    CHECK(doubling_ladder(k2to63, kMax) == U{k2to63});
  }
}

TEST_CASE("plan: every ladder rung lies between floor and ceiling except the 1 after a 0 floor") {
  for (std::uint64_t lo : {0u, 1u, 2u, 7u, 64u}) {
    for (std::uint64_t hi : {64u, 65u, 1000u, 4096u}) {
      const U ladder = doubling_ladder(lo, hi);
      REQUIRE_FALSE(ladder.empty());
      CHECK(ladder.front() == lo);
      for (std::uint64_t p : ladder) CHECK(p <= hi);
      // The next doubling would pass the ceiling.
      CHECK(ladder.back() * 2 > hi);
    }
  }
}

TEST_CASE("plan: next_pow2 rounds up to a power of two and saturates at 2^63") {
  CHECK(next_pow2(0) == 1);
  CHECK(next_pow2(1) == 1);
  CHECK(next_pow2(2) == 2);
  CHECK(next_pow2(3) == 4);
  CHECK(next_pow2(4) == 4);
  CHECK(next_pow2(5) == 8);
  CHECK(next_pow2(1000) == 1024);
  CHECK(next_pow2(1024) == 1024);
  CHECK(next_pow2(1025) == 2048);
  CHECK(next_pow2(k2to63) == k2to63);
  CHECK(next_pow2(k2to63 - 1) == k2to63);
  CHECK(next_pow2(k2to63 + 1) == k2to63);
  CHECK(next_pow2(kMax) == k2to63);
}

TEST_CASE("plan: autotune_scale is ceil(1.1 half / t) rounded up to a power of two") {
  CHECK(autotune_scale(1000, 100) == 16);                // 11 -> 16
  CHECK(autotune_scale(256'000'000, 1'024'000) == 512);  // 275 -> 512
  CHECK(autotune_scale(80, 11) == 8);                    // exactly 8 stays 8
  CHECK(autotune_scale(81, 11) == 16);                   // 8.1 -> 9 -> 16
  CHECK(autotune_scale(100, 11) == 16);                  // exactly 10 -> 16
  CHECK(autotune_scale(1'000'000, 1) == 2'097'152);      // 1.1e6 -> 2^21
  CHECK(autotune_scale(250'000'000, 1'000'000) == 512);  // 275 -> 512
}

TEST_CASE("plan: autotune_scale is at least 2") {
  CHECK(autotune_scale(10, 11) == 2);      // exactly 1
  CHECK(autotune_scale(1000, 1000) == 2);  // 1.1 -> 2
  CHECK(autotune_scale(1000, 2000) == 2);  // 0.55 -> 1
  CHECK(autotune_scale(0, 5) == 2);
  CHECK(autotune_scale(1, kMax) == 2);
}

TEST_CASE("plan: autotune_scale with t = 0 does not divide by zero") {
  CHECK(autotune_scale(1000, 0) == autotune_scale(1000, 1));
  CHECK(autotune_scale(0, 0) == 2);
}

TEST_CASE("plan: autotune_scale with the largest goal does not overflow") {
  // half = target / 2 is at most 2^63 - 1 for a 64-bit target.
  CHECK(autotune_scale(kMax / 2, 1) == k2to63);
  CHECK(autotune_scale(kMax / 2, 3) == k2to62);    // ~3.4e18 -> 2^62
  CHECK(autotune_scale(kMax / 2, kMax / 4) == 4);  // ~2.2 -> 4
}

TEST_CASE("plan: warm autotune probes by doubling until the probe floor, then jumps once") {
  // target 512 ms: half 256 ms, probe floor half / 256 = 1 ms. At 1000 ns per call the probe
  // stops at the first count whose batch reaches 1 ms: 1024.
  LinearTimer timer{1000, {}};
  const Batch b = autotune_warm(512'000'000, timer);
  U expected = powers_of_two(1, 1024);
  // scale = ceil(1.1 * 256e6 / 1.024e6) = 275 -> 512; 1024 * 512 = 524288.
  expected.push_back(524'288);
  CHECK(timer.counts == expected);
  CHECK(b.count == 524'288);
  CHECK(b.nanos == 524'288'000);
  CHECK(b.nanos >= 256'000'000);  // the jump lands past the goal
}

TEST_CASE("plan: warm autotune's final count is the probe count times autotune_scale") {
  for (std::uint64_t per_call : {1u, 7u, 1000u, 33'333u}) {
    for (std::uint64_t target : {1'000'000u, 50'000'000u, 500'000'000u}) {
      CAPTURE(per_call);
      CAPTURE(target);
      LinearTimer timer{per_call, {}};
      const Batch b = autotune_warm(target, timer);
      REQUIRE(timer.counts.size() >= 2);
      const std::uint64_t half = target / 2;
      const std::uint64_t probe_floor = half / 256 > 0 ? half / 256 : 1;
      const std::uint64_t probe = timer.counts[timer.counts.size() - 2];
      // The probe doubled from 1 and stopped at the first batch reaching the probe floor.
      CHECK(U(timer.counts.begin(), timer.counts.end() - 1) == powers_of_two(1, probe));
      CHECK(probe * per_call >= probe_floor);
      if (probe > 1) {
        CHECK((probe / 2) * per_call < probe_floor);
      }
      CHECK(b.count == probe * autotune_scale(half, probe * per_call));
      CHECK(timer.counts.back() == b.count);
      CHECK(b.nanos == b.count * per_call);
    }
  }
}

TEST_CASE("plan: warm autotune returns the probe batch when the probe reaches the goal") {
  SUBCASE("a first call already past the goal") {
    LinearTimer timer{1000, {}};
    const Batch b = autotune_warm(2000, timer);  // half 1000: one call is enough
    CHECK(timer.counts == U{1});
    CHECK(b.count == 1);
    CHECK(b.nanos == 1000);
  }
  SUBCASE("a batch that jumps from below the probe floor to past the goal") {
    // target 1 ms: half 500 us, probe floor 1953 ns. Cheap until 4 calls, then slow.
    U counts;
    auto timer = [&](std::uint64_t count) -> std::uint64_t {
      counts.push_back(count);
      return count < 4 ? 10 : 600'000;
    };
    const Batch b = autotune_warm(1'000'000, timer);
    CHECK(counts == U{1, 2, 4});
    CHECK(b.count == 4);
    CHECK(b.nanos == 600'000);
  }
}

TEST_CASE("plan: warm autotune times every batch from scratch") {
  // Each batch's time depends only on its count: nothing is accumulated across batches.
  U counts;
  auto timer = [&](std::uint64_t count) -> std::uint64_t {
    counts.push_back(count);
    return count * 100;
  };
  const Batch b = autotune_warm(10'000'000, timer);  // half 5 ms, probe floor 19531 ns
  // 1..256 probe (256 * 100 = 25600 >= 19531), scale ceil(1.1 * 5e6 / 25600) = 215 -> 256.
  U expected = powers_of_two(1, 256);
  expected.push_back(256 * 256);
  CHECK(counts == expected);
  CHECK(b.count == 65'536);
  CHECK(b.nanos == 6'553'600);
}

TEST_CASE(
    "plan: warm autotune with a timer that reads 0 ns neither divides by zero nor overflows") {
  std::size_t calls = 0;
  std::uint64_t last = 0;
  auto timer = [&](std::uint64_t count) -> std::uint64_t {
    ++calls;
    last = count;
    return 0;
  };
  const Batch b = autotune_warm(500'000'000, timer);
  CHECK(b.count == k2to62);
  CHECK(last == k2to62);
  CHECK(calls <= 64);
}

TEST_CASE("plan: warm autotune with a tiny target still makes one call") {
  LinearTimer timer{5, {}};
  const Batch b = autotune_warm(0, timer);  // half 0: the first batch reaches it
  CHECK(timer.counts == U{1});
  CHECK(b.count == 1);
  CHECK(b.nanos == 5);
}

TEST_CASE("plan: fixed autotune doubles until one batch lasts min_total_nanos") {
  LinearTimer timer{1000, {}};
  const Batch b = autotune_fixed(1'000'000, timer);  // 1 ms at 1 us per call: 1024 calls
  CHECK(timer.counts == powers_of_two(1, 1024));
  CHECK(b.count == 1024);
  CHECK(b.nanos == 1'024'000);
}

TEST_CASE("plan: fixed autotune with min_total_nanos 0 makes a single call") {
  LinearTimer timer{1000, {}};
  const Batch b = autotune_fixed(0, timer);
  CHECK(timer.counts == U{1});
  CHECK(b.count == 1);
  CHECK(b.nanos == 1000);
}

TEST_CASE("plan: fixed autotune stops at an exact hit and caps the count at 2^62") {
  LinearTimer exact{250, {}};
  CHECK(autotune_fixed(1000, exact).count == 4);  // 4 * 250 == 1000
  CHECK(exact.counts == U{1, 2, 4});

  std::size_t calls = 0;
  auto zero = [&](std::uint64_t) -> std::uint64_t {
    ++calls;
    return 0;
  };
  const Batch b = autotune_fixed(1000, zero);
  CHECK(b.count == k2to62);
  CHECK(calls == 63);
}

TEST_CASE("plan: warm autotune jumps again when a slow probe made the jump land short") {
  // The probe batches run 4x slower than the rest (a slow spell): the first jump lands at a
  // quarter of its aim, below the goal, so autotune jumps again from that batch.
  std::vector<std::uint64_t> counts;
  auto timer = [&](std::uint64_t count) -> std::uint64_t {
    counts.push_back(count);
    const std::uint64_t per_call = counts.size() <= 9 ? 4000 : 1000;  // the probe: 1..256
    return count * per_call;
  };
  const Batch b = autotune_warm(512'000'000, timer);  // half 256 ms, probe floor 1 ms
  // Probe at 4 µs per call: 256 calls = 1.02 ms >= the 1 ms probe floor: stops at 256.
  // Jump: scale ceil(1.1 * 256e6 / 1.024e6) = 275 -> 512: 131072 calls = 131 ms < 256 ms.
  // Again: ceil(1.1 * 256e6 / 131.072e6) = 3 -> 4: 524288 calls = 524 ms.
  REQUIRE(counts.size() >= 2);
  CHECK(counts[counts.size() - 2] == 131'072);
  CHECK(counts.back() == 524'288);
  CHECK(b.count == 524'288);
  CHECK(b.nanos >= 256'000'000);
}

TEST_CASE(
    "plan: warm autotune stops jumping after the extra jumps even if never reaching the goal") {
  // Every batch takes 1 ns whatever the count... until the counts saturate: a pathological timer.
  std::uint64_t calls = 0;
  auto timer = [&](std::uint64_t) -> std::uint64_t {
    ++calls;
    return 1;
  };
  (void)autotune_warm(1'000'000'000, timer);
  // Probe to the 2^62 cap or the extra jumps: bounded either way.
  CHECK(calls <= 64 + 1 + benchgate::kAutotuneExtraJumps);
}
