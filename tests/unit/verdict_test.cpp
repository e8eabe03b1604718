// Tests benchgate/core/verdict.hpp: ratios, trial summaries, the verdict and its report line,
// advisories, no-usable-data and auto-fit, on synthetic rows with known complexity and noise.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "benchgate/core/format.hpp"
#include "benchgate/core/stats.hpp"
#include "benchgate/core/verdict.hpp"
#include "printers.hpp"

namespace doctest {
template <>
struct StringMaker<benchgate::Ratio> {
  static String convert(const benchgate::Ratio& r) {
    return String("(") + std::to_string(r.param).c_str() + ", " + std::to_string(r.c).c_str() + ")";
  }
};
template <>
struct StringMaker<benchgate::ComplexityVerdict> {
  static String convert(benchgate::ComplexityVerdict v) { return benchgate::to_string(v); }
};
template <>
struct StringMaker<benchgate::AdvisoryKind> {
  static String convert(benchgate::AdvisoryKind k) { return benchgate::to_string(k); }
};
}  // namespace doctest

namespace {

using namespace benchgate;
using Model = std::function<double(double)>;

const Model kLinear = [](double n) { return n; };
const Model kNLogN = [](double n) { return n * std::floor(std::log2(n + 1)); };
const Model kQuadratic = [](double n) { return n * n; };

Row ok_row(std::uint64_t param, double per_call) {
  Row r;
  r.function = "f";
  r.param = param;
  r.inner_repeats = 1;
  r.per_call_nanos = per_call;
  r.total_nanos = static_cast<std::uint64_t>(per_call);
  return r;
}

Row failed_row(std::uint64_t param, RowStatus status) {
  Row r;
  r.function = "f";
  r.param = param;
  r.inner_repeats = 1;
  r.status = status;
  return r;
}

std::vector<std::uint64_t> doubling(unsigned from_exp, unsigned to_exp) {
  std::vector<std::uint64_t> ps;
  for (unsigned k = from_exp; k <= to_exp; ++k) ps.push_back(std::uint64_t{1} << k);
  return ps;
}

// One ok row per param with time 7 ns × truth(p) × a deterministic wobble of up to ±3%. Over
// the 10 rungs 2^1..2^10 the wobble is symmetric about the middle of the 8 rungs the default
// warmup trim keeps, so it moves C but adds nothing to the slope: expected slopes are exact.
std::vector<Row> rows_for(const std::vector<std::uint64_t>& params, const Model& truth) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const double wobble = 1 + 0.03 * std::cos(2.1 * (static_cast<double>(i) - 5.5));
    rows.push_back(ok_row(params[i], 7 * truth(static_cast<double>(params[i])) * wobble));
  }
  return rows;
}

std::map<std::uint64_t, double> complexity_for(const std::vector<std::uint64_t>& params,
                                               const Model& declared) {
  std::map<std::uint64_t, double> c;
  for (std::uint64_t p : params) c[p] = declared(static_cast<double>(p));
  return c;
}

VerdictResult verdict_for(const Model& truth, const Model& declared,
                          const BenchmarkConfig& config = {}) {
  const auto params = doubling(1, 10);
  return derive_verdict(ratios(rows_for(params, truth), complexity_for(params, declared)), config);
}

// Ratios with C = p^beta exactly, so the OLS slope is beta.
std::vector<Ratio> power_ratios(double beta) {
  std::vector<Ratio> out;
  for (std::uint64_t p : doubling(1, 8)) out.push_back({p, std::pow(static_cast<double>(p), beta)});
  return out;
}

std::vector<AdvisoryKind> kinds(const std::vector<Advisory>& advisories) {
  std::vector<AdvisoryKind> out;
  for (const auto& a : advisories) out.push_back(a.kind);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("verdict: a row is eligible only when ok, not a probe and not below the floor") {
  Row r = ok_row(8, 100);
  CHECK(verdict_eligible(r));
  r.part_of_verdict = true;
  r.below_signal_floor = false;
  CHECK(verdict_eligible(r));
  r.part_of_verdict = false;
  CHECK_FALSE(verdict_eligible(r));
  r.part_of_verdict = std::nullopt;
  r.below_signal_floor = true;
  CHECK_FALSE(verdict_eligible(r));
  for (RowStatus s : {RowStatus::timed_out, RowStatus::killed_at_cap, RowStatus::error}) {
    CHECK_FALSE(verdict_eligible(failed_row(8, s)));
  }
}

TEST_CASE("verdict: ratios are the median per-call time over C, in first-occurrence order") {
  std::vector<Row> rows{ok_row(0, 5),    ok_row(1, 6),   ok_row(8, 80), ok_row(4, 40),
                        ok_row(8, 88),   ok_row(8, 84),  ok_row(8, 90), ok_row(16, 160),
                        ok_row(32, 320), ok_row(64, 640)};
  // Per-call time falls back to total / inner_repeats when per_call_nanos is null.
  rows.back().per_call_nanos = std::nullopt;
  rows.back().total_nanos = 6400;
  rows.back().inner_repeats = 10;
  std::map<std::uint64_t, double> c{{0, 1}, {1, 1}, {4, 4}, {8, 8}, {16, 0}, {64, 64}};
  // 32 is missing from the map and C(16) = 0: neither has a ratio. 0 and 1 never do.
  const auto r = ratios(rows, c);
  REQUIRE(r.size() == 3);
  CHECK(r[0].param == 8);
  CHECK(r[1].param == 4);
  CHECK(r[2].param == 64);
  // Four trials at 8: the mean of the two middles (84, 88), the one benchgate::median.
  CHECK(r[0].c == doctest::Approx(86.0 / 8));
  CHECK(r[0].c == doctest::Approx(median({80, 88, 84, 90}) / 8));
  CHECK(r[1].c == doctest::Approx(10));
  CHECK(r[2].c == doctest::Approx(10));
}

TEST_CASE("verdict: probe, below-floor and failed rows stay out of ratios and summaries") {
  std::vector<Row> rows{ok_row(4, 40), ok_row(8, 80), ok_row(8, 8000)};
  rows[2].below_signal_floor = true;
  Row probe = ok_row(16, 1'000'000);
  probe.part_of_verdict = false;
  rows.push_back(probe);
  probe.param = 8;  // a probe at a verdict param is neither a sample nor a trial there
  probe.per_call_nanos = 1;
  rows.push_back(probe);
  rows.push_back(failed_row(8, RowStatus::error));
  std::map<std::uint64_t, double> c{{4, 4}, {8, 8}, {16, 16}};
  CHECK(ratios(rows, c) == std::vector<Ratio>{{4, 10}, {8, 10}});
  const auto s = trial_summaries(rows);
  REQUIRE(s.size() == 2);
  CHECK(s[1].param == 8);
  CHECK(s[1].ok_count == 1);
  CHECK(s[1].trials == 3);  // the below-floor and the failed row ran too
  CHECK(s[1].min == 80);
  CHECK(s[1].max == 80);
}

TEST_CASE("verdict: trial summaries include params 0 and 1 and use the shared median") {
  std::vector<Row> rows{ok_row(0, 3),
                        ok_row(1, 4),
                        ok_row(2, 10),
                        ok_row(2, 30),
                        ok_row(2, 20),
                        ok_row(2, 12),
                        failed_row(2, RowStatus::killed_at_cap)};
  const auto s = trial_summaries(rows);
  REQUIRE(s.size() == 3);
  CHECK(s[0].param == 0);
  CHECK(s[0].median == 3);
  CHECK(s[0].spread == 0);
  CHECK(s[1].param == 1);
  CHECK(s[2].param == 2);
  CHECK(s[2].ok_count == 4);
  CHECK(s[2].trials == 5);
  CHECK(s[2].median == doctest::Approx(16));  // (12 + 20) / 2
  CHECK(s[2].median == doctest::Approx(median({10, 30, 20, 12})));
  CHECK(s[2].min == 10);
  CHECK(s[2].max == 30);
  CHECK(s[2].spread == doctest::Approx(20.0 / 16));
}

TEST_CASE("verdict: the trial summary block shows ok over trials and the spread in percent") {
  std::vector<Row> rows{ok_row(2, 100),    ok_row(2, 150),    failed_row(2, RowStatus::error),
                        ok_row(1024, 2e6), ok_row(1024, 2e6), ok_row(1024, 2e6)};
  BenchmarkConfig config;
  config.outer_trials = 3;
  const auto lines = trial_summary_lines(trial_summaries(rows), config);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "  trial summaries (3 trials per param; spread = (max-min)/median):");
  CHECK(contains(lines[1], "param"));
  CHECK(contains(lines[1], "spread"));
  CHECK(contains(lines[2], "2/3"));
  CHECK(contains(lines[2], format_duration(125)));
  CHECK(contains(lines[2], "40.000%"));
  CHECK(contains(lines[3], "1_024"));
  CHECK(contains(lines[3], "3/3"));
  CHECK(contains(lines[3], "0.000%"));
  // Decimal points line up across rows ("125.000 ns" and "  2.000 ms").
  CHECK(lines[2].find(".000 ns") == lines[3].find(".000 ms"));
  config.outer_trials = 1;
  CHECK(trial_summary_lines(trial_summaries(rows), config).empty());
}

TEST_CASE("verdict: fewer than 3 ratios is inconclusive with nothing else reported") {
  const VerdictResult r = derive_verdict({{2, 1.0}, {4, 1.0}}, BenchmarkConfig{});
  CHECK(r.verdict == ComplexityVerdict::inconclusive);
  CHECK(r.c_min == std::nullopt);
  CHECK(r.c_max == std::nullopt);
  CHECK(r.slope == std::nullopt);
  CHECK(r.dropped == 0);
  CHECK(r.kept() == 2);
  CHECK(verdict_line(r, BenchmarkConfig{}) == "verdict: inconclusive (cMin=—, cMax=—, β=—)");
}

TEST_CASE("verdict: the warmup trim drops the leading fraction but keeps at least 3") {
  BenchmarkConfig config;  // warmup fraction 0.2
  std::vector<Ratio> ten = power_ratios(0);
  ten.push_back({512, 1});
  ten.push_back({1024, 1});
  ten[0].c = 50;  // a cold first rung, trimmed away
  ten[1].c = 0.01;
  const VerdictResult r = derive_verdict(ten, config);
  CHECK(r.dropped == 2);  // trunc(10 × 0.2)
  CHECK(r.kept() == 8);
  CHECK(r.c_min == 1);
  CHECK(r.c_max == 1);
  CHECK(r.verdict == ComplexityVerdict::consistent);

  config.verdict_warmup_fraction = 0.5;
  const std::vector<Ratio> four{{2, 9}, {4, 1}, {8, 1}, {16, 1}};
  CHECK(derive_verdict(four, config).dropped == 1);  // trunc(2) capped at 4 − 3
  CHECK(derive_verdict({{2, 9}, {4, 1}, {8, 1}}, config).dropped == 0);
  config.verdict_warmup_fraction = 0.0;
  const VerdictResult none = derive_verdict(four, config);
  CHECK(none.dropped == 0);
  CHECK(none.c_max == 9);
}

TEST_CASE("verdict: n, n log n and n^2 data declared right are consistent") {
  struct Case {
    const char* name;
    Model model;
  };
  for (const Case& c : {Case{"n", kLinear}, Case{"n log n", kNLogN}, Case{"n^2", kQuadratic}}) {
    CAPTURE(c.name);
    const VerdictResult r = verdict_for(c.model, c.model);
    CHECK(r.verdict == ComplexityVerdict::consistent);
    REQUIRE(r.slope);
    CHECK(std::abs(*r.slope) < 1e-9);
    CHECK(r.c_min.value() == doctest::Approx(7).epsilon(0.05));
    const std::string line = verdict_line(r, BenchmarkConfig{});
    CHECK(contains(line, "verdict: consistent with declared complexity (cMin="));
    CHECK_FALSE(contains(line, "looks"));
  }
}

TEST_CASE("verdict: n^2 data declared n looks slower by n^1") {
  const VerdictResult r = verdict_for(kQuadratic, kLinear);
  CHECK(r.verdict == ComplexityVerdict::inconclusive);
  REQUIRE(r.slope);
  CHECK(*r.slope == doctest::Approx(1));
  const std::string line = verdict_line(r, BenchmarkConfig{});
  CHECK(line.rfind("verdict: inconclusive (cMin=", 0) == 0);
  CHECK(contains(line, ", β=+1.000, looks slower than declared by ~n^1.000)"));
}

TEST_CASE("verdict: n data declared n^2 looks faster by n^1") {
  const VerdictResult r = verdict_for(kLinear, kQuadratic);
  CHECK(r.verdict == ComplexityVerdict::inconclusive);
  REQUIRE(r.slope);
  CHECK(*r.slope == doctest::Approx(-1));
  const std::string line = verdict_line(r, BenchmarkConfig{});
  CHECK(contains(line, ", β=-1.000, looks faster than declared by ~n^1.000)"));
}

TEST_CASE("verdict: n log n data declared n is slower and declared n^2 is faster") {
  const VerdictResult as_linear = verdict_for(kNLogN, kLinear);
  CHECK(as_linear.verdict == ComplexityVerdict::inconclusive);
  REQUIRE(as_linear.slope);
  CHECK(*as_linear.slope == doctest::Approx(0.241).epsilon(0.1));
  CHECK(
      contains(verdict_line(as_linear, BenchmarkConfig{}), "looks slower than declared by ~n^0.2"));

  const VerdictResult as_quadratic = verdict_for(kNLogN, kQuadratic);
  CHECK(as_quadratic.verdict == ComplexityVerdict::inconclusive);
  CHECK(contains(verdict_line(as_quadratic, BenchmarkConfig{}),
                 "looks faster than declared by ~n^0.759)"));
}

TEST_CASE("verdict: exact slopes format with a sign and hint only above tolerance and 0.05") {
  BenchmarkConfig config;                                                // tolerance 0.15
  const VerdictResult slow = derive_verdict(power_ratios(0.2), config);  // 2 is trimmed
  CHECK(slow.verdict == ComplexityVerdict::inconclusive);
  CHECK(verdict_line(slow, config) ==
        "verdict: inconclusive (cMin=" + format_ratio(std::pow(4.0, 0.2)) +
            ", cMax=" + format_ratio(std::pow(256.0, 0.2)) +
            ", β=+0.200, looks slower than declared by ~n^0.200)");

  const VerdictResult mild = derive_verdict(power_ratios(-0.1), config);
  CHECK(mild.verdict == ComplexityVerdict::consistent);
  CHECK(contains(verdict_line(mild, config), "β=-0.100)"));

  config.slope_tolerance = 0.01;  // |β| beyond tolerance but under 0.05: no hint
  const VerdictResult tiny = derive_verdict(power_ratios(0.04), config);
  CHECK(tiny.verdict == ComplexityVerdict::inconclusive);
  CHECK(contains(verdict_line(tiny, config), "β=+0.040)"));
  CHECK_FALSE(contains(verdict_line(tiny, config), "looks"));
  CHECK(contains(verdict_line(derive_verdict(power_ratios(0.06), config), config),
                 "looks slower than declared by ~n^0.060"));
}

TEST_CASE("verdict: a narrow param range bounds cMax over cMin instead of a slope") {
  BenchmarkConfig config;  // noise floor 1.5; exp(0.15 × ln(12/10)) ≈ 1.03
  const VerdictResult tight = derive_verdict({{10, 1.0}, {11, 1.2}, {12, 1.4}}, config);
  CHECK(tight.slope == std::nullopt);
  CHECK(tight.verdict == ComplexityVerdict::consistent);
  CHECK(contains(verdict_line(tight, config), "β=—)"));

  const VerdictResult wide = derive_verdict({{10, 1.0}, {11, 1.6}, {12, 1.4}}, config);
  CHECK(wide.slope == std::nullopt);
  CHECK(wide.verdict == ComplexityVerdict::inconclusive);
  CHECK(wide.c_min == 1.0);
  CHECK(wide.c_max == 1.6);

  // A large tolerance widens the bound past the noise floor: exp(5 × ln 1.2) ≈ 2.49.
  config.slope_tolerance = 5;
  CHECK(derive_verdict({{10, 1.0}, {11, 1.6}, {12, 2.4}}, config).verdict ==
        ComplexityVerdict::consistent);
  CHECK(derive_verdict({{10, 1.0}, {11, 1.6}, {12, 2.6}}, config).verdict ==
        ComplexityVerdict::inconclusive);

  // cMin <= 0 cannot bound a ratio.
  config = BenchmarkConfig{};
  const VerdictResult zero = derive_verdict({{10, 0.0}, {11, 1.0}, {12, 1.0}}, config);
  CHECK(zero.verdict == ComplexityVerdict::inconclusive);
  CHECK(zero.c_min == 0.0);
}

TEST_CASE("verdict: the slope skips non-positive C and needs two points spanning e") {
  BenchmarkConfig config;
  // Kept C > 0 points: (2, 1) and (1024, 1): slope 0, consistent; cMin still reports -1.
  const VerdictResult r = derive_verdict({{2, 1}, {4, -1}, {1024, 1}}, config);
  REQUIRE(r.slope);
  CHECK(*r.slope == doctest::Approx(0));
  CHECK(r.c_min == -1);
  CHECK(r.verdict == ComplexityVerdict::consistent);
  // Only one positive point: no slope, and the narrow fallback has nothing to bound.
  const VerdictResult one = derive_verdict({{2, 1}, {4, -1}, {1024, 0}}, config);
  CHECK(one.slope == std::nullopt);
  CHECK(one.verdict == ComplexityVerdict::inconclusive);
  // 2..5: ln 5 − ln 2 ≈ 0.92 < 1, no slope; 2..6: ≈ 1.10, slope.
  CHECK(derive_verdict({{2, 1}, {3, 1}, {5, 1}}, config).slope == std::nullopt);
  CHECK(derive_verdict({{2, 1}, {3, 1}, {6, 1}}, config).slope.has_value());
}

TEST_CASE("verdict: export strings, display names and C formatting") {
  CHECK(std::string(to_string(ComplexityVerdict::consistent)) ==
        "consistent_with_declared_complexity");
  CHECK(std::string(to_string(ComplexityVerdict::inconclusive)) == "inconclusive");
  CHECK(std::string(display_name(ComplexityVerdict::consistent)) ==
        "consistent with declared complexity");
  CHECK(std::string(display_name(ComplexityVerdict::inconclusive)) == "inconclusive");
  CHECK(format_ratio(12.5) == "12.500");
  CHECK(format_ratio(0) == "0.000");
  CHECK(format_ratio(0.001) == "0.001");
  CHECK(format_ratio(1.25e-7) == "1.250e-07");
  CHECK(format_ratio(3e9) == "3.000e+09");
  CHECK(format_ratio(-2) == "-2.000");
}

TEST_CASE("verdict: every advisory kind has its export string") {
  CHECK(std::string(to_string(AdvisoryKind::below_signal_floor)) == "below_signal_floor");
  CHECK(std::string(to_string(AdvisoryKind::partially_below_signal_floor)) ==
        "partially_below_signal_floor");
  CHECK(std::string(to_string(AdvisoryKind::all_capped)) == "all_capped");
  CHECK(std::string(to_string(AdvisoryKind::truncated_at_cap)) == "truncated_at_cap");
  CHECK(std::string(to_string(AdvisoryKind::too_few_verdict_rows)) == "too_few_verdict_rows");
}

TEST_CASE("verdict: a clean run has no advisories") {
  const auto params = doubling(1, 10);
  const auto rows = rows_for(params, kLinear);
  const VerdictResult r = derive_verdict(ratios(rows, complexity_for(params, kLinear)), {});
  CHECK(advisories(rows, r, BenchmarkConfig{}, 2e6).empty());
}

TEST_CASE("verdict: all rows capped gives all_capped and all-error runs give nothing") {
  BenchmarkConfig config;
  const std::vector<Row> capped{failed_row(0, RowStatus::killed_at_cap),
                                failed_row(0, RowStatus::timed_out)};
  const VerdictResult empty = derive_verdict({}, config);
  const auto a = advisories(capped, empty, config, 2e6);
  REQUIRE(kinds(a) == std::vector<AdvisoryKind>{AdvisoryKind::all_capped});
  CHECK(contains(a[0].text, "`max_seconds_per_call = 1s`"));
  CHECK(contains(a[0].text, "Bump `--max-seconds-per-call`"));
  CHECK(contains(a[0].text, "ParamSchedule::custom({...})"));
  CHECK_FALSE(contains(a[0].text, "--param-floor"));  // the floor is already 0

  config.param_floor = 64;
  const auto raised = advisories(capped, empty, config, 2e6);
  REQUIRE(raised.size() == 1);
  CHECK(contains(raised[0].text, "lower `--param-floor` (now 64)"));

  std::vector<Row> mixed = capped;
  mixed.push_back(failed_row(0, RowStatus::error));
  CHECK(advisories(mixed, empty, config, 2e6).empty());
  CHECK(advisories({}, empty, config, 2e6).empty());
}

TEST_CASE("verdict: every ok row below the floor gives below_signal_floor then too_few") {
  std::vector<Row> rows{ok_row(0, 50), ok_row(1, 60), ok_row(2, 70)};
  for (Row& r : rows) r.below_signal_floor = true;
  BenchmarkConfig config;
  const VerdictResult r = derive_verdict(ratios(rows, {{2, 2}}), config);
  const auto a = advisories(rows, r, config, 1.5e6);
  REQUIRE(kinds(a) == std::vector<AdvisoryKind>{AdvisoryKind::below_signal_floor,
                                                AdvisoryKind::too_few_verdict_rows});
  CHECK(contains(a[0].text, "every measurement was below 10× the per-spawn floor"));
  CHECK(contains(a[0].text, "(per-spawn floor ≈ " + format_duration(1.5e6) + ")"));
  CHECK(contains(a[0].text, "`--param-ceiling`"));
  CHECK(contains(a[0].text, "`benchgate::fixed(...)`"));
  CHECK(contains(a[1].text, "only 0 verdict-eligible param(s)"));
  const auto unmeasured = advisories(rows, r, config, std::nullopt);
  REQUIRE_FALSE(unmeasured.empty());
  CHECK(contains(unmeasured[0].text, "(per-spawn floor not measured)"));
}

TEST_CASE("verdict: partial floor, a capped rung and too few rows come in that order") {
  // ok: 2 and 4 below the floor, 8 and 16 eligible; capped at 32 then 64.
  std::vector<Row> rows{ok_row(2, 20),
                        ok_row(4, 40),
                        ok_row(8, 80e6),
                        ok_row(16, 160e6),
                        failed_row(32, RowStatus::timed_out),
                        failed_row(64, RowStatus::killed_at_cap)};
  rows[0].below_signal_floor = true;
  rows[1].below_signal_floor = true;
  const std::map<std::uint64_t, double> c{{2, 2}, {4, 4}, {8, 8}, {16, 16}};
  BenchmarkConfig config;
  config.max_seconds_per_call = 0.5;
  const VerdictResult r = derive_verdict(ratios(rows, c), config);
  REQUIRE(r.kept() == 2);
  const auto a = advisories(rows, r, config, 1e6);
  REQUIRE(kinds(a) == std::vector<AdvisoryKind>{AdvisoryKind::partially_below_signal_floor,
                                                AdvisoryKind::truncated_at_cap,
                                                AdvisoryKind::too_few_verdict_rows});
  CHECK(contains(a[0].text, "2/4 ok rows were below 10× the per-spawn floor"));
  CHECK(contains(a[0].text, format_duration(1e6)));
  CHECK(contains(a[0].text, "Raise `--param-floor`"));
  CHECK(contains(a[1].text, "ladder stopped at param=32 "));
  CHECK(contains(a[1].text, "`max_seconds_per_call = 0.5s`"));
  CHECK(contains(a[1].text, "`.config(...)`"));
  CHECK(contains(a[2].text, "only 2 verdict-eligible param(s)"));
  CHECK(contains(a[2].text, "`--param-ceiling`"));

  SUBCASE("a custom schedule is told to edit its declared list, not floor or ceiling") {
    config.param_schedule = ParamSchedule::custom({2, 4, 8, 16, 32, 64});
    const auto custom = advisories(rows, r, config, 1e6);
    REQUIRE(kinds(custom) == kinds(a));
    for (const Advisory& adv : custom) {
      CAPTURE(adv.text);
      CHECK_FALSE(contains(adv.text, "--param-floor"));
      CHECK_FALSE(contains(adv.text, "--param-ceiling"));
      CHECK_FALSE(contains(adv.text, "pin a tractable"));
    }
    const std::string list = "the declared `ParamSchedule::custom({...})` list (or `--param-list`)";
    CHECK(contains(custom[0].text, "Drop the smallest params from " + list));
    CHECK(contains(custom[1].text, "drop the params from 32 upward from " + list));
    CHECK(contains(custom[2].text, "Add params to " + list));
  }
}

TEST_CASE("verdict: custom schedules word the below-floor and all-capped hints by list") {
  BenchmarkConfig config;
  config.param_schedule = ParamSchedule::custom({100, 200});
  std::vector<Row> fast{ok_row(100, 1), ok_row(200, 2)};
  for (Row& r : fast) r.below_signal_floor = true;
  const auto below = advisories(fast, derive_verdict({}, config), config, 1e6);
  REQUIRE_FALSE(below.empty());
  CHECK(below[0].kind == AdvisoryKind::below_signal_floor);
  CHECK(contains(below[0].text, "extend the declared `ParamSchedule::custom({...})` list"));
  CHECK_FALSE(contains(below[0].text, "--param-ceiling"));

  const std::vector<Row> capped{failed_row(100, RowStatus::killed_at_cap)};
  const auto all = advisories(capped, derive_verdict({}, config), config, 1e6);
  REQUIRE(kinds(all) == std::vector<AdvisoryKind>{AdvisoryKind::all_capped});
  CHECK(contains(all[0].text, "start the declared `ParamSchedule::custom({...})` list"));
  CHECK_FALSE(contains(all[0].text, "pin a tractable"));
}

TEST_CASE("verdict: no usable data means no ratio and no budget cut") {
  const BenchmarkConfig config;
  const VerdictResult none = derive_verdict({}, config);
  CHECK(no_usable_data(none, false));
  CHECK_FALSE(no_usable_data(none, true));
  const VerdictResult one = derive_verdict({{8, 1.0}}, config);
  CHECK(one.verdict == ComplexityVerdict::inconclusive);
  CHECK_FALSE(no_usable_data(one, false));
}

std::vector<TrialSummary> summaries_for(const std::vector<std::uint64_t>& params,
                                        const std::function<double(double)>& truth) {
  std::vector<Row> rows;
  for (std::uint64_t p : params) rows.push_back(ok_row(p, 3 * truth(static_cast<double>(p))));
  return trial_summaries(rows);
}

TEST_CASE("verdict: auto-fit picks the generating model on clean data") {
  struct Case {
    const char* label;
    std::vector<std::uint64_t> params;
    Model truth;
  };
  std::vector<std::uint64_t> linear_params;
  for (std::uint64_t p = 2; p <= 30; ++p) linear_params.push_back(p);
  const std::vector<Case> cases{
      {"n", doubling(0, 12), kLinear},
      {"n log n", doubling(0, 12), kNLogN},
      {"n^2", doubling(0, 12), kQuadratic},
      {"2^n", linear_params, [](double n) { return std::pow(2.0, n); }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.label);
    const AutoFit fit = auto_fit(summaries_for(c.params, c.truth));
    REQUIRE(fit.fits.size() == 6);
    CHECK(fit.fits[0].label == c.label);
    CHECK(fit.fits[0].std_log_c == doctest::Approx(0).epsilon(1e-9));
    CHECK(fit.fits[0].mean_c == doctest::Approx(3));
    CHECK(fit.fits[0].points == c.params.size() - (c.params[0] < 2 ? 1 : 0));
    CHECK(fit.confidence == FitConfidence::decisive);
    CHECK(fit.reason.empty());
    for (std::size_t i = 1; i < fit.fits.size(); ++i) {
      CHECK(fit.fits[i - 1].std_log_c <= fit.fits[i].std_log_c);
    }
    const auto lines = auto_fit_lines(fit);
    REQUIRE(lines.size() == 2 + fit.fits.size());
    CHECK(lines[0] ==
          "  auto-fit (heuristic; not a proof — ranks the catalog by stddev of log C):");
    CHECK(contains(lines[1], "model"));
    CHECK(contains(lines[1], "stdLogC"));
    CHECK(contains(lines[1], "mean C"));
    CHECK(lines[2].rfind("    " + std::string(c.label) + " ", 0) == 0);
    CHECK(contains(lines[2], "  ←"));
    CHECK(contains(lines[2], "3.000"));
    for (std::size_t i = 3; i < lines.size(); ++i) CHECK_FALSE(contains(lines[i], "←"));
  }
}

TEST_CASE("verdict: auto-fit is weak when the runner-up is within noise of the winner") {
  // Over 4, 5, 6 ⌊log2(n+1)⌋ is 2 throughout: n and n log n differ by a constant factor.
  const AutoFit fit = auto_fit(summaries_for({4, 5, 6}, kLinear));
  REQUIRE(fit.fits.size() >= 2);
  CHECK(fit.fits[0].label == "n");
  CHECK(fit.fits[1].label == "n log n");
  CHECK(fit.confidence == FitConfidence::weak);
  CHECK(fit.reason ==
        "runner-up 'n log n' is within noise of 'n'; the ladder cannot separate them");
  const auto lines = auto_fit_lines(fit);
  CHECK(lines.back() == "    ‼ inconclusive: " + fit.reason);
  for (const auto& line : lines) CHECK_FALSE(contains(line, "←"));
}

TEST_CASE("verdict: auto-fit needs the runner-up beyond max of 0.10 and half the winner") {
  // ln t alternates ±a around ln 3n over 2^4..2^11: model n has std a, and the runner-up
  // n log n has about sqrt(a² + var ln k) (k = 4..11), far below every other model.
  auto fit_with = [](double a) {
    std::vector<Row> rows;
    const auto params = doubling(4, 11);
    for (std::size_t i = 0; i < params.size(); ++i) {
      rows.push_back(
          ok_row(params[i], 3 * static_cast<double>(params[i]) * std::exp(i % 2 ? -a : a)));
    }
    return auto_fit(trial_summaries(rows));
  };
  const AutoFit clear = fit_with(0.3);  // runner-up ≈ 0.49 >= 0.3 + 0.15
  REQUIRE(clear.fits.size() == 6);
  CHECK(clear.fits[0].label == "n");
  CHECK(clear.fits[0].std_log_c == doctest::Approx(0.3));
  CHECK(clear.fits[1].label == "n log n");
  CHECK(clear.fits[1].std_log_c >= 0.45);
  CHECK(clear.confidence == FitConfidence::decisive);

  // Runner-up ≈ 0.57: beyond 0.4 + 0.10 but not 0.4 + 0.5 × 0.4, so the relative margin rules.
  const AutoFit close = fit_with(0.4);
  REQUIRE(close.fits.size() == 6);
  CHECK(close.fits[0].label == "n");
  CHECK(close.fits[1].std_log_c > 0.5);
  CHECK(close.fits[1].std_log_c < 0.6);
  CHECK(close.confidence == FitConfidence::weak);
  CHECK(close.reason ==
        "runner-up 'n log n' is within noise of 'n'; the ladder cannot separate them");
}

TEST_CASE("verdict: auto-fit is weak with fewer than 3 rungs and empty below 2") {
  const AutoFit two = auto_fit(summaries_for({0, 1, 64, 128}, kQuadratic));
  REQUIRE_FALSE(two.fits.empty());
  CHECK(two.fits[0].points == 2);
  CHECK(two.confidence == FitConfidence::weak);
  CHECK(two.reason == "only 2 usable rung(s) — need ≥ 3 for a confident pick");
  CHECK(auto_fit_lines(two).back() == "    ‼ inconclusive: " + two.reason);

  const AutoFit one = auto_fit(summaries_for({0, 1, 64}, kQuadratic));
  CHECK(one.fits.empty());
  CHECK(one.confidence == FitConfidence::none);
  CHECK(auto_fit_lines(one) ==
        std::vector<std::string>{
            "  auto-fit (heuristic; not a proof — ranks the catalog by stddev of log C):",
            "    no candidates fit — fewer than 2 verdict-eligible rungs survived"});
}

}  // namespace
