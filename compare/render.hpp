// Renderers of a comparison report: aligned text, Markdown for a pull-request comment, JSON.
// Each takes the computed Report and a stream; none decides anything.
#pragma once

#include <ostream>

#include "compare.hpp"

namespace benchgate {

inline constexpr int kCompareJsonVersion = 1;

// One line per key: status, benchmark, time and RSS (baseline -> current, change), notes.
// Failing keys first. Ends with a summary line and the thresholds in force.
void render_text(const Report& report, std::ostream& out);

// A pull-request comment: a one-line heading with the outcome, a "Regressions" table (each failing
// key's regressed metrics, baseline -> current and the change), an "Improvements" table, then
// every key in one table folded into a <details> block, and the thresholds in force. Empty
// sections are left out.
void render_markdown(const Report& report, std::ostream& out);

// {"benchgate_compare_version": 1, "options": {...}, "summary": {...}, "results": [...]};
// documented in docs/compare.md.
void render_json(const Report& report, std::ostream& out);

// "+12.3%", "-4.0%" (ASCII minus), "+∞" (from a zero baseline), "n/a".
std::string format_change(const std::optional<double>& change);

}  // namespace benchgate
