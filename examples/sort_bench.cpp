// Example: std::sort on random integers, declared O(n log n). Setup makes the input once per
// child; per-call setup (benchgate::per_call_setup) copies it before the clock starts, so every
// measured call sorts a fresh unsorted copy in place and allocates nothing. The sorted copy after
// the batch's last call is the hashed result.
#include <algorithm>
#include <benchgate/benchgate.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

std::vector<std::uint32_t> random_values(std::uint64_t n) {
  std::mt19937 rng(42);  // fixed seed: the same input on every run, so result hashes match
  std::vector<std::uint32_t> v(n);
  for (auto& x : v) x = static_cast<std::uint32_t>(rng());
  return v;
}

benchgate::BenchmarkConfig config() {
  benchgate::BenchmarkConfig c;
  c.param_floor = 64;
  c.param_ceiling = 1 << 16;
  // ~50-110 ms batches: well above 10 spawn floors (~2 ms here), stable on a busy machine
  c.target_inner_nanos = 100'000'000;
  c.outer_trials =
      7;  // independent children per rung: the U test needs >= 5, the minimum likes more
  c.tags = {"example", "sort"};
  return c;
}

// The untimed per-call input: a fresh copy of the unsorted values.
std::vector<std::uint32_t> fresh_copy(const std::vector<std::uint32_t>& values) {
  return values;
}

}  // namespace

BENCHGATE_REGISTER(std_sort) =
    benchgate::parametric("sort.std_sort", random_values,
                          benchgate::per_call_setup(fresh_copy,
                                                    [](std::vector<std::uint32_t>& v) {
                                                      std::sort(v.begin(), v.end());
                                                    }))
        .complexity("n * log2(n)", [](double n) { return n * std::log2(n + 1); })
        .config(config());

BENCHGATE_REGISTER(stable_sort) =
    benchgate::parametric("sort.std_stable_sort", random_values,
                          benchgate::per_call_setup(fresh_copy,
                                                    [](std::vector<std::uint32_t>& v) {
                                                      std::stable_sort(v.begin(), v.end());
                                                    }))
        .complexity("n * log2(n)", [](double n) { return n * std::log2(n + 1); })
        .config(config());
