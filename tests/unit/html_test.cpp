// Tests compare/html.hpp: the HTML report of a comparison built from in-memory rows. The SVG is
// read back by structure (elements, classes, the points of each series), never as whole text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/core/format.hpp"
#include "compare.hpp"
#include "html.hpp"
#include "keyed_rows.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

// The elements from each `open` to the following `close`, in order.
std::vector<std::string> blocks(const std::string& s, const std::string& open,
                                const std::string& close) {
  std::vector<std::string> out;
  for (auto at = s.find(open); at != std::string::npos; at = s.find(open, at + 1)) {
    const auto end = s.find(close, at);
    REQUIRE(end != std::string::npos);
    out.push_back(s.substr(at, end + close.size() - at));
  }
  return out;
}

// The (x, y) pairs of the polyline of `series` in one plot's SVG.
std::vector<std::pair<double, double>> series_points(const std::string& svg,
                                                     const std::string& series) {
  const auto line = svg.find("<polyline class=\"series " + series + "\"");
  REQUIRE(line != std::string::npos);
  const auto start = svg.find("points=\"", line) + 8;
  const auto end = svg.find('"', start);
  std::istringstream in(svg.substr(start, end - start));
  std::vector<std::pair<double, double>> out;
  std::string pair;
  while (in >> pair) {
    const auto comma = pair.find(',');
    REQUIRE(comma != std::string::npos);
    out.emplace_back(std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1)));
  }
  return out;
}

Row row(const std::string& function, std::optional<std::uint64_t> param, std::uint64_t trial,
        double per_call, std::optional<std::uint64_t> rss_kb) {
  Row r;
  r.suite = "suite";
  r.function = function;
  r.trial_index = trial;
  r.inner_repeats = 1;
  r.per_call_nanos = per_call;
  r.total_nanos = static_cast<std::uint64_t>(per_call);
  r.peak_rss_kb = rss_kb;
  if (param) {
    r.kind = RowKind::parametric;
    r.param = param;
    r.cache_mode = CacheMode::warm;
  } else {
    r.kind = RowKind::fixed;
    r.repeat_index = trial;
  }
  return r;
}

// Five trials of one key, times spread by under 1%.
void add_trials(std::vector<Row>& rows, const std::string& function,
                std::optional<std::uint64_t> param, double per_call,
                std::optional<std::uint64_t> rss_kb) {
  for (std::uint64_t t = 0; t < 5; ++t) {
    rows.push_back(
        row(function, param, t, per_call * (1 + 0.001 * static_cast<double>(t)), rss_kb));
  }
}

CompactReduction reduce(const std::vector<Row>& rows) {
  CompactReduction out;
  for (const Row& r : rows) out.add(r);
  return out;
}

// The plots' data and the report of two sides' rows, as benchgate-compare takes them.
Report compare_rows(const std::vector<Row>& baseline, const std::vector<Row>& current,
                    const CompareOptions& options, PlotData& plots) {
  CompactReduction b = reduce(baseline), c = reduce(current);
  plots = {plot_side(b), plot_side(c)};
  return compare(std::move(b), std::move(c), options);
}

constexpr std::uint64_t kParams[] = {16, 256, 4096, 65536};  // a factor 16 apart

// Three benchmarks of suite "suite":
// - "scan": parametric, 4 params, time 10 ns per element (so y is linear in log n); the current
//   side is 50% slower at n=65536 (the only failing key); RSS 2000 kB baseline, 2100 current;
// - "one": parametric, one param (n=100), unchanged;
// - "fixed": fixed, RSS measured in the baseline only (null in the current rows).
struct Fixture {
  std::vector<Row> baseline, current;
  Report report;
  PlotData plots;
  std::string html;
};

Fixture fixture(const CompareOptions& options = test::quiet_machine()) {
  Fixture f;
  for (std::uint64_t n : kParams) {
    const double t = 10.0 * static_cast<double>(n);
    add_trials(f.baseline, "scan", n, t, 2000);
    add_trials(f.current, "scan", n, n == 65536 ? t * 1.5 : t, 2100);
  }
  add_trials(f.baseline, "one", 100, 500, 1000);
  add_trials(f.current, "one", 100, 500, 1000);
  add_trials(f.baseline, "fixed", std::nullopt, 20000, 3000);
  add_trials(f.current, "fixed", std::nullopt, 20000, std::nullopt);
  f.report = compare_rows(f.baseline, f.current, options, f.plots);
  std::ostringstream out;
  render_html(f.report, f.plots, out);
  f.html = out.str();
  return f;
}

// The figure of one benchmark's time plot, found by its caption.
std::string figure_of(const std::string& html, const std::string& label) {
  for (const auto& fig : blocks(html, "<figure class=\"plot\">", "</figure>")) {
    if (contains(fig, "<strong>" + label + "</strong>")) return fig;
  }
  FAIL("no plot for " << label);
  return {};
}

}  // namespace

TEST_CASE("html: one log-log svg per parametric benchmark, with a baseline and a current series") {
  const auto f = fixture();
  INFO(f.html);
  CHECK(count(f.html, "<svg class=\"time-plot\"") == 2);  // scan and one; fixed has no param
  const std::string scan = figure_of(f.html, "suite/scan");
  CHECK(count(scan, "<svg") == 1);
  CHECK(count(scan, "<polyline") == 2);
  for (const char* side : {"baseline", "current"}) {
    CAPTURE(side);
    const auto pts = series_points(scan, side);
    REQUIRE(pts.size() == 4);
    CHECK(count(scan, std::string("<circle class=\"point ") + side) == 4);
    // Params a constant factor apart land a constant distance apart only on a log axis.
    const double dx = pts[1].first - pts[0].first;
    CHECK(dx > 50);
    for (std::size_t i = 1; i < pts.size(); ++i) {
      CHECK(pts[i].first > pts[i - 1].first);
      CHECK(pts[i].first - pts[i - 1].first == doctest::Approx(dx).epsilon(0.01));
    }
    // Time grows with n: up the page (SVG y grows downwards), by a constant step while the time
    // is proportional to n.
    for (std::size_t i = 1; i < pts.size(); ++i) CHECK(pts[i].second < pts[i - 1].second);
    const double dy = pts[0].second - pts[1].second;
    CHECK(pts[1].second - pts[2].second == doctest::Approx(dy).epsilon(0.02));
  }
  // The current side's last point is 50% slower: above the baseline's, the others coincide.
  const auto base = series_points(scan, "baseline"), cur = series_points(scan, "current");
  CHECK(cur[3].second < base[3].second - 5);
  CHECK(cur[0].second == doctest::Approx(base[0].second).epsilon(0.01));
  // Legend, axis titles, tick labels at powers of ten, and the failing point marked.
  CHECK(contains(scan, "<g class=\"legend\">"));
  CHECK(contains(scan, ">baseline (4)</text>"));
  CHECK(contains(scan, ">current (4)</text>"));
  CHECK(contains(scan, "param n (log scale)"));
  CHECK(contains(scan, "time per call (median, log scale)"));
  CHECK(contains(scan, ">1k</text>"));
  CHECK(contains(scan, ">10k</text>"));
  CHECK(contains(scan, ">10 µs</text>"));
  CHECK(count(scan, "<circle class=\"point current failing\"") == 1);
}

TEST_CASE("html: a benchmark with one param is drawn as one point per side with a note") {
  const auto f = fixture();
  const std::string one = figure_of(f.html, "suite/one");
  INFO(one);
  CHECK(count(one, "<svg") == 1);
  CHECK(series_points(one, "baseline").size() == 1);
  CHECK(series_points(one, "current").size() == 1);
  CHECK(count(one, "<circle class=\"point ") == 2);
  CHECK(contains(one, "one param only"));
}

TEST_CASE("html: peak RSS has one bar per side per benchmark and n/a where it is null") {
  const auto f = fixture();
  const auto charts = blocks(f.html, "<svg class=\"rss-chart\"", "</svg>");
  REQUIRE(charts.size() == 1);
  const std::string& chart = charts[0];
  INFO(chart);
  CHECK(count(chart, "<g class=\"benchmark\"") == 3);
  CHECK(count(chart, "<rect class=\"bar baseline\"") == 3);
  CHECK(count(chart, "<rect class=\"bar current\"") == 2);  // fixed: RSS null now
  CHECK(count(chart, "<text class=\"na current\"") == 1);
  CHECK(count(chart, "<text class=\"na baseline\"") == 0);
  const auto fixed = blocks(chart, "<g class=\"benchmark\" data-benchmark=\"suite/fixed\"", "</g>");
  REQUIRE(fixed.size() == 1);
  CHECK(contains(fixed[0], "<rect class=\"bar baseline\""));
  CHECK(contains(fixed[0], ">n/a (not measured)</text>"));
  CHECK_FALSE(contains(fixed[0], "<rect class=\"bar current\""));
  // Bars are to scale: scan's 2,100 kB is longer than its 2,000 kB and shorter than fixed's 3,000.
  auto width = [&](const std::string& bench, const std::string& side) {
    const auto g =
        blocks(chart, "<g class=\"benchmark\" data-benchmark=\"suite/" + bench + "\"", "</g>");
    REQUIRE(g.size() == 1);
    const auto bar = g[0].find("<rect class=\"bar " + side + "\"");
    REQUIRE(bar != std::string::npos);
    const auto at = g[0].find("width=\"", bar) + 7;
    return std::stod(g[0].substr(at, g[0].find('"', at) - at));
  };
  CHECK(width("scan", "current") == doctest::Approx(width("scan", "baseline") * 1.05));
  CHECK(width("fixed", "baseline") == doctest::Approx(width("scan", "baseline") * 1.5));
}

TEST_CASE("html: the header gives the verdict, the counts and the thresholds") {
  CompareOptions o = test::quiet_machine();
  o.time_threshold = 0.2;
  const auto f = fixture(o);
  const auto header = blocks(f.html, "<header", "</header>");
  REQUIRE(header.size() == 1);
  INFO(header[0]);
  CHECK(contains(header[0], "<header class=\"fail\">"));
  CHECK(contains(header[0], "FAIL: 1 key(s) fail the gate"));
  CHECK(contains(header[0], ">6 key(s)</li>"));
  CHECK(contains(header[0], ">1 failing</li>"));
  CHECK(contains(header[0], ">1 regressed</li>"));
  CHECK(contains(header[0], ">5 unchanged</li>"));
  CHECK(contains(header[0], ">0 improved</li>"));
  CHECK(contains(header[0], "thresholds: time 20%"));
  CHECK(contains(header[0], "RSS 5%"));

  // The same rows against themselves pass.
  PlotData plots;
  const auto same = compare_rows(f.baseline, f.baseline, {}, plots);
  std::ostringstream out;
  render_html(same, plots, out);
  CHECK(contains(out.str(), "<header class=\"pass\">"));
  CHECK(contains(out.str(), "benchgate: PASS"));
}

TEST_CASE("html: a table gives each benchmark's time ratio, interval and decision") {
  const auto f = fixture();
  const auto table = blocks(f.html, "<table class=\"decisions\">", "</table>");
  REQUIRE(table.size() == 1);
  INFO(table[0]);
  CHECK(count(table[0], "<tr class=") == f.report.benchmarks.size());
  CHECK(contains(table[0], "<td class=\"status\">REGRESSED</td><td>suite/scan</td><td>+"));
  CHECK(contains(table[0], "grows with n"));
  CHECK(contains(table[0], "above 10.0% at n=65536"));
}

TEST_CASE("html: the table has one row per key with the text report's cells") {
  const auto f = fixture();
  const auto table = blocks(f.html, "<table class=\"results\">", "</table>");
  REQUIRE(table.size() == 1);
  INFO(table[0]);
  CHECK(count(table[0], "<tr class=") == f.report.results.size());
  CHECK(contains(table[0], "<td class=\"status\">REGRESSED</td><td>suite/scan n=65536</td>"));
  CHECK(contains(table[0], "(+50.0%)"));
  CHECK(contains(table[0], "suite/fixed</td>"));
}

TEST_CASE("html: the page is self-contained, with no link, script or network address") {
  const auto f = fixture();
  std::string lower = f.html;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  CHECK(lower.rfind("<!doctype html>", 0) == 0);
  CHECK_FALSE(contains(lower, "http"));
  CHECK_FALSE(contains(lower, "<script"));
  CHECK_FALSE(contains(lower, "<link"));
  CHECK_FALSE(contains(lower, "src="));
  CHECK(contains(lower, "</html>"));
}

TEST_CASE("html: names from the rows are escaped in text and attributes") {
  std::vector<Row> b, c;
  const std::string name = "f<script>&\"'";
  for (std::uint64_t n : {8u, 64u}) {
    add_trials(b, name, n, 100.0 * n, 1000);
    add_trials(c, name, n, 100.0 * n, 1000);
  }
  std::ostringstream out;
  PlotData plots;
  const Report report = compare_rows(b, c, {}, plots);
  render_html(report, plots, out);
  const std::string html = out.str();
  INFO(html);
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, name));
  CHECK(contains(html, "suite/f&lt;script&gt;&amp;&quot;&#39;"));
  CHECK(count(html, "<svg class=\"time-plot\"") == 1);
  CHECK(escape_markup("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
}

TEST_CASE("html: plot points are each side's medians, null when not measured") {
  std::vector<Row> rows;
  add_trials(rows, "f", 8, 100, std::nullopt);
  CompactReduction red = reduce(rows);
  red.sort();
  Side side;
  red.side(0, side);
  const PlotPoint p = plot_point(side);
  REQUIRE(p.time_ns);
  CHECK(*p.time_ns == doctest::Approx(100.2));
  CHECK_FALSE(p.rss_kb);
  CHECK(p.eligible);

  // A key whose rows all failed has no point; plot_side gives every key's point in key order.
  Row failed = row("g", 8, 0, 0, 100);
  failed.status = RowStatus::error;
  failed.per_call_nanos.reset();
  red.add(failed);
  const PlotSide points = plot_side(red);
  REQUIRE(points.size() == 2);
  const PlotPoint& f = points.begin()->second;
  CHECK(points.begin()->first.function == "f");
  CHECK(f.time_ns == p.time_ns);
  CHECK(f.rss_kb == p.rss_kb);
  CHECK(f.eligible);
  CHECK(points.rbegin()->first.function == "g");
  CHECK_FALSE(points.rbegin()->second.eligible);
  CHECK_FALSE(points.rbegin()->second.time_ns);
}
