// benchgate-compare's command line as a type, with its parser and --help.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "compare.hpp"

namespace benchgate {

enum class ReportFormat { text, markdown, json };

struct CompareRequest {
  std::string baseline;  // a rows file or a directory of them
  std::string current;
  // --collect DIR...: gather the results under these directories (*.gate.json and their
  // siblings) into one report: Markdown (to `output` or stdout), `html`, `junit`; no comparison.
  std::vector<std::string> collect;
  std::optional<std::string> junit;
  // Write CURRENT into BASELINE (the benchmarks the gate finds changed, or `all`) and exit.
  bool write_baseline = false;
  bool all = false;
  // With write_baseline: keep the baseline's most recent runs, up to keep_runs with CURRENT's.
  bool add_run = false;
  std::size_t keep_runs = 5;
  CompareOptions options;  // thresholds, floors, alpha and the flags that fail the gate
  ReportFormat format = ReportFormat::text;
  std::optional<std::string> output;  // the report's file; stdout without it
  std::optional<std::string> html;    // also an HTML report
  // --results PREFIX: also PREFIX.json, .md, .junit.xml and .html, whatever the outcome (also
  // when there is no baseline yet, or an error), for --collect.
  std::optional<std::string> results;
  std::string accept;  // the command that accepts the new numbers, shown with a failure
  // Confirmation reruns: how many, through which runner, of which executable; with
  // baseline_exe, each rerun measures it too and is judged against its own rows.
  std::size_t confirm = 0;
  std::optional<std::string> runner;
  std::optional<std::string> exe;
  std::optional<std::string> baseline_exe;
  std::vector<std::string> runner_args;  // each whole, for `benchgate-runner run`
};

// The command line (args[0] the program). nullopt when --help was asked for. Throws UsageError
// naming the flag, the value and what it accepts. Defaults: CompareOptions's, but a time
// threshold of kDefaultAbTimeThreshold with --baseline-exe, and --confirm kDefaultReruns when
// --runner and --exe are both given.
std::optional<CompareRequest> parse_compare_request(const std::vector<std::string>& args);

std::string compare_help();

}  // namespace benchgate
