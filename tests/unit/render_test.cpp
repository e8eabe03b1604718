// Tests compare/render.hpp: the text, Markdown and JSON forms of a comparison report computed
// from hand-made rows reduced in memory; fragments and parsed JSON values are checked, never
// whole prose.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "compare.hpp"
#include "keyed_rows.hpp"
#include "printers.hpp"
#include "render.hpp"

namespace {

using namespace benchgate;
using benchgate::test::KeyedRows;
using benchgate::test::Rows;

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The text of a Markdown section, from its heading to the next heading or <details>; empty
// when the heading is absent.
std::string md_section(const std::string& out, const std::string& heading) {
  const auto begin = out.find(heading);
  if (begin == std::string::npos) return {};
  auto end = std::min(out.find("\n#### ", begin + 1), out.find("<details>", begin));
  return out.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// The cell separators of a Markdown table line: every | not escaped by a backslash.
std::size_t unescaped_pipes(const std::string& line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
  }
  return n;
}

Key key(const std::string& function, std::uint64_t param = 1024) {
  Key k;
  k.suite = "suite";
  k.function = function;
  k.param = param;
  k.cache_mode = CacheMode::warm;
  return k;
}

// A key's rows: one ok row per time, each a sample, with `rss_kb` (null when not given) and 4096
// bytes allocated per call. A single time stands for five samples within 0.1% of it (median
// exactly it): enough for a time decision, which one sample against one never is.
Rows side(const std::vector<double>& times, std::optional<std::uint64_t> rss_kb = 1000,
          std::uint64_t alloc_bytes = 4096) {
  Rows rows;
  for (double t : test::five_if_one(times)) {
    Row r;
    r.inner_repeats = 1;
    r.per_call_nanos = t;
    r.total_nanos = static_cast<std::uint64_t>(t);
    r.peak_rss_kb = rss_kb;
    r.alloc_bytes = alloc_bytes;
    rows.push_back(r);
  }
  return rows;
}

// One row that failed with `error`.
Rows failed(const std::string& error) {
  Row r;
  r.status = RowStatus::error;
  r.error = error;
  return {r};
}

Rows hashed(Rows rows, std::uint64_t hash) {
  return test::with(std::move(rows), [&](Row& r) { r.result_hash = hash; });
}

Report compare_rows(const KeyedRows& base, const KeyedRows& cur,
                    const CompareOptions& o = test::quiet_machine()) {
  return compare(test::reduce(base), test::reduce(cur), o);
}

// One key of each kind a reader meets: a time regression, an improvement, two unchanged keys,
// a new key, a missing key, a zero-baseline RSS regression and a key whose RSS was not measured
// in the baseline (unchanged on time): 8 keys, 2 regressed, 3 unchanged.
Report mixed_report() {
  KeyedRows b, c;
  b[key("slow")] = side({100});
  c[key("slow")] = side({150});
  b[key("fast")] = side({100});
  c[key("fast")] = side({50});
  b[key("steady_one")] = side({100});
  c[key("steady_one")] = side({101});
  b[key("steady_two")] = side({100});
  c[key("steady_two")] = side({99});
  c[key("fresh")] = side({100});
  b[key("gone")] = side({100});
  b[key("from_zero")] = side({100}, 0);
  c[key("from_zero")] = side({100}, 512);
  b[key("no_rss")] = side({100}, std::nullopt);
  c[key("no_rss")] = side({100}, 2000);
  return compare_rows(b, c);
}

Report passing_report() {
  KeyedRows b, c;
  b[key("steady")] = side({100});
  c[key("steady")] = side({100});
  b[key("quicker")] = side({100});
  c[key("quicker")] = side({60});
  return compare_rows(b, c);
}

std::string text(const Report& r) {
  std::ostringstream out;
  render_text(r, out);
  return out.str();
}
std::string markdown(const Report& r) {
  std::ostringstream out;
  render_markdown(r, out);
  return out.str();
}
std::string json(const Report& r) {
  std::ostringstream out;
  render_json(r, out);
  return out.str();
}

rapidjson::Document parse(const std::string& s) {
  rapidjson::Document doc;
  doc.Parse(s.c_str(), s.size());
  INFO(s);
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

// The result object for a function name in a parsed JSON report.
const rapidjson::Value& json_result(const rapidjson::Document& doc, const std::string& function) {
  for (const auto& r : doc["results"].GetArray()) {
    if (r["function"].GetString() == function) return r;
  }
  FAIL("no JSON result for " << function);
  return doc;
}

}  // namespace

TEST_CASE("render: a change is a signed percentage with one decimal") {
  CHECK(format_change(0.123) == "+12.3%");
  CHECK(format_change(0.0) == "+0.0%");
  CHECK(format_change(2.5) == "+250.0%");
  // A decrease carries a minus sign (render.hpp shows U+2212; either minus reads correctly).
  const std::string down = format_change(-0.04);
  CHECK((down == "-4.0%" || down == "\u22124.0%"));
}

TEST_CASE("render: a change from a zero baseline is infinity and a missing change is n/a") {
  CHECK(format_change(std::numeric_limits<double>::infinity()) == "+∞");
  CHECK(format_change(std::nullopt) == "n/a");
}

TEST_CASE("render: text shows failing statuses in upper case and the others in lower case") {
  const std::string out = text(mixed_report());
  INFO(out);
  CHECK(contains(out, "REGRESSED"));
  CHECK(contains(out, "improved"));
  CHECK_FALSE(contains(out, "IMPROVED"));
  CHECK(contains(out, "suite/slow n=1024"));
  CHECK(contains(out, "+50.0%"));
  // The failing key comes before the passing ones.
  CHECK(out.find("suite/slow") < out.find("suite/fast"));
}

TEST_CASE("render: text ends with the summary counts and the outcome") {
  const Report failing = mixed_report();
  REQUIRE(failing.failing() == 2);
  const std::string out = text(failing);
  INFO(out);
  CHECK(contains(out, "8 key(s)"));
  CHECK(contains(out, "2 regressed"));
  CHECK(contains(out, "1 missing"));
  CHECK(contains(out, "1 new"));
  CHECK(contains(out, "1 improved"));
  CHECK(contains(out, "3 unchanged"));
  CHECK(contains(out, "FAIL"));
  CHECK_FALSE(contains(out, "PASS"));

  const std::string ok = text(passing_report());
  INFO(ok);
  CHECK(contains(ok, "PASS"));
  CHECK_FALSE(contains(ok, "FAIL"));
  CHECK_FALSE(contains(ok, "REGRESSED"));
}

TEST_CASE("render: text prints n/a for a metric that was not measured") {
  const std::string out = text(mixed_report());
  INFO(out);
  const auto line_start = out.find("suite/no_rss n=");
  REQUIRE(line_start != std::string::npos);
  const std::string line = out.substr(line_start, out.find('\n', line_start) - line_start);
  CHECK(contains(line, "n/a"));
  CHECK_FALSE(contains(line, "0 kB"));
}

TEST_CASE("render: text explains an inconclusive time and a changed hash") {
  KeyedRows b, c;
  // Medians 100 -> 130 but the current samples straddle the baseline: inconclusive, with a note.
  b[key("noisy")] = side({60, 99, 100, 101, 300});
  c[key("noisy")] = side({70, 90, 130, 131, 132});
  b[key("hashed")] = hashed(side({100}), 0xab);
  c[key("hashed")] = hashed(side({100}), 0xcd);
  const Report report = compare_rows(b, c);
  REQUIRE(report.count(KeyStatus::inconclusive) == 1);
  REQUIRE(report.count(KeyStatus::unchanged) == 1);
  const std::string out = text(report);
  INFO(out);
  CHECK(contains(out, "time: "));
  CHECK(contains(out, "straddles 10.0%"));
  CHECK(contains(out, "result_hash changed"));
  CHECK(contains(out, "0xab"));
  CHECK(contains(out, "0xcd"));
  CHECK(contains(out, "PASS"));
}

TEST_CASE("render: markdown opens with a one-line headline of the outcome") {
  const std::string out = markdown(mixed_report());
  INFO(out);
  const std::string headline = out.substr(0, out.find('\n'));
  CHECK(starts_with(headline, "### ❌ benchgate: "));
  CHECK(contains(headline, "2 regressions"));
  CHECK(contains(headline, "8 keys"));
  // One line: the next one is blank, and no table or count line is folded into it.
  CHECK(starts_with(out.substr(headline.size()), "\n\n"));
  CHECK_FALSE(contains(headline, "|"));

  const std::string ok = markdown(passing_report());
  INFO(ok);
  CHECK(starts_with(ok, "### ✅ benchgate: no regression (2 keys, 1 improved)\n"));
}

TEST_CASE("render: markdown lists regressions first with metric, baseline, current and change") {
  const std::string out = markdown(mixed_report());
  INFO(out);
  const auto regressions = out.find("#### Regressions");
  REQUIRE(regressions != std::string::npos);
  CHECK(regressions < out.find("#### Improvements"));
  CHECK(regressions < out.find("<details>"));
  const std::string section = md_section(out, "#### Regressions");
  CHECK(contains(section, "| benchmark | metric | baseline → current | change |"));
  CHECK(contains(section,
                 "| `suite/slow n=1024` | time per call | 100.000 ns → 150.000 ns | "
                 "+50.0% [+"));
  CHECK(contains(section, "| `suite/from_zero n=1024` | peak RSS | 0 kB → 512 kB | +∞ |"));
  // Only the failing keys, and only the metric that failed: slow's RSS did not move.
  CHECK_FALSE(contains(section, "suite/fast"));
  CHECK_FALSE(contains(section, "suite/steady"));
  CHECK_FALSE(contains(section, "suite/gone"));
  CHECK_FALSE(contains(section, "| `suite/slow n=1024` | peak RSS"));
}

TEST_CASE("render: markdown lists improvements in a section after the regressions") {
  const std::string out = markdown(mixed_report());
  INFO(out);
  const std::string section = md_section(out, "#### Improvements");
  REQUIRE_FALSE(section.empty());
  CHECK(contains(section, "| `suite/fast n=1024` | time per call | 100.000 ns → 50.000 ns | "));
  CHECK(contains(section, "| -50.0% [-"));
  CHECK_FALSE(contains(section, "suite/slow"));
  CHECK_FALSE(contains(section, "suite/steady"));
}

TEST_CASE("render: markdown gives each benchmark's time ratio and interval after the headline") {
  const std::string out = markdown(mixed_report());
  INFO(out);
  const std::string section = md_section(out, "#### Time per benchmark");
  REQUIRE_FALSE(section.empty());
  CHECK(out.find("#### Time per benchmark") < out.find("#### Regressions"));
  CHECK(contains(section, "| time | benchmark | ratio [interval] | decided from |"));
  CHECK(contains(section, "| **REGRESSED** | `suite/slow` | +50.0% ["));
  CHECK(contains(section, "| improved | `suite/fast` | -50.0% ["));
}

TEST_CASE("render: markdown folds one table of every key into details, thresholds last") {
  const std::string out = markdown(mixed_report());
  INFO(out);
  const auto details = out.find("<details>");
  REQUIRE(details != std::string::npos);
  CHECK(out.find("<details>", details + 1) == std::string::npos);
  const auto end = out.find("</details>");
  REQUIRE(end != std::string::npos);
  CHECK(contains(out,
                 "<summary>All 8 keys: 2 regressed, 1 missing, 1 new, 1 improved, "
                 "3 unchanged</summary>"));
  const std::string table = out.substr(details, end - details);
  CHECK(contains(table, "| status | benchmark | time per call | peak RSS | notes |"));
  // Every key, those listed above the fold included.
  for (const char* f :
       {"slow", "fast", "steady_one", "steady_two", "fresh", "gone", "from_zero", "no_rss"}) {
    CHECK(contains(table, "`suite/" + std::string(f) + " n=1024`"));
  }
  CHECK(contains(table, "**REGRESSED**"));
  const auto thresholds = out.find("thresholds: time 10%");
  REQUIRE(thresholds != std::string::npos);
  CHECK(thresholds > end);
}

TEST_CASE("render: markdown leaves out the sections that would be empty") {
  KeyedRows b, c;
  b[key("steady")] = side({100});
  c[key("steady")] = side({100});
  const std::string out = markdown(compare_rows(b, c));
  INFO(out);
  CHECK(starts_with(out, "### ✅ benchgate: no regression (1 key)\n"));
  CHECK_FALSE(contains(out, "#### Regressions"));
  CHECK_FALSE(contains(out, "#### Improvements"));
  const auto details = out.find("<details>");
  REQUIRE(details != std::string::npos);
  CHECK(out.find("| status |") > details);

  const std::string improved = markdown(passing_report());
  INFO(improved);
  CHECK_FALSE(contains(improved, "#### Regressions"));
  CHECK(contains(improved, "#### Improvements"));
}

TEST_CASE("render: markdown lists broken keys, allocations and failing hash changes") {
  KeyedRows b, c;
  b[key("heavy")] = side({100});
  c[key("heavy")] = side({100}, 1000, 8192);
  b[key("crashed")] = side({100});
  c[key("crashed")] = failed("signal 11 (SIGSEGV)");
  b[key("hashed")] = hashed(side({100}), 0xab);
  c[key("hashed")] = hashed(side({100}), 0xcd);
  CompareOptions o = test::quiet_machine();
  o.alloc_threshold = 0.01;
  o.fail_on_hash_change = true;
  const Report report = compare_rows(b, c, o);
  REQUIRE(report.failing() == 3);
  const std::string out = markdown(report);
  INFO(out);
  CHECK(starts_with(out, "### ❌ benchgate: 1 regression, 1 broken, 1 changed result in 3 keys\n"));
  const std::string section = md_section(out, "#### Regressions");
  CHECK(contains(section,
                 "| `suite/heavy n=1024` | allocations per call | 4_096 B → 8_192 B | "
                 "+100.0% |"));
  CHECK(contains(section, "| `suite/crashed n=1024` | broken |"));
  CHECK(contains(section, "SIGSEGV"));
  CHECK(contains(section, "| `suite/hashed n=1024` | result hash | 0xab → 0xcd | changed |"));
  // With --alloc-threshold the table of every key has a column for allocations.
  CHECK(contains(out, "| status | benchmark | time per call | peak RSS | allocations per call |"));
}

TEST_CASE("render: markdown escapes pipes and line breaks in cells, names in backticks") {
  KeyedRows b, c;
  b[key("a|b\nc")] = side({100});
  c[key("a|b\nc")] = side({200});
  b[key("x`y")] = side({100});
  c[key("x`y")] = failed("boom | bang\nsecond line <b> 1 <= 2");
  const std::string out = markdown(compare_rows(b, c));
  INFO(out);
  CHECK(contains(out, "| `suite/a\\|b c n=1024` | time per call |"));
  CHECK(contains(out, "| ``suite/x`y n=1024`` | broken |"));
  // A < that could open an HTML tag is escaped; one that could not reads as itself.
  CHECK(contains(out, "boom \\| bang second line &lt;b> 1 <= 2"));
  // Every table line has as many cells as its header: no stray | or line break split one.
  std::istringstream lines(out);
  std::size_t columns = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!starts_with(line, "|")) {
      columns = 0;
      continue;
    }
    const std::size_t cells = unescaped_pipes(line);
    if (columns == 0) columns = cells;
    CHECK_MESSAGE(cells == columns, line);
  }
}

TEST_CASE("render: json parses and carries the version and the summary counts") {
  const Report report = mixed_report();
  const rapidjson::Document doc = parse(json(report));
  REQUIRE(doc.HasMember("benchgate_compare_version"));
  CHECK(doc["benchgate_compare_version"].GetInt() == 2);
  const auto& summary = doc["summary"];
  CHECK(summary["keys"].GetUint64() == report.results.size());
  CHECK(summary["failing"].GetUint64() == report.failing());
  for (KeyStatus v :
       {KeyStatus::regressed, KeyStatus::broken, KeyStatus::missing, KeyStatus::new_key,
        KeyStatus::improved, KeyStatus::unchanged, KeyStatus::not_comparable}) {
    INFO(to_string(v));
    REQUIRE(summary.HasMember(to_string(v)));
    CHECK(summary[to_string(v)].GetUint64() == report.count(v));
  }
  CHECK(doc["results"].Size() == report.results.size());
  CHECK(doc["options"]["alloc_threshold"].IsNull());
  CHECK(doc["options"]["time_threshold"].GetDouble() == doctest::Approx(0.10));
}

TEST_CASE("render: json writes a zero-baseline change as null with from_zero set") {
  const rapidjson::Document doc = parse(json(mixed_report()));
  const auto& rss = json_result(doc, "from_zero")["rss"];
  CHECK(std::string(rss["status"].GetString()) == "regressed");
  CHECK(rss["change"].IsNull());
  CHECK(rss["from_zero"].GetBool());
  CHECK(rss["baseline_median"].GetDouble() == 0);
  CHECK(rss["current_median"].GetDouble() == 512);

  const auto& time = json_result(doc, "slow")["time"];
  CHECK_FALSE(time["from_zero"].GetBool());
  CHECK(time["change"].GetDouble() == doctest::Approx(0.5));
}

TEST_CASE("render: json writes the medians of a metric that was not measured as null") {
  const rapidjson::Document doc = parse(json(mixed_report()));
  const auto& rss = json_result(doc, "no_rss")["rss"];
  CHECK(std::string(rss["status"].GetString()) == "not_comparable");
  CHECK(rss["baseline_median"].IsNull());
  CHECK(rss["current_median"].IsNull());
  CHECK(rss["change"].IsNull());
  CHECK_FALSE(rss["from_zero"].GetBool());

  // A key only in the current rows has no measured metrics to compare either.
  const auto& fresh = json_result(doc, "fresh");
  CHECK(std::string(fresh["status"].GetString()) == "new");
  CHECK(fresh["time"]["baseline_median"].IsNull());
  CHECK(fresh["time"]["current_median"].IsNull());
}

TEST_CASE("render: json results carry key fields and the failing flag") {
  const rapidjson::Document doc = parse(json(mixed_report()));
  const auto& slow = json_result(doc, "slow");
  CHECK(std::string(slow["suite"].GetString()) == "suite");
  CHECK(std::string(slow["kind"].GetString()) == "parametric");
  CHECK(slow["param"].GetUint64() == 1024);
  CHECK(std::string(slow["cache_mode"].GetString()) == "warm");
  CHECK(std::string(slow["status"].GetString()) == "regressed");
  CHECK(slow["failing"].GetBool());
  CHECK_FALSE(json_result(doc, "fast")["failing"].GetBool());
  // Results keep the report's order: failing keys first.
  CHECK(doc["results"][0]["failing"].GetBool());
}

TEST_CASE("render: the text report leads with each benchmark's ratio, interval and decision") {
  KeyedRows b, c;
  b[key("f")] = side({100, 101, 102, 103, 104});
  c[key("f")] = side({150, 151, 152, 153, 154});
  b[key("g")] = side({100, 101});
  c[key("g")] = side({100, 101});
  const Report report = compare_rows(b, c);
  std::ostringstream out;
  render_text(report, out);
  const std::string text = out.str();
  INFO(text);
  CHECK(text.rfind("time ", 0) == 0);  // the benchmarks' table first
  CHECK(contains(text, "\nREGRESSED     suite/f "));
  CHECK(contains(text, "+49.0% ["));
  CHECK(contains(text, "5 vs 5 samples, 1 look: above 10.0%"));
  CHECK(contains(text, "\ninconclusive  suite/g "));
  CHECK(contains(text, "straddles 10.0% (too few samples for the interval's level)"));
  CHECK(contains(text, "0 regressed") == false);
  CHECK(contains(text, "1 inconclusive"));
  // And for CTest: the ratio and its bounds as numbers, the line as text.
  CHECK(
      contains(text, "<CTestMeasurement type=\"numeric/double\" name=\"suite/f time ratio\">1.49"));
  CHECK(
      contains(text, "<CTestMeasurement type=\"numeric/double\" name=\"suite/f time ratio low\">"));
  CHECK(contains(text,
                 "<CTestMeasurement type=\"numeric/double\" name=\"suite/f time ratio high\">"));
  CHECK(contains(
      text, "<CTestMeasurement type=\"text/string\" name=\"suite/f time\">regressed +49.0% ["));
}
