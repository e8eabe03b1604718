// Tests benchgate/core/schedule.hpp: auto shape resolution on model complexities, the linear
// sweep and its tightening, the probe bracket, the inner target, the signal floor and the budget.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/core/schedule.hpp"
#include "printers.hpp"

namespace {

using benchgate::Budget;
using benchgate::BudgetSkip;
using benchgate::BudgetSummary;
using benchgate::ParamSchedule;
using benchgate::Row;
using benchgate::RowKind;
using benchgate::RowStatus;
using U = std::vector<std::uint64_t>;
using Complexity = std::function<double(double)>;

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kI64Min = std::numeric_limits<std::int64_t>::min();

// The shape auto picks for a model complexity, as text so a failure shows it.
std::string auto_shape(const Complexity& c) {
  return benchgate::to_string(benchgate::resolve_auto(c(8), c(16), c(32), c(64)));
}

// C(n) for every param linear_sweep needs, from a model.
std::map<std::uint64_t, double> complexity_for(std::uint64_t last_ok, std::uint64_t first_fail,
                                               std::uint64_t samples, const Complexity& c) {
  std::map<std::uint64_t, double> out;
  for (std::uint64_t n : benchgate::linear_sweep_candidates(last_ok, first_fail, samples)) {
    out[n] = c(static_cast<double>(n));
  }
  return out;
}

// last_ok+1 ... last, inclusive.
U range(std::uint64_t first, std::uint64_t last) {
  U out;
  for (std::uint64_t n = first; n <= last; ++n) out.push_back(n);
  return out;
}

Row probe_row(std::uint64_t param, RowStatus status) {
  Row r;
  r.function = "f";
  r.param = param;
  r.inner_repeats = 1;
  r.status = status;
  return r;
}

Row timed_row(std::uint64_t total_nanos, RowStatus status = RowStatus::ok) {
  Row r = probe_row(1, status);
  r.total_nanos = total_nanos;
  return r;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

// ---- auto ---------------------------------------------------------------------------------------

TEST_CASE("schedule: auto asks for C at 8, 16, 32 and 64 and resolves to linear with 16 samples") {
  CHECK(U(benchgate::kAutoProbeParams.begin(), benchgate::kAutoProbeParams.end()) ==
        U{8, 16, 32, 64});
  CHECK(benchgate::kAutoLinearSamples == 16);
}

TEST_CASE("schedule: auto picks doubling for polynomial complexities") {
  CHECK(auto_shape([](double n) { return n; }) == "doubling");
  CHECK(auto_shape([](double n) { return n * std::log2(n); }) == "doubling");
  CHECK(auto_shape([](double n) { return n * n; }) == "doubling");
  CHECK(auto_shape([](double n) { return n * n * n; }) == "doubling");
}

TEST_CASE("schedule: auto picks linear for exponential complexities") {
  CHECK(auto_shape([](double n) { return std::pow(2.0, n); }) == "linear");
  CHECK(auto_shape([](double n) { return std::pow(144.0, n) / std::pow(89.0, n); }) == "linear");
  CHECK(auto_shape([](double n) { return std::pow(1.1, n); }) == "linear");
}

TEST_CASE("schedule: auto picks doubling for a constant complexity") {
  CHECK(auto_shape([](double) { return 1.0; }) == "doubling");
  CHECK(auto_shape([](double) { return 1000.0; }) == "doubling");
}

TEST_CASE("schedule: auto is linear exactly when r32 reaches 4 times r8") {
  using Shape = ParamSchedule::Shape;
  // r8 = 2; r32 = 8 is exactly 4 * r8.
  CHECK(benchgate::resolve_auto(1, 2, 1, 8) == Shape::linear);
  CHECK(benchgate::resolve_auto(1, 2, 1, 7.99) == Shape::doubling);
  // C(8) and C(32) below 1 count as 1: r8 = 4 / 1, r32 = 16 / 1.
  CHECK(benchgate::resolve_auto(0.5, 4, 1, 16) == Shape::linear);
  CHECK(benchgate::resolve_auto(1, 4, 0.25, 8) == Shape::doubling);
  CHECK(benchgate::resolve_auto(std::nan(""), 1, 1, 1) == Shape::doubling);
}

// ---- probe bracket ------------------------------------------------------------------------------

TEST_CASE("schedule: the probe bracket is the last ok rung and the first failing one") {
  SUBCASE("every rung ok: no first_fail") {
    const auto b = benchgate::probe_bracket(
        {probe_row(0, RowStatus::ok), probe_row(1, RowStatus::ok), probe_row(2, RowStatus::ok)});
    CHECK(b.last_ok == std::optional<std::uint64_t>(2));
    CHECK(b.first_fail == std::nullopt);
  }
  SUBCASE("a cap in the middle") {
    const auto b =
        benchgate::probe_bracket({probe_row(0, RowStatus::ok), probe_row(1, RowStatus::ok),
                                  probe_row(2, RowStatus::killed_at_cap)});
    CHECK(b.last_ok == std::optional<std::uint64_t>(1));
    CHECK(b.first_fail == std::optional<std::uint64_t>(2));
  }
  SUBCASE("the first rung fails") {
    const auto b = benchgate::probe_bracket({probe_row(16, RowStatus::error)});
    CHECK(b.last_ok == std::nullopt);
    CHECK(b.first_fail == std::optional<std::uint64_t>(16));
  }
  SUBCASE("no rows") {
    const auto b = benchgate::probe_bracket({});
    CHECK(b.last_ok == std::nullopt);
    CHECK(b.first_fail == std::nullopt);
  }
  SUBCASE("every non-ok status fails a rung, and rows after the first failure are ignored") {
    for (RowStatus bad : {RowStatus::timed_out, RowStatus::killed_at_cap, RowStatus::error}) {
      const auto b = benchgate::probe_bracket(
          {probe_row(4, RowStatus::ok), probe_row(8, bad), probe_row(16, RowStatus::ok)});
      CHECK(b.last_ok == std::optional<std::uint64_t>(4));
      CHECK(b.first_fail == std::optional<std::uint64_t>(8));
    }
  }
  SUBCASE("a rung with a failed and an ok trial is ok, in either order") {
    const auto b =
        benchgate::probe_bracket({probe_row(1, RowStatus::ok), probe_row(2, RowStatus::timed_out),
                                  probe_row(2, RowStatus::ok), probe_row(4, RowStatus::error)});
    CHECK(b.last_ok == std::optional<std::uint64_t>(2));
    CHECK(b.first_fail == std::optional<std::uint64_t>(4));
    const auto c = benchgate::probe_bracket(
        {probe_row(1, RowStatus::ok), probe_row(2, RowStatus::ok),
         probe_row(2, RowStatus::killed_at_cap), probe_row(4, RowStatus::error)});
    CHECK(c.last_ok == std::optional<std::uint64_t>(2));
    CHECK(c.first_fail == std::optional<std::uint64_t>(4));
  }
}

// ---- linear sweep -------------------------------------------------------------------------------

TEST_CASE("schedule: a linear sweep walks stride 1 from last_ok + 1 up to first_fail - 1") {
  const Complexity linear = [](double n) { return n; };
  CHECK(benchgate::linear_sweep_candidates(16, 32, 16) ==
        U{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
  // A tiny per-call time never comes near the cap.
  CHECK(benchgate::linear_sweep(16, 32, 100.0, complexity_for(16, 32, 16, linear), 1.0, 16) ==
        range(17, 31));
  CHECK(benchgate::linear_sweep(3, 6, 100.0, complexity_for(3, 6, 16, linear), 1.0, 16) == U{4, 5});
}

TEST_CASE("schedule: a linear sweep takes at most samples rungs") {
  const Complexity linear = [](double n) { return n; };
  CHECK(benchgate::linear_sweep_candidates(100, 200, 16) == range(100, 116));
  CHECK(benchgate::linear_sweep(100, 200, 10.0, complexity_for(100, 200, 16, linear), 1.0, 16) ==
        range(101, 116));
  CHECK(benchgate::linear_sweep(100, 200, 10.0, complexity_for(100, 200, 1, linear), 1.0, 1) ==
        U{101});
}

TEST_CASE("schedule: a linear sweep stops before the first rung predicted past 0.7 of the cap") {
  const Complexity exp2 = [](double n) { return std::pow(2.0, n); };
  const auto c = complexity_for(20, 32, 16, exp2);
  // perUnit = pc / 2^20; at n the prediction is pc * 2^(n - 20). With pc = 60 ms: n = 23
  // predicts 480 ms, n = 24 predicts 960 ms > 0.7 * 1 s.
  CHECK(benchgate::linear_sweep(20, 32, 60e6, c, 1.0, 16) == U{21, 22, 23});
  // A longer cap moves the cut: 960 ms <= 0.7 * 2 s, 1.92 s > 1.4 s.
  CHECK(benchgate::linear_sweep(20, 32, 60e6, c, 2.0, 16) == U{21, 22, 23, 24});
  // Exactly 0.7 of the cap is not past it (strict >): pc * 16 == 0.7e9 keeps n = 24.
  const double at_limit = benchgate::kLinearCapSafetyFactor * 1e9 / 16;
  CHECK(benchgate::linear_sweep(20, 32, at_limit, c, 1.0, 16) == U{21, 22, 23, 24});
  // The first window rung already too slow: nothing to sweep.
  CHECK(benchgate::linear_sweep(20, 32, 400e6, c, 1.0, 16) == U{});
  // A cut beyond the samples window leaves the window as it is.
  CHECK(benchgate::linear_sweep(20, 32, 60e6, complexity_for(20, 32, 2, exp2), 1.0, 2) ==
        U{21, 22});
}

TEST_CASE("schedule: a linear sweep divides by at least 1 when C at last_ok is below 1") {
  // C(5) = 0 counts as 1, so perUnit = pc = 100 ms: C(7) = 7 predicts exactly 0.7 s (kept),
  // C(8) = 8 predicts 0.8 s (cut). Dividing by 0 would cut everything.
  const std::map<std::uint64_t, double> c{{5, 0}, {6, 6}, {7, 7}, {8, 8}, {9, 9}};
  CHECK(benchgate::linear_sweep(5, 10, 100e6, c, 1.0, 16) == U{6, 7});
}

TEST_CASE("schedule: a linear sweep is empty with no samples or no gap in the bracket") {
  const Complexity linear = [](double n) { return n; };
  CHECK(benchgate::linear_sweep_candidates(16, 32, 0) == U{});
  CHECK(benchgate::linear_sweep(16, 32, 1.0, {}, 1.0, 0) == U{});
  CHECK(benchgate::linear_sweep_candidates(16, 17, 16) == U{});
  CHECK(benchgate::linear_sweep(16, 17, 1.0, complexity_for(16, 17, 16, linear), 1.0, 16) == U{});
  CHECK(benchgate::linear_sweep_candidates(16, 16, 16) == U{});
  CHECK(benchgate::linear_sweep_candidates(16, 8, 16) == U{});
  CHECK(benchgate::linear_sweep(16, 8, 1.0, {}, 1.0, 16) == U{});
}

TEST_CASE("schedule: a linear sweep near 2^64 does not overflow") {
  const Complexity one = [](double) { return 1.0; };
  CHECK(benchgate::linear_sweep(kMax - 10, kMax, 1.0, complexity_for(kMax - 10, kMax, 16, one), 1.0,
                                16) == range(kMax - 9, kMax - 1));
  // last_ok + samples would wrap: the window ends at first_fail - 1.
  CHECK(benchgate::linear_sweep_candidates(kMax - 5, kMax, kMax) == range(kMax - 5, kMax - 1));
  CHECK(benchgate::linear_sweep(kMax - 5, kMax, 1.0, complexity_for(kMax - 5, kMax, kMax, one), 1.0,
                                kMax) == range(kMax - 4, kMax - 1));
  CHECK(benchgate::linear_sweep_candidates(kMax - 1, kMax, kMax) == U{});
  CHECK(benchgate::linear_sweep_candidates(kMax, kMax, 16) == U{});
  CHECK(benchgate::linear_sweep_candidates(kMax - 100, kMax, 3) ==
        U{kMax - 100, kMax - 99, kMax - 98, kMax - 97});
}

TEST_CASE("schedule: a linear sweep refuses a missing complexity value and ignores extras") {
  std::map<std::uint64_t, double> c{{4, 4}, {5, 5}, {6, 6}};
  CHECK_THROWS_AS(benchgate::linear_sweep(4, 8, 1.0, c, 1.0, 16), std::invalid_argument);
  c.erase(4);
  c[7] = 7;
  CHECK_THROWS_WITH(benchgate::linear_sweep(4, 8, 1.0, c, 1.0, 16), doctest::Contains("param 4"));
  c[4] = 4;
  c[100] = 1e300;
  CHECK(benchgate::linear_sweep(4, 8, 1.0, c, 1.0, 16) == U{5, 6, 7});
}

// ---- effective inner target ---------------------------------------------------------------------

TEST_CASE("schedule: without a spawn floor the inner target is the declared one") {
  CHECK(benchgate::effective_inner_target(500'000'000, std::nullopt, 1.0, 100) == 500'000'000);
  CHECK(benchgate::effective_inner_target(kMax, std::nullopt, 0.001, 0) == kMax);
}

TEST_CASE("schedule: a spawn floor below the cap leaves a quarter of what remains") {
  // D = 1 s + 100 ms = 1.1e9 ns; (D - 100 ms) / 4 = 250 ms.
  CHECK(benchgate::effective_inner_target(500'000'000, 100'000'000, 1.0, 100) == 250'000'000);
  CHECK(benchgate::effective_inner_target(1'000'000, 100'000'000, 1.0, 100) == 1'000'000);
  CHECK(benchgate::effective_inner_target(500'000'000, 0, 1.0, 0) == 250'000'000);
  // (D - f) / 4 rounds down to 0: still at least 1.
  CHECK(benchgate::effective_inner_target(500'000'000, 1'099'999'999, 1.0, 100) == 1);
  CHECK(benchgate::effective_inner_target(0, 0, 1.0, 100) == 1);
}

TEST_CASE("schedule: a spawn floor at or past the cap leaves an eighth of the cap") {
  // f >= D = 1.1e9 ns: D / 8 = 137.5 ms, whatever f is.
  CHECK(benchgate::effective_inner_target(500'000'000, 1'100'000'000, 1.0, 100) == 137'500'000);
  CHECK(benchgate::effective_inner_target(500'000'000, 5'000'000'000, 1.0, 100) == 137'500'000);
  CHECK(benchgate::effective_inner_target(1000, 5'000'000'000, 1.0, 100) == 1000);
  CHECK(benchgate::effective_inner_target(500'000'000, 600, 0.0000005, 0) == 62);  // D = 500 ns
  // The cap rounds to the nearest nanosecond, as the kill timer's does: 7.6 ns is D = 8.
  CHECK(benchgate::effective_inner_target(100, 0, 7.6e-9, 0) == 2);
}

TEST_CASE("schedule: the inner target arithmetic saturates instead of overflowing") {
  CHECK(benchgate::effective_inner_target(kMax, 0, 1e300, kMax) == kMax / 4);
  CHECK(benchgate::effective_inner_target(kMax, 0, 1e300, 1) == kMax / 4);
  CHECK(benchgate::effective_inner_target(kMax, 0, 1e-9, kMax) == kMax / 4);
  CHECK(benchgate::effective_inner_target(kMax, kMax, 1e300, 0) == kMax / 8);
}

// ---- below signal floor -------------------------------------------------------------------------

TEST_CASE(
    "schedule: ok rows strictly below multiplier times the floor are below the signal floor") {
  std::vector<Row> rows{timed_row(9'999), timed_row(10'000), timed_row(20'000), timed_row(0)};
  rows[2].below_signal_floor = true;  // a stale value is overwritten
  benchgate::annotate_below_signal_floor(rows, 1'000, 10.0);
  CHECK(rows[0].below_signal_floor == std::optional<bool>(true));
  CHECK(rows[1].below_signal_floor == std::optional<bool>(false));  // equal is not below
  CHECK(rows[2].below_signal_floor == std::optional<bool>(false));
  CHECK(rows[3].below_signal_floor == std::optional<bool>(true));

  std::vector<Row> fractional{timed_row(4), timed_row(5)};
  benchgate::annotate_below_signal_floor(fractional, 3, 1.5);  // threshold 4.5
  CHECK(fractional[0].below_signal_floor == std::optional<bool>(true));
  CHECK(fractional[1].below_signal_floor == std::optional<bool>(false));
}

TEST_CASE("schedule: the signal floor leaves non-ok rows untouched") {
  std::vector<Row> rows{timed_row(5, RowStatus::timed_out), timed_row(5, RowStatus::error),
                        timed_row(5, RowStatus::killed_at_cap)};
  rows[1].below_signal_floor = false;
  benchgate::annotate_below_signal_floor(rows, 1'000, 10.0);
  CHECK(rows[0].below_signal_floor == std::nullopt);
  CHECK(rows[1].below_signal_floor == std::optional<bool>(false));
  CHECK(rows[2].below_signal_floor == std::nullopt);
}

TEST_CASE("schedule: no floor, a zero floor or a multiplier of at most 1 changes nothing") {
  const std::vector<Row> before{timed_row(5), timed_row(50'000)};
  auto unchanged = [&](std::optional<std::uint64_t> floor, double multiplier) {
    std::vector<Row> rows = before;
    benchgate::annotate_below_signal_floor(rows, floor, multiplier);
    return rows == before;
  };
  CHECK(unchanged(std::nullopt, 10.0));
  CHECK(unchanged(0, 10.0));
  CHECK(unchanged(1'000, 1.0));
  CHECK(unchanged(1'000, 0.5));
  CHECK(unchanged(1'000, std::nan("")));
  CHECK_FALSE(unchanged(1'000, 1.0001));  // just above 1 applies
}

// ---- budget -------------------------------------------------------------------------------------

TEST_CASE("schedule: an unlimited budget is never exhausted") {
  const Budget b = Budget::unlimited();
  CHECK_FALSE(b.limited());
  CHECK_FALSE(b.exhausted(kI64Min));
  CHECK_FALSE(b.exhausted(0));
  CHECK_FALSE(b.exhausted(kI64Max));
  CHECK(b.deadline() == std::nullopt);
  CHECK(b.total_seconds() == std::nullopt);
}

TEST_CASE("schedule: a budget of 0 or less is exhausted at once") {
  for (double total : {0.0, -0.0, -1.0, std::nan("")}) {
    const Budget b = Budget::seconds(total, 1'000);
    CHECK(b.limited());
    CHECK(b.exhausted(0));  // even before the start
    CHECK(b.exhausted(1'000));
    CHECK(b.exhausted(kI64Max));
  }
}

TEST_CASE("schedule: a budget is exhausted from its deadline on") {
  const Budget b = Budget::seconds(2.5, 1'000);
  CHECK(b.deadline() == std::optional<std::int64_t>(2'500'001'000));
  CHECK(b.total_seconds() == std::optional<double>(2.5));
  CHECK_FALSE(b.exhausted(1'000));
  CHECK_FALSE(b.exhausted(2'500'000'999));
  CHECK(b.exhausted(2'500'001'000));
  CHECK(b.exhausted(2'500'001'001));
  // Fractions of a nanosecond are truncated, and a negative start works.
  CHECK(Budget::seconds(1.9e-9, 0).deadline() == std::optional<std::int64_t>(1));
  CHECK(Budget::seconds(1.0, -5'000'000'000).deadline() ==
        std::optional<std::int64_t>(-4'000'000'000));
}

TEST_CASE("schedule: a budget deadline saturates instead of overflowing") {
  const Budget b = Budget::seconds(1e300, 5);
  CHECK(b.deadline() == std::optional<std::int64_t>(kI64Max));
  CHECK_FALSE(b.exhausted(kI64Max - 1));
  CHECK(Budget::seconds(1.0, kI64Max - 10).deadline() == std::optional<std::int64_t>(kI64Max));
}

TEST_CASE("schedule: total seconds must be finite and in range") {
  CHECK(benchgate::validate_total_seconds(0) == std::nullopt);
  CHECK(benchgate::validate_total_seconds(600) == std::nullopt);
  CHECK(benchgate::validate_total_seconds(0.25) == std::nullopt);
  CHECK(benchgate::validate_total_seconds(benchgate::kMaxTotalSeconds) == std::nullopt);
  auto message = [](double v) { return benchgate::validate_total_seconds(v).value_or(""); };
  for (const auto& [value, text] :
       std::vector<std::pair<double, std::string>>{{-1.0, "'-1'"},
                                                   {-0.5, "'-0.5'"},
                                                   {std::nan(""), "'nan'"},
                                                   {-std::nan(""), "'nan'"},
                                                   {HUGE_VAL, "'inf'"},
                                                   {-HUGE_VAL, "'-inf'"},
                                                   {31'536'001.0, "'31536001'"}}) {
    CAPTURE(text);
    const std::string m = message(value);
    CHECK(starts_with(m, "--total-seconds " + text + ": "));
    CHECK(contains(m, "[0, 31536000]"));
  }
}

TEST_CASE("schedule: the budget line shows total, elapsed and counts with three decimals") {
  BudgetSummary s;
  s.total_seconds = 10;
  s.elapsed_nanos = 3'250'000'000;
  s.completed = 2;
  s.skips = {{"sort.big", RowKind::parametric}};
  CHECK(benchgate::format_budget_line(s) ==
        "budget: 10.000s; elapsed 3.250s; completed 2, skipped 1");
  s.truncated = 1;
  CHECK(benchgate::format_budget_line(s) ==
        "budget: 10.000s; elapsed 3.250s; completed 2, skipped 1, truncated 1");
  s.elapsed_nanos = -5;
  s.skips.clear();
  s.total_seconds = 0;
  s.truncated = 0;
  CHECK(benchgate::format_budget_line(s) ==
        "budget: 0.000s; elapsed 0.000s; completed 2, skipped 0");
}

TEST_CASE("schedule: budget skip lines name the benchmark and its kind") {
  CHECK(benchgate::format_budget_skip({"sort.big", RowKind::parametric}) ==
        "  [budget skip] sort.big    [parametric]");
  CHECK(benchgate::format_budget_skip({"parse", RowKind::fixed}) ==
        "  [budget skip] parse    [fixed]");
  BudgetSummary s;
  s.total_seconds = 1.5;
  s.elapsed_nanos = 1'600'000'000;
  s.completed = 1;
  s.skips = {{"a", RowKind::parametric}, {"b", RowKind::fixed}};
  CHECK(benchgate::format_budget_summary(s) ==
        "budget: 1.500s; elapsed 1.600s; completed 1, skipped 2\n"
        "  [budget skip] a    [parametric]\n"
        "  [budget skip] b    [fixed]\n");
}

// ---- custom schedule note -----------------------------------------------------------------------

TEST_CASE("schedule: the custom note names the ignored flags and how to change the shape") {
  CHECK(benchgate::custom_schedule_note("sort", false, false) == std::nullopt);
  const std::string floor = benchgate::custom_schedule_note("sort", true, false).value_or("");
  const std::string ceiling = benchgate::custom_schedule_note("sort", false, true).value_or("");
  const std::string both = benchgate::custom_schedule_note("sort", true, true).value_or("");
  CHECK(starts_with(floor, "note: --param-floor ignored for sort: "));
  CHECK(starts_with(ceiling, "note: --param-ceiling ignored for sort: "));
  CHECK(starts_with(both, "note: --param-floor, --param-ceiling ignored for sort: "));
  for (const std::string& note : {floor, ceiling, both}) {
    CAPTURE(note);
    CHECK(contains(note, "custom"));
    CHECK(contains(note, "verbatim"));
    CHECK(contains(note, "--param-schedule doubling"));
    CHECK(contains(note, "linear"));
    CHECK(contains(note, "ParamSchedule::custom"));
    CHECK(contains(note, "--param-list"));
    CHECK_FALSE(contains(note, "\n"));
  }
}
