// Text, Markdown and JSON rendering of comparison reports.
#include "render.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "benchgate/core/format.hpp"
#include "benchgate/core/row_json.hpp"
#include "outcome.hpp"

namespace benchgate {

std::string kb(double v) {
  return format_count(static_cast<std::uint64_t>(std::llround(v))) + " kB";
}
std::string bytes(double v) {
  return format_count(static_cast<std::uint64_t>(std::llround(v))) + " B";
}

std::string instructions(double v) {
  return format_count(static_cast<std::uint64_t>(std::llround(v))) + " instr";
}

bool counts_instructions(const Report& report) {
  return std::any_of(report.results.begin(), report.results.end(), [](const KeyResult& r) {
    return r.instructions.baseline.has_value() || r.instructions.current.has_value();
  });
}

std::string metric_cell(const MetricResult& m, std::string (*unit)(double)) {
  if (!m.baseline || !m.current) return "n/a";
  return unit(*m.baseline) + " → " + unit(*m.current) + " (" + format_change(m.change) + ")";
}

std::string status_label(const KeyResult& r) {
  std::string s = to_string(r.status);
  for (auto& c : s)
    c = static_cast<char>(r.failing ? std::toupper(static_cast<unsigned char>(c)) : c);
  return s;
}

// A counter's value in three significant digits with an SI prefix: "13.4G", "8", "0.25".
std::string counter_value(const std::optional<double>& v) {
  if (!v) return "n/a";
  static constexpr std::pair<double, const char*> kPrefixes[] = {
      {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  double x = *v;
  const char* prefix = "";
  for (const auto& p : kPrefixes) {
    if (std::fabs(x) >= p.first) {
      x /= p.first;
      prefix = p.second;
      break;
    }
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.3g%s", x, prefix);
  return text;
}

// "counters: bytes_per_second 13.4G → 12.9G, items 8 → 8": medians, shown; a counter that a
// --counter-threshold names says so ("[gated]").
std::string counters_note(const std::vector<CounterResult>& counters) {
  const bool any_gated = std::any_of(counters.begin(), counters.end(),
                                     [](const CounterResult& c) { return c.gate.has_value(); });
  std::string out = any_gated ? "counters (median): " : "counters (median, not gated): ";
  for (std::size_t i = 0; i < counters.size(); ++i) {
    const CounterResult& c = counters[i];
    out += (i ? ", " : "") + c.name + " " + counter_value(c.baseline) + " → " +
           counter_value(c.current);
    if (c.gate) out += " [gated]";
  }
  return out;
}

std::string throughput_note(const KeyResult& r) {
  auto side = [](const std::optional<double>& per_call, const std::optional<double>& nanos,
                 std::string (*rate)(double, double)) {
    return per_call && nanos ? rate(*per_call, *nanos) : std::string("n/a");
  };
  std::string out = "throughput (not gated): ";
  if (r.baseline_bytes || r.current_bytes) {
    out += side(r.baseline_bytes, r.time.baseline, format_bytes_rate) + " → " +
           side(r.current_bytes, r.time.current, format_bytes_rate);
  }
  if (r.baseline_items || r.current_items) {
    if (r.baseline_bytes || r.current_bytes) out += ", ";
    out += side(r.baseline_items, r.time.baseline, format_items_rate) + " → " +
           side(r.current_items, r.time.current, format_items_rate);
  }
  return out;
}

std::string notes(const KeyResult& r, const CompareOptions& o) {
  std::vector<std::string> parts;
  if (!r.note.empty()) parts.push_back(r.note);
  // A metric within its threshold needs no explanation; everything else says how it was
  // decided, including an effect beyond the threshold that the U test did not support.
  const double time_threshold = o.time_threshold, rss_threshold = o.rss_threshold;
  const double alloc_threshold = o.alloc_threshold.value_or(0);
  for (auto [name, m, threshold] :
       {std::tuple{"time", &r.time, time_threshold}, std::tuple{"rss", &r.rss, rss_threshold},
        std::tuple{"alloc", &r.alloc, alloc_threshold},
        std::tuple{"instructions", &r.instructions, o.instructions_threshold}}) {
    const bool compared = r.status != KeyStatus::new_key && r.status != KeyStatus::missing &&
                          r.status != KeyStatus::broken && m->n_baseline + m->n_current > 0;
    const bool beyond = m->change && std::fabs(*m->change) > threshold;
    const std::string& note = note_of(*m);
    if (compared && (m->status != KeyStatus::unchanged || beyond) && !note.empty()) {
      parts.push_back(std::string(name) + ": " + note);
    }
  }
  // A gated counter that did not stay unchanged: "counter nodes_visited regressed: median +20.0%
  // vs threshold ±5.0%, lower is better".
  for (const CounterResult& c : r.counters) {
    if (!c.gate || c.decision.status == KeyStatus::unchanged) continue;
    parts.push_back("counter " + c.name + " " + to_string(c.decision.status) + ": " +
                    note_of(c.decision));
  }
  if (r.hash_changed) {
    parts.push_back("result_hash changed: " + format_hash(*r.baseline_hash) + " → " +
                    format_hash(*r.current_hash));
  }
  if (r.baseline_bytes || r.current_bytes || r.baseline_items || r.current_items)
    parts.push_back(throughput_note(r));
  if (!r.counters.empty()) parts.push_back(counters_note(r.counters));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string thresholds_line(const CompareOptions& o) {
  std::ostringstream s;
  s << "thresholds: time " << o.time_threshold * 100 << "%";
  if (o.min_time_delta_ns > 0) s << " and " << format_duration(o.min_time_delta_ns);
  s << " (per benchmark: the ratio's interval at alpha=" << o.alpha;
  if (o.looks > 1) s << " over up to " << o.looks << " looks";
  s << "), RSS " << o.rss_threshold * 100 << "%";
  if (o.min_rss_delta_kb > 0) s << " and " << o.min_rss_delta_kb << " kB";
  s << ", allocations ";
  if (o.alloc_threshold)
    s << *o.alloc_threshold * 100 << "%";
  else
    s << "not gated";
  s << ", instructions " << o.instructions_threshold * 100 << "% where counted";
  for (const CounterGate& g : o.counter_gates) {
    s << ", counter " << g.name << " " << g.threshold * 100 << "% ("
      << (g.higher_is_better ? "higher" : "lower") << " is better)";
  }
  if (o.ignore_env) s << "; environment differences ignored";
  return s.str();
}

namespace {

std::string summary_line(const Report& r) {
  std::ostringstream s;
  s << r.results.size() << " key(s): " << r.count(KeyStatus::regressed) << " regressed, "
    << r.count(KeyStatus::broken) << " broken, " << r.count(KeyStatus::missing) << " missing, "
    << r.count(KeyStatus::new_key) << " new, " << r.count(KeyStatus::inconclusive)
    << " inconclusive, " << r.count(KeyStatus::improved) << " improved, "
    << r.count(KeyStatus::unchanged) << " unchanged, " << r.count(KeyStatus::not_comparable)
    << " not comparable";
  return s.str();
}

}  // namespace

std::string format_change(const std::optional<double>& change) {
  if (!change) return "n/a";
  if (std::isinf(*change)) return "+∞";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", *change * 100);
  return buf;
}

namespace {

// The benchmarks whose time was compared, failing first, then by status.
std::vector<const BenchmarkResult*> benchmarks_in_order(const Report& report) {
  std::vector<const BenchmarkResult*> order;
  for (const auto& b : report.benchmarks) order.push_back(&b);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    if (a->failing != b->failing) return a->failing;
    return a->time.status < b->time.status;
  });
  return order;
}

}  // namespace

BenchmarkCells benchmark_cells(const BenchmarkResult& b) {
  std::string status = to_string(b.time.status);
  if (b.failing) {
    for (auto& c : status) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const TimeDecision& d = b.time;
  std::string from = decided_from(d);
  from += ", " + std::to_string(b.looks) + (b.looks == 1 ? " look" : " looks");
  if (d.status != KeyStatus::unchanged) from += ": " + d.note;
  return {status, describe(b.id), format_ratio(d.ratio), from};
}

namespace {

// "REGRESSED  sort_bench/sort.std_sort  +15.7% [+9.8%, +21.9%]  35 pairs, 1 look: above 5.0%":
// one line per benchmark whose time was compared, failing first, then its CTest measurements
// and a blank line.
void write_benchmarks(const Report& report, std::ostream& out) {
  if (report.benchmarks.empty()) return;
  const auto order = benchmarks_in_order(report);
  std::vector<BenchmarkCells> rows{kBenchmarkHeader};
  for (const BenchmarkResult* b : order) rows.push_back(benchmark_cells(*b));
  std::array<std::size_t, 3> w{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < 3; ++i) w[i] = std::max(w[i], display_width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < 3; ++i) line += pad_right(row[i], w[i]) + "  ";
    out << line << row[3] << "\n";
  }
  // The same for CTest (test measurements: a dashboard plots them across runs): the ratio, its
  // interval's bounds, and the line as text.
  for (const BenchmarkResult* b : order) {
    const std::string name = escape_markup(describe(b->id));
    for (auto [suffix, value] : {std::pair{" time ratio", b->time.ratio.estimate},
                                 std::pair{" time ratio low", b->time.ratio.lo},
                                 std::pair{" time ratio high", b->time.ratio.hi}}) {
      std::ostringstream v;
      v.precision(17);
      v << value;
      out << "<CTestMeasurement type=\"numeric/double\" name=\"" << name << suffix << "\">"
          << v.str() << "</CTestMeasurement>\n";
    }
    out << "<CTestMeasurement type=\"text/string\" name=\"" << name << " time\">"
        << escape_markup(to_string(b->time.status) + std::string(" ") +
                         format_ratio(b->time.ratio) + " from " + decided_from(b->time))
        << "</CTestMeasurement>\n";
  }
  out << "\n";
}

}  // namespace

void render_text(const Report& report, std::ostream& out) {
  // Two passes over the results, the first for the column widths, so that a report of 200,000
  // keys is never held as text (issue #3).
  using Cells = std::array<std::string, 5>;
  const Cells header{"status", "benchmark", "time per call", "peak RSS", "notes"};
  const bool counted = counts_instructions(report);
  auto cells = [&](const KeyResult& r, bool with_notes) {
    Cells row{status_label(r), describe(r.key), metric_cell(r.time, format_duration),
              metric_cell(r.rss, kb), with_notes ? notes(r, report.options) : std::string()};
    if (report.options.alloc_threshold) {
      row[3] += "; alloc " + metric_cell(r.alloc, bytes);
    }
    if (counted) row[3] += "; " + metric_cell(r.instructions, instructions);
    return row;
  };
  std::array<std::size_t, 4> w{};
  auto widen = [&](const Cells& row) {
    for (std::size_t i = 0; i < 4; ++i) w[i] = std::max(w[i], display_width(row[i]));
  };
  widen(header);
  for (const auto& r : report.results) widen(cells(r, false));
  std::string line;
  auto write = [&](const Cells& row) {
    line.clear();
    for (std::size_t i = 0; i < 4; ++i) line += pad_right(row[i], w[i]) + "  ";
    line += row[4];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    line += '\n';
    out << line;
  };
  write_benchmarks(report, out);
  write(header);
  for (const auto& r : report.results) write(cells(r, true));
  out << "\n" << summary_line(report) << "\n" << thresholds_line(report.options) << "\n";
  for (const auto& [benchmark, command] : report.reproduce) {
    out << "reproduce " << benchmark << ": " << command << "\n";
  }
  if (report.failing() && !report.accept.empty()) {
    out << "accept the new numbers: " << report.accept << "\n";
  }
  const GateOutcome outcome = gate_outcome(report);
  for (const auto& warning : outcome.warnings) out << "WARNING: " << warning << "\n";
  // A dashboard (ctest -T Test, CDash) sees what was not gated even when the test passes.
  if (outcome.keys_not_gated) {
    out << "<CTestMeasurement type=\"numeric/double\" name=\"keys not gated\">"
        << outcome.keys_not_gated << "</CTestMeasurement>\n";
  }
  out << outcome_line(outcome) << "\n";
}

std::string outcome_line(const GateOutcome& outcome) {
  switch (outcome.result) {
    case GateOutcome::Result::pass: return "PASS";
    case GateOutcome::Result::fail: return "FAIL: " + outcome.reason;
    case GateOutcome::Result::skip: return "SKIPPED: " + outcome.reason;
    case GateOutcome::Result::error: return "ERROR: " + outcome.reason;
  }
  return "PASS";
}

namespace {

// A benchmark name as a code span in a table cell. The fence is one backtick longer than the
// longest run of backticks in the name (CommonMark), padded with a space when the name starts
// or ends with one. `|` is still escaped: GFM splits table cells before it reads code spans.
std::string md_code(const std::string& s) {
  std::size_t run = 0, longest = 0;
  std::string body;
  body.reserve(s.size());
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|')
      body += "\\|";
    else if (c == '\n' || c == '\r')
      body += ' ';
    else
      body += c;
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The metrics a key is gated on, as the Markdown sections name them.
struct MdMetric {
  const char* name;
  MetricResult KeyResult::*result;
  std::string (*unit)(double);
};
const std::array<MdMetric, 4> kMdMetrics{
    {{"time per call", &KeyResult::time, format_duration},
     {"peak RSS", &KeyResult::rss, kb},
     {"instructions per call", &KeyResult::instructions, instructions},
     {"allocations per call", &KeyResult::alloc, bytes}}};

// "### ❌ benchgate: 2 regressions, 1 broken in 14 keys": every failing key counted once, by
// why it fails. A failing key that is neither regressed, broken nor missing fails on its
// changed result_hash (--fail-on-hash-change).
std::string md_headline(const Report& report, const GateOutcome& outcome) {
  const std::size_t keys = report.results.size();
  const std::size_t failing = report.failing();
  if (outcome.result == GateOutcome::Result::skip) {
    return "### ⚠️ benchgate: skipped: " + outcome.reason;
  }
  if (failing == 0) {
    const std::size_t improved = report.count(KeyStatus::improved);
    return "### ✅ benchgate: no regression (" + plural(keys, "key", "keys") +
           (improved ? ", " + std::to_string(improved) + " improved" : std::string()) + ")";
  }
  std::size_t regressed = 0, broken = 0, missing = 0, hash = 0, env = 0;
  for (const auto& r : report.results) {
    if (!r.failing) continue;
    if (r.env_differs && report.options.on_env_mismatch == OnEnvMismatch::fail)
      ++env;
    else if (r.status == KeyStatus::regressed)
      ++regressed;
    else if (r.status == KeyStatus::broken)
      ++broken;
    else if (r.status == KeyStatus::missing)
      ++missing;
    else
      ++hash;
  }
  std::string why;
  auto add = [&](std::size_t n, const std::string& what) {
    if (n > 0) why += (why.empty() ? "" : ", ") + what;
  };
  add(regressed, plural(regressed, "regression", "regressions"));
  add(broken, std::to_string(broken) + " broken");
  add(missing, std::to_string(missing) + " missing");
  add(hash, plural(hash, "changed result", "changed results"));
  add(env, std::to_string(env) + " not comparable (the environments differ)");
  return "### ❌ benchgate: " + why + " in " + plural(keys, "key", "keys");
}

// "All 14 keys: 2 regressed, 1 improved, 11 unchanged": the non-zero counts, in status order.
std::string md_counts(const Report& report) {
  std::string s = "All " + plural(report.results.size(), "key", "keys") + ":";
  const char* sep = " ";
  for (KeyStatus v : {KeyStatus::regressed, KeyStatus::broken, KeyStatus::missing,
                      KeyStatus::new_key, KeyStatus::inconclusive, KeyStatus::improved,
                      KeyStatus::not_comparable, KeyStatus::unchanged}) {
    if (const std::size_t n = report.count(v)) {
      s += sep + std::to_string(n) + " " +
           (v == KeyStatus::not_comparable ? std::string("not comparable") : to_string(v));
      sep = ", ";
    }
  }
  return s;
}

// One line of a Regressions or Improvements table: | benchmark | metric | baseline → current |
// change | notes |.
void md_change_line(std::ostream& out, const KeyResult& r, const std::string& metric,
                    const std::string& values, const std::string& change, const std::string& note) {
  out << "| " << md_code(describe(r.key)) << " | " << metric << " | " << md_cell(values) << " | "
      << md_cell(change) << " | " << md_cell(note) << " |\n";
}

void md_metric_line(std::ostream& out, const KeyResult& r, const MdMetric& metric) {
  const MetricResult& m = r.*metric.result;
  const std::string values = m.baseline && m.current
                                 ? metric.unit(*m.baseline) + " → " + metric.unit(*m.current)
                                 : std::string("n/a");
  const std::string change = m.ratio ? format_ratio(*m.ratio) : format_change(m.change);
  md_change_line(out, r, metric.name, values, change, note_of(m));
}

constexpr const char* kMdChangeHeader =
    "| benchmark | metric | baseline → current | change | notes |\n|---|---|---|---|---|\n";

// The failing keys, one line per reason: each regressed metric, a broken or missing key, a
// changed result_hash when it fails the gate.
void md_regressions(const Report& report, std::ostream& out) {
  bool any = false;
  auto header = [&] {
    if (!any) out << "\n#### Regressions\n\n" << kMdChangeHeader;
    any = true;
  };
  for (const auto& r : report.results) {
    if (!r.failing) continue;
    header();
    for (const auto& metric : kMdMetrics) {
      if ((r.*metric.result).status == KeyStatus::regressed) md_metric_line(out, r, metric);
    }
    if (r.status == KeyStatus::broken || r.status == KeyStatus::missing) {
      md_change_line(out, r, to_string(r.status), "n/a", "n/a", r.note);
    }
    if (r.hash_changed && report.options.fail_on_hash_change) {
      md_change_line(out, r, "result hash",
                     format_hash(*r.baseline_hash) + " → " + format_hash(*r.current_hash),
                     "changed", "--fail-on-hash-change");
    }
  }
}

// The commands that measure each failing benchmark again and accept the new numbers.
void md_next_steps(const Report& report, std::ostream& out) {
  const bool accept = report.failing() && !report.accept.empty();
  if (report.reproduce.empty() && !accept) return;
  out << "\n#### Reproduce, or accept\n\n```sh\n";
  for (const auto& [benchmark, command] : report.reproduce) {
    out << "# " << benchmark << "\n" << command << "\n";
  }
  if (accept) out << "# accept the new numbers\n" << report.accept << "\n";
  out << "```\n";
}

// Every improved metric, of any key.
void md_improvements(const Report& report, std::ostream& out) {
  bool any = false;
  for (const auto& r : report.results) {
    for (const auto& metric : kMdMetrics) {
      if ((r.*metric.result).status != KeyStatus::improved) continue;
      if (!any) out << "\n#### Improvements\n\n" << kMdChangeHeader;
      any = true;
      md_metric_line(out, r, metric);
    }
  }
}

// Every key, the ones listed above included, folded: the reviewer opens it when needed.
void md_details(const Report& report, std::ostream& out) {
  if (report.results.empty()) return;
  const bool alloc = report.options.alloc_threshold.has_value();
  const bool counted = counts_instructions(report);
  out << "\n<details><summary>" << md_counts(report) << "</summary>\n\n"
      << "| status | benchmark | time per call | peak RSS | "
      << (alloc ? "allocations per call | " : "") << (counted ? "instructions per call | " : "")
      << "notes |\n|---|---|---|---|" << (alloc ? "---|" : "") << (counted ? "---|" : "")
      << "---|\n";
  for (const auto& r : report.results) {
    out << "| " << (r.failing ? "**" + status_label(r) + "**" : status_label(r)) << " | "
        << md_code(describe(r.key)) << " | " << md_cell(metric_cell(r.time, format_duration))
        << " | " << md_cell(metric_cell(r.rss, kb)) << " | "
        << (alloc ? md_cell(metric_cell(r.alloc, bytes)) + " | " : std::string())
        << (counted ? md_cell(metric_cell(r.instructions, instructions)) + " | " : std::string())
        << md_cell(notes(r, report.options)) << " |\n";
  }
  out << "\n</details>\n";
}

}  // namespace

std::string md_cell(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '|')
      o += "\\|";
    else if (c == '\n' || c == '\r')
      o += ' ';
    else if (c == '<' && (std::isalpha(static_cast<unsigned char>(next)) || next == '/' ||
                          next == '!' || next == '?'))
      o += "&lt;";
    else
      o += c;
  }
  return o;
}

void render_markdown(const Report& report, std::ostream& out) {
  const GateOutcome outcome = gate_outcome(report);
  out << md_headline(report, outcome) << "\n";
  for (const auto& w : outcome.warnings) out << "\n> ⚠️ " << md_cell(w) << "\n";
  if (!report.benchmarks.empty()) {
    out << "\n#### Time per benchmark\n\n| time | benchmark | ratio [interval] | decided from |\n"
        << "|---|---|---|---|\n";
    for (const BenchmarkResult* b : benchmarks_in_order(report)) {
      const BenchmarkCells c = benchmark_cells(*b);
      out << "| " << (b->failing ? "**" + c[0] + "**" : c[0]) << " | " << md_code(c[1]) << " | "
          << md_cell(c[2]) << " | " << md_cell(c[3]) << " |\n";
    }
  }
  md_regressions(report, out);
  md_next_steps(report, out);
  md_improvements(report, out);
  md_details(report, out);
  out << "\n" << thresholds_line(report.options) << "\n";
}

namespace {

// The JSON report, in exactly the text rapidjson::PrettyWriter (four-space indent) writes for it,
// assembled faster: the layout (keys, indentation, commas) is the same for every result, so it is
// written as literal text, and each value is written by a rapidjson::Writer of its own (numbers,
// string escapes: PrettyWriter's own formatting). The text goes to the stream in blocks of about
// kFlushBytes: a report of 200,000 keys is about 340 MB, too much to hold, and one ostream call per
// character (rapidjson::OStreamWrapper) was a fifth of benchgate-compare's time (issue #3).
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

class JsonOut {
 public:
  explicit JsonOut(std::ostream& out)
      : out_(out), buffer_(nullptr, kFlushBytes + kFlushBytes / 4), value_(buffer_) {}

  template <std::size_t N>
  void raw(const char (&text)[N]) {
    std::memcpy(buffer_.Push(N - 1), text, N - 1);
  }
  void str(const std::string& s) {
    value_.Reset(buffer_);
    check(value_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  }
  void str(const char* s) { str(std::string(s)); }
  // A number the writer must accept (PrettyWriter refuses NaN and infinity: so does this).
  void num(double v) {
    value_.Reset(buffer_);
    check(value_.Double(v));
  }
  void opt_num(const std::optional<double>& v) {
    if (v && std::isfinite(*v))
      num(*v);
    else
      raw("null");
  }
  void u64(std::uint64_t v) {
    value_.Reset(buffer_);
    check(value_.Uint64(v));
  }
  void boolean(bool b) {
    if (b)
      raw("true");
    else
      raw("false");
  }
  void hash(const std::optional<std::uint64_t>& h) {
    if (h)
      str(format_hash(*h));
    else
      raw("null");
  }
  void flush_if_full() {
    if (buffer_.GetSize() >= kFlushBytes) flush();
  }
  void flush() {
    out_.write(buffer_.GetString(), static_cast<std::streamsize>(buffer_.GetSize()));
    buffer_.Clear();
  }

 private:
  // What was written so far reaches the stream before the error, as it did character by character.
  void check(bool ok) {
    if (ok) return;
    flush();
    throw std::runtime_error("cannot write the comparison as JSON");
  }

  std::ostream& out_;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> value_;
};

// A metric object, a member of a result: its members are indented by 16 spaces.
void metric(JsonOut& j, const MetricResult& m) {
  j.raw("{\n                \"status\": ");
  j.str(to_string(m.status));
  j.raw(",\n                \"baseline_median\": ");
  j.opt_num(m.baseline);
  j.raw(",\n                \"current_median\": ");
  j.opt_num(m.current);
  j.raw(",\n                \"change\": ");
  j.opt_num(m.change);
  j.raw(",\n                \"from_zero\": ");
  j.boolean(m.change && std::isinf(*m.change));
  j.raw(",\n                \"n_baseline\": ");
  j.u64(m.n_baseline);
  j.raw(",\n                \"n_current\": ");
  j.u64(m.n_current);
  j.raw(",\n                \"p_value\": ");
  j.opt_num(m.p_value);
  j.raw(",\n                \"ratio\": ");
  j.opt_num(m.ratio ? std::optional<double>(m.ratio->estimate) : std::nullopt);
  j.raw(",\n                \"ratio_lo\": ");
  j.opt_num(m.ratio ? std::optional<double>(m.ratio->lo) : std::nullopt);
  j.raw(",\n                \"ratio_hi\": ");
  j.opt_num(m.ratio ? std::optional<double>(m.ratio->hi) : std::nullopt);
  j.raw(",\n                \"note\": ");
  j.str(note_of(m));
  j.raw("\n            }");
}

// One element of "results": members indented by 12 spaces.
void result(JsonOut& j, const KeyResult& r) {
  j.raw("{\n            \"suite\": ");
  j.str(r.key.suite);
  j.raw(",\n            \"kind\": ");
  j.str(to_string(r.key.kind));
  j.raw(",\n            \"function\": ");
  j.str(r.key.function);
  j.raw(",\n            \"param\": ");
  if (r.key.param)
    j.u64(*r.key.param);
  else
    j.raw("null");
  j.raw(",\n            \"cache_mode\": ");
  if (r.key.cache_mode)
    j.str(to_string(*r.key.cache_mode));
  else
    j.raw("null");
  j.raw(",\n            \"status\": ");
  j.str(to_string(r.status));
  j.raw(",\n            \"failing\": ");
  j.boolean(r.failing);
  j.raw(",\n            \"time\": ");
  metric(j, r.time);
  j.raw(",\n            \"rss\": ");
  metric(j, r.rss);
  j.raw(",\n            \"alloc\": ");
  metric(j, r.alloc);
  j.raw(",\n            \"instructions\": ");
  metric(j, r.instructions);
  j.raw(",\n            \"baseline_hash\": ");
  j.hash(r.baseline_hash);
  j.raw(",\n            \"current_hash\": ");
  j.hash(r.current_hash);
  j.raw(",\n            \"hash_changed\": ");
  j.boolean(r.hash_changed);
  j.raw(",\n            \"note\": ");
  j.str(r.note);
  j.raw(",\n            \"counters\": ");
  if (r.counters.empty()) {
    j.raw("{}");
  } else {
    for (std::size_t i = 0; i < r.counters.size(); ++i) {
      const CounterResult& c = r.counters[i];
      if (i == 0)
        j.raw("{\n                ");
      else
        j.raw(",\n                ");
      j.str(c.name);
      j.raw(": {\n                    \"baseline_median\": ");
      j.opt_num(c.baseline);
      j.raw(",\n                    \"current_median\": ");
      j.opt_num(c.current);
      if (c.gate) {
        j.raw(",\n                    \"threshold\": ");
        j.opt_num(c.gate->threshold);
        j.raw(",\n                    \"better\": ");
        j.str(c.gate->higher_is_better ? "higher" : "lower");
        j.raw(",\n                    \"status\": ");
        j.str(to_string(c.decision.status));
        j.raw(",\n                    \"change\": ");
        j.opt_num(c.decision.change);
      }
      j.raw("\n                }");
    }
    j.raw("\n            }");
  }
  // Declared throughput (issue 20): only on keys that declare it.
  if (r.baseline_bytes || r.current_bytes || r.baseline_items || r.current_items) {
    j.raw(",\n            \"throughput\": {\n                \"baseline_bytes_per_call\": ");
    j.opt_num(r.baseline_bytes);
    j.raw(",\n                \"current_bytes_per_call\": ");
    j.opt_num(r.current_bytes);
    j.raw(",\n                \"baseline_items_per_call\": ");
    j.opt_num(r.baseline_items);
    j.raw(",\n                \"current_items_per_call\": ");
    j.opt_num(r.current_items);
    j.raw("\n            }");
  }
  j.raw("\n        }");
}

void opt_key_part(JsonOut& j, const std::optional<CacheMode>& mode) {
  if (mode)
    j.str(to_string(*mode));
  else
    j.raw("null");
}

// One element of "benchmarks": the time decision of a benchmark, members indented by 12 spaces.
void benchmark(JsonOut& j, const BenchmarkResult& b) {
  const TimeDecision& d = b.time;
  j.raw("{\n            \"suite\": ");
  j.str(b.id.suite);
  j.raw(",\n            \"kind\": ");
  j.str(to_string(b.id.kind));
  j.raw(",\n            \"function\": ");
  j.str(b.id.function);
  j.raw(",\n            \"cache_mode\": ");
  opt_key_part(j, b.id.cache_mode);
  j.raw(",\n            \"status\": ");
  j.str(to_string(d.status));
  j.raw(",\n            \"failing\": ");
  j.boolean(b.failing);
  j.raw(",\n            \"paired\": ");
  j.boolean(d.paired);
  j.raw(",\n            \"ratio\": ");
  j.num(d.ratio.estimate);
  j.raw(",\n            \"ratio_lo\": ");
  j.num(d.ratio.lo);
  j.raw(",\n            \"ratio_hi\": ");
  j.num(d.ratio.hi);
  j.raw(",\n            \"confidence\": ");
  j.num(d.confidence);
  j.raw(",\n            \"p_value\": ");
  j.opt_num(d.p_value);
  j.raw(",\n            \"pairs\": ");
  j.u64(d.pairs);
  j.raw(",\n            \"n_baseline\": ");
  j.u64(d.n_baseline);
  j.raw(",\n            \"n_current\": ");
  j.u64(d.n_current);
  j.raw(",\n            \"baseline_runs\": ");
  j.u64(d.baseline_runs);
  j.raw(",\n            \"looks\": ");
  j.u64(b.looks);
  j.raw(",\n            \"settled\": ");
  j.boolean(d.settled);
  j.raw(",\n            \"trend_per_doubling\": ");
  if (d.trend) {
    j.raw("{\n                \"ratio\": ");
    j.num(d.trend->estimate);
    j.raw(",\n                \"lo\": ");
    j.num(d.trend->lo);
    j.raw(",\n                \"hi\": ");
    j.num(d.trend->hi);
    j.raw("\n            }");
  } else {
    j.raw("null");
  }
  j.raw(",\n            \"grows_with_n\": ");
  j.boolean(d.grows);
  j.raw(",\n            \"params\": [");
  for (std::size_t i = 0; i < d.params.size(); ++i) {
    const ParamEffect& p = d.params[i];
    if (i) j.raw(",");
    j.raw("\n                {\n                    \"param\": ");
    if (p.param)
      j.u64(*p.param);
    else
      j.raw("null");
    j.raw(",\n                    \"ratio\": ");
    j.num(p.ratio.estimate);
    j.raw(",\n                    \"ratio_lo\": ");
    j.num(p.ratio.lo);
    j.raw(",\n                    \"ratio_hi\": ");
    j.num(p.ratio.hi);
    j.raw(",\n                    \"n\": ");
    j.u64(p.n);
    j.raw(",\n                    \"decisive\": ");
    j.boolean(p.decisive);
    j.raw("\n                }");
  }
  if (d.params.empty())
    j.raw("]");
  else
    j.raw("\n            ]");
  j.raw(",\n            \"note\": ");
  j.str(d.note);
  j.raw("\n        }");
}

}  // namespace

void render_json(const Report& report, std::ostream& out) {
  JsonOut j(out);
  const auto& o = report.options;
  j.raw("{\n    \"benchgate_compare_version\": ");
  j.u64(kCompareJsonVersion);
  j.raw(",\n    \"options\": {\n        \"time_threshold\": ");
  j.num(o.time_threshold);
  j.raw(",\n        \"rss_threshold\": ");
  j.num(o.rss_threshold);
  j.raw(",\n        \"alloc_threshold\": ");
  j.opt_num(o.alloc_threshold);
  j.raw(",\n        \"instructions_threshold\": ");
  j.num(o.instructions_threshold);
  j.raw(",\n        \"min_time_delta_ns\": ");
  j.num(o.min_time_delta_ns);
  j.raw(",\n        \"min_rss_delta_kb\": ");
  j.num(o.min_rss_delta_kb);
  j.raw(",\n        \"alpha\": ");
  j.num(o.alpha);
  j.raw(",\n        \"looks\": ");
  j.u64(o.looks);
  j.raw(",\n        \"run_spread\": ");
  j.num(o.run_spread);
  j.raw(",\n        \"ignore_env\": ");
  j.boolean(o.ignore_env);
  j.raw(",\n        \"on_env_mismatch\": ");
  j.str(to_string(o.on_env_mismatch));
  j.raw(",\n        \"fail_on_missing\": ");
  j.boolean(o.fail_on_missing);
  j.raw(",\n        \"fail_on_hash_change\": ");
  j.boolean(o.fail_on_hash_change);
  j.raw("\n    },\n    \"summary\": {\n        \"keys\": ");
  j.u64(report.results.size());
  j.raw(",\n        \"failing\": ");
  j.u64(report.failing());
  // The counts by status in one pass (Report::count walks every result per call).
  std::size_t counts[static_cast<std::size_t>(KeyStatus::unchanged) + 1] = {};
  for (const auto& r : report.results) ++counts[static_cast<std::size_t>(r.status)];
  for (KeyStatus v : {KeyStatus::regressed, KeyStatus::broken, KeyStatus::missing,
                      KeyStatus::new_key, KeyStatus::inconclusive, KeyStatus::improved,
                      KeyStatus::unchanged, KeyStatus::not_comparable}) {
    j.raw(",\n        ");
    j.str(to_string(v));
    j.raw(": ");
    j.u64(counts[static_cast<std::size_t>(v)]);
  }
  const GateOutcome outcome = gate_outcome(report);
  j.raw("\n    },\n    \"outcome\": {\n        \"result\": ");
  j.str(to_string(outcome.result));
  j.raw(",\n        \"exit_code\": ");
  j.u64(static_cast<std::uint64_t>(outcome.exit_code()));
  j.raw(",\n        \"reason\": ");
  j.str(outcome.reason);
  j.raw(",\n        \"warnings\": [");
  for (std::size_t i = 0; i < outcome.warnings.size(); ++i) {
    if (i)
      j.raw(",\n            ");
    else
      j.raw("\n            ");
    j.str(outcome.warnings[i]);
  }
  if (outcome.warnings.empty())
    j.raw("]");
  else
    j.raw("\n        ]");
  j.raw(",\n        \"keys_not_gated\": ");
  j.u64(outcome.keys_not_gated);
  j.raw(",\n        \"reproduce\": {");
  bool first_command = true;
  for (const auto& [benchmark, command] : report.reproduce) {
    if (first_command)
      j.raw("\n            ");
    else
      j.raw(",\n            ");
    first_command = false;
    j.str(benchmark);
    j.raw(": ");
    j.str(command);
  }
  if (first_command)
    j.raw("}");
  else
    j.raw("\n        }");
  j.raw(",\n        \"accept\": ");
  if (report.accept.empty())
    j.raw("null");
  else
    j.str(report.accept);
  j.raw("\n    },\n    \"benchmarks\": [");
  for (std::size_t i = 0; i < report.benchmarks.size(); ++i) {
    if (i) j.raw(",");
    j.raw("\n        ");
    benchmark(j, report.benchmarks[i]);
  }
  if (report.benchmarks.empty())
    j.raw("]");
  else
    j.raw("\n    ]");
  j.raw(",\n    \"results\": [");
  bool first = true;
  for (const auto& r : report.results) {
    if (first)
      j.raw("\n        ");
    else
      j.raw(",\n        ");
    first = false;
    result(j, r);
    j.flush_if_full();
  }
  if (first)
    j.raw("]");  // PrettyWriter writes an empty array as []
  else
    j.raw("\n    ]");
  j.raw("\n}");
  j.flush();
  out << "\n";
}

}  // namespace benchgate
