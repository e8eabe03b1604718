// One benchmark's time decision from all its evidence.
#include "decide.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "benchgate/core/effect.hpp"
#include "benchgate/core/stats.hpp"

namespace benchgate {

void TimeEvidence::add(std::optional<std::uint64_t> param, const Side* baseline,
                       const Side* current) {
  auto it = std::find_if(params.begin(), params.end(),
                         [&](const ParamTimes& p) { return p.param == param; });
  if (it == params.end()) {
    params.emplace_back().param = param;
    it = params.end() - 1;
  }
  if (baseline) {
    it->baseline.insert(it->baseline.end(), baseline->time.values.begin(),
                        baseline->time.values.end());
    it->baseline_ids.insert(it->baseline_ids.end(), baseline->time_ids.begin(),
                            baseline->time_ids.end());
  }
  if (current) {
    it->current.insert(it->current.end(), current->time.values.begin(), current->time.values.end());
    it->current_ids.insert(it->current_ids.end(), current->time_ids.begin(),
                           current->time_ids.end());
  }
}

namespace {

std::vector<double> logs(const std::vector<double>& v) {
  std::vector<double> out;
  out.reserve(v.size());
  for (double x : v) {
    if (x > 0) out.push_back(std::log(x));
  }
  return out;
}

// The log ratios of one param's A/B pairs: a baseline and a current sample of the same id.
std::vector<double> pair_logs(const ParamTimes& p) {
  std::multimap<SampleId, double> base;
  for (std::size_t i = 0; i < p.baseline.size(); ++i)
    base.emplace(p.baseline_ids[i], p.baseline[i]);
  std::vector<double> d;
  for (std::size_t i = 0; i < p.current.size(); ++i) {
    if (p.current_ids[i].run == 0) continue;  // rows without an env: not known to be one run
    auto it = base.find(p.current_ids[i]);
    if (it == base.end()) continue;
    if (it->second > 0 && p.current[i] > 0) d.push_back(std::log(p.current[i] / it->second));
    base.erase(it);
  }
  return d;
}

EffectRatio ratio_of(double estimate, double lo, double hi) {
  return EffectRatio{std::exp(estimate), std::exp(lo), std::exp(hi)};
}

// Least squares of y on x: the slope and its interval at `confidence`; nullopt without two
// distinct x or without a degree of freedom left.
std::optional<EffectRatio> slope(const std::vector<double>& x, const std::vector<double>& y,
                                 double confidence) {
  const std::size_t n = x.size();
  if (n < 3) return std::nullopt;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) return std::nullopt;
  const double b = sxy / sxx;
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - my - b * (x[i] - mx);
    rss += r * r;
  }
  const double df = static_cast<double>(n - 2);
  const double se = std::sqrt(rss / df / sxx);
  const double t = student_quantile(1 - (1 - confidence) / 2, df);
  return ratio_of(b, b - t * se, b + t * se);
}

struct WeightedPoint {
  double x, y, se;
};

// The slope of y on x weighted by 1 / se^2, with its normal interval at `confidence`; nullopt
// without two distinct x.
std::optional<EffectRatio> weighted_slope(const std::vector<WeightedPoint>& p, double confidence) {
  double sw = 0, swx = 0, swy = 0;
  for (const auto& q : p) {
    const double w = 1 / (q.se * q.se);
    sw += w;
    swx += w * q.x;
    swy += w * q.y;
  }
  if (p.size() < 2 || !(sw > 0)) return std::nullopt;
  const double mx = swx / sw, my = swy / sw;
  double sxx = 0, sxy = 0;
  for (const auto& q : p) {
    const double w = 1 / (q.se * q.se);
    sxx += w * (q.x - mx) * (q.x - mx);
    sxy += w * (q.x - mx) * (q.y - my);
  }
  if (!(sxx > 0)) return std::nullopt;
  const double b = sxy / sxx, half = normal_quantile(1 - (1 - confidence) / 2) / std::sqrt(sxx);
  return ratio_of(b, b - half, b + half);
}

// The spread of a run's log time between the baseline's recorded runs: per param, each run's
// median log time about the param's mean of them, pooled over the params and moderated by a
// prior (DecisionRule::run_spread) worth kPriorRunDf degrees of freedom (a few recorded runs of one
// param would otherwise give Student's t one or two degrees of freedom, and an interval too wide
// to ever decide). {sd, degrees of freedom}. With one run nothing measures the spread and the
// prior alone is the answer: a run's own samples cannot show the machine's phase, and a gate
// that took them for the whole noise failed the guide's A/A on a phase of +15%.
std::pair<double, double> between_run_spread(const TimeEvidence& e, double prior) {
  double ss = 0, df = 0;
  for (const ParamTimes& p : e.params) {
    std::map<std::int64_t, std::vector<double>> runs;
    for (std::size_t i = 0; i < p.baseline.size(); ++i) {
      if (p.baseline[i] > 0) runs[p.baseline_ids[i].run].push_back(std::log(p.baseline[i]));
    }
    if (runs.size() < 2) continue;
    std::vector<double> medians;
    for (auto& [run, v] : runs) medians.push_back(median(v));
    double mean = 0;
    for (double m : medians) mean += m;
    mean /= static_cast<double>(medians.size());
    for (double m : medians) ss += (m - mean) * (m - mean);
    df += static_cast<double>(medians.size() - 1);
  }
  if (prior > 0) {
    ss += kPriorRunDf * prior * prior;
    df += kPriorRunDf;
  }
  if (!(df > 0)) return {0.0, 0.0};  // one run and no prior: the run's own samples only
  return {std::sqrt(ss / df), df};
}

// The two-sided level of the intervals: each look spends alpha / looks, half on the pooled
// interval and half on the trend (a change that grows with n), so that a regression is called
// with probability at most alpha over all looks when nothing changed.
double level_of(const DecisionRule& rule) {
  const double per_look = rule.alpha / static_cast<double>(std::max<std::size_t>(1, rule.looks));
  return 1 - per_look;
}

double median_or(const std::vector<double>& v, double otherwise) {
  return v.empty() ? otherwise : median(v);
}

}  // namespace

void append_percent(std::string& out, double fraction, bool skip_first) {
  char buf[400];  // 309 integer digits of the largest double, a sign, a fraction
  char* p = buf;
  if (fraction >= 0) *p++ = '+';
  p = std::to_chars(p, buf + sizeof buf - 1, fraction * 100, std::chars_format::fixed, 1).ptr;
  *p++ = '%';
  const char* start = skip_first ? buf + 1 : buf;
  out.append(start, static_cast<std::size_t>(p - start));
}

std::string decided_from(const TimeDecision& d) {
  if (d.paired) return std::to_string(d.pairs) + " pairs";
  std::string s = std::to_string(d.n_baseline) + " vs " + std::to_string(d.n_current) + " samples";
  if (d.baseline_runs > 1) s += ", baseline of " + std::to_string(d.baseline_runs) + " runs";
  return s;
}

std::string format_ratio(const EffectRatio& r) {
  std::string s;
  append_percent(s, r.estimate - 1);
  s += " [";
  append_percent(s, r.lo - 1);
  s += ", ";
  append_percent(s, r.hi - 1);
  s += "]";
  return s;
}

namespace {

// The pooled ratio, each param's, the p-value and the trend from A/B pairs (log ratios of each
// param's pairs). Returns whether the pooled interval reaches its level.
bool paired_effect(const TimeEvidence& e, const std::vector<std::vector<double>>& pairs,
                   double level, TimeDecision& d) {
  std::vector<double> all, trend_x, trend_y;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    all.insert(all.end(), pairs[i].begin(), pairs[i].end());
    if (pairs[i].empty()) continue;
    const CenterEstimate c = hodges_lehmann(pairs[i], level);
    d.params.push_back(
        {e.params[i].param, ratio_of(c.estimate, c.lo, c.hi), pairs[i].size(), c.covers, false});
    if (!e.params[i].param || *e.params[i].param == 0) continue;
    for (double v : pairs[i]) {
      trend_x.push_back(std::log2(static_cast<double>(*e.params[i].param)));
      trend_y.push_back(v);
    }
  }
  const CenterEstimate c = hodges_lehmann(all, level);
  d.ratio = ratio_of(c.estimate, c.lo, c.hi);
  std::vector<double> flipped(all);
  for (double& v : flipped) v = -v;
  d.p_value = (c.estimate >= 0 ? signed_rank_greater(all) : signed_rank_greater(flipped)).p_value;
  d.trend = slope(trend_x, trend_y, level);
  return c.covers;
}

// The same from unpaired samples: van Elteren over the params, widened by the spread between
// the baseline's recorded runs.
bool unpaired_effect(const TimeEvidence& e, const DecisionRule& rule, double level,
                     TimeDecision& d) {
  std::vector<Stratum> strata;
  std::set<std::int64_t> runs;
  for (const ParamTimes& p : e.params) {
    for (const SampleId& id : p.baseline_ids) runs.insert(id.run);
    strata.push_back({logs(p.baseline), logs(p.current)});
  }
  d.baseline_runs = runs.size();
  // The machine's phase while the baseline was recorded is noise the samples of one run cannot
  // show: the interval is at least as wide as the spread between recorded runs says, for the
  // current run's phase and for the baseline's mean of them (Student's t on the pooled degrees
  // of freedom). With one run that spread is the prior's (the note says so).
  const auto [spread, df] = between_run_spread(e, rule.run_spread);
  const double runs_n = static_cast<double>(std::max<std::size_t>(1, d.baseline_runs));
  const double half =
      df > 0 ? student_quantile(1 - (1 - level) / 2, df) * spread * std::sqrt(1 + 1 / runs_n) : 0.0;
  d.run_spread_half = half;
  const StratifiedTest t = van_elteren(strata, level);
  d.ratio =
      ratio_of(t.estimate, std::min(t.lo, t.estimate - half), std::max(t.hi, t.estimate + half));
  d.p_value = t.estimate >= 0 ? t.p_value : 1 - t.p_value;
  std::vector<WeightedPoint> weighted;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    const Stratum& st = strata[i];
    if (st.baseline.empty() || st.current.empty()) continue;
    const ShiftEstimate sh = hodges_lehmann_shift(st.baseline, st.current, level);
    d.params.push_back({e.params[i].param,
                        ratio_of(sh.estimate, std::min(sh.lo, sh.estimate - half),
                                 std::max(sh.hi, sh.estimate + half)),
                        st.baseline.size() + st.current.size(), sh.covers, false});
    // The trend of unpaired samples: each param's shift with the weight of its own interval and
    // of the spread between runs (a phase may move one param more than another; taken as
    // independent per param, which is conservative). Samples as points would share their
    // param's other-side mean, an error the residuals cannot show: a simulation called 12% of
    // null benchmarks regressed that way.
    if (sh.covers && e.params[i].param && *e.params[i].param > 0 && sh.hi > sh.lo) {
      const double own = (sh.hi - sh.lo) / (2 * normal_quantile(1 - (1 - level) / 2));
      const double phase = spread * std::sqrt(1 + 1 / runs_n);
      weighted.push_back({std::log2(static_cast<double>(*e.params[i].param)), sh.estimate,
                          std::sqrt(own * own + phase * phase)});
    }
  }
  d.trend = weighted_slope(weighted, level);
  return t.covers;
}

// The status and note from the effect: the rule decide_time states (decide.hpp).
void classify(const TimeEvidence& e, const DecisionRule& rule, bool covers, double base_median,
              TimeDecision& d) {
  d.grows = d.trend && d.trend->lo > 1;
  const double up = 1 + rule.threshold;
  auto beyond = [&](double estimate, double base) {
    return estimate > up && (estimate - 1) * base > rule.min_delta_ns;
  };
  std::string threshold;
  append_percent(threshold, rule.threshold, true);
  if (covers && d.ratio.lo > 1 && beyond(d.ratio.estimate, base_median)) {
    d.status = KeyStatus::regressed;
    d.note = "above " + threshold;
  } else if (d.grows) {
    // A change that grows with n, significant on its own: the params where it is beyond the
    // threshold regress, however small the others keep the pooled estimate.
    std::string where;
    for (ParamEffect& p : d.params) {
      std::vector<double> base_p;
      for (const ParamTimes& t : e.params) {
        if (t.param == p.param) base_p = t.baseline;
      }
      if (!beyond(p.ratio.estimate, median_or(base_p, base_median))) continue;
      p.decisive = true;
      where += (where.empty() ? "n=" : ", n=") + std::to_string(p.param.value_or(0));
    }
    if (!where.empty()) {
      d.status = KeyStatus::regressed;
      d.note = "grows with n (" + format_ratio(*d.trend) + " per doubling), above " + threshold +
               " at " + where;
    }
  }
  if (d.status == KeyStatus::regressed) return;
  auto within_floor = [&](double bound) {
    return std::fabs(bound - 1) * base_median <= rule.min_delta_ns;
  };
  if (covers && (d.ratio.hi <= up || within_floor(d.ratio.hi))) {
    const bool faster =
        d.ratio.hi < 1 && d.ratio.estimate < 1 / up && !within_floor(d.ratio.estimate);
    d.status = faster ? KeyStatus::improved : KeyStatus::unchanged;
    d.note = (faster ? "below -" : "within ") + threshold;
  } else {
    // Straddling: more samples would tell; on the last look, the answer is that none came.
    d.settled = false;
    d.status = KeyStatus::inconclusive;
    d.note = "straddles " + threshold;
    if (!covers) d.note += " (too few samples for the interval's level)";
    // Unless the spread between recorded runs alone keeps it straddling: more samples of this
    // run narrow only the rest of the interval, so neither a regression (its bottom above 1)
    // nor unchanged (its top within the threshold) can be reached. No more looks then.
    const double est = std::log(d.ratio.estimate), h = d.run_spread_half;
    if (covers && h > 0 && est - h <= 0 && est + h > std::log(up)) {
      d.settled = true;
      d.note += "; the spread between runs alone leaves ±";
      append_percent(d.note, std::exp(h) - 1, true);
      d.note += ": more samples of this run cannot settle it";
    }
  }
  if (d.grows) d.note += "; grows with n: " + format_ratio(*d.trend) + " per doubling";
}

}  // namespace

TimeDecision decide_time(const TimeEvidence& e, const DecisionRule& rule) {
  TimeDecision d;
  std::vector<std::vector<double>> pairs(e.params.size());
  for (std::size_t i = 0; i < e.params.size(); ++i) {
    pairs[i] = pair_logs(e.params[i]);
    d.pairs += pairs[i].size();
  }
  d.paired = d.pairs > 0;
  const double level = level_of(rule);
  d.confidence = level;
  std::vector<double> all_base;  // for the absolute floor
  for (const ParamTimes& p : e.params) {
    all_base.insert(all_base.end(), p.baseline.begin(), p.baseline.end());
    d.n_baseline += p.baseline.size();
    d.n_current += p.current.size();
  }
  if (all_base.empty() || d.n_current == 0) {
    d.status = KeyStatus::not_comparable;
    d.note = "no time samples on both sides";
    return d;
  }
  const bool covers =
      d.paired ? paired_effect(e, pairs, level, d) : unpaired_effect(e, rule, level, d);
  classify(e, rule, covers, median(all_base), d);
  if (!d.paired && d.baseline_runs == 1) {
    if (rule.run_spread > 0) {
      d.note += "; baseline of 1 run: a spread between runs of ";
      append_percent(d.note, rule.run_spread, true);
      d.note += " assumed (record more runs)";
    } else {
      d.note += "; baseline of 1 run: no spread between runs assumed (--run-spread 0)";
    }
  }
  return d;
}

}  // namespace benchgate
