// Baseline vs current: per-key, per-metric statuses.
#include "compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "benchgate/core/stats.hpp"

namespace benchgate {
namespace {

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
    case KeyStatus::inconclusive: return "inconclusive";
    case KeyStatus::improved: return "improved";
    case KeyStatus::not_comparable: return "not_comparable";
    case KeyStatus::unchanged: return "unchanged";
  }
  return "unchanged";
}

const char* to_string(OnEnvMismatch v) {
  switch (v) {
    case OnEnvMismatch::fail: return "fail";
    case OnEnvMismatch::skip: return "skip";
    case OnEnvMismatch::warn: return "warn";
  }
  return "skip";
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

MetricResult decide_counter(const Samples& base, const Samples& cur, const CounterGate& gate) {
  MetricResult r = decide_effect(base, cur, gate.threshold, 0);
  if (gate.higher_is_better) {
    if (r.status == KeyStatus::regressed)
      r.status = KeyStatus::improved;
    else if (r.status == KeyStatus::improved)
      r.status = KeyStatus::regressed;
  }
  if (r.baseline && r.current)
    r.note += gate.higher_is_better ? ", higher is better" : ", lower is better";
  return r;
}

namespace {

// Time's medians, change and sample counts; its status comes from the benchmark's decision
// (decide_time over every param), `unchanged` until then.
MetricResult time_summary(const Samples& base, const Samples& cur) {
  MetricResult r;
  if (fill_common(r, base, cur)) r.status = KeyStatus::unchanged;
  return r;
}

}  // namespace

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
  for (KeyStatus v :
       {KeyStatus::regressed, KeyStatus::inconclusive, KeyStatus::improved, KeyStatus::unchanged}) {
    for (const MetricResult* m : {&r.time, &r.rss, &r.alloc, &r.instructions}) {
      if (m->status == v) return v;
    }
    for (const CounterResult& c : r.counters) {
      if (c.gate && c.decision.status == v) return v;
    }
  }
  return KeyStatus::not_comparable;
}

void settle(KeyResult& r, const CompareOptions& o) {
  // --on-env-mismatch fail: the key fails as not comparable, whatever its RSS did.
  if (r.env_differs && o.on_env_mismatch == OnEnvMismatch::fail) {
    r.status = KeyStatus::not_comparable;
    r.failing = true;
    return;
  }
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

// Each counter of either side with its medians, by name.
std::vector<CounterResult> counter_medians(const Side* base, const Side* cur) {
  std::map<std::string, CounterResult> by_name;
  for (const Side* side : {base, cur}) {
    if (!side) continue;
    for (const auto& c : side->counters) {
      if (c.second.empty()) continue;
      CounterResult& out = by_name[c.first];
      out.name = c.first;
      (side == base ? out.baseline : out.current) = median(c.second);
    }
  }
  std::vector<CounterResult> out;
  out.reserve(by_name.size());
  for (auto& entry : by_name) out.push_back(std::move(entry.second));
  return out;
}

// Decides the counters that a --counter-threshold names, where both sides have rows.
void gate_counters(KeyResult& r, const Side& base, const Side& cur, const CompareOptions& o) {
  static const std::vector<double> none;
  for (const CounterGate& g : o.counter_gates) {
    auto it = std::find_if(r.counters.begin(), r.counters.end(),
                           [&](const CounterResult& c) { return c.name == g.name; });
    if (it == r.counters.end()) continue;  // neither side reports it: nothing to gate
    it->gate = g;
    const auto b = base.counters.find(g.name), c = cur.counters.find(g.name);
    Samples bs, cs;
    bs.values = b == base.counters.end() ? none : b->second;
    cs.values = c == cur.counters.end() ? none : c->second;
    it->decision = decide_counter(bs, cs, g);
  }
}

// One key, into a fresh result `r`: `base` or `cur` is null for a key on one side only; the envs
// are the sides' envs.
void compare_key(KeyResult& r, Key key, const Side* base, const Env* base_env, const Side* cur,
                 const Env* cur_env, const CompareOptions& o) {
  r.key = std::move(key);
  r.counters = counter_medians(base, cur);
  if (base) {
    r.baseline_bytes = base->bytes_per_call;
    r.baseline_items = base->items_per_call;
  }
  if (cur) {
    r.current_bytes = cur->bytes_per_call;
    r.current_items = cur->items_per_call;
  }
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
  r.time = time_summary(base->time, cur->time);
  if (!o.ignore_env) {
    if (auto why = env_mismatch(base_env, cur_env)) {
      r.env_differs = true;
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
  gate_counters(r, *base, *cur, o);
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

namespace {

DecisionRule rule_of(const CompareOptions& o) {
  DecisionRule rule;
  rule.threshold = o.time_threshold;
  rule.min_delta_ns = o.min_time_delta_ns;
  rule.alpha = o.alpha;
  rule.looks = o.looks;
  rule.run_spread = o.run_spread;
  return rule;
}

bool same_benchmark(const Key& a, const Key& b) {
  return a.suite == b.suite && a.kind == b.kind && a.function == b.function &&
         a.cache_mode == b.cache_mode;
}

// A key's time from its benchmark's decision: the status, the p-value, its own param's ratio,
// and a note with both.
void take_decision(KeyResult& r, const BenchmarkResult& b, const CompareOptions& o) {
  const TimeDecision& d = b.time;
  r.time.status = d.status;
  r.time.p_value = d.p_value;
  r.time.ratio.reset();
  r.time.note = format_ratio(d.ratio) + " from " + decided_from(d) + ": " + d.note;
  const bool localised = std::any_of(d.params.begin(), d.params.end(),
                                     [](const ParamEffect& p) { return p.decisive; });
  if (r.key.param) {
    for (const ParamEffect& p : d.params) {
      if (p.param != r.key.param) continue;
      r.time.ratio = p.ratio;
      r.time.note = "this param " + format_ratio(p.ratio) + "; benchmark " + format_ratio(d.ratio) +
                    " from " + decided_from(d) + ": " + d.note;
      // A regression that grows with n fails the params where it is beyond the threshold.
      if (localised && !p.decisive) r.time.status = KeyStatus::unchanged;
    }
  }
  r.status = key_status(r);
  settle(r, o);
}

// Decides a benchmark at its current look; its evidence is dropped when no look is left to use it.
void decide(BenchmarkResult& b, const CompareOptions& o) {
  b.time = decide_time(b.evidence, rule_of(o));
  b.failing = b.time.status == KeyStatus::regressed;
  if (b.time.settled || b.looks >= o.looks) b.evidence = TimeEvidence();
}

// The keys of one (suite, kind, function) while compare() walks them: one benchmark per cache
// mode, decided when the walk leaves the group.
class Group {
 public:
  Group(Report& report, const CompareOptions& o) : report_(report), o_(o) {}

  // The result just built at `index`, with its sides (null for a side without the key).
  void add(std::size_t index, const Side* base, const Side* cur) {
    const KeyResult& r = report_.results[index];
    if (!open_.empty() && !same_function(open_.front().id, r.key)) close();
    if (open_.empty()) first_ = index;
    if (!base || !cur || r.time.status == KeyStatus::not_comparable) return;
    Key id = r.key;
    id.param.reset();
    auto it = std::find_if(open_.begin(), open_.end(),
                           [&](const BenchmarkResult& b) { return b.id == id; });
    if (it == open_.end()) {
      open_.emplace_back().id = std::move(id);
      it = open_.end() - 1;
    }
    it->keys.push_back(r.key);
    it->evidence.add(r.key.param, base, cur);
  }

  // Decides the open benchmarks and hands each key of theirs its decision.
  void close() {
    for (BenchmarkResult& b : open_) {
      decide(b, o_);
      for (std::size_t i = first_; i < report_.results.size(); ++i) {
        KeyResult& r = report_.results[i];
        if (same_benchmark(r.key, b.id) && r.time.status != KeyStatus::not_comparable)
          take_decision(r, b, o_);
      }
      report_.benchmarks.push_back(std::move(b));
    }
    open_.clear();
  }

 private:
  static bool same_function(const Key& a, const Key& b) {
    return a.suite == b.suite && a.kind == b.kind && a.function == b.function;
  }

  Report& report_;
  const CompareOptions& o_;
  std::vector<BenchmarkResult> open_;
  std::size_t first_ = 0;
};

}  // namespace

Report compare(CompactReduction&& baseline, CompactReduction&& current, const CompareOptions& o) {
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
  Group group(report, o);
  Side base, cur;  // scratch: their vectors are reused from key to key
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    const int which = j == m ? -1 : (i == n ? 1 : order(i, j));
    KeyResult& r = report.results.emplace_back();
    const std::size_t index = report.results.size() - 1;
    if (which < 0) {
      baseline.side(i, base);
      compare_key(r, baseline.key(i).key(), &base, baseline.env(i), nullptr, nullptr, o);
      group.add(index, &base, nullptr);
      ++i;
    } else if (which > 0) {
      current.side(j, cur);
      compare_key(r, current.key(j).key(), nullptr, nullptr, &cur, current.env(j), o);
      group.add(index, nullptr, &cur);
      ++j;
    } else {
      baseline.side(i, base);
      current.side(j, cur);
      compare_key(r, baseline.key(i).key(), &base, baseline.env(i), &cur, current.env(j), o);
      group.add(index, &base, &cur);
      ++i;
      ++j;
    }
    settle(r, o);
    baseline.release_before(i);
    current.release_before(j);
  }
  group.close();
  baseline = CompactReduction();
  current = CompactReduction();
  sort_results(report, true);
  return report;
}

std::vector<std::size_t> unsettled(const Report& report) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < report.benchmarks.size(); ++i) {
    const BenchmarkResult& b = report.benchmarks[i];
    if (!b.time.settled && b.looks < report.options.looks) out.push_back(i);
  }
  return out;
}

void apply_look(Report& report, const std::vector<std::size_t>& which, const Reduction* baseline,
                const Reduction& current) {
  const CompareOptions& o = report.options;
  for (std::size_t index : which) {
    BenchmarkResult& b = report.benchmarks[index];
    ++b.looks;
    for (const Key& key : b.keys) {
      const auto cur = current.find(key);
      if (cur == current.end() || !cur->second.time.measured()) continue;
      const Side* base = nullptr;
      if (baseline) {
        const auto it = baseline->find(key);
        if (it == baseline->end() || !it->second.time.measured()) continue;
        base = &it->second;
      }
      b.evidence.add(key.param, base, &cur->second);
    }
    decide(b, o);
    for (KeyResult& r : report.results) {
      if (same_benchmark(r.key, b.id) && r.time.status != KeyStatus::not_comparable)
        take_decision(r, b, o);
    }
  }
  sort_results(report, false);
}

}  // namespace benchgate
