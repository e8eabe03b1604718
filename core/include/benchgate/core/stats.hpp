// Statistics over samples: median and the Mann–Whitney U test. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <vector>

namespace benchgate {

// Median of the values (sorted copy): the middle, or the mean of the two middles; 0 if empty.
// The one median definition used everywhere in benchgate.
double median(std::vector<double> values);

// One-sided Mann–Whitney U test of "b tends to be larger than a".
struct UTest {
  double u = 0;        // U statistic of b: pairs (a_i, b_j) with b_j > a_i, ties counting 1/2
  double p_value = 1;  // P(U >= observed) if a and b came from one distribution
  bool exact = false;  // exact permutation distribution (no ties, small samples) vs normal approx.
};
UTest mann_whitney_greater(const std::vector<double>& a, const std::vector<double>& b);

// The smallest one-sided p-value any outcome can reach with sample sizes n and m:
// 1 / C(n + m, n). A test at level alpha can only ever reject when this is <= alpha, which
// decides whether benchgate uses the test or falls back to the effect size alone.
double smallest_p_value(std::size_t n, std::size_t m);

}  // namespace benchgate
