// The rank statistics of an effect: signed-rank, Hodges-Lehmann (one and two samples), van
// Elteren.
#include "benchgate/core/effect.hpp"

#include <algorithm>
#include <cmath>

namespace benchgate {
namespace {

// The exact null distribution of 2 W+ for these doubled ranks: count[s] of the 2^n sign
// assignments whose positive ranks sum to s, as a fraction of 2^n. Doubled so that midranks of
// ties (x.5) stay integers.
std::vector<double> doubled_rank_sum_distribution(const std::vector<std::size_t>& doubled) {
  std::size_t total = 0;
  for (std::size_t r : doubled) total += r;
  std::vector<double> p(total + 1, 0.0);
  p[0] = 1;
  std::size_t reach = 0;
  for (std::size_t r : doubled) {
    reach += r;
    for (std::size_t s = reach + 1; s-- > r;) p[s] = (p[s] + p[s - r]) / 2;
    for (std::size_t s = std::min(r, reach + 1); s-- > 0;) p[s] /= 2;
  }
  return p;
}

double normal_upper(double z) {
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// Beyond kHodgesLehmannMax differences (n^2/2 Walsh averages would not fit): the median, with
// the sign test's distribution-free interval (normal approximation of the binomial).
CenterEstimate median_with_sign_interval(std::vector<double> d, double confidence);

}  // namespace

double normal_quantile(double p) {
  // Bisection on the upper tail: 200 halvings of [-40, 40] reach double precision.
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    if (1 - normal_upper(mid) < p)
      lo = mid;
    else
      hi = mid;
  }
  return (lo + hi) / 2;
}

SignedRankTest signed_rank_greater(const std::vector<double>& d, double shift) {
  SignedRankTest t;
  std::vector<double> x;
  for (double v : d) {
    if (v != shift) x.push_back(v - shift);
  }
  t.n = x.size();
  if (t.n == 0) return t;
  std::vector<std::size_t> order(t.n);
  for (std::size_t i = 0; i < t.n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return std::fabs(x[a]) < std::fabs(x[b]); });
  // Doubled midranks: a tie group over positions i..j-1 (1-based i+1..j) shares i + j + 1.
  std::vector<std::size_t> doubled(t.n);
  double tie_term = 0;
  std::size_t plus2 = 0;
  for (std::size_t i = 0; i < t.n;) {
    std::size_t j = i;
    while (j < t.n && std::fabs(x[order[j]]) == std::fabs(x[order[i]])) ++j;
    const std::size_t rank2 = i + j + 1;
    const double g = static_cast<double>(j - i);
    tie_term += g * g * g - g;
    for (std::size_t k = i; k < j; ++k) {
      doubled[k] = rank2;
      if (x[order[k]] > 0) plus2 += rank2;
    }
    i = j;
  }
  t.w_plus = static_cast<double>(plus2) / 2;
  if (t.n <= kExactSignedRankMax) {
    const std::vector<double> p = doubled_rank_sum_distribution(doubled);
    double tail = 0;
    for (std::size_t s = plus2; s < p.size(); ++s) tail += p[s];
    t.p_value = std::min(1.0, tail);
    t.exact = true;
    return t;
  }
  const double n = static_cast<double>(t.n);
  const double mean = n * (n + 1) / 4;
  const double var = n * (n + 1) * (2 * n + 1) / 24 - tie_term / 48;
  if (var <= 0) return t;
  t.p_value = normal_upper((t.w_plus - mean - 0.5) / std::sqrt(var));  // continuity correction
  return t;
}

double student_quantile(double p, double df) {
  if (!(df < 1e7)) return normal_quantile(p);
  // Exact for 1 and 2 degrees of freedom; beyond, the Cornish-Fisher expansion of t in z to the
  // fourth term (Hill 1970), within 0.2% of the table from 3 degrees of freedom at 99.9%.
  if (df <= 1) return std::tan(std::acos(-1.0) * (p - 0.5));
  if (df <= 2) return (2 * p - 1) / std::sqrt(2 * p * (1 - p));
  const double z = normal_quantile(p), z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

CenterEstimate hodges_lehmann(const std::vector<double>& d, double confidence) {
  CenterEstimate e;
  e.n = d.size();
  if (d.empty()) return e;
  const std::size_t n = d.size();
  if (n > kHodgesLehmannMax) return median_with_sign_interval(d, confidence);
  std::vector<double> walsh;
  walsh.reserve(n * (n + 1) / 2);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i; j < n; ++j) walsh.push_back((d[i] + d[j]) / 2);
  }
  const std::size_t N = walsh.size();
  auto kth = [&](std::size_t k) {  // 0-based order statistic
    std::nth_element(walsh.begin(), walsh.begin() + static_cast<std::ptrdiff_t>(k), walsh.end());
    return walsh[k];
  };
  e.estimate = N % 2 ? kth(N / 2) : (kth(N / 2 - 1) + kth(N / 2)) / 2;
  // k: the number of Walsh averages cut from each end; P(W+ <= k - 1) <= alpha / 2.
  const double half_alpha = (1 - confidence) / 2;
  std::size_t k = 0;
  if (n <= kExactSignedRankMax) {
    std::vector<std::size_t> doubled(n);
    for (std::size_t i = 0; i < n; ++i) doubled[i] = 2 * (i + 1);
    const std::vector<double> p = doubled_rank_sum_distribution(doubled);
    double cdf = 0;  // P(W+ <= w)
    for (std::size_t w = 0; 2 * w < p.size(); ++w) {
      cdf += p[2 * w];
      if (cdf > half_alpha) break;
      k = w + 1;
    }
  } else {
    // The normal approximation of the signed-rank quantile.
    const double nn = static_cast<double>(n);
    const double w = nn * (nn + 1) / 4 -
                     normal_quantile(1 - half_alpha) * std::sqrt(nn * (nn + 1) * (2 * nn + 1) / 24);
    k = w > 0 ? static_cast<std::size_t>(std::floor(w)) : 0;
  }
  // P(center < W_(j)) = P(W+ <= j - 1) for the j-th smallest Walsh average: the bounds are the
  // k-th smallest and the k-th largest.
  e.covers = k > 0;
  const std::size_t index = k > 0 ? std::min(k - 1, N - 1) : 0;
  e.lo = kth(index);
  e.hi = kth(N - 1 - index);
  return e;
}

namespace {

// P(U <= u) for u = 0..n*m: the Mann-Whitney null distribution without ties (exact), built as
// in stats.cpp: c(i, j, u) = c(i, j-1, u-i) + c(i-1, j, u), normalised.
std::vector<double> mann_whitney_cdf(std::size_t n, std::size_t m) {
  const std::size_t max_u = n * m;
  std::vector<std::vector<double>> prev(m + 1, std::vector<double>(max_u + 1, 0.0));
  for (std::size_t j = 0; j <= m; ++j) prev[j][0] = 1;
  for (std::size_t i = 1; i <= n; ++i) {
    std::vector<std::vector<double>> cur(m + 1, std::vector<double>(max_u + 1, 0.0));
    cur[0][0] = 1;
    for (std::size_t j = 1; j <= m; ++j) {
      for (std::size_t u = 0; u <= i * j; ++u) {
        cur[j][u] = prev[j][u] + (u >= i ? cur[j - 1][u - i] : 0.0);
      }
    }
    prev.swap(cur);
  }
  std::vector<double> cdf = prev[m];
  double total = 0;
  for (double c : cdf) total += c;
  double run = 0;
  for (double& c : cdf) {
    run += c;
    c = run / total;
  }
  return cdf;
}

// Mann-Whitney count of y above x (ties count 1/2) and its tie-corrected variance under H0.
struct Counted {
  double u = 0;
  double mean = 0;
  double var = 0;
};
Counted count_above(const std::vector<double>& x, const std::vector<double>& y, double shift) {
  Counted c;
  std::vector<double> all;
  all.reserve(x.size() + y.size());
  for (double xi : x) all.push_back(xi);
  for (double yj : y) {
    all.push_back(yj - shift);
    for (double xi : x) {
      const double d = yj - shift - xi;
      c.u += d > 0 ? 1.0 : d == 0 ? 0.5 : 0.0;
    }
  }
  std::sort(all.begin(), all.end());
  double tie_term = 0;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    const double g = static_cast<double>(j - i);
    tie_term += g * g * g - g;
    i = j;
  }
  const double n = static_cast<double>(x.size()), m = static_cast<double>(y.size()), N = n + m;
  c.mean = n * m / 2;
  c.var = N > 1 ? n * m / 12 * ((N + 1) - tie_term / (N * (N - 1))) : 0;
  return c;
}

}  // namespace

ShiftEstimate hodges_lehmann_shift(const std::vector<double>& x, const std::vector<double>& y,
                                   double confidence) {
  ShiftEstimate e;
  if (x.empty() || y.empty()) return e;
  std::vector<double> d;
  d.reserve(x.size() * y.size());
  for (double yj : y) {
    for (double xi : x) d.push_back(yj - xi);
  }
  const std::size_t N = d.size();
  auto kth = [&](std::size_t k) {
    std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
    return d[k];
  };
  e.estimate = N % 2 ? kth(N / 2) : (kth(N / 2 - 1) + kth(N / 2)) / 2;
  const double half_alpha = (1 - confidence) / 2;
  std::size_t k = 0;  // the differences cut from each end, + 1
  if (x.size() <= 50 && y.size() <= 50) {
    const std::vector<double> cdf = mann_whitney_cdf(x.size(), y.size());
    while (k < cdf.size() && cdf[k] <= half_alpha) ++k;
  } else {
    const double n = static_cast<double>(x.size()), m = static_cast<double>(y.size());
    const double u =
        n * m / 2 - normal_quantile(1 - half_alpha) * std::sqrt(n * m * (n + m + 1) / 12);
    k = u > 0 ? static_cast<std::size_t>(std::floor(u)) + 1 : 0;
  }
  e.covers = k > 0;
  const std::size_t index = k > 0 ? std::min(k - 1, N - 1) : 0;
  e.lo = kth(index);
  e.hi = kth(N - 1 - index);
  return e;
}

StratifiedTest van_elteren(const std::vector<Stratum>& strata, double confidence) {
  StratifiedTest t;
  std::vector<const Stratum*> used;
  double lo_d = 0, hi_d = 0;
  bool first = true;
  for (const Stratum& s : strata) {
    if (s.baseline.empty() || s.current.empty()) continue;
    used.push_back(&s);
    t.n += s.baseline.size() + s.current.size();
    for (double y : s.current) {
      for (double x : s.baseline) {
        const double d = y - x;
        lo_d = first ? d : std::min(lo_d, d);
        hi_d = first ? d : std::max(hi_d, d);
        first = false;
      }
    }
  }
  t.strata = used.size();
  if (used.empty()) return t;
  // z of the weighted statistic for current shifted down by `shift`.
  auto z_at = [&](double shift) {
    double stat = 0, mean = 0, var = 0;
    for (const Stratum* s : used) {
      const Counted c = count_above(s->baseline, s->current, shift);
      const double w = 1.0 / static_cast<double>(s->baseline.size() + s->current.size() + 1);
      stat += w * c.u;
      mean += w * c.mean;
      var += w * w * c.var;
    }
    return var > 0 ? (stat - mean) / std::sqrt(var) : 0.0;
  };
  t.z = z_at(0);
  t.p_value = 0.5 * std::erfc(t.z / std::sqrt(2.0));
  // z_at is non-increasing in the shift: bisection for the shift where it crosses a level.
  auto shift_where = [&](double level) {
    double a = lo_d - 1e-12 - std::fabs(lo_d) * 1e-12, b = hi_d + 1e-12 + std::fabs(hi_d) * 1e-12;
    for (int i = 0; i < 100; ++i) {
      const double mid = (a + b) / 2;
      if (z_at(mid) > level)
        a = mid;
      else
        b = mid;
    }
    return (a + b) / 2;
  };
  const double zc = normal_quantile(1 - (1 - confidence) / 2);
  const double margin = 1e-9 + (std::fabs(lo_d) + std::fabs(hi_d)) * 1e-9;
  t.covers = z_at(lo_d - margin) > zc && z_at(hi_d + margin) < -zc;
  t.estimate = shift_where(0);
  t.lo = shift_where(zc);
  t.hi = shift_where(-zc);
  return t;
}

namespace {

CenterEstimate median_with_sign_interval(std::vector<double> d, double confidence) {
  CenterEstimate e;
  const std::size_t n = d.size();
  e.n = n;
  std::sort(d.begin(), d.end());
  e.estimate = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
  const double nn = static_cast<double>(n);
  const double z = normal_quantile(1 - (1 - confidence) / 2);
  const double k = std::floor(nn / 2 - z * std::sqrt(nn) / 2);  // order statistics cut per end
  e.covers = k >= 1;
  const std::size_t index = k >= 1 ? static_cast<std::size_t>(k) - 1 : 0;
  e.lo = d[index];
  e.hi = d[n - 1 - index];
  return e;
}

}  // namespace

}  // namespace benchgate
