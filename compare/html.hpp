// The HTML report of a comparison: one self-contained page (inline SVG, no script, no network)
// with the outcome, time-against-param plots, a peak-RSS bar chart and the table of every key.
#pragma once

#include <map>
#include <optional>
#include <ostream>

#include "compare.hpp"
#include "reduce.hpp"

namespace benchgate {

// What the plots draw of one side of one key: its medians, taken from the same samples the gate
// compares (the eligible ok rows, docs/compare.md "Matching and reduction"). A median is null when
// the side did not measure the metric (Samples::measured()): never drawn as 0.
struct PlotPoint {
  std::optional<double> time_ns;  // median per-call time
  std::optional<double> rss_kb;   // median peak RSS
  bool eligible = false;          // the side has eligible rows for this key at all
};

using PlotSide = std::map<Key, PlotPoint>;

// Both sides, key by key. The Report keeps medians only where both sides measured a metric; the
// plots need each side on its own (a new param, a baseline that measured no RSS).
struct PlotData {
  PlotSide baseline;
  PlotSide current;
};

PlotPoint plot_point(const Side& side);
// Every key's point. Sorts the reduction (as compare does first) and reads each key's side once,
// so it is taken before compare consumes the reduction.
PlotSide plot_side(CompactReduction& reduction);

// The page: a header with the outcome, the counts per status and the thresholds; one log-log plot
// of time per call against param per parametric benchmark (baseline and current series); peak RSS
// per benchmark as bars ("n/a" where a side measured none); the table of every key. Every name
// from the rows is escaped.
void render_html(const Report& report, const PlotData& plots, std::ostream& out);

}  // namespace benchgate
