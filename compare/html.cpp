// The HTML report: plots drawn as inline SVG by hand, so the page needs no script and no network.
#include "html.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "benchgate/core/format.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/core/stats.hpp"
#include "render.hpp"

namespace benchgate {

PlotPoint plot_point(const Side& side) {
  PlotPoint p;
  if (side.time.measured()) p.time_ns = median(side.time.values);
  if (side.rss_kb.measured()) p.rss_kb = median(side.rss_kb.values);
  // Every eligible row adds a value or a miss to each metric's samples.
  p.eligible = !side.time.values.empty() || side.time.missing > 0;
  return p;
}

PlotSide plot_side(CompactReduction& reduction) {
  reduction.sort();
  PlotSide out;
  Side scratch;
  for (std::size_t i = 0; i < reduction.size(); ++i) {
    reduction.side(i, scratch);
    out.emplace_hint(out.end(), reduction.key(i).key(), plot_point(scratch));
  }
  return out;
}

namespace {

// ---- Formatting -------------------------------------------------------------------------------

// An SVG coordinate: one decimal, through std::to_chars (no locale).
std::string num(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1);
  return std::string(buf, r.ptr);
}

// A tick value: "%g" (2, 0.5, 20); tick values are m * 10^k, so it never needs an exponent here.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string count_label(double v) {
  for (auto [unit, suffix] : {std::pair{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}) {
    if (v >= unit) return short_number(v / unit) + suffix;
  }
  return short_number(v);
}

std::string time_label(double ns) {
  for (auto [unit, suffix] : {std::pair{1e9, " s"}, {1e6, " ms"}, {1e3, " µs"}}) {
    if (ns >= unit) return short_number(ns / unit) + suffix;
  }
  return short_number(ns) + " ns";
}

constexpr KeyStatus kStatuses[] = {
    KeyStatus::regressed,    KeyStatus::broken,   KeyStatus::missing,   KeyStatus::new_key,
    KeyStatus::inconclusive, KeyStatus::improved, KeyStatus::unchanged, KeyStatus::not_comparable};

// ---- Grouping keys into benchmarks ------------------------------------------------------------

// A benchmark: a key without its param. Cold and warm runs of one function are two benchmarks.
using BenchId = std::tuple<std::string, RowKind, std::string, std::optional<CacheMode>>;

struct Entry {
  const PlotPoint* side[2] = {nullptr, nullptr};  // baseline, current
  const KeyResult* result = nullptr;
};

struct Bench {
  std::string label;  // "suite/function" (+ " cold"), unescaped
  std::map<std::optional<std::uint64_t>, Entry> keys;
};

constexpr const char* kSideName[2] = {"baseline", "current"};

std::map<BenchId, Bench> group(const Report& report, const PlotData& plots) {
  std::map<BenchId, Bench> out;
  auto entry = [&](const Key& k) -> Entry& {
    Bench& b = out[BenchId{k.suite, k.kind, k.function, k.cache_mode}];
    if (b.label.empty()) {
      b.label = (k.suite.empty() ? "" : k.suite + "/") + k.function;
      if (k.cache_mode == CacheMode::cold) b.label += " cold";
    }
    return b.keys[k.param];
  };
  for (const auto& [k, p] : plots.baseline) entry(k).side[0] = &p;
  for (const auto& [k, p] : plots.current) entry(k).side[1] = &p;
  for (const auto& r : report.results) entry(r.key).result = &r;
  return out;
}

// "4 keys: 1 regressed, 3 unchanged".
std::string bench_counts(const Bench& b) {
  std::map<KeyStatus, std::size_t> n;
  std::size_t total = 0, failing = 0;
  for (const auto& [param, e] : b.keys) {
    if (!e.result) continue;
    ++n[e.result->status];
    ++total;
    failing += e.result->failing ? 1 : 0;
  }
  std::string s = std::to_string(total) + (total == 1 ? " key" : " keys");
  std::string sep = ": ";
  for (KeyStatus v : kStatuses) {
    if (!n[v]) continue;
    s += sep + std::to_string(n[v]) + " " + to_string(v);
    sep = ", ";
  }
  if (failing) s += " (" + std::to_string(failing) + " failing)";
  return s;
}

// ---- Log axes ---------------------------------------------------------------------------------

struct LogAxis {
  double lo = 0, hi = 1;      // log10 of the ends
  std::vector<double> ticks;  // values, ascending
  double frac(double v) const { return (std::log10(v) - lo) / (hi - lo); }
};

// Values m * 10^k in [10^lo, 10^hi] for m in `mantissas`; with only powers of ten over many
// decades, every step-th decade so that about 8 labels remain.
std::vector<double> ticks_in(double lo, double hi, const std::vector<double>& mantissas) {
  std::vector<double> out;
  const int first = static_cast<int>(std::floor(lo)), last = static_cast<int>(std::ceil(hi));
  const int step = mantissas.size() == 1 ? std::max(1, (last - first + 7) / 8) : 1;
  for (int k = first; k <= last; ++k) {
    if (k % step != 0) continue;
    for (double m : mantissas) {
      const double v = m * std::pow(10.0, k);
      const double lv = std::log10(v);
      if (lv >= lo - 1e-9 && lv <= hi + 1e-9) out.push_back(v);
    }
  }
  return out;
}

// The axis over [min, max] (both > 0) with 6% room at each end; labelled ticks at powers of ten,
// or at 1-2-5 or 1..9 times them when fewer than three powers of ten fall inside.
LogAxis log_axis(double min, double max) {
  LogAxis a;
  a.lo = std::log10(min);
  a.hi = std::log10(max);
  const double span = a.hi - a.lo;
  const double pad = span < 1e-9 ? 0.5 : span * 0.06;  // one point: a decade around it
  a.lo -= pad;
  a.hi += pad;
  std::vector<double> fallback;
  for (const auto& m : {std::vector<double>{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
    auto t = ticks_in(a.lo, a.hi, m);
    if (t.size() >= 3) {
      a.ticks = std::move(t);
      return a;
    }
    if (fallback.empty() && t.size() >= 2) fallback = std::move(t);
  }
  if (fallback.empty()) {  // a range too narrow for two ticks: widen it to whole decades
    a.lo = std::floor(a.lo);
    a.hi = std::ceil(a.hi);
    fallback = ticks_in(a.lo, a.hi, {1});
  }
  a.ticks = std::move(fallback);
  return a;
}

// ---- The time plot of one parametric benchmark ------------------------------------------------

// Plot geometry (px): the plot area is the frame inside the margins.
constexpr double kPlotWidth = 720, kPlotHeight = 380;
constexpr double kLeft = 84, kRight = 24, kTop = 44, kBottom = 56;
constexpr const char* kColor[2] = {"#2f6fb0", "#e07b00"};  // baseline blue, current orange
constexpr const char* kFailColor = "#c62828";

struct PlotPt {
  std::uint64_t param;
  double time_ns;
  bool failing;
};

// The legend, above the plot area.
void time_legend(std::ostream& out, const std::vector<PlotPt> (&series)[2]) {
  out << "<g class=\"legend\">\n";
  for (int s = 0; s < 2; ++s) {
    const double x = kLeft + s * 130.0;
    out << "<line x1=\"" << num(x) << "\" y1=\"18\" x2=\"" << num(x + 28)
        << "\" y2=\"18\" stroke=\"" << kColor[s] << "\" stroke-width=\"2\""
        << (s == 0 ? " stroke-dasharray=\"6 3\"" : "") << "/><circle cx=\"" << num(x + 14)
        << "\" cy=\"18\" r=\"4\" fill=\"" << (s == 0 ? "#ffffff" : kColor[s]) << "\" stroke=\""
        << kColor[s] << "\" stroke-width=\"2\"/><text x=\"" << num(x + 36) << "\" y=\"22\">"
        << kSideName[s] << " (" << series[s].size() << ")</text>\n";
  }
  if (std::any_of(series[1].begin(), series[1].end(), [](const PlotPt& p) { return p.failing; })) {
    const double x = kLeft + 260;
    out << "<circle cx=\"" << num(x + 14) << "\" cy=\"18\" r=\"5.5\" fill=\"" << kColor[1]
        << "\" stroke=\"" << kFailColor << "\" stroke-width=\"2\"/><text x=\"" << num(x + 28)
        << "\" y=\"22\">fails the gate</text>\n";
  }
  out << "</g>\n";
}

// The log-log SVG of the two series (at least one point between them).
void time_svg(std::ostream& out, const Bench& b, const std::vector<PlotPt> (&series)[2]) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double xmin = kInf, xmax = 0, ymin = kInf, ymax = 0;
  for (const auto& ser : series) {
    for (const auto& p : ser) {
      xmin = std::min(xmin, static_cast<double>(p.param));
      xmax = std::max(xmax, static_cast<double>(p.param));
      ymin = std::min(ymin, p.time_ns);
      ymax = std::max(ymax, p.time_ns);
    }
  }
  const LogAxis xa = log_axis(xmin, xmax), ya = log_axis(ymin, ymax);
  const double w = kPlotWidth - kLeft - kRight, h = kPlotHeight - kTop - kBottom;
  auto px = [&](double v) { return kLeft + xa.frac(v) * w; };
  auto py = [&](double v) { return kTop + h - ya.frac(v) * h; };
  out << "<svg class=\"time-plot\" viewBox=\"0 0 " << num(kPlotWidth) << " " << num(kPlotHeight)
      << "\" width=\"" << num(kPlotWidth) << "\" height=\"" << num(kPlotHeight)
      << "\" role=\"img\" aria-label=\"time per call against param, log-log: "
      << escape_markup(b.label) << "\">\n";
  out << "<rect class=\"frame\" x=\"" << num(kLeft) << "\" y=\"" << num(kTop) << "\" width=\""
      << num(w) << "\" height=\"" << num(h) << "\"/>\n";
  out << "<g class=\"axis x\">\n";
  for (double t : xa.ticks) {
    const std::string x = num(px(t));
    out << "<line class=\"grid\" x1=\"" << x << "\" y1=\"" << num(kTop) << "\" x2=\"" << x
        << "\" y2=\"" << num(kTop + h) << "\"/><text class=\"tick\" x=\"" << x << "\" y=\""
        << num(kTop + h + 18) << "\" text-anchor=\"middle\">" << count_label(t) << "</text>\n";
  }
  out << "<text class=\"title\" x=\"" << num(kLeft + w / 2) << "\" y=\"" << num(kPlotHeight - 12)
      << "\" text-anchor=\"middle\">param n (log scale)</text>\n</g>\n";
  out << "<g class=\"axis y\">\n";
  for (double t : ya.ticks) {
    const std::string y = num(py(t));
    out << "<line class=\"grid\" x1=\"" << num(kLeft) << "\" y1=\"" << y << "\" x2=\""
        << num(kLeft + w) << "\" y2=\"" << y << "\"/><text class=\"tick\" x=\"" << num(kLeft - 6)
        << "\" y=\"" << num(py(t) + 4) << "\" text-anchor=\"end\">" << time_label(t) << "</text>\n";
  }
  out << "<text class=\"title\" transform=\"translate(16 " << num(kTop + h / 2)
      << ") rotate(-90)\" text-anchor=\"middle\">time per call (median, log scale)</text>\n"
      << "</g>\n";
  for (int s = 0; s < 2; ++s) {
    if (series[s].empty()) continue;
    out << "<polyline class=\"series " << kSideName[s] << "\" data-series=\"" << kSideName[s]
        << "\" fill=\"none\" stroke=\"" << kColor[s] << "\" stroke-width=\"2\""
        << (s == 0 ? " stroke-dasharray=\"6 3\"" : "") << " points=\"";
    for (std::size_t i = 0; i < series[s].size(); ++i) {
      out << (i ? " " : "") << num(px(static_cast<double>(series[s][i].param))) << ","
          << num(py(series[s][i].time_ns));
    }
    out << "\"/>\n";
    for (const auto& p : series[s]) {
      out << "<circle class=\"point " << kSideName[s] << (p.failing ? " failing" : "") << "\" cx=\""
          << num(px(static_cast<double>(p.param))) << "\" cy=\"" << num(py(p.time_ns)) << "\" r=\""
          << (p.failing ? "5.5" : "4") << "\" fill=\"" << (s == 0 ? "#ffffff" : kColor[s])
          << "\" stroke=\"" << (p.failing ? kFailColor : kColor[s])
          << "\" stroke-width=\"2\"><title>" << kSideName[s] << " n=" << p.param << ": "
          << format_duration(p.time_ns) << (p.failing ? " (fails the gate)" : "")
          << "</title></circle>\n";
    }
  }
  time_legend(out, series);
  out << "</svg>\n";
}

void time_plot(std::ostream& out, const Bench& b) {
  std::vector<PlotPt> series[2];
  std::vector<std::uint64_t> no_time[2], zero[2];
  for (const auto& [param, e] : b.keys) {
    for (int s = 0; s < 2; ++s) {
      const PlotPoint* p = e.side[s];
      if (!p || !param) continue;
      if (!p->time_ns) {
        no_time[s].push_back(*param);
        continue;
      }
      if (*param == 0 || *p->time_ns <= 0) {
        zero[s].push_back(*param);
        continue;
      }
      series[s].push_back({*param, *p->time_ns, s == 1 && e.result && e.result->failing});
    }
  }
  out << "<figure class=\"plot\">\n<figcaption><strong>" << escape_markup(b.label) << "</strong> — "
      << escape_markup(bench_counts(b)) << "</figcaption>\n";
  auto params_text = [](const std::vector<std::uint64_t>& ps) {
    std::string s;
    for (auto p : ps) s += (s.empty() ? "n=" : ", n=") + std::to_string(p);
    return s;
  };
  std::vector<std::string> notes;
  for (int s = 0; s < 2; ++s) {
    if (!no_time[s].empty())
      notes.push_back(std::string(kSideName[s]) + ": no time sample at " + params_text(no_time[s]) +
                      " (not measured, or no ok row)");
    if (!zero[s].empty())
      notes.push_back(std::string(kSideName[s]) + ": " + params_text(zero[s]) +
                      " not drawn: zero has no place on a log axis");
  }
  if (series[0].empty() && series[1].empty()) {
    out << "<p class=\"note\">No time sample to plot.</p>\n";
  } else {
    time_svg(out, b, series);
    if (series[0].size() + series[1].size() <= 2 && b.keys.size() == 1)
      notes.push_back("one param only: a point per side, no line");
  }
  for (const auto& n : notes) out << "<p class=\"note\">" << escape_markup(n) << "</p>\n";
  out << "</figure>\n";
}

// ---- Peak RSS per benchmark -------------------------------------------------------------------

// One side's peak RSS of a benchmark: the largest median over its params. Null ("n/a") when a
// param with eligible rows did not measure RSS, or the side has no eligible row at all: a partial
// maximum would pass for the peak, and null is never drawn as 0.
struct RssValue {
  std::optional<double> kb;
  std::optional<std::uint64_t> at;  // the param of the peak
  const char* why_none = "no rows";
};

RssValue rss_of(const Bench& b, int s) {
  RssValue r;
  bool any = false, null = false;
  for (const auto& [param, e] : b.keys) {
    const PlotPoint* p = e.side[s];
    if (!p || !p->eligible) continue;
    any = true;
    if (!p->rss_kb) {
      null = true;
      continue;
    }
    if (!r.kb || *p->rss_kb > *r.kb) {
      r.kb = p->rss_kb;
      r.at = param;
    }
  }
  if (any) r.why_none = "not measured";
  if (null) r.kb.reset();
  return r;
}

// The smallest 1, 2 or 5 times a power of ten that is at least v / 5: about five grid steps.
double nice_step(double v) {
  const double raw = v / 5;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= raw) return m * p;
  }
  return 10 * p;
}

void rss_chart(std::ostream& out, const std::map<BenchId, Bench>& benches) {
  constexpr double kWidth = 720, kBarLeft = 84, kBarMax = 480, kName = 18, kBar = 15, kGap = 4,
                   kGroupGap = 14, kTopPad = 8, kAxis = 34;
  constexpr double kGroup = kName + 2 * kBar + kGap + kGroupGap;
  std::vector<std::pair<const Bench*, std::array<RssValue, 2>>> rows;
  double max = 0;
  for (const auto& [id, b] : benches) {
    rows.push_back({&b, {rss_of(b, 0), rss_of(b, 1)}});
    for (const auto& v : rows.back().second) max = std::max(max, v.kb.value_or(0));
  }
  const double step = max > 0 ? nice_step(max) : 1;
  const double top = max > 0 ? std::ceil(max / step) * step : 5;
  const double height = kTopPad + static_cast<double>(rows.size()) * kGroup + kAxis;
  const double axis_y = kTopPad + static_cast<double>(rows.size()) * kGroup;
  auto bx = [&](double v) { return kBarLeft + v / top * kBarMax; };
  out << "<svg class=\"rss-chart\" viewBox=\"0 0 " << num(kWidth) << " " << num(height)
      << "\" width=\"" << num(kWidth) << "\" height=\"" << num(height)
      << "\" role=\"img\" aria-label=\"peak RSS per benchmark, baseline and current\">\n";
  for (double t = 0; t <= top + step / 2; t += step) {
    out << "<line class=\"grid\" x1=\"" << num(bx(t)) << "\" y1=\"" << num(kTopPad) << "\" x2=\""
        << num(bx(t)) << "\" y2=\"" << num(axis_y) << "\"/><text class=\"tick\" x=\"" << num(bx(t))
        << "\" y=\"" << num(axis_y + 16) << "\" text-anchor=\"middle\">" << kb(t) << "</text>\n";
  }
  double y = kTopPad;
  for (const auto& [b, values] : rows) {
    out << "<g class=\"benchmark\" data-benchmark=\"" << escape_markup(b->label) << "\">\n"
        << "<text class=\"name\" x=\"4\" y=\"" << num(y + 13) << "\">" << escape_markup(b->label)
        << "</text>\n";
    for (int s = 0; s < 2; ++s) {
      const double by = y + kName + s * (kBar + kGap);
      out << "<text class=\"side\" x=\"" << num(kBarLeft - 6) << "\" y=\"" << num(by + 11.5)
          << "\" text-anchor=\"end\">" << kSideName[s] << "</text>";
      const RssValue& v = values[static_cast<std::size_t>(s)];
      if (v.kb) {
        const std::string at = v.at ? " at n=" + std::to_string(*v.at) : std::string();
        out << "<rect class=\"bar " << kSideName[s] << "\" x=\"" << num(kBarLeft) << "\" y=\""
            << num(by) << "\" width=\"" << num(bx(*v.kb) - kBarLeft) << "\" height=\"" << num(kBar)
            << "\" fill=\"" << kColor[s] << "\"><title>" << kSideName[s] << " peak RSS "
            << kb(*v.kb) << escape_markup(at) << "</title></rect><text class=\"value\" x=\""
            << num(bx(*v.kb) + 5) << "\" y=\"" << num(by + 11.5) << "\">" << kb(*v.kb)
            << escape_markup(at) << "</text>\n";
      } else {
        out << "<text class=\"na " << kSideName[s] << "\" x=\"" << num(kBarLeft + 4) << "\" y=\""
            << num(by + 11.5) << "\">n/a (" << v.why_none << ")</text>\n";
      }
    }
    out << "</g>\n";
    y += kGroup;
  }
  out << "<line class=\"axis\" x1=\"" << num(kBarLeft) << "\" y1=\"" << num(axis_y) << "\" x2=\""
      << num(kBarLeft + kBarMax) << "\" y2=\"" << num(axis_y) << "\"/>\n</svg>\n";
}

// ---- The table of every key -------------------------------------------------------------------

void results_table(std::ostream& out, const Report& report) {
  const bool alloc = report.options.alloc_threshold.has_value();
  const bool counted = counts_instructions(report);
  out << "<table class=\"results\">\n<thead><tr><th>status</th><th>benchmark</th>"
      << "<th>time per call</th><th>peak RSS</th>" << (alloc ? "<th>allocations</th>" : "")
      << (counted ? "<th>instructions</th>" : "") << "<th>notes</th></tr></thead>\n<tbody>\n";
  for (const auto& r : report.results) {
    out << "<tr class=\"" << to_string(r.status) << (r.failing ? " failing" : "")
        << "\"><td class=\"status\">" << escape_markup(status_label(r)) << "</td><td>"
        << escape_markup(describe(r.key)) << "</td><td>"
        << escape_markup(metric_cell(r.time, format_duration)) << "</td><td>"
        << escape_markup(metric_cell(r.rss, kb)) << "</td>";
    if (alloc) out << "<td>" << escape_markup(metric_cell(r.alloc, bytes)) << "</td>";
    if (counted)
      out << "<td>" << escape_markup(metric_cell(r.instructions, instructions)) << "</td>";
    out << "<td>" << escape_markup(notes(r, report.options)) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

constexpr const char* kStyle =
    R"(body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
header{border-left:8px solid #2e7d32;padding:4px 16px;margin-bottom:24px}
header.fail{border-color:#c62828}
header.skip{border-color:#b26a00}
h1{margin:4px 0}
header.skip h1,p.warning{color:#b26a00}
header.fail h1{color:#c62828}
header.pass h1{color:#2e7d32}
ul.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px}
ul.counts li{background:#f2f2f2;border-radius:4px;padding:4px 10px}
ul.counts li.nonzero.bad{background:#fbe3e3}
ul.counts li.nonzero.good{background:#e3f4e4}
figure.plot{margin:0 0 28px 0}
figcaption{margin-bottom:4px}
svg text{font-family:sans-serif;font-size:12px;fill:#222}
svg .frame{fill:none;stroke:#888}
svg .grid{stroke:#e2e2e2;stroke-width:1}
svg line.axis{stroke:#888}
svg text.title{font-size:13px}
svg text.name{font-weight:bold}
svg text.na{fill:#777;font-style:italic}
p.note{color:#555;font-size:90%;margin:2px 0}
table.results,table.decisions{border-collapse:collapse;font-size:90%}
table.results th,table.results td,table.decisions th,table.decisions td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
table.results tr.failing td.status,table.decisions tr.failing td.status{color:#c62828;font-weight:bold}
table.results tr.improved td.status,table.decisions tr.improved td.status{color:#2e7d32}
)";

}  // namespace

void render_html(const Report& report, const PlotData& plots, std::ostream& out) {
  const std::size_t failing = report.failing();
  const GateOutcome gate = gate_outcome(report);
  const std::string outcome = outcome_line(gate);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>benchgate comparison: " << escape_markup(outcome) << "</title>\n<style>\n"
      << kStyle << "</style>\n</head>\n<body>\n";
  out << "<header class=\"" << to_string(gate.result) << "\">\n<h1 class=\"verdict\">"
      << "benchgate: " << escape_markup(outcome) << "</h1>\n";
  for (const auto& w : gate.warnings) {
    out << "<p class=\"warning\">WARNING: " << escape_markup(w) << "</p>\n";
  }
  out << "<ul class=\"counts\">\n<li>" << report.results.size() << " key(s)</li>\n<li class=\""
      << (failing ? "nonzero bad" : "") << "\">" << failing << " failing</li>\n";
  for (KeyStatus v : kStatuses) {
    const std::size_t n = report.count(v);
    const bool bad = v == KeyStatus::regressed || v == KeyStatus::broken || v == KeyStatus::missing;
    out << "<li class=\"" << (n ? (bad ? "nonzero bad" : "nonzero good") : "") << "\">" << n << " "
        << to_string(v) << "</li>\n";
  }
  out << "</ul>\n<p class=\"thresholds\">" << escape_markup(thresholds_line(report.options))
      << "</p>\n</header>\n";

  if (!report.benchmarks.empty()) {
    out << "<section id=\"decisions\">\n<h2>Time per benchmark</h2>\n"
        << "<p>The ratio current / baseline of each benchmark's time over all its params, with "
           "its confidence interval, and what decided it.</p>\n<table class=\"decisions\">\n"
           "<thead><tr>";
    for (const auto& h : kBenchmarkHeader) out << "<th>" << escape_markup(h) << "</th>";
    out << "</tr></thead>\n<tbody>\n";
    for (const auto& b : report.benchmarks) {
      const BenchmarkCells c = benchmark_cells(b);
      out << "<tr class=\"" << to_string(b.time.status) << (b.failing ? " failing" : "")
          << "\"><td class=\"status\">" << escape_markup(c[0]) << "</td>";
      for (std::size_t i = 1; i < c.size(); ++i) out << "<td>" << escape_markup(c[i]) << "</td>";
      out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n</section>\n";
  }
  const auto benches = group(report, plots);
  out << "<section id=\"time\">\n<h2>Time per call against param</h2>\n"
      << "<p>Per parametric benchmark: the median per-call time of each param's samples (its ok "
         "rows that count for the verdict), baseline (dashed, hollow) and current (solid), on "
         "log-log axes.</p>\n";
  std::size_t parametric = 0;
  for (const auto& [id, b] : benches) {
    if (std::get<1>(id) != RowKind::parametric) continue;
    ++parametric;
    time_plot(out, b);
  }
  if (parametric == 0) out << "<p class=\"note\">No parametric benchmark.</p>\n";
  out << "</section>\n<section id=\"rss\">\n<h2>Peak RSS per benchmark</h2>\n"
      << "<p>Per benchmark and side: the largest median peak RSS over its params (blue baseline, "
         "orange current). <em>n/a</em>: not measured on that side, never 0.</p>\n";
  if (benches.empty())
    out << "<p class=\"note\">No benchmark.</p>\n";
  else
    rss_chart(out, benches);
  out << "</section>\n<section id=\"results\">\n<h2>All comparisons</h2>\n";
  results_table(out, report);
  out << "</section>\n</body>\n</html>\n";
}

}  // namespace benchgate
