// The `benchgate-runner run` command line as a type: what the runner parses, and what
// benchgate-compare's confirmation reruns (and the tests) build and turn into an argv. One
// to_argv, one parser; parse_run_request(to_argv(r)) == r.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/overrides.hpp"
#include "benchgate/core/protocol.hpp"

namespace benchgate {

// benchgate-runner's synopsis, which its usage errors end with.
inline constexpr const char* kRunnerUsage =
    "usage: benchgate-runner list EXE\n"
    "       benchgate-runner run EXE [--out FILE] [--bench NAME]... [--filter TEXT] [overrides]\n"
    "       benchgate-runner run --help     (all flags)\n"
    "       benchgate-runner verify EXE [--bench NAME]... [--filter TEXT] [--tag T]...\n";

// --cpu: where the measured children run.
struct CpuPin {
  enum class Mode { none, last_allowed, fixed };  // "none", "auto", a CPU number
  Mode mode = Mode::none;
  int cpu = 0;  // with Mode::fixed
  friend bool operator==(const CpuPin& a, const CpuPin& b) {
    return a.mode == b.mode && a.cpu == b.cpu;
  }
};

// --adapter: what kind of executable EXE is (docs/design.md, "Adapters").
enum class AdapterKind {
  native,            // built with benchgate_add_benchmark(): the --benchgate-* protocol
  google_benchmark,  // built with Google Benchmark's BENCHMARK() and BENCHMARK_MAIN()
};
const char* to_string(AdapterKind kind);  // "native", "google-benchmark"
std::optional<AdapterKind> parse_adapter_kind(const std::string& text);

struct RunRequest {
  std::string exe;                      // the benchmark executable, as given
  std::optional<std::string> out;       // --out: where the rows go
  std::vector<std::string> benches;     // --bench, each once, in the order given
  std::string filter;                   // --filter: a substring of the names
  std::vector<std::string> tags;        // --tag, each once
  Overrides overrides;                  // the table's flags (overrides.hpp)
  std::optional<double> total_seconds;  // --total-seconds: the run's budget
  bool auto_fit = false;
  CpuPin cpu;
  bool progress = false;  // --progress: a line per batch even when stderr is no terminal
  bool quiet = false;     // --quiet: no progress lines (wins over --progress)
  Measure measure = Measure::time;
  std::optional<std::string> baseline_exe;    // A/B in one run: EXE2 ...
  std::optional<std::string> baseline_out;    // ... and where its rows go (both or neither)
  AdapterKind adapter = AdapterKind::native;  // --adapter
  // --benchmark-filter: with --adapter google-benchmark, only the instances whose name this
  // regular expression matches (Google Benchmark's --benchmark_filter at listing time).
  std::optional<std::string> benchmark_filter;

  friend bool operator==(const RunRequest& a, const RunRequest& b);
};

// `runner run [flags] -- EXE`, each value as its own argument after its flag (`--flag value`),
// so that any value the parser accepted (commas, spaces, '=', newlines, a leading dash, empty)
// reaches it again as it was.
std::vector<std::string> to_argv(const std::string& runner, const RunRequest& request);

// The run command's flags and EXE: `args` is what follows `run` (args[0] is taken as the
// program name, as in main's argv). nullopt when --help was asked for. Throws UsageError naming
// the flag, the value and what it accepts; a command line it cannot read at all (an unknown
// flag, a stray argument, no EXE) ends the message with kRunnerUsage.
std::optional<RunRequest> parse_run_request(const std::vector<std::string>& args);

// The run command's --help text.
std::string run_help();

}  // namespace benchgate
