// The gate's realistic fixture (issue 17, item 8): three workloads that behave like user code,
// unlike gate_bench.cpp's register-only loop. Built once per variant (perf/CMakeLists.txt) with
//   BENCHGATE_SLOWDOWN_PCT   the injected regression in percent (0, 5, 10, 20): every call does
//                            (100 + P)% of the baseline's work, more of the same work, never a
//                            sleep.
// scripts/perf-gate-user measures each variant against the base one (A/B in one run, or against
// baselines recorded in earlier runs) and counts how often benchgate-compare fails each workload.
//
//   user.alloc     allocation-heavy: counts n generated records into a
//                  std::map<std::string, uint32_t>, as a word count or a log aggregation does:
//                  each record's key (24-40 letters, past the small-string buffer: one heap
//                  allocation) is made, looked up, and inserted when new (the node: a second
//                  allocation) or freed when seen; then the map (n / 8 keys) is walked (lengths
//                  and an FNV-1a hash of the keys in order) and freed. Regression: (100 + P)% of
//                  n records over the same n / 8 keys: the work grows, the map and so the peak
//                  RSS do not (more distinct keys would also fail the gate on RSS, and the time
//                  statistics are what this fixture is for). The fixed part (first inserts, walk,
//                  free) makes the time grow a little less than P%: +20% records read +18-19% in
//                  one quick A/B run.
//   user.membound  memory-bound: n dependent loads chasing a random cyclic permutation of
//                  1 Mi nodes of 64 bytes (64 MiB: past the last-level cache, every load a cache
//                  and mostly a TLB miss). The cycle is built in setup (untimed) and each call
//                  goes on where the last one stopped, so even small n never walks cached lines.
//                  Regression: n · (100 + P)% loads.
//   user.alu       ALU-bound: a dependent integer chain (xorshift-multiply, about 1.7 ns a step
//                  here) of n steps. Regression: n · (100 + P)% steps.
//
// Per-call medians of the base build on this 2-core VM (AMD EPYC, release; one quick run of
// `benchgate-runner run gate_user_base` while the machine was shared, trial spreads 2-60%):
//   user.alloc     n = 2,000: 0.20 ms   16,000: 3.2 ms   128,000: 57 ms   (complexity verdict:
//                  slower than n log n by about n^0.25: the map outgrows the caches)
//   user.membound  n = 10k: 1.9 ms      100k: 18 ms      1M: 185 ms        (about 185 ns a load)
//   user.alu       n = 10k: 17.5 µs     100k: 0.17 ms    1M: 1.7 ms
// Five outer trials per param, as docs/guide.md recommends. Batches at the runner's default
// target (500 ms, clamped in the child to about 270 ms, so final batches of about 140-400 ms),
// or in A/B the runner's pairs (a shared call count, about 5 ms batches where setup is light,
// rounds for pair_seconds): what a user who sets nothing gets. user.membound's cap per child is 2 s
// instead of 1 s: one call at n = 1M takes about 185 ms, and the child's setup (the 64 MiB cycle),
// its autotune probes and its final batch of two calls would otherwise come near the default cap.
#include <benchgate/benchgate.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#ifndef BENCHGATE_SLOWDOWN_PCT
#define BENCHGATE_SLOWDOWN_PCT 0
#endif

namespace {

// The amount of work a call of the variant does for param n.
constexpr std::uint64_t scaled(std::uint64_t n) {
  return n * (100 + BENCHGATE_SLOWDOWN_PCT) / 100;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

benchgate::BenchmarkConfig config(std::vector<std::uint64_t> params) {
  benchgate::BenchmarkConfig c;
  c.param_schedule = benchgate::ParamSchedule::custom(std::move(params));
  c.outer_trials = 5;
  return c;
}

// --- user.alloc --------------------------------------------------------------------------------

// Record i's key: 24 to 40 lower-case letters, a pure function of i (a fixed-seed generator).
std::string make_key(std::uint64_t i) {
  std::uint64_t h = splitmix64(i ^ 0x5bd1e995ULL);
  std::string key(24 + h % 17, 'a');
  for (std::size_t k = 0; k < key.size(); ++k) {
    if (k % 8 == 0) h = splitmix64(h);
    key[k] = static_cast<char>('a' + (h >> (8 * (k % 8))) % 26);
  }
  return key;
}

// n records, counted per key the way a word count or a log aggregation counts: each record's
// key is generated (one heap allocation), looked up, and inserted when new (a second one, the
// node) or dropped when seen (a free). The n / 8 distinct keys come round in a fixed scattered
// order, each first seen in the first n / 8 records.
std::pair<std::uint64_t, std::uint64_t> count_and_walk(std::uint64_t records, std::uint64_t n) {
  const std::uint64_t vocabulary = n / 8;
  std::map<std::string, std::uint32_t> counts;
  for (std::uint64_t i = 0; i < records; ++i) ++counts[make_key(i * 7919 % vocabulary)];
  std::uint64_t length = 0;
  std::uint64_t fnv = 0xcbf29ce484222325ULL;
  for (const auto& [key, count] : counts) {
    length += key.size() * count;
    for (char ch : key) fnv = (fnv ^ static_cast<unsigned char>(ch)) * 0x100000001b3ULL;
  }
  return {length, fnv};
}

// --- user.membound -----------------------------------------------------------------------------

struct alignas(64) Node {
  std::uint32_t next;
  std::uint32_t payload[15];
};

constexpr std::uint32_t kNodes = 1u << 20;  // 64 MiB of nodes

struct Chase {
  std::vector<Node> nodes;
  std::uint64_t loads = 0;
  std::uint32_t cursor = 0;
};

// Sattolo's shuffle gives one cycle through all the nodes: node i's successor is order[i].
Chase make_chase(std::uint64_t n) {
  std::vector<std::uint32_t> order(kNodes);
  for (std::uint32_t i = 0; i < kNodes; ++i) order[i] = i;
  std::uint64_t seed = 42;
  for (std::uint32_t i = kNodes - 1; i > 0; --i) {
    seed = splitmix64(seed);
    auto j = static_cast<std::uint32_t>(((seed >> 32) * i) >> 32);  // uniform in [0, i)
    std::swap(order[i], order[j]);
  }
  Chase c;
  c.nodes.resize(kNodes);
  for (std::uint32_t i = 0; i < kNodes; ++i) c.nodes[i].next = order[i];
  c.loads = scaled(n);
  return c;
}

// The walk's position stays in the state (which escapes before every call), so the loads
// cannot be skipped; the result is the number of loads, the same however many calls a batch
// makes, so that every batch's result hash agrees.
std::uint64_t chase(Chase& c) {
  std::uint32_t at = c.cursor;
  for (std::uint64_t i = 0; i < c.loads; ++i) at = c.nodes[at].next;
  c.cursor = at;
  benchgate::do_not_optimize(c.cursor);
  return c.loads;
}

// --- user.alu ----------------------------------------------------------------------------------

std::uint64_t alu_chain(std::uint64_t steps) {
  std::uint64_t x = 0x243f6a8885a308d3ULL;
  for (std::uint64_t i = 0; i < steps; ++i) {
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    x += i;
  }
  return x;
}

}  // namespace

BENCHGATE_REGISTER(user_alloc) = benchgate::parametric(
                                     "user.alloc", [](std::uint64_t n) { return n; },
                                     [](std::uint64_t n) { return count_and_walk(scaled(n), n); })
                                     .complexity("n * log2(n)",
                                                 [](double n) { return n * std::log2(n + 1); })
                                     .config(config({2'000, 16'000, 128'000}));

BENCHGATE_REGISTER(user_membound) = benchgate::parametric("user.membound", make_chase, chase)
                                        .complexity("n", [](double n) { return n; })
                                        .config([] {
                                          auto c = config({10'000, 100'000, 1'000'000});
                                          c.max_seconds_per_call = 2.0;
                                          return c;
                                        }());

BENCHGATE_REGISTER(user_alu) = benchgate::parametric(
                                   "user.alu", [](std::uint64_t n) { return scaled(n); }, alu_chain)
                                   .complexity("n", [](double n) { return n; })
                                   .config(config({10'000, 100'000, 1'000'000}));
