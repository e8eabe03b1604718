// Ratios, trial summaries, the complexity verdict, advisories and auto-fit (rules: verdict.hpp).
#include "benchgate/core/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "benchgate/core/format.hpp"
#include "benchgate/core/stats.hpp"

namespace benchgate {

namespace {

// The verdict needs this many kept ratios; the warmup trim never cuts below it.
constexpr std::size_t kMinVerdictRatios = 3;
// β needs pmax/pmin >= e: over a narrower range a slope is mostly noise.
constexpr double kMinLogParamRange = 1.0;
// Σdx² below this means every ln p is (numerically) the same: no slope.
constexpr double kMinSumSquaredDx = 1e-12;
// The hint ignores slopes this small even under a tighter tolerance: ~n^0.05 is noise.
constexpr double kMinHintSlope = 0.05;
// Auto-fit: a runner-up closer than max(0.10, 0.5 × winner) in std of ln C is within noise.
constexpr double kFitAbsoluteMargin = 0.10;
constexpr double kFitRelativeMargin = 0.5;
constexpr std::size_t kConfidentFitPoints = 3;

bool is_capped(const Row& row) {
  return row.status == RowStatus::killed_at_cap || row.status == RowStatus::timed_out;
}

// Per-call costs (times, or instructions under Callgrind) of the eligible rows, grouped by param
// in first-occurrence order.
std::vector<std::pair<std::uint64_t, std::vector<double>>> eligible_by_param(
    const std::vector<Row>& rows) {
  std::vector<std::pair<std::uint64_t, std::vector<double>>> groups;
  for (const Row& row : rows) {
    if (!row.param || !verdict_eligible(row)) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == *row.param; });
    if (it == groups.end()) {
      groups.emplace_back(*row.param, std::vector<double>{});
      it = groups.end() - 1;
    }
    it->second.push_back(per_call_cost(row));
  }
  return groups;
}

// snprintf with a literal format per call site (-Wformat=2 checks each).
#define BENCHGATE_PRINTF(format, value)              \
  [&] {                                              \
    char buf[64];                                    \
    std::snprintf(buf, sizeof buf, format, (value)); \
    return std::string(buf);                         \
  }()

// "10", "2.5": multipliers and seconds as the user would have typed them.
std::string format_plain(double value) {
  return BENCHGATE_PRINTF("%g", value);
}

// The duration column of a table: numbers right-aligned on the decimal point, unit padded.
std::vector<std::string> duration_column(const std::vector<double>& nanos) {
  std::vector<std::pair<std::string, std::string>> parts;
  std::size_t number_width = 0;
  for (double n : nanos) {
    const std::string s = format_duration(n);
    const std::size_t space = s.rfind(' ');
    parts.emplace_back(s.substr(0, space), s.substr(space + 1));
    number_width = std::max(number_width, parts.back().first.size());
  }
  std::vector<std::string> out;
  for (const auto& p : parts) out.push_back(pad_left(p.first, number_width) + " " + p.second);
  return out;
}

// Joins cells into aligned lines: column widths from the widest cell, header included.
std::vector<std::string> render_table(const std::vector<std::vector<std::string>>& cells,
                                      const std::vector<bool>& left_aligned,
                                      const std::string& indent) {
  std::vector<std::size_t> widths(left_aligned.size(), 0);
  for (const auto& row : cells) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  std::vector<std::string> lines;
  for (const auto& row : cells) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c != 0) line += "  ";
      line += left_aligned[c] ? pad_right(row[c], widths[c]) : pad_left(row[c], widths[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// ⌊log2(n + 1)⌋ without overflowing at n = 2^64 − 1.
unsigned floor_log2_successor(std::uint64_t n) {
  if (n == std::numeric_limits<std::uint64_t>::max()) return 64;
  std::uint64_t v = n + 1;
  unsigned k = 0;
  while (v >>= 1) ++k;
  return k;
}

struct CatalogModel {
  const char* label;
  double (*log_cost)(std::uint64_t n);  // ln M(n) for n >= 2
};

double log_n(std::uint64_t n) {
  return std::log(static_cast<double>(n));
}

constexpr CatalogModel kCatalog[] = {
    {"1", [](std::uint64_t) { return 0.0; }},
    {"n", [](std::uint64_t n) { return log_n(n); }},
    {"n log n",
     [](std::uint64_t n) {
       return log_n(n) + std::log(static_cast<double>(floor_log2_successor(n)));
     }},
    {"n^2", [](std::uint64_t n) { return 2 * log_n(n); }},
    {"n^3", [](std::uint64_t n) { return 3 * log_n(n); }},
    {"2^n", [](std::uint64_t n) { return static_cast<double>(n) * std::log(2.0); }},
};

}  // namespace

bool verdict_eligible(const Row& row) {
  return row.status == RowStatus::ok && row.part_of_verdict != false &&
         row.below_signal_floor != true;
}

std::vector<Ratio> ratios(const std::vector<Row>& rows,
                          const std::map<std::uint64_t, double>& complexity) {
  std::vector<Ratio> out;
  for (const auto& [param, per_call] : eligible_by_param(rows)) {
    if (param < 2) continue;  // C(0) and C(1) say nothing about growth
    const auto c = complexity.find(param);
    if (c == complexity.end() || c->second == 0 || !std::isfinite(c->second)) continue;
    out.push_back({param, median(per_call) / c->second});
  }
  return out;
}

std::vector<TrialSummary> trial_summaries(const std::vector<Row>& rows) {
  std::vector<TrialSummary> out;
  for (const auto& [param, per_call] : eligible_by_param(rows)) {
    TrialSummary s;
    s.param = param;
    s.ok_count = per_call.size();
    for (const Row& row : rows) {
      if (row.param == param && row.part_of_verdict != false) ++s.trials;
    }
    s.median = median(per_call);
    s.min = *std::min_element(per_call.begin(), per_call.end());
    s.max = *std::max_element(per_call.begin(), per_call.end());
    s.spread = s.median > 0 ? (s.max - s.min) / s.median : 0;
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> trial_summary_lines(const std::vector<TrialSummary>& summaries,
                                             const BenchmarkConfig& config, bool instructions) {
  if (config.outer_trials <= 1 || summaries.empty()) return {};
  std::vector<double> medians, mins, maxes;
  for (const auto& s : summaries) {
    medians.push_back(s.median);
    mins.push_back(s.min);
    maxes.push_back(s.max);
  }
  auto column = [&](const std::vector<double>& values) {
    if (!instructions) return duration_column(values);
    std::vector<std::string> cells;
    for (double v : values) {
      cells.push_back(format_count(static_cast<std::uint64_t>(std::llround(v))) + " instr");
    }
    return cells;
  };
  const auto median_cells = column(medians);
  const auto min_cells = column(mins);
  const auto max_cells = column(maxes);
  std::vector<std::vector<std::string>> cells{
      {"param", "trials", "median", "min", "max", "spread"}};
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const TrialSummary& s = summaries[i];
    cells.push_back({format_count(s.param),
                     std::to_string(s.ok_count) + "/" + std::to_string(s.trials), median_cells[i],
                     min_cells[i], max_cells[i], BENCHGATE_PRINTF("%.3f%%", s.spread * 100)});
  }
  std::vector<std::string> lines{"  trial summaries (" + std::to_string(config.outer_trials) +
                                 " trials per param; spread = (max-min)/median):"};
  for (auto& line : render_table(cells, {false, false, false, false, false, false}, "    ")) {
    lines.push_back(std::move(line));
  }
  return lines;
}

const char* to_string(ComplexityVerdict verdict) {
  switch (verdict) {
    case ComplexityVerdict::consistent: return "consistent_with_declared_complexity";
    case ComplexityVerdict::inconclusive: return "inconclusive";
  }
  return "inconclusive";
}

const char* display_name(ComplexityVerdict verdict) {
  switch (verdict) {
    case ComplexityVerdict::consistent: return "consistent with declared complexity";
    case ComplexityVerdict::inconclusive: return "inconclusive";
  }
  return "inconclusive";
}

VerdictResult derive_verdict(const std::vector<Ratio>& all, const BenchmarkConfig& config) {
  VerdictResult r;
  r.ratios = all;
  if (all.size() < kMinVerdictRatios) return r;

  const double fraction = config.verdict_warmup_fraction;
  const double wanted = fraction > 0 ? std::trunc(static_cast<double>(all.size()) * fraction) : 0;
  const std::size_t most = all.size() - kMinVerdictRatios;
  r.dropped = wanted >= static_cast<double>(most) ? most : static_cast<std::size_t>(wanted);
  const auto kept_begin = all.begin() + static_cast<std::ptrdiff_t>(r.dropped);

  double c_min = kept_begin->c, c_max = kept_begin->c;
  std::vector<std::pair<double, double>> points;  // (ln p, ln C) where C > 0
  double x_min = std::numeric_limits<double>::infinity();
  double x_max = -std::numeric_limits<double>::infinity();
  for (auto it = kept_begin; it != all.end(); ++it) {
    c_min = std::min(c_min, it->c);
    c_max = std::max(c_max, it->c);
    if (!(it->c > 0) || !std::isfinite(it->c)) continue;
    const double x = std::log(static_cast<double>(it->param));
    points.emplace_back(x, std::log(it->c));
    x_min = std::min(x_min, x);
    x_max = std::max(x_max, x);
  }
  r.c_min = c_min;
  r.c_max = c_max;

  if (points.size() >= 2 && x_max - x_min >= kMinLogParamRange) {
    double mean_x = 0, mean_y = 0;
    for (const auto& [x, y] : points) {
      mean_x += x;
      mean_y += y;
    }
    mean_x /= static_cast<double>(points.size());
    mean_y /= static_cast<double>(points.size());
    double sxx = 0, sxy = 0;
    for (const auto& [x, y] : points) {
      sxx += (x - mean_x) * (x - mean_x);
      sxy += (x - mean_x) * (y - mean_y);
    }
    if (sxx >= kMinSumSquaredDx) r.slope = sxy / sxx;
  }

  if (r.slope) {
    r.verdict = std::abs(*r.slope) <= config.slope_tolerance ? ComplexityVerdict::consistent
                                                             : ComplexityVerdict::inconclusive;
  } else if (points.size() >= 2 && c_min > 0) {
    // Narrow range: no slope to trust, so bound the spread of C instead. Over ln-range xr a
    // true exponent error of slope_tolerance moves C by exp(tol × xr); the noise floor keeps
    // that bound from collapsing to 1 when the range is tiny.
    const double bound = std::max(config.narrow_range_noise_floor,
                                  std::exp(config.slope_tolerance * (x_max - x_min)));
    r.verdict =
        c_max / c_min <= bound ? ComplexityVerdict::consistent : ComplexityVerdict::inconclusive;
  }
  return r;
}

std::string format_ratio(double c) {
  const double a = std::abs(c);
  if (c == 0 || (a >= 1e-3 && a < 1e6)) return BENCHGATE_PRINTF("%.3f", c);
  return BENCHGATE_PRINTF("%.3e", c);
}

std::string verdict_line(const VerdictResult& r, const BenchmarkConfig& config) {
  auto c = [](const std::optional<double>& v) { return v ? format_ratio(*v) : std::string("—"); };
  std::string line = std::string("verdict: ") + display_name(r.verdict) + " (cMin=" + c(r.c_min) +
                     ", cMax=" + c(r.c_max) +
                     ", β=" + (r.slope ? BENCHGATE_PRINTF("%+.3f", *r.slope) : std::string("—"));
  if (r.slope) {
    const double magnitude = std::abs(*r.slope);
    if (magnitude > config.slope_tolerance && magnitude >= kMinHintSlope) {
      line += std::string(", looks ") + (*r.slope > 0 ? "slower" : "faster") +
              " than declared by ~n^" + BENCHGATE_PRINTF("%.3f", magnitude);
    }
  }
  return line + ")";
}

const char* to_string(AdvisoryKind kind) {
  switch (kind) {
    case AdvisoryKind::below_signal_floor: return "below_signal_floor";
    case AdvisoryKind::partially_below_signal_floor: return "partially_below_signal_floor";
    case AdvisoryKind::all_capped: return "all_capped";
    case AdvisoryKind::truncated_at_cap: return "truncated_at_cap";
    case AdvisoryKind::too_few_verdict_rows: return "too_few_verdict_rows";
  }
  return "";
}

std::vector<Advisory> advisories(const std::vector<Row>& rows, const VerdictResult& result,
                                 const BenchmarkConfig& config,
                                 std::optional<double> spawn_floor_nanos) {
  const bool custom = config.param_schedule.shape == ParamSchedule::Shape::custom;
  const std::string list = "the declared `ParamSchedule::custom({...})` list (or `--param-list`)";
  // Non-custom schedules may pin their rungs instead; a custom schedule already does.
  const std::string pin_tail =
      custom ? ""
             : ", or pin a tractable rung set with `.config(...)` and `param_schedule = "
               "ParamSchedule::custom({...})` (or `--param-list`)";
  const std::string raise_ceiling =
      custom ? "extend " + list + " with larger params"
             : "raise `--param-ceiling` so the larger params carry measurable work";
  const std::string multiplier = format_plain(config.signal_floor_multiplier);
  const std::string floor =
      spawn_floor_nanos ? "≈ " + format_duration(*spawn_floor_nanos) : std::string("not measured");
  const std::string cap =
      "(`max_seconds_per_call = " + format_plain(config.max_seconds_per_call) + "s`)";

  std::size_t ok = 0, below = 0;
  const Row* first_capped = nullptr;
  for (const Row& row : rows) {
    if (row.status == RowStatus::ok) {
      ++ok;
      if (row.below_signal_floor == true) ++below;
    }
    if (is_capped(row) && first_capped == nullptr) first_capped = &row;
  }

  std::vector<Advisory> out;
  if (ok == 0) {
    const bool all_capped = !rows.empty() && std::all_of(rows.begin(), rows.end(), is_capped);
    // The runner's message for a kill in setup (runner/classify.hpp): the batch cap is not
    // what to raise then.
    const bool all_in_setup = all_capped && std::all_of(rows.begin(), rows.end(), [](const Row& r) {
                                return r.error && r.error->rfind("killed in setup", 0) == 0;
                              });
    if (all_in_setup) {
      out.push_back({AdvisoryKind::all_capped,
                     "every measurement was killed in setup (`max_setup_seconds = " +
                         format_plain(config.max_setup_seconds) +
                         "s`) before its batch began; no `ok` row landed. If setup is slow but "
                         "finishes, bump `--max-setup-seconds`; otherwise look for a hang in it."});
    } else if (all_capped) {
      std::string move_floor;
      if (custom) {
        move_floor = ", start " + list + " with smaller params";
      } else if (config.param_floor > 0) {
        move_floor = ", lower `--param-floor` (now " + std::to_string(config.param_floor) +
                     ") so the ladder starts on a cheaper param";
      }
      out.push_back(
          {AdvisoryKind::all_capped, "every measurement hit the wallclock cap " + cap +
                                         "; no `ok` row landed. Bump `--max-seconds-per-call`" +
                                         move_floor + pin_tail + "."});
    }
  } else if (below == ok) {
    out.push_back({AdvisoryKind::below_signal_floor,
                   "every measurement was below " + multiplier +
                       "× the per-spawn floor (per-spawn floor " + floor +
                       "); the function is too fast for child-process measurement at the "
                       "configured params. Try the following: " +
                       raise_ceiling +
                       ", wrap the function in a hot inner loop, or register it with "
                       "`benchgate::fixed(...)` for a single-shot reading."});
  } else if (below > 0) {
    const std::string raise_floor =
        custom ? "Drop the smallest params from " + list : std::string("Raise `--param-floor`");
    out.push_back({AdvisoryKind::partially_below_signal_floor,
                   std::to_string(below) + "/" + std::to_string(ok) + " ok rows were below " +
                       multiplier + "× the per-spawn floor (per-spawn floor " + floor +
                       "); those rows are excluded from the verdict. " + raise_floor +
                       " to skip the cold regime if the trimmed warmup isn't enough."});
  }

  if (ok > 0 && first_capped != nullptr) {
    const std::string p = first_capped->param ? std::to_string(*first_capped->param) : "—";
    const std::string drop_tail =
        custom ? ", or drop the params from " + p + " upward from " + list : pin_tail;
    out.push_back({AdvisoryKind::truncated_at_cap,
                   "ladder stopped at param=" + p + " after hitting the wallclock cap " + cap +
                       "; subsequent rungs in the schedule were skipped. Raise it with "
                       "`--max-seconds-per-call` if you need to reach further" +
                       drop_tail + "."});
  }

  if (ok > 0 && result.kept() < kMinVerdictRatios) {
    // Lowering the warmup fraction cannot help here: with fewer than 3 ratios nothing is dropped.
    const std::string more_rungs =
        custom ? "Add params to " + list
               : std::string(
                     "Raise `--param-ceiling` (or `--max-seconds-per-call` if the ladder "
                     "hit the cap) so more rungs land");
    out.push_back({AdvisoryKind::too_few_verdict_rows,
                   "only " + std::to_string(result.kept()) +
                       " verdict-eligible param(s) survived the warmup trim and the signal-floor "
                       "filter; the verdict needs 3 and is below resolution. " +
                       more_rungs + pin_tail + "."});
  }
  return out;
}

bool no_usable_data(const VerdictResult& result, bool budget_truncated) {
  return result.ratios.empty() && !budget_truncated;
}

AutoFit auto_fit(const std::vector<TrialSummary>& summaries) {
  std::vector<std::pair<std::uint64_t, double>> samples;  // (p, ln t)
  for (const auto& s : summaries) {
    if (s.param >= 2 && s.median > 0 && std::isfinite(s.median)) {
      samples.emplace_back(s.param, std::log(s.median));
    }
  }

  AutoFit fit;
  for (const CatalogModel& model : kCatalog) {
    std::vector<double> residuals;
    for (const auto& [p, log_t] : samples) {
      const double r = log_t - model.log_cost(p);
      if (std::isfinite(r)) residuals.push_back(r);
    }
    if (residuals.size() < 2) continue;
    double mean = 0;
    for (double r : residuals) mean += r;
    mean /= static_cast<double>(residuals.size());
    double variance = 0;
    for (double r : residuals) variance += (r - mean) * (r - mean);
    variance /= static_cast<double>(residuals.size());
    fit.fits.push_back({model.label, std::sqrt(variance), std::exp(mean), residuals.size()});
  }
  std::stable_sort(fit.fits.begin(), fit.fits.end(),
                   [](const ModelFit& a, const ModelFit& b) { return a.std_log_c < b.std_log_c; });

  if (fit.fits.empty()) return fit;
  const ModelFit& winner = fit.fits[0];
  if (winner.points < kConfidentFitPoints) {
    fit.confidence = FitConfidence::weak;
    fit.reason =
        "only " + std::to_string(winner.points) + " usable rung(s) — need ≥ 3 for a confident pick";
  } else if (fit.fits.size() == 1 ||
             fit.fits[1].std_log_c >=
                 winner.std_log_c +
                     std::max(kFitAbsoluteMargin, kFitRelativeMargin * winner.std_log_c)) {
    fit.confidence = FitConfidence::decisive;
  } else {
    fit.confidence = FitConfidence::weak;
    fit.reason = "runner-up '" + fit.fits[1].label + "' is within noise of '" + winner.label +
                 "'; the ladder cannot separate them";
  }
  return fit;
}

std::vector<std::string> auto_fit_lines(const AutoFit& fit) {
  std::vector<std::string> lines{
      "  auto-fit (heuristic; not a proof — ranks the catalog by stddev of log C):"};
  if (fit.fits.empty()) {
    lines.push_back("    no candidates fit — fewer than 2 verdict-eligible rungs survived");
    return lines;
  }
  std::vector<std::vector<std::string>> cells{{"model", "stdLogC", "mean C", "n"}};
  for (const ModelFit& m : fit.fits) {
    cells.push_back({m.label, BENCHGATE_PRINTF("%.3f", m.std_log_c), format_ratio(m.mean_c),
                     std::to_string(m.points)});
  }
  std::vector<std::string> table = render_table(cells, {true, false, false, false}, "    ");
  if (fit.confidence == FitConfidence::decisive) table[1] += "  ←";
  lines.insert(lines.end(), table.begin(), table.end());
  if (fit.confidence == FitConfidence::weak) lines.push_back("    ‼ inconclusive: " + fit.reason);
  return lines;
}

}  // namespace benchgate
