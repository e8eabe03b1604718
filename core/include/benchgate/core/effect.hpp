// Rank statistics for the effect of a change, over log ratios: the paired (one-sample) Wilcoxon
// signed-rank test with its Hodges-Lehmann estimate and interval (A/B pairs); the two-sample
// Hodges-Lehmann shift with Moses' interval, and van Elteren's stratified test (unpaired samples
// by param). Pure functions over plain vectors; exact for small samples, normal beyond.
#pragma once

#include <cstddef>
#include <vector>

namespace benchgate {

// One-sided Wilcoxon signed-rank test of "the differences tend to be above `shift`" (H0: they
// are symmetric about `shift`). Differences equal to `shift` are dropped (Wilcoxon's rule); tied
// absolute differences share their mean rank.
struct SignedRankTest {
  double w_plus = 0;   // the sum of the ranks of the differences above `shift`
  std::size_t n = 0;   // the differences not equal to `shift`
  double p_value = 1;  // P(W+ >= observed) under H0
  bool exact = false;  // from the exact permutation distribution (n <= kExactSignedRankMax)
};
inline constexpr std::size_t kExactSignedRankMax = 200;
SignedRankTest signed_rank_greater(const std::vector<double>& d, double shift = 0);

// The Hodges-Lehmann estimate of the center of `d` (the median of the Walsh averages
// (d_i + d_j) / 2, i <= j) and the distribution-free confidence interval at `confidence`
// (two-sided, e.g. 0.95) from the signed-rank distribution: [W_(k+1), W_(N-k)] of the N sorted
// Walsh averages, k the largest count with P(W+ <= k) <= (1 - confidence) / 2. Where n is too
// small for that level, the interval is the whole range of the Walsh averages and `covers` is
// false.
struct CenterEstimate {
  double estimate = 0;
  double lo = 0;
  double hi = 0;
  std::size_t n = 0;
  bool covers = false;  // the interval reaches the confidence asked for
};
// Beyond kHodgesLehmannMax differences the estimate is their median and the interval the sign
// test's (n^2/2 Walsh averages would not fit in memory).
inline constexpr std::size_t kHodgesLehmannMax = 3000;
CenterEstimate hodges_lehmann(const std::vector<double>& d, double confidence);

// Student's t quantile: t with P(T <= t) = p for `df` degrees of freedom (exact for 1 and 2,
// the Cornish-Fisher expansion beyond; the normal quantile for df >= 1e7 or infinite).
double student_quantile(double p, double df);

// The standard normal quantile: z with P(Z <= z) = p, for p in (0, 1).
double normal_quantile(double p);

// The Hodges-Lehmann shift of `y` relative to `x` (the median of the n * m differences
// y_j - x_i) with Moses' distribution-free interval at `confidence`, from the Mann-Whitney
// distribution: [D_(k), D_(nm+1-k)] of the sorted differences. `covers` as above.
struct ShiftEstimate {
  double estimate = 0;
  double lo = 0;
  double hi = 0;
  bool covers = false;
};
ShiftEstimate hodges_lehmann_shift(const std::vector<double>& x, const std::vector<double>& y,
                                   double confidence);

// One stratum of an unpaired comparison (one param of a benchmark): the baseline's and the
// current samples.
struct Stratum {
  std::vector<double> baseline;
  std::vector<double> current;
};

// Van Elteren's stratified rank test of "current tends to be above baseline", with the shift
// estimate and interval that invert it: the sum over strata of U_s / (N_s + 1) (U_s the
// Mann-Whitney count of current above baseline in stratum s, N_s its size) against its mean and
// variance under H0 (ties corrected), normal. The estimate is the shift d at which the
// statistic of (current - d) against baseline sits at its mean; the interval, where it sits at
// +-z of `confidence`. Strata with an empty side are skipped.
struct StratifiedTest {
  double z = 0;
  double p_value = 1;  // one-sided, P(Z >= z)
  double estimate = 0;
  double lo = 0;
  double hi = 0;
  std::size_t strata = 0;  // the strata used
  std::size_t n = 0;       // samples in them, both sides
  bool covers = false;     // the samples can reach the level: else [lo, hi] is their whole range
};
StratifiedTest van_elteren(const std::vector<Stratum>& strata, double confidence);

}  // namespace benchgate
