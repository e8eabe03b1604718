// The wire protocol between benchgate-runner and a benchmark executable built with the harness,
// as types: each request has one to_argv (the runner's side) and one parser (the harness's side,
// and the tests'), so a renamed flag fails to compile or fails the round-trip test, never at run
// time. docs/design.md describes the protocol.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/config.hpp"
#include "benchgate/core/row.hpp"

namespace benchgate {

// The mode flags, each the first argument after the program.
inline constexpr const char* kListFlag = "--benchgate-list";              // print the list document
inline constexpr const char* kProbeFlag = "--benchgate-probe";            // start, exit 0
inline constexpr const char* kComplexityFlag = "--benchgate-complexity";  // print "P C(P)" lines
inline constexpr const char* kChildFlag = "--benchgate-child";            // run one batch

// What a batch measures: wall and CPU time natively, or instructions under Valgrind's Callgrind.
enum class Measure { time, instructions };
const char* to_string(Measure measure);
std::optional<Measure> parse_measure(const std::string& text);

// One batch: `<exe> --benchgate-child --bench NAME (--param N | --fixed --repeat-index I)
// --cache-mode warm|cold --target-nanos T --result-fd FD [--env-json J] [--measure M]
// [--inner-repeats N] [--setup-fd FD2]`. The child writes exactly one row to descriptor FD.
struct ChildRequest {
  std::string bench;
  RowKind kind = RowKind::parametric;
  std::uint64_t which = 0;  // the param (parametric) or the repeat index (fixed)
  CacheMode cache_mode = CacheMode::warm;
  // Parametric: the autotune target (a batch lasts about half of it); fixed: the least a batch
  // lasts (inner repeats double until it does).
  std::uint64_t target_nanos = 0;
  int result_fd = -1;
  std::optional<std::string> env_json;  // the run's env, so every row carries the same one
  Measure measure = Measure::time;      // instructions: the batch runs under Callgrind
  // A warm parametric batch of exactly this many calls after one untimed warm-up call, instead
  // of the autotune: the two children of an A/B pair run the same count (docs/design.md, "A/B
  // pairs"). Only executables whose list document says `inner_repeats` accept it.
  std::optional<std::uint64_t> inner_repeats;
  // When setup has run, the child writes one byte to this descriptor and closes it: the runner
  // then switches from the setup cap to the batch cap (docs/design.md, "Child mode"). Only
  // executables whose list document says `setup_fd` accept it.
  std::optional<int> setup_fd;

  friend bool operator==(const ChildRequest& a, const ChildRequest& b);
};

// `exe` followed by the child mode's arguments. Measure::time is the default and not written.
std::vector<std::string> to_argv(const std::string& exe, const ChildRequest& request);

// The child request in a whole argv (argv[0] the program, argv[1] kChildFlag). Throws
// UsageError naming the flag for an unknown flag, a missing value or required flag, a value out
// of range. Whether the result descriptor is open is the harness's to check.
ChildRequest parse_child_request(const std::vector<std::string>& argv);

// The declared complexity at some params: `<exe> --benchgate-complexity --bench NAME P...`,
// answered with one "P C(P)" line per param on stdout.
struct ComplexityRequest {
  std::string bench;
  std::vector<std::uint64_t> params;

  friend bool operator==(const ComplexityRequest& a, const ComplexityRequest& b);
};
std::vector<std::string> to_argv(const std::string& exe, const ComplexityRequest& request);
ComplexityRequest parse_complexity_request(const std::vector<std::string>& argv);

// The answer on stdout: one "P C" line per param, C with 17 significant digits ("inf" where it
// overflows a double, "nan" where undefined).
std::string format_complexity_answer(const std::map<std::uint64_t, double>& values);
// The values of an answer; a line that is not "P C" is skipped (the caller decides what a
// missing param means).
std::map<std::uint64_t, double> parse_complexity_answer(const std::string& text);

}  // namespace benchgate
