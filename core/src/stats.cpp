// Median and the Mann–Whitney U test (exact for small tie-free samples, normal otherwise).
#include "benchgate/core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace benchgate {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double smallest_p_value(std::size_t n, std::size_t m) {
  // 1 / C(n + m, n), accumulated in log space so large samples do not overflow.
  double log_c = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    log_c += std::log(static_cast<double>(m + i)) - std::log(static_cast<double>(i));
  }
  return std::exp(-log_c);
}

namespace {

// Exact upper tail P(U >= u) for sizes n, m without ties. c(i, j, u) counts the orderings of
// i values of sample a and j of sample b with U = u (pairs where the b value is larger). The
// largest of the i + j values comes from b (it beats all i values of a: U grows by i) or from
// a (U unchanged): c(i, j, u) = c(i, j-1, u-i) + c(i-1, j, u); c(0, j, 0) = c(i, 0, 0) = 1.
double exact_upper_tail(std::size_t n, std::size_t m, double u_observed) {
  const std::size_t max_u = n * m;
  using Table = std::vector<std::vector<double>>;  // [j][u] for one i
  Table prev(m + 1, std::vector<double>(max_u + 1, 0.0));
  for (std::size_t j = 0; j <= m; ++j) prev[j][0] = 1;  // i = 0
  for (std::size_t i = 1; i <= n; ++i) {
    Table cur(m + 1, std::vector<double>(max_u + 1, 0.0));
    cur[0][0] = 1;  // j = 0
    for (std::size_t j = 1; j <= m; ++j) {
      for (std::size_t u = 0; u <= i * j; ++u) {
        cur[j][u] = prev[j][u] + (u >= i ? cur[j - 1][u - i] : 0.0);
      }
    }
    prev.swap(cur);
  }
  const std::vector<double>& dist = prev[m];
  const double total = std::accumulate(dist.begin(), dist.end(), 0.0);
  double tail = 0;
  for (std::size_t u = 0; u <= max_u; ++u) {
    if (static_cast<double>(u) >= u_observed - 1e-9) tail += dist[u];
  }
  return tail / total;
}

}  // namespace

UTest mann_whitney_greater(const std::vector<double>& a, const std::vector<double>& b) {
  UTest t;
  const std::size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return t;
  bool ties = false;
  for (double y : b) {
    for (double x : a) {
      if (y > x)
        t.u += 1;
      else if (y == x) {
        t.u += 0.5;
        ties = true;
      }
    }
  }
  // Ties inside one sample matter for the variance too.
  std::vector<double> all(a);
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  double tie_term = 0;  // sum over tie groups of (t^3 - t)
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    const double g = static_cast<double>(j - i);
    if (g > 1) {
      ties = true;
      tie_term += g * g * g - g;
    }
    i = j;
  }
  // Exact while the table stays small (n * m * (m + 1) doubles per row).
  if (!ties && n <= 50 && m <= 50) {
    t.p_value = exact_upper_tail(n, m, t.u);
    t.exact = true;
    return t;
  }
  const double nn = static_cast<double>(n), mm = static_cast<double>(m), N = nn + mm;
  const double mean = nn * mm / 2;
  const double var = nn * mm / 12 * ((N + 1) - tie_term / (N * (N - 1)));
  if (var <= 0) {  // every value equal: no evidence either way
    t.p_value = 1;
    return t;
  }
  const double z = (t.u - mean - 0.5) / std::sqrt(var);  // continuity correction
  t.p_value = 0.5 * std::erfc(z / std::sqrt(2.0));
  return t;
}

}  // namespace benchgate
