// Tests core/effect.hpp: the signed-rank test and the Hodges-Lehmann interval against answers
// computed by hand (or from the published tables), exact and normal, with ties and zeros.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "benchgate/core/effect.hpp"

using benchgate::CenterEstimate;
using benchgate::hodges_lehmann;
using benchgate::kHodgesLehmannMax;
using benchgate::normal_quantile;
using benchgate::signed_rank_greater;
using benchgate::student_quantile;

TEST_CASE("effect: five positive differences give W+ 15 and p 1/32") {
  const auto t = signed_rank_greater({1, 2, 3, 4, 5});
  CHECK(t.n == 5);
  CHECK(t.w_plus == 15);
  CHECK(t.exact);
  CHECK(t.p_value == doctest::Approx(1.0 / 32));
}

TEST_CASE("effect: one negative difference of rank 1 gives W+ 14 and p 2/32") {
  const auto t = signed_rank_greater({-1, 2, 3, 4, 5});
  CHECK(t.w_plus == 14);
  CHECK(t.p_value == doctest::Approx(2.0 / 32));
}

TEST_CASE("effect: tied absolute differences share their mean rank, exactly") {
  // |d| = 1, 1, 2: ranks 1.5, 1.5, 3. The eight sign patterns give W+ of 0, 1.5, 1.5, 3, 3,
  // 4.5, 4.5, 6: P(W+ >= 6) = 1/8, P(W+ >= 4.5) = 3/8.
  CHECK(signed_rank_greater({1, 1, 2}).p_value == doctest::Approx(1.0 / 8));
  const auto t = signed_rank_greater({1, -1, 2});
  CHECK(t.w_plus == 4.5);
  CHECK(t.p_value == doctest::Approx(3.0 / 8));
}

TEST_CASE("effect: differences equal to the shift are dropped, and the shift moves the test") {
  const auto t = signed_rank_greater({0, 0, 1, 2, 3});
  CHECK(t.n == 3);
  CHECK(t.p_value == doctest::Approx(1.0 / 8));
  // Against a shift of 2: differences -1, 0 (dropped) and 1: W+ = 1.5 of 3.
  const auto s = signed_rank_greater({1, 2, 3}, 2);
  CHECK(s.n == 2);
  CHECK(s.w_plus == 1.5);
  CHECK(s.p_value == doctest::Approx(3.0 / 4));
}

TEST_CASE("effect: all differences zero is no evidence") {
  const auto t = signed_rank_greater({0, 0, 0});
  CHECK(t.n == 0);
  CHECK(t.p_value == 1);
}

TEST_CASE("effect: the normal approximation beyond the exact range agrees with the exact one") {
  // 200 differences (exact) and 201 (normal) of the same pattern give nearly the same p.
  std::vector<double> d;
  for (int i = 1; i <= 201; ++i) d.push_back(i % 3 == 0 ? -i : i);
  const auto normal = signed_rank_greater(d);
  d.pop_back();
  const auto exact = signed_rank_greater(d);
  CHECK(exact.exact);
  CHECK_FALSE(normal.exact);
  CHECK(normal.p_value == doctest::Approx(exact.p_value).epsilon(0.05));
  CHECK(normal.p_value > 1e-6);
  CHECK(normal.p_value < 0.01);
}

TEST_CASE("effect: the Hodges-Lehmann interval of 1..10 at 95% is 3 to 8 around 5.5") {
  std::vector<double> d;
  for (int i = 1; i <= 10; ++i) d.push_back(i);
  const auto e = hodges_lehmann(d, 0.95);
  CHECK(e.estimate == 5.5);
  CHECK(e.covers);
  CHECK(e.lo == 3);  // the 9th smallest of the 55 Walsh averages (table: T = 8 at n = 10)
  CHECK(e.hi == 8);
}

TEST_CASE("effect: too few differences for the level give the whole range, marked") {
  const auto e = hodges_lehmann({1, 2, 3}, 0.95);
  CHECK(e.estimate == 2);  // Walsh averages 1, 1.5, 2, 2, 2.5, 3
  CHECK_FALSE(e.covers);
  CHECK(e.lo == 1);
  CHECK(e.hi == 3);
}

TEST_CASE("effect: the normal quantile") {
  CHECK(normal_quantile(0.5) == doctest::Approx(0).epsilon(1e-12));
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963985).epsilon(1e-9));
  CHECK(normal_quantile(0.01) == doctest::Approx(-2.326347874).epsilon(1e-9));
}

TEST_CASE("effect: Student's t quantiles match the table") {
  CHECK(student_quantile(0.975, 1) == doctest::Approx(12.706).epsilon(1e-4));
  CHECK(student_quantile(0.975, 2) == doctest::Approx(4.303).epsilon(1e-4));
  CHECK(student_quantile(0.995, 5) == doctest::Approx(4.032).epsilon(2e-3));
  CHECK(student_quantile(0.975, 10) == doctest::Approx(2.228).epsilon(1e-3));
  CHECK(student_quantile(0.999, 30) == doctest::Approx(3.385).epsilon(1e-3));
  CHECK(student_quantile(0.975, 1e9) == doctest::Approx(1.96).epsilon(1e-3));
}

TEST_CASE("effect: beyond the Walsh limit the estimate is the median with the sign interval") {
  std::vector<double> d;
  for (std::size_t i = 0; i < kHodgesLehmannMax + 1; ++i) d.push_back(static_cast<double>(i));
  const CenterEstimate e = hodges_lehmann(d, 0.95);
  CHECK(e.estimate == doctest::Approx(1500));
  // n = 3001: k = floor(1500.5 - 1.96 * sqrt(3001) / 2) = 1446, the 1446th from each end.
  CHECK(e.lo == doctest::Approx(1445));
  CHECK(e.hi == doctest::Approx(3000 - 1445));
  CHECK(e.covers);
}

TEST_CASE("effect: the two-sample shift of 1..3 to 4..6 is 3, too few samples for 95%") {
  const auto e = benchgate::hodges_lehmann_shift({1, 2, 3}, {4, 5, 6}, 0.95);
  CHECK(e.estimate == 3);
  CHECK_FALSE(e.covers);  // the smallest two-sided p of 3 vs 3 is 0.1
  CHECK(e.lo == 1);
  CHECK(e.hi == 5);
}

TEST_CASE("effect: Moses' 95% interval for ten against ten is the 24th difference from each end") {
  // P(U <= 23) = 0.0216 <= 0.025 < P(U <= 24) = 0.0262 for n = m = 10 (the table's 23).
  std::vector<double> x, y;
  for (int i = 0; i < 10; ++i) {
    x.push_back(i);
    y.push_back(i + 100);
  }
  const auto e = benchgate::hodges_lehmann_shift(x, y, 0.95);
  CHECK(e.estimate == 100);
  CHECK(e.covers);
  CHECK(e.lo == 97);
  CHECK(e.hi == 103);
}

TEST_CASE("effect: van Elteren on one stratum is the Mann-Whitney z, and its shift the HL one") {
  benchgate::Stratum s{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}};
  const auto t = benchgate::van_elteren({s}, 0.95);
  CHECK(t.strata == 1);
  CHECK(t.n == 10);
  // U = 25 of 25, mean 12.5, variance 25 * 11 / 12: z = 12.5 / sqrt(22.9167) = 2.6112.
  CHECK(t.z == doctest::Approx(2.6112).epsilon(1e-4));
  CHECK(t.p_value == doctest::Approx(0.5 * std::erfc(2.6112 / std::sqrt(2.0))).epsilon(1e-3));
  CHECK(t.estimate == doctest::Approx(5).epsilon(1e-6));
  CHECK(t.lo < 5);
  CHECK(t.hi > 5);
}

TEST_CASE("effect: van Elteren weighs every stratum, so opposite strata cancel") {
  benchgate::Stratum up{{1, 2, 3, 4, 5}, {11, 12, 13, 14, 15}};
  benchgate::Stratum down{{11, 12, 13, 14, 15}, {1, 2, 3, 4, 5}};
  const auto t = benchgate::van_elteren({up, down}, 0.95);
  CHECK(t.strata == 2);
  CHECK(t.z == doctest::Approx(0).epsilon(1e-12));
  CHECK(t.p_value == doctest::Approx(0.5));
  // Every stratum up by the same 10%: the pooled shift is that, with an interval around it.
  benchgate::Stratum a{{1.0, 1.1, 1.2, 1.3, 1.4}, {1.1, 1.2, 1.3, 1.4, 1.5}};
  benchgate::Stratum b{{5.0, 5.1, 5.2, 5.3, 5.4}, {5.1, 5.2, 5.3, 5.4, 5.5}};
  const auto both = benchgate::van_elteren({a, b}, 0.95);
  CHECK(both.estimate == doctest::Approx(0.1).epsilon(1e-6));
  CHECK(both.lo < 0.1);
  CHECK(both.hi > 0.1);
  CHECK(both.z > 0);
}

TEST_CASE("effect: van Elteren skips a stratum with an empty side") {
  benchgate::Stratum full{{1, 2, 3}, {4, 5, 6}};
  benchgate::Stratum half{{1, 2, 3}, {}};
  const auto t = benchgate::van_elteren({full, half}, 0.95);
  CHECK(t.strata == 1);
  CHECK(t.n == 6);
}
