// Renderers of a comparison report: aligned text, Markdown for a pull-request comment, JSON.
// Each takes the computed Report and a stream; none decides anything.
#pragma once

#include <array>
#include <ostream>

#include "compare.hpp"
#include "outcome.hpp"

namespace benchgate {

inline constexpr int kCompareJsonVersion = 2;

// One line per key: status, benchmark, time and RSS (baseline -> current, change), notes.
// Failing keys first. Ends with a summary line and the thresholds in force.
void render_text(const Report& report, std::ostream& out);

// A pull-request comment: a one-line heading with the outcome, a "Regressions" table (each failing
// key's regressed metrics, baseline -> current and the change), an "Improvements" table, then
// every key in one table folded into a <details> block, and the thresholds in force. Empty
// sections are left out.
void render_markdown(const Report& report, std::ostream& out);

// {"benchgate_compare_version": 2, "options": {...}, "summary": {...}, "benchmarks": [...],
// "results": [...]};
// documented in docs/compare.md.
void render_json(const Report& report, std::ostream& out);

// The pieces every renderer shows in the same words (text, Markdown, HTML).
// A benchmark's time decision: its status (upper case when failing), name, ratio with its
// interval, and what decided it with the reason ("35 pairs, 2 looks: straddles 5.0%").
using BenchmarkCells = std::array<std::string, 4>;
inline const BenchmarkCells kBenchmarkHeader{"time", "benchmark", "ratio [interval]",
                                             "decided from"};
BenchmarkCells benchmark_cells(const BenchmarkResult& b);
std::string kb(double v);            // "3_684 kB"
std::string bytes(double v);         // "508 B"
std::string instructions(double v);  // "136_241 instr"
// Whether any key has instructions per call on either side: the reports then show them (n/a
// where a side has none).
bool counts_instructions(const Report& report);
// "<baseline> → <current> (<change>)" in `unit`, or "n/a" when a side was not measured.
std::string metric_cell(const MetricResult& m, std::string (*unit)(double));
// The key's status, in upper case when the key fails the gate.
std::string status_label(const KeyResult& r);
// How each metric beyond or near its threshold was decided, confirmation and hash notes.
std::string notes(const KeyResult& r, const CompareOptions& o);
// "throughput (not gated): 4.10 GB/s → 3.90 GB/s, 1.02G items/s → 975M items/s" (issue 20): the
// declared bytes and items per call over each side's median time.
std::string throughput_note(const KeyResult& r);
// "thresholds: time 10% (U test ...), RSS 5%, allocations not gated".
std::string thresholds_line(const CompareOptions& o);

// The text report's last line: "PASS", "FAIL: 2 key(s) fail the gate" or "SKIPPED: <reason>".
std::string outcome_line(const GateOutcome& outcome);

// Text in a Markdown table cell: `|` would end the cell and a line break the row; `<` before a
// letter, `/`, `!` or `?` could open an HTML tag or comment (a note may quote a crashed
// benchmark's error output). Any other `<`, as in "p=0.004 <= alpha", reads as itself.
std::string md_cell(const std::string& s);

// "+12.3%", "-4.0%" (ASCII minus), "+∞" (from a zero baseline), "n/a".
std::string format_change(const std::optional<double>& change);

}  // namespace benchgate
