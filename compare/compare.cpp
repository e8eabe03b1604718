// Baseline vs current: per-key, per-metric verdicts.
#include "compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "benchgate/core/stats.hpp"

namespace benchgate {
namespace {

std::string percent(double fraction) {
  std::ostringstream s;
  s.precision(1);
  s << std::fixed << (fraction >= 0 ? "+" : "") << fraction * 100 << "%";
  return s.str();
}

// Median, relative change and n for both sides; verdict left to the caller. Returns false
// (with the result marked not comparable) when either side did not measure the metric.
bool fill_common(MetricResult& r, const Samples& base, const Samples& cur) {
  r.n_baseline = base.values.size();
  r.n_current = cur.values.size();
  if (!base.measured() || !cur.measured()) {
    r.verdict = Verdict::not_comparable;
    const Samples& bad = !base.measured() ? base : cur;
    const char* side = !base.measured() ? "baseline" : "current";
    r.note = bad.values.empty()
                 ? std::string("not measured in the ") + side
                 : std::string("null in ") + std::to_string(bad.missing) + " of " +
                       std::to_string(bad.missing + bad.values.size()) + " " + side + " rows";
    return false;
  }
  r.baseline = median(base.values);
  r.current = median(cur.values);
  if (*r.baseline > 0) {
    r.change = (*r.current - *r.baseline) / *r.baseline;
  } else {
    // From zero: any growth is infinitely large relatively; the absolute floor still applies.
    r.change = *r.current > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return true;
}

}  // namespace

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::regressed: return "regressed";
    case Verdict::broken: return "broken";
    case Verdict::missing: return "missing";
    case Verdict::new_key: return "new";
    case Verdict::improved: return "improved";
    case Verdict::not_comparable: return "not_comparable";
    case Verdict::unchanged: return "unchanged";
  }
  return "unchanged";
}

std::size_t Report::count(Verdict v) const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [&](const KeyResult& r) { return r.verdict == v; }));
}

std::size_t Report::failing() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [](const KeyResult& r) { return r.failing; }));
}

MetricResult decide_effect(const Samples& base, const Samples& cur, double threshold,
                           double min_delta) {
  MetricResult r;
  if (!fill_common(r, base, cur)) return r;
  const double delta = *r.current - *r.baseline;
  if (*r.change > threshold && delta > min_delta) r.verdict = Verdict::regressed;
  else if (*r.change < -threshold && -delta > min_delta) r.verdict = Verdict::improved;
  else r.verdict = Verdict::unchanged;
  r.note = "median " + percent(*r.change) + " vs threshold ±" + percent(threshold).substr(1);
  return r;
}

MetricResult decide_time(const Samples& base, const Samples& cur, double threshold,
                         double min_delta, double alpha) {
  MetricResult r = decide_effect(base, cur, threshold, min_delta);
  if (r.verdict != Verdict::regressed && r.verdict != Verdict::improved) return r;
  const std::size_t n = base.values.size(), m = cur.values.size();
  if (smallest_p_value(n, m) > alpha) {
    // Too few samples for the test to ever reach alpha: the effect alone decides.
    std::ostringstream s;
    s << "effect only: " << n << " vs " << m << " samples cannot reach alpha=" << alpha
      << " in a U test (more --outer-trials would allow one)";
    r.note = s.str();
    return r;
  }
  const UTest t = r.verdict == Verdict::regressed ? mann_whitney_greater(base.values, cur.values)
                                                  : mann_whitney_greater(cur.values, base.values);
  r.p_value = t.p_value;
  std::ostringstream s;
  s << "U test p=" << t.p_value << (t.p_value <= alpha ? " <= " : " > ") << "alpha=" << alpha
    << " (" << n << " vs " << m << " samples)";
  r.note = s.str();
  if (t.p_value > alpha) {  // an effect the data cannot support: noise until shown otherwise
    r.verdict = Verdict::unchanged;
    r.note += ": not significant";
  }
  return r;
}

std::optional<std::string> env_mismatch(const std::optional<Env>& a, const std::optional<Env>& b) {
  if (!a || !b) return std::nullopt;
  auto differs = [](const std::optional<std::string>& x, const std::optional<std::string>& y) {
    return x && y && *x != *y;
  };
  auto major = [](const std::optional<std::string>& v) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    const auto start = v->find_first_of("0123456789");
    if (start == std::string::npos) return *v;
    const auto end = v->find_first_not_of("0123456789", start);
    return v->substr(start, end == std::string::npos ? std::string::npos : end - start);
  };
  auto quote = [](const char* field, const std::string& x, const std::string& y) {
    return std::string(field) + " differs: '" + x + "' vs '" + y + "'";
  };
  if (differs(a->cpu_model, b->cpu_model)) return quote("cpu_model", *a->cpu_model, *b->cpu_model);
  if (differs(a->compiler, b->compiler)) return quote("compiler", *a->compiler, *b->compiler);
  const auto ma = major(a->compiler_version), mb = major(b->compiler_version);
  if (differs(ma, mb)) return quote("compiler major version", *ma, *mb);
  if (differs(a->build_type, b->build_type)) return quote("build_type", *a->build_type, *b->build_type);
  return std::nullopt;
}

namespace {

Verdict key_verdict(const KeyResult& r) {
  for (Verdict v : {Verdict::regressed, Verdict::improved, Verdict::unchanged}) {
    for (const MetricResult* m : {&r.time, &r.rss, &r.alloc}) {
      if (m->verdict == v) return v;
    }
  }
  return Verdict::not_comparable;
}

void settle(KeyResult& r, const CompareOptions& o) {
  r.failing = r.verdict == Verdict::regressed || r.verdict == Verdict::broken ||
              (r.verdict == Verdict::missing && o.fail_on_missing) ||
              (r.hash_changed && o.fail_on_hash_change);
}

void sort_results(Report& report) {
  std::stable_sort(report.results.begin(), report.results.end(),
                   [](const KeyResult& a, const KeyResult& b) {
                     if (a.failing != b.failing) return a.failing;
                     if (a.verdict != b.verdict) return a.verdict < b.verdict;
                     return a.key < b.key;
                   });
}

KeyResult compare_key(const Key& key, const Side* base, const Side* cur, const CompareOptions& o) {
  KeyResult r;
  r.key = key;
  if (!base) {
    r.verdict = Verdict::new_key;
    r.note = "no baseline row";
    return r;
  }
  if (!cur) {
    r.verdict = Verdict::missing;
    r.note = "in the baseline only";
    return r;
  }
  r.baseline_hash = base->hash;
  r.current_hash = cur->hash;
  r.hash_changed = base->hash && cur->hash && *base->hash != *cur->hash;
  if (base->ok_rows > 0 && cur->ok_rows == 0) {
    r.verdict = Verdict::broken;
    r.note = "no ok row now: " + cur->first_error.value_or("no rows");
    return r;
  }
  if (base->ok_rows == 0) {
    r.verdict = Verdict::not_comparable;
    r.note = "the baseline has no ok row";
    return r;
  }
  r.time = decide_time(base->time, cur->time, o.time_threshold, o.min_time_delta_ns, o.alpha);
  if (!o.ignore_env) {
    if (auto why = env_mismatch(base->env, cur->env)) {
      r.time.verdict = Verdict::not_comparable;
      r.time.p_value.reset();
      r.time.note = *why + "; pass --ignore-env to compare times anyway";
    }
  }
  r.rss = decide_effect(base->rss_kb, cur->rss_kb, o.rss_threshold, o.min_rss_delta_kb);
  if (o.alloc_threshold) {
    r.alloc = decide_effect(base->alloc_bytes, cur->alloc_bytes, *o.alloc_threshold,
                            o.min_alloc_delta_bytes);
  } else {
    r.alloc.verdict = Verdict::not_comparable;
    r.alloc.note = "not gated (no --alloc-threshold)";
  }
  if (base->hash_varies || cur->hash_varies) {
    r.note = std::string("result_hash varies across the ") +
             (base->hash_varies ? "baseline" : "current") + " rows";
  }
  r.verdict = key_verdict(r);
  return r;
}

}  // namespace

Report compare(const Reduction& baseline, const Reduction& current, const CompareOptions& o) {
  Report report;
  report.options = o;
  auto b = baseline.begin();
  auto c = current.begin();
  // Both maps are sorted by key: one merge pass.
  while (b != baseline.end() || c != current.end()) {
    if (c == current.end() || (b != baseline.end() && b->first < c->first)) {
      report.results.push_back(compare_key(b->first, &b->second, nullptr, o));
      ++b;
    } else if (b == baseline.end() || c->first < b->first) {
      report.results.push_back(compare_key(c->first, nullptr, &c->second, o));
      ++c;
    } else {
      report.results.push_back(compare_key(b->first, &b->second, &c->second, o));
      ++b;
      ++c;
    }
    settle(report.results.back(), o);
  }
  sort_results(report);
  return report;
}

std::vector<Key> time_regressions(const Report& report) {
  std::vector<Key> keys;
  for (const auto& r : report.results) {
    if (r.time.verdict == Verdict::regressed) keys.push_back(r.key);
  }
  return keys;
}

void apply_confirmation(Report& report, const Reduction& baseline, const Reduction& rerun) {
  const auto& o = report.options;
  for (auto& r : report.results) {
    if (r.time.verdict != Verdict::regressed) continue;
    ++r.confirm_runs;
    const auto b = baseline.find(r.key);
    const auto n = rerun.find(r.key);
    if (b == baseline.end() || n == rerun.end() || !n->second.time.measured()) {
      // A rerun that measured nothing confirms nothing and refutes nothing: never a pass.
      r.confirm_note = "the rerun produced no time sample for this key; the regression stands";
      ++r.confirm_reproduced;
      continue;
    }
    const MetricResult again =
        decide_time(b->second.time, n->second.time, o.time_threshold, o.min_time_delta_ns, o.alpha);
    std::ostringstream s;
    s << "rerun " << r.confirm_runs << ": median "
      << (again.change ? percent(*again.change) : std::string("n/a")) << " (" << again.note << ")";
    if (again.verdict == Verdict::regressed) {
      ++r.confirm_reproduced;
      r.confirm_note = "confirmed: " + s.str();
    } else {
      r.confirm_note = "not confirmed: " + s.str();
      r.time.verdict = Verdict::unchanged;
      r.time.note += "; " + r.confirm_note;
      r.verdict = key_verdict(r);
      settle(r, o);
    }
  }
  sort_results(report);
}

}  // namespace benchgate
