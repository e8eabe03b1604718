// Tests benchgate/core/stats.hpp: median, the smallest reachable p-value and the one-sided
// Mann–Whitney U test, checked against known answers and a brute-force permutation count.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "benchgate/core/stats.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

// U of b over a by definition: pairs with b_j > a_i, ties counting 1/2.
double u_statistic(const std::vector<double>& a, const std::vector<double>& b) {
  double u = 0;
  for (double y : b) {
    for (double x : a) u += y > x ? 1.0 : (y == x ? 0.5 : 0.0);
  }
  return u;
}

// The exact one-sided p-value P(U >= observed) by enumerating every way to split the pooled
// values into a group of |a| and a group of |b| (each split equally likely under the null).
double brute_force_p(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> pooled(a);
  pooled.insert(pooled.end(), b.begin(), b.end());
  const std::size_t total = pooled.size();
  const double observed = u_statistic(a, b);
  std::size_t splits = 0, at_least = 0;
  for (std::uint32_t mask = 0; mask < (std::uint32_t{1} << total); ++mask) {
    std::vector<double> as, bs;
    for (std::size_t i = 0; i < total; ++i) ((mask >> i) & 1u ? bs : as).push_back(pooled[i]);
    if (bs.size() != b.size()) continue;
    ++splits;
    if (u_statistic(as, bs) >= observed - 1e-9) ++at_least;
  }
  return static_cast<double>(at_least) / static_cast<double>(splits);
}

std::vector<double> range(double from, std::size_t n) {
  std::vector<double> v(n);
  std::iota(v.begin(), v.end(), from);
  return v;
}

}  // namespace

TEST_CASE("stats: the median of an odd count is the middle value") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({7}) == 7);
}

TEST_CASE("stats: the median of an even count is the mean of the two middles") {
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median({10, 20}) == 15);
}

TEST_CASE("stats: the median of no values is zero") {
  CHECK(median({}) == 0);
}

TEST_CASE("stats: the median sorts its input first") {
  CHECK(median({9, 1, 8, 2, 7}) == 7);
  CHECK(median({5, -1, 100, 0}) == 2.5);
}

TEST_CASE("stats: the smallest p-value is one over the number of splits") {
  CHECK(smallest_p_value(4, 4) == doctest::Approx(1.0 / 70));
  CHECK(smallest_p_value(5, 5) == doctest::Approx(1.0 / 252));
  CHECK(smallest_p_value(1, 1) == doctest::Approx(0.5));
  CHECK(smallest_p_value(3, 5) == doctest::Approx(1.0 / 56));
  CHECK(smallest_p_value(5, 3) == doctest::Approx(1.0 / 56));
}

TEST_CASE("stats: complete separation of five against five gives the exact p of one in 252") {
  const UTest t = mann_whitney_greater(range(1, 5), range(6, 5));
  CHECK(t.exact);
  CHECK(t.u == 25);
  CHECK(t.p_value == doctest::Approx(1.0 / 252));
}

TEST_CASE("stats: reversed separation gives p of one") {
  const UTest t = mann_whitney_greater(range(6, 5), range(1, 5));
  CHECK(t.exact);
  CHECK(t.u == 0);
  CHECK(t.p_value == doctest::Approx(1.0));
}

TEST_CASE("stats: an intermediate case matches a brute-force count over all splits") {
  const std::vector<double> a{1, 2, 3}, b{2.5, 4, 5};
  const UTest t = mann_whitney_greater(a, b);
  CHECK(t.exact);
  CHECK(t.u == u_statistic(a, b));
  CHECK(t.u == 8);
  CHECK(t.p_value == doctest::Approx(brute_force_p(a, b)));

  // Unequal sizes and an interleaving in the middle of the distribution.
  const std::vector<double> c{1, 3, 5, 7, 9}, d{2, 6, 8};
  const UTest t2 = mann_whitney_greater(c, d);
  CHECK(t2.exact);
  CHECK(t2.u == u_statistic(c, d));
  CHECK(t2.p_value == doctest::Approx(brute_force_p(c, d)));
  const UTest t3 = mann_whitney_greater(d, c);
  CHECK(t3.p_value == doctest::Approx(brute_force_p(d, c)));
}

TEST_CASE("stats: the exact test is used without ties and the normal approximation with ties") {
  CHECK(mann_whitney_greater({1, 2, 3, 4}, {5, 6, 7, 8}).exact);

  // A tie between the samples.
  const UTest across = mann_whitney_greater({1, 2, 3, 4}, {4, 5, 6, 7});
  CHECK_FALSE(across.exact);
  CHECK(across.u == 15.5);
  CHECK(across.p_value > 0);
  CHECK(across.p_value <= 1);

  // A tie inside one sample only.
  const UTest within = mann_whitney_greater({1, 1, 2, 3}, {5, 6, 7, 8});
  CHECK_FALSE(within.exact);
  CHECK(within.p_value > 0);
  CHECK(within.p_value <= 1);
  // Strong separation still yields a small p under the approximation.
  CHECK(within.p_value < 0.05);
}

TEST_CASE("stats: all values equal give p of one") {
  const UTest t = mann_whitney_greater({3, 3, 3}, {3, 3, 3});
  CHECK(t.u == 4.5);
  CHECK(t.p_value == 1);
  CHECK(mann_whitney_greater({7}, {7}).p_value == 1);
}

TEST_CASE("stats: the two one-sided exact p-values of a pair sum to at least one") {
  // P(U >= u) + P(U <= u) = 1 + P(U = u) for a discrete statistic.
  std::mt19937 gen(12345);
  for (int round = 0; round < 20; ++round) {
    std::vector<double> pool = range(0, 12);
    std::shuffle(pool.begin(), pool.end(), gen);
    const std::size_t n = 1 + static_cast<std::size_t>(round % 7);
    const std::vector<double> a(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
    const std::vector<double> b(pool.begin() + static_cast<std::ptrdiff_t>(n), pool.end());
    const UTest ab = mann_whitney_greater(a, b), ba = mann_whitney_greater(b, a);
    REQUIRE(ab.exact);
    REQUIRE(ba.exact);
    CHECK(ab.u + ba.u == doctest::Approx(static_cast<double>(a.size() * b.size())));
    CHECK(ab.p_value + ba.p_value >= doctest::Approx(1.0));
    CHECK(ab.p_value == doctest::Approx(brute_force_p(a, b)));
  }
}

TEST_CASE("stats: samples of fifty stay exact") {
  // The exact table for 50 vs 50 is what the comparison uses with many outer trials; the
  // separated case must reach the smallest possible p rather than a normal approximation.
  const UTest separated = mann_whitney_greater(range(1, 50), range(101, 50));
  CHECK(separated.exact);
  CHECK(separated.u == 2500);
  CHECK(separated.p_value == doctest::Approx(smallest_p_value(50, 50)).epsilon(1e-6));
  CHECK(separated.p_value > 0);

  // Interleaved halves: odd values against even ones, p near one half.
  std::vector<double> odd, even;
  for (int i = 0; i < 100; ++i) (i % 2 ? odd : even).push_back(i);
  const UTest mixed = mann_whitney_greater(even, odd);
  CHECK(mixed.exact);
  CHECK(mixed.p_value > 0.3);
  CHECK(mixed.p_value < 0.7);

  CHECK_FALSE(mann_whitney_greater(range(1, 51), range(101, 50)).exact);
}

TEST_CASE("stats: an empty sample gives no evidence") {
  CHECK(mann_whitney_greater({}, {1, 2}).p_value == 1);
  CHECK(mann_whitney_greater({1, 2}, {}).p_value == 1);
}
