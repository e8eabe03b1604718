// Baseline vs current: per-key, per-metric statuses.
#include "compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <sstream>

#include "benchgate/core/stats.hpp"

namespace benchgate {
namespace {

// "+12.3%", appended; skip_first drops its first character (the sign). What
// `std::fixed << std::setprecision(1)` prints, as printf's "%.1f" would (exactly rounded), but
// through std::to_chars: no stream, no locale and no string per call.
void append_percent(std::string& out, double fraction, bool skip_first = false) {
  char buf[400];  // 309 integer digits of the largest double, a sign, a fraction
  char* p = buf;
  if (fraction >= 0) *p++ = '+';
  p = std::to_chars(p, buf + sizeof buf - 1, fraction * 100, std::chars_format::fixed, 1).ptr;
  *p++ = '%';
  const char* start = skip_first ? buf + 1 : buf;
  out.append(start, static_cast<std::size_t>(p - start));
}

std::string percent(double fraction) {
  std::string s;
  append_percent(s, fraction);
  return s;
}

// Median, relative change and n for both sides; status left to the caller. Returns false
// (with the result marked not comparable) when either side did not measure the metric.
bool fill_common(MetricResult& r, const Samples& base, const Samples& cur) {
  r.n_baseline = base.values.size();
  r.n_current = cur.values.size();
  if (!base.measured() || !cur.measured()) {
    r.status = KeyStatus::not_comparable;
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

const char* to_string(KeyStatus v) {
  switch (v) {
    case KeyStatus::regressed: return "regressed";
    case KeyStatus::broken: return "broken";
    case KeyStatus::missing: return "missing";
    case KeyStatus::new_key: return "new";
    case KeyStatus::improved: return "improved";
    case KeyStatus::not_comparable: return "not_comparable";
    case KeyStatus::unchanged: return "unchanged";
  }
  return "unchanged";
}

const std::string& note_of(const MetricResult& m) {
  static const std::string alloc_not_gated = "not gated (no --alloc-threshold)";
  static const std::string instructions_not_counted = "not counted on both sides (n/a)";
  if (!m.note.empty()) return m.note;
  switch (m.stock) {
    case StockNote::alloc_not_gated: return alloc_not_gated;
    case StockNote::instructions_not_counted: return instructions_not_counted;
    case StockNote::none: break;
  }
  return m.note;
}

std::size_t Report::count(KeyStatus v) const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [&](const KeyResult& r) { return r.status == v; }));
}

std::size_t Report::failing() const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const KeyResult& r) { return r.failing; }));
}

MetricResult decide_effect(const Samples& base, const Samples& cur, double threshold,
                           double min_delta) {
  MetricResult r;
  if (!fill_common(r, base, cur)) return r;
  const double delta = *r.current - *r.baseline;
  if (*r.change > threshold && delta > min_delta)
    r.status = KeyStatus::regressed;
  else if (*r.change < -threshold && -delta > min_delta)
    r.status = KeyStatus::improved;
  else
    r.status = KeyStatus::unchanged;
  // "median +1.2% vs threshold ±10.0%"
  r.note.reserve(48);
  r.note = "median ";
  append_percent(r.note, *r.change);
  r.note += " vs threshold ±";
  append_percent(r.note, threshold, true);
  return r;
}

MetricResult decide_time(const Samples& base, const Samples& cur, double threshold,
                         double min_delta, double alpha) {
  MetricResult r = decide_effect(base, cur, threshold, min_delta);
  if (r.status != KeyStatus::regressed && r.status != KeyStatus::improved) return r;
  const bool slower = r.status == KeyStatus::regressed;
  // The fastest batch must move too. Contention on a shared machine only ever slows a batch
  // down, and on this project's CI machine it comes in modes (memory-bound batches measured 2x
  // apart within seconds; docs/lab/2026-11-28-ci-noise.md), so a side's fastest batch is its best
  // view of the uncontended speed. A real slowdown moves every batch, the fastest included; a side
  // that caught the machine in a slow mode for most of its batches does not move its minimum.
  const double base_min = *std::min_element(base.values.begin(), base.values.end());
  const double cur_min = *std::min_element(cur.values.begin(), cur.values.end());
  const double min_change = base_min > 0  ? (cur_min - base_min) / base_min
                            : cur_min > 0 ? std::numeric_limits<double>::infinity()
                                          : 0.0;
  const bool min_agrees = slower ? min_change > threshold && cur_min - base_min > min_delta
                                 : min_change < -threshold && base_min - cur_min > min_delta;
  if (!min_agrees) {
    r.status = KeyStatus::unchanged;
    r.note = "median ";
    append_percent(r.note, *r.change);
    r.note += " but fastest batch ";
    append_percent(r.note, min_change);
    r.note += ": within machine noise";
    return r;
  }
  const std::size_t n = base.values.size(), m = cur.values.size();
  if (smallest_p_value(n, m) > alpha) {
    // Too few samples for the test to ever reach alpha: the effect alone decides.
    std::ostringstream s;
    s << "effect only: " << n << " vs " << m << " samples cannot reach alpha=" << alpha
      << " in a U test (more --outer-trials would allow one)";
    r.note = s.str();
    return r;
  }
  const UTest t = r.status == KeyStatus::regressed ? mann_whitney_greater(base.values, cur.values)
                                                   : mann_whitney_greater(cur.values, base.values);
  r.p_value = t.p_value;
  std::ostringstream s;
  s << "U test p=" << t.p_value << (t.p_value <= alpha ? " <= " : " > ") << "alpha=" << alpha
    << " (" << n << " vs " << m << " samples)";
  r.note = s.str();
  if (t.p_value > alpha) {  // an effect the data cannot support: noise until shown otherwise
    r.status = KeyStatus::unchanged;
    r.note += ": not significant";
  }
  return r;
}

namespace {

std::optional<std::string> env_mismatch(const Env* a, const Env* b) {
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
  if (differs(a->build_type, b->build_type))
    return quote("build_type", *a->build_type, *b->build_type);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> env_mismatch(const std::optional<Env>& a, const std::optional<Env>& b) {
  return env_mismatch(a ? &*a : nullptr, b ? &*b : nullptr);
}

namespace {

KeyStatus key_status(const KeyResult& r) {
  for (KeyStatus v : {KeyStatus::regressed, KeyStatus::improved, KeyStatus::unchanged}) {
    for (const MetricResult* m : {&r.time, &r.rss, &r.alloc, &r.instructions}) {
      if (m->status == v) return v;
    }
  }
  return KeyStatus::not_comparable;
}

void settle(KeyResult& r, const CompareOptions& o) {
  r.failing = r.status == KeyStatus::regressed || r.status == KeyStatus::broken ||
              (r.status == KeyStatus::missing && o.fail_on_missing) ||
              (r.hash_changed && o.fail_on_hash_change);
}

// Failing first, then by status, then by key. The order is computed on indexes and then applied in
// place, so sorting never holds a second copy of (half) the results. Results already in key order
// (as compare() builds them) only need a stable sort on the first two, by counting.
void sort_results(Report& report, bool in_key_order) {
  auto& results = report.results;
  std::vector<std::size_t> order(results.size());
  constexpr std::size_t kStatuses = static_cast<std::size_t>(KeyStatus::unchanged) + 1;
  auto bucket = [](const KeyResult& r) {
    return (r.failing ? 0 : kStatuses) + static_cast<std::size_t>(r.status);
  };
  if (in_key_order) {
    std::vector<std::size_t> start(2 * kStatuses + 1, 0);
    for (const auto& r : results) ++start[bucket(r) + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    for (std::size_t i = 0; i < results.size(); ++i) order[start[bucket(results[i])]++] = i;
  } else {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
      const KeyResult& a = results[i];
      const KeyResult& b = results[j];
      if (a.failing != b.failing) return a.failing;
      if (a.status != b.status) return a.status < b.status;
      return a.key < b.key;
    });
  }
  // Position i takes results[order[i]]: follow each cycle of the permutation with one spare.
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (order[i] == i) continue;
    KeyResult spare = std::move(results[i]);
    std::size_t j = i;
    for (;;) {
      const std::size_t from = order[j];
      order[j] = j;
      if (from == i) {
        results[j] = std::move(spare);
        break;
      }
      results[j] = std::move(results[from]);
      j = from;
    }
  }
}

// How a side's eligible rows ran: all natively, all under Callgrind, or some of each.
enum class MeasuredAs { natively, callgrind, partly_callgrind };

// As the notes say it: "baseline measured natively, current under Callgrind".
const char* phrase(MeasuredAs m) {
  switch (m) {
    case MeasuredAs::natively: return "natively";
    case MeasuredAs::callgrind: return "under Callgrind";
    case MeasuredAs::partly_callgrind: return "partly under Callgrind";
  }
  return "natively";
}

MeasuredAs measured_as(const Side& s) {
  if (s.callgrind_samples == 0) return MeasuredAs::natively;
  return s.callgrind_samples == s.time.values.size() + s.time.missing
             ? MeasuredAs::callgrind
             : MeasuredAs::partly_callgrind;
}

// One key, into a fresh result `r`: `base` or `cur` is null for a key on one side only; the envs
// are the sides' envs.
void compare_key(KeyResult& r, Key key, const Side* base, const Env* base_env, const Side* cur,
                 const Env* cur_env, const CompareOptions& o) {
  r.key = std::move(key);
  if (!base) {
    r.status = KeyStatus::new_key;
    r.note = "no baseline row";
    return;
  }
  if (!cur) {
    r.status = KeyStatus::missing;
    r.note = "in the baseline only";
    return;
  }
  r.baseline_hash = base->hash;
  r.current_hash = cur->hash;
  r.hash_changed = base->hash && cur->hash && *base->hash != *cur->hash;
  if (base->ok_rows > 0 && cur->ok_rows == 0) {
    r.status = KeyStatus::broken;
    r.note = "no ok row now: " + cur->first_error.value_or("no rows");
    return;
  }
  if (base->ok_rows == 0) {
    r.status = KeyStatus::not_comparable;
    r.note = "the baseline has no ok row";
    return;
  }
  r.time = decide_time(base->time, cur->time, o.time_threshold, o.min_time_delta_ns, o.alpha);
  if (!o.ignore_env) {
    if (auto why = env_mismatch(base_env, cur_env)) {
      r.time.status = KeyStatus::not_comparable;
      r.time.p_value.reset();
      r.time.note = *why + "; pass --ignore-env to compare times anyway";
    }
  }
  r.rss = decide_effect(base->rss_kb, cur->rss_kb, o.rss_threshold, o.min_rss_delta_kb);
  r.instructions =
      decide_effect(base->instructions, cur->instructions, o.instructions_threshold, 0);
  if (!base->instructions.measured() || !cur->instructions.measured()) {
    r.instructions.status = KeyStatus::not_comparable;
    r.instructions.note.clear();
    r.instructions.stock = StockNote::instructions_not_counted;
  } else if (!o.ignore_env) {
    if (auto why = env_mismatch(base_env, cur_env)) {
      r.instructions.status = KeyStatus::not_comparable;
      r.instructions.note = *why + "; pass --ignore-env to compare instructions anyway";
    }
  }
  // Rows measured under Callgrind describe the emulation in time and RSS: they are compared only
  // with rows measured under Callgrind, and then only in instructions (and allocations).
  const MeasuredAs base_as = measured_as(*base), cur_as = measured_as(*cur);
  if (base_as != cur_as || base_as == MeasuredAs::partly_callgrind) {
    const std::string why = std::string("baseline measured ") + phrase(base_as) + ", current " +
                            phrase(cur_as) + ": only rows measured alike are compared";
    for (MetricResult* m : {&r.time, &r.rss, &r.instructions}) {
      m->status = KeyStatus::not_comparable;
      m->p_value.reset();
      m->note = why;
      m->stock = StockNote::none;
    }
  } else if (base_as == MeasuredAs::callgrind) {
    // One note for the key: the time is the emulation's, the RSS includes Valgrind's own.
    r.time.status = KeyStatus::not_comparable;
    r.time.p_value.reset();
    r.time.note.clear();
    r.rss.status = KeyStatus::not_comparable;
    r.rss.note.clear();
    r.note = "measured under Callgrind: gated on instructions, not time or RSS";
  }
  if (o.alloc_threshold) {
    r.alloc = decide_effect(base->alloc_bytes, cur->alloc_bytes, *o.alloc_threshold,
                            o.min_alloc_delta_bytes);
  } else {
    r.alloc.status = KeyStatus::not_comparable;
    r.alloc.note.clear();
    r.alloc.stock = StockNote::alloc_not_gated;
  }
  if (base->hash_varies || cur->hash_varies) {
    r.note += std::string(r.note.empty() ? "" : "; ") + "result_hash varies across the " +
              (base->hash_varies ? "baseline" : "current") + " rows";
  }
  r.status = key_status(r);
}

// The number of distinct keys of two sorted sequences of n and m keys: order(i, j) is <0, 0 or >0
// as the first's key i is before, equal to or after the second's key j.
template <class Order>
std::size_t union_size(std::size_t n, std::size_t m, Order order) {
  std::size_t count = 0, i = 0, j = 0;
  while (i < n || j < m) {
    ++count;
    const int which = j == m ? -1 : (i == n ? 1 : order(i, j));
    if (which <= 0) ++i;
    if (which >= 0) ++j;
  }
  return count;
}

}  // namespace

Report compare(CompactReduction&& baseline, CompactReduction&& current, const CompareOptions& o,
               Reduction* regressed_baseline) {
  baseline.sort();
  current.sort();
  const std::size_t n = baseline.size(), m = current.size();
  auto order = [&](std::size_t i, std::size_t j) {
    const KeyRef a = baseline.key(i), b = current.key(j);
    return a < b ? -1 : (b < a ? 1 : 0);
  };
  Report report;
  report.options = o;
  // Exactly as many results as keys: a vector that never grows never copies itself.
  report.results.reserve(union_size(n, m, order));
  Side base, cur;  // scratch: their vectors are reused from key to key
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    const int which = j == m ? -1 : (i == n ? 1 : order(i, j));
    KeyResult& r = report.results.emplace_back();
    if (which < 0) {
      baseline.side(i, base);
      compare_key(r, baseline.key(i).key(), &base, baseline.env(i), nullptr, nullptr, o);
      ++i;
    } else if (which > 0) {
      current.side(j, cur);
      compare_key(r, current.key(j).key(), nullptr, nullptr, &cur, current.env(j), o);
      ++j;
    } else {
      baseline.side(i, base);
      current.side(j, cur);
      compare_key(r, baseline.key(i).key(), &base, baseline.env(i), &cur, current.env(j), o);
      if (regressed_baseline && r.time.status == KeyStatus::regressed) {
        Side& kept = (*regressed_baseline)[r.key];
        kept = base;
        if (const Env* e = baseline.env(i)) kept.env = *e;
      }
      ++i;
      ++j;
    }
    settle(r, o);
    baseline.release_before(i);
    current.release_before(j);
  }
  baseline = CompactReduction();
  current = CompactReduction();
  sort_results(report, true);
  return report;
}

std::vector<Key> time_regressions(const Report& report) {
  std::vector<Key> keys;
  for (const auto& r : report.results) {
    if (r.time.status == KeyStatus::regressed) keys.push_back(r.key);
  }
  return keys;
}

void apply_confirmation(Report& report, const Reduction& baseline, const Reduction& rerun) {
  const auto& o = report.options;
  for (auto& r : report.results) {
    if (r.time.status != KeyStatus::regressed) continue;
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
    if (again.status == KeyStatus::regressed) {
      ++r.confirm_reproduced;
      r.confirm_note = "confirmed: " + s.str();
    } else {
      // The report prints confirm_note next to the time note; it is not added to it as well.
      r.confirm_note = "not confirmed: " + s.str();
      r.time.status = KeyStatus::unchanged;
      r.status = key_status(r);
      settle(r, o);
    }
  }
  sort_results(report, false);
}

}  // namespace benchgate
