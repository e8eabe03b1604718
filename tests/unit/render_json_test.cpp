// Tests compare/render.hpp's render_json byte for byte against the renderer it replaced (kept here
// as the reference: rapidjson::PrettyWriter through an OStreamWrapper), on reports with every kind
// of value: awkward strings, extreme and infinite numbers, empty and large result lists, and a
// report PrettyWriter refuses (NaN threshold), where both must write the same text and throw.
#include <doctest/doctest.h>
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "benchgate/core/row_json.hpp"
#include "compare.hpp"
#include "keyed_rows.hpp"
#include "outcome.hpp"
#include "printers.hpp"
#include "render.hpp"

namespace {

using namespace benchgate;

// ---- the reference: render_json as it was before issue #3 ----------------------------------

namespace reference {

using Json = rapidjson::PrettyWriter<rapidjson::OStreamWrapper>;

void check(bool ok) {
  if (!ok) throw std::runtime_error("cannot write the comparison as JSON");
}
void str(Json& w, const std::string& s) {
  check(w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
}
void opt_num(Json& w, const std::optional<double>& v) {
  check(v && std::isfinite(*v) ? w.Double(*v) : w.Null());
}

void metric(Json& w, const char* name, const MetricResult& m) {
  check(w.Key(name));
  check(w.StartObject());
  check(w.Key("status"));
  str(w, to_string(m.status));
  check(w.Key("baseline_median"));
  opt_num(w, m.baseline);
  check(w.Key("current_median"));
  opt_num(w, m.current);
  check(w.Key("change"));
  opt_num(w, m.change);
  check(w.Key("from_zero") && w.Bool(m.change && std::isinf(*m.change)));
  check(w.Key("n_baseline") && w.Uint64(m.n_baseline));
  check(w.Key("n_current") && w.Uint64(m.n_current));
  check(w.Key("p_value"));
  opt_num(w, m.p_value);
  check(w.Key("ratio"));
  opt_num(w, m.ratio ? std::optional<double>(m.ratio->estimate) : std::nullopt);
  check(w.Key("ratio_lo"));
  opt_num(w, m.ratio ? std::optional<double>(m.ratio->lo) : std::nullopt);
  check(w.Key("ratio_hi"));
  opt_num(w, m.ratio ? std::optional<double>(m.ratio->hi) : std::nullopt);
  check(w.Key("note"));
  str(w, note_of(m));  // the stock note's text where the metric has no note of its own
  check(w.EndObject());
}

void render_json(const Report& report, std::ostream& out) {
  rapidjson::OStreamWrapper os(out);
  Json w(os);
  const auto& o = report.options;
  check(w.StartObject());
  check(w.Key("benchgate_compare_version") && w.Int(kCompareJsonVersion));
  check(w.Key("options") && w.StartObject());
  check(w.Key("time_threshold") && w.Double(o.time_threshold));
  check(w.Key("rss_threshold") && w.Double(o.rss_threshold));
  check(w.Key("alloc_threshold"));
  opt_num(w, o.alloc_threshold);
  check(w.Key("instructions_threshold") && w.Double(o.instructions_threshold));
  check(w.Key("min_time_delta_ns") && w.Double(o.min_time_delta_ns));
  check(w.Key("min_rss_delta_kb") && w.Double(o.min_rss_delta_kb));
  check(w.Key("alpha") && w.Double(o.alpha));
  check(w.Key("looks") && w.Uint64(o.looks));
  check(w.Key("run_spread") && w.Double(o.run_spread));
  check(w.Key("ignore_env") && w.Bool(o.ignore_env));
  check(w.Key("on_env_mismatch"));
  str(w, to_string(o.on_env_mismatch));
  check(w.Key("fail_on_missing") && w.Bool(o.fail_on_missing));
  check(w.Key("fail_on_hash_change") && w.Bool(o.fail_on_hash_change));
  check(w.EndObject());
  check(w.Key("summary") && w.StartObject());
  check(w.Key("keys") && w.Uint64(report.results.size()));
  check(w.Key("failing") && w.Uint64(report.failing()));
  for (KeyStatus v : {KeyStatus::regressed, KeyStatus::broken, KeyStatus::missing,
                      KeyStatus::new_key, KeyStatus::inconclusive, KeyStatus::improved,
                      KeyStatus::unchanged, KeyStatus::not_comparable}) {
    check(w.Key(to_string(v)) && w.Uint64(report.count(v)));
  }
  check(w.EndObject());
  const GateOutcome outcome = gate_outcome(report);
  check(w.Key("outcome") && w.StartObject());
  check(w.Key("result"));
  str(w, to_string(outcome.result));
  check(w.Key("exit_code") && w.Uint64(static_cast<std::uint64_t>(outcome.exit_code())));
  check(w.Key("reason"));
  str(w, outcome.reason);
  check(w.Key("warnings") && w.StartArray());
  for (const auto& warning : outcome.warnings) str(w, warning);
  check(w.EndArray());
  check(w.Key("keys_not_gated") && w.Uint64(outcome.keys_not_gated));
  check(w.Key("reproduce") && w.StartObject());
  for (const auto& [benchmark, command] : report.reproduce) {
    check(w.Key(benchmark.c_str(), static_cast<rapidjson::SizeType>(benchmark.size())));
    str(w, command);
  }
  check(w.EndObject());
  check(w.Key("accept"));
  if (report.accept.empty())
    check(w.Null());
  else
    str(w, report.accept);
  check(w.EndObject());
  check(w.Key("benchmarks") && w.StartArray());
  for (const auto& b : report.benchmarks) {
    const TimeDecision& d = b.time;
    check(w.StartObject());
    check(w.Key("suite"));
    str(w, b.id.suite);
    check(w.Key("kind"));
    str(w, to_string(b.id.kind));
    check(w.Key("function"));
    str(w, b.id.function);
    check(w.Key("cache_mode"));
    check(b.id.cache_mode ? w.String(to_string(*b.id.cache_mode)) : w.Null());
    check(w.Key("status"));
    str(w, to_string(d.status));
    check(w.Key("failing") && w.Bool(b.failing));
    check(w.Key("paired") && w.Bool(d.paired));
    check(w.Key("ratio") && w.Double(d.ratio.estimate));
    check(w.Key("ratio_lo") && w.Double(d.ratio.lo));
    check(w.Key("ratio_hi") && w.Double(d.ratio.hi));
    check(w.Key("confidence") && w.Double(d.confidence));
    check(w.Key("p_value"));
    opt_num(w, d.p_value);
    check(w.Key("pairs") && w.Uint64(d.pairs));
    check(w.Key("n_baseline") && w.Uint64(d.n_baseline));
    check(w.Key("n_current") && w.Uint64(d.n_current));
    check(w.Key("baseline_runs") && w.Uint64(d.baseline_runs));
    check(w.Key("looks") && w.Uint64(b.looks));
    check(w.Key("settled") && w.Bool(d.settled));
    check(w.Key("trend_per_doubling"));
    if (d.trend) {
      check(w.StartObject());
      check(w.Key("ratio") && w.Double(d.trend->estimate));
      check(w.Key("lo") && w.Double(d.trend->lo));
      check(w.Key("hi") && w.Double(d.trend->hi));
      check(w.EndObject());
    } else {
      check(w.Null());
    }
    check(w.Key("grows_with_n") && w.Bool(d.grows));
    check(w.Key("params") && w.StartArray());
    for (const ParamEffect& p : d.params) {
      check(w.StartObject());
      check(w.Key("param"));
      check(p.param ? w.Uint64(*p.param) : w.Null());
      check(w.Key("ratio") && w.Double(p.ratio.estimate));
      check(w.Key("ratio_lo") && w.Double(p.ratio.lo));
      check(w.Key("ratio_hi") && w.Double(p.ratio.hi));
      check(w.Key("n") && w.Uint64(p.n));
      check(w.Key("decisive") && w.Bool(p.decisive));
      check(w.EndObject());
    }
    check(w.EndArray());
    check(w.Key("note"));
    str(w, d.note);
    check(w.EndObject());
  }
  check(w.EndArray());
  check(w.Key("results") && w.StartArray());
  for (const auto& r : report.results) {
    check(w.StartObject());
    check(w.Key("suite"));
    str(w, r.key.suite);
    check(w.Key("kind"));
    str(w, to_string(r.key.kind));
    check(w.Key("function"));
    str(w, r.key.function);
    check(w.Key("param"));
    check(r.key.param ? w.Uint64(*r.key.param) : w.Null());
    check(w.Key("cache_mode"));
    check(r.key.cache_mode ? w.String(to_string(*r.key.cache_mode)) : w.Null());
    check(w.Key("status"));
    str(w, to_string(r.status));
    check(w.Key("failing") && w.Bool(r.failing));
    metric(w, "time", r.time);
    metric(w, "rss", r.rss);
    metric(w, "alloc", r.alloc);
    metric(w, "instructions", r.instructions);
    check(w.Key("baseline_hash"));
    check(r.baseline_hash ? w.String(format_hash(*r.baseline_hash).c_str()) : w.Null());
    check(w.Key("current_hash"));
    check(r.current_hash ? w.String(format_hash(*r.current_hash).c_str()) : w.Null());
    check(w.Key("hash_changed") && w.Bool(r.hash_changed));
    check(w.Key("note"));
    str(w, r.note);
    check(w.Key("counters"));
    check(w.StartObject());
    for (const CounterResult& c : r.counters) {
      str(w, c.name);
      check(w.StartObject());
      check(w.Key("baseline_median"));
      opt_num(w, c.baseline);
      check(w.Key("current_median"));
      opt_num(w, c.current);
      check(w.EndObject());
    }
    check(w.EndObject());
    check(w.EndObject());
  }
  check(w.EndArray());
  check(w.EndObject());
  out << "\n";
}

}  // namespace reference

// ---- reports ---------------------------------------------------------------------------------

const std::vector<std::string>& awkward() {
  static const std::vector<std::string> s{"",
                                          "suite",
                                          "quote \" backslash \\ slash /",
                                          "control \x01\x1f\b\f\n\r\t",
                                          std::string("nul\0inside", 10),
                                          "UTF-8 µs × 日本 🙂",
                                          "\x7f\xff"};
  return s;
}

std::optional<double> any_number(std::mt19937_64& rng) {
  static const std::vector<double> values{0.0,
                                          -0.0,
                                          1.0,
                                          0.1,
                                          -0.25,
                                          1.0 / 3.0,
                                          664.1589126586914,
                                          1e21,
                                          1e-7,
                                          5e-324,
                                          std::numeric_limits<double>::max(),
                                          -std::numeric_limits<double>::max(),
                                          std::numeric_limits<double>::infinity(),
                                          -std::numeric_limits<double>::infinity(),
                                          std::numeric_limits<double>::quiet_NaN()};
  if (rng() % 4 == 0) return std::nullopt;
  return values[rng() % values.size()];
}

// A ratio with finite values (every writer refuses a NaN or infinite ratio alike).
EffectRatio any_ratio(std::mt19937_64& rng) {
  static const std::vector<double> values{1.0,  0.5,    1.0 / 3.0,        1e21,
                                          1e-7, 5e-324, 664.1589126586914};
  return EffectRatio{values[rng() % values.size()], values[rng() % values.size()],
                     values[rng() % values.size()]};
}

MetricResult any_metric(std::mt19937_64& rng) {
  MetricResult m;
  m.status = static_cast<KeyStatus>(rng() % 8);
  if (rng() % 2 == 0) m.ratio = any_ratio(rng);
  m.baseline = any_number(rng);
  m.current = any_number(rng);
  m.change = any_number(rng);
  m.p_value = any_number(rng);
  m.n_baseline = rng() % 3 == 0 ? std::numeric_limits<std::size_t>::max() : rng() % 100;
  m.n_current = rng() % 100;
  m.note = awkward()[rng() % awkward().size()];
  return m;
}

Report any_report(std::mt19937_64& rng, std::size_t results) {
  Report report;
  for (std::size_t i = 0; i < results; ++i) {
    KeyResult r;
    r.key.suite = awkward()[rng() % awkward().size()];
    r.key.kind = rng() % 2 == 0 ? RowKind::parametric : RowKind::fixed;
    r.key.function = awkward()[rng() % awkward().size()];
    if (rng() % 2 == 0) r.key.param = rng();
    if (rng() % 3 != 0) r.key.cache_mode = rng() % 2 == 0 ? CacheMode::warm : CacheMode::cold;
    r.status = static_cast<KeyStatus>(rng() % 8);
    r.failing = rng() % 2 == 0;
    r.time = any_metric(rng);
    r.rss = any_metric(rng);
    r.alloc = any_metric(rng);
    r.instructions = any_metric(rng);
    if (rng() % 2 == 0) r.baseline_hash = rng();
    if (rng() % 2 == 0) r.current_hash = rng() % 3 == 0 ? 0 : rng();
    r.hash_changed = rng() % 2 == 0;
    r.env_differs = rng() % 4 == 0;
    r.note = awkward()[rng() % awkward().size()];
    for (std::size_t c = rng() % 3; c > 0; --c) {
      CounterResult counter;
      counter.name = awkward()[rng() % awkward().size()];
      if (rng() % 3 != 0) counter.baseline = static_cast<double>(rng() % 1000) / 7;
      if (rng() % 3 != 0) counter.current = static_cast<double>(rng() % 1000) * 1e9;
      r.counters.push_back(counter);
    }
    report.results.push_back(r);
  }
  for (std::size_t i = 0; i < results % 4; ++i) {
    BenchmarkResult b;
    b.id = report.results[i].key;
    b.id.param.reset();
    b.time.status = static_cast<KeyStatus>(rng() % 8);
    b.failing = rng() % 2 == 0;
    b.time.paired = rng() % 2 == 0;
    b.time.ratio = any_ratio(rng);
    b.time.confidence = 0.99;
    b.time.p_value = any_number(rng);
    b.time.pairs = rng() % 100;
    b.time.n_baseline = rng() % 100;
    b.time.n_current = rng() % 100;
    b.time.baseline_runs = rng() % 4;
    b.looks = 1 + rng() % 3;
    b.time.settled = rng() % 2 == 0;
    if (rng() % 2 == 0) b.time.trend = any_ratio(rng);
    b.time.grows = rng() % 2 == 0;
    for (std::size_t k = rng() % 3; k > 0; --k) {
      ParamEffect p;
      if (rng() % 3 != 0) p.param = rng();
      p.ratio = any_ratio(rng);
      p.n = rng() % 50;
      p.decisive = rng() % 2 == 0;
      b.time.params.push_back(p);
    }
    b.time.note = awkward()[rng() % awkward().size()];
    report.benchmarks.push_back(b);
  }
  report.options.time_threshold = 0.1;
  report.options.rss_threshold = rng() % 2 == 0 ? 0.05 : 12.5;
  if (rng() % 2 == 0) report.options.alloc_threshold = any_number(rng);
  report.options.min_time_delta_ns = rng() % 2 == 0 ? 0.0 : 250.5;
  report.options.min_rss_delta_kb = 1e-9;
  report.options.alpha = 0.01;
  report.options.ignore_env = rng() % 2 == 0;
  report.options.fail_on_missing = rng() % 2 == 0;
  report.options.fail_on_hash_change = rng() % 2 == 0;
  report.options.on_env_mismatch = static_cast<OnEnvMismatch>(rng() % 3);
  for (std::size_t k = rng() % 3; k > 0; --k) {
    report.reproduce[awkward()[rng() % awkward().size()]] = awkward()[rng() % awkward().size()];
  }
  if (rng() % 2 == 0) report.accept = awkward()[rng() % awkward().size()];
  return report;
}

// The text each renderer wrote, and whether it threw.
struct Output {
  std::string text;
  bool threw = false;
};

template <class Render>
Output run(Render render, const Report& report) {
  Output o;
  std::ostringstream out;
  try {
    render(report, out);
  } catch (const std::runtime_error&) {
    o.threw = true;
  }
  o.text = out.str();
  return o;
}

void check_same_json(const Report& report) {
  const Output expected = run(reference::render_json, report);
  const Output actual = run(render_json, report);
  CHECK(actual.threw == expected.threw);
  CHECK(actual.text == expected.text);
}

}  // namespace

TEST_CASE("render_json: writes what PrettyWriter writes, for every kind of value") {
  std::mt19937_64 rng(11);
  for (std::size_t n : {0, 1, 2, 3, 10, 50}) {
    for (int round = 0; round < 20; ++round) check_same_json(any_report(rng, n));
  }
}

TEST_CASE("render_json: a report larger than one output block is written whole") {
  std::mt19937_64 rng(12);
  const Report report = any_report(rng, 3000);  // about 5 MB of JSON
  check_same_json(report);
}

TEST_CASE("render_json: a number PrettyWriter refuses writes the same text and throws") {
  std::mt19937_64 rng(13);
  for (double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    for (int field = 0; field < 5; ++field) {
      Report report = any_report(rng, 3);
      double* target[] = {&report.options.time_threshold, &report.options.rss_threshold,
                          &report.options.min_time_delta_ns, &report.options.min_rss_delta_kb,
                          &report.options.alpha};
      *target[field] = bad;
      const Output actual = run(render_json, report);
      CHECK(actual.threw);
      check_same_json(report);
    }
  }
}

TEST_CASE("render_json: a report from compare renders as PrettyWriter renders it") {
  test::KeyedRows b, c;
  for (int i = 0; i < 40; ++i) {
    Key k;
    k.suite = i % 3 == 0 ? "" : "suite";
    k.function = "f" + std::to_string(i);
    k.param = static_cast<std::uint64_t>(i);
    k.cache_mode = i % 2 == 0 ? CacheMode::warm : CacheMode::cold;
    test::Rows rows;
    for (double t : {100, 101, 102, 103, 104}) {
      Row r;
      r.inner_repeats = 1;
      r.per_call_nanos = t;
      r.peak_rss_kb = 1000;
      r.alloc_bytes = 0;
      r.result_hash = 0xabc;
      rows.push_back(r);
    }
    if (i % 5 != 0) b[k] = rows;
    for (Row& r : rows) {
      *r.per_call_nanos *= 1.0 + 0.1 * (i % 4);
      r.peak_rss_kb = static_cast<std::uint64_t>(1000 + 20 * i);
      if (i % 7 == 0) r.result_hash = 0xdef;
    }
    if (i % 6 != 0) c[k] = rows;
  }
  CompareOptions o = test::quiet_machine();
  o.alloc_threshold = 0.1;
  check_same_json(compare(test::reduce(b), test::reduce(c), o));
  check_same_json(compare(test::reduce(b), test::reduce(c), {}));
}
