// Reading command-line values: the one number parser of benchgate's tools, whose errors name the
// flag, the value and the valid range, and the usage error every tool maps to exit code 2.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace benchgate {

// A command line that cannot be carried out as written (exit code 2 in every tool).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A decimal number as people type it: digits, at most one '.', an optional exponent. No sign,
// no spaces, no "inf"/"nan", no hex (strtod would read "0x1" as 1). nullopt for anything else,
// and for values that overflow a double.
std::optional<double> read_decimal(const std::string& text);

// What a number flag accepts, and how the error says it: "an integer in [1, 1000]", "a number
// in [0, 1)", "a number of seconds in (0, 86400]", "a number >= 0 (nanoseconds)".
struct NumberRule {
  bool integer = false;
  double lo = 0;
  double hi = std::numeric_limits<double>::infinity();  // infinite: "a number >= lo"
  bool lo_open = false;
  bool hi_open = false;
  const char* noun = nullptr;  // "seconds": "a number of seconds in ..."
  const char* unit = nullptr;  // "nanoseconds": "... (nanoseconds)"

  std::string describe() const;
};

// `text` as a number within `rule`, else UsageError "--<flag> '<text>': must be <rule>".
double parse_number(const std::string& flag, const std::string& text, const NumberRule& rule);

// An integer in [min, max] (digits only), else UsageError "--<flag> '<text>': must be an integer
// in [min, max]".
std::uint64_t parse_count(const std::string& flag, const std::string& text, std::uint64_t min,
                          std::uint64_t max);

// The shortest decimal text that reads back as exactly `v` (for argv a parser reads again, and
// for messages): "0.1", "86400" (whole numbers as integers), "1e-05", "nan", "inf", "-inf".
std::string exact_decimal(double v);

// "5%" -> 0.05, "0.05" -> 0.05, "12.5%" -> 0.125. nullopt for anything else: empty, negative,
// not a number, trailing junk, or above 1000% (a typo, not a gate).
std::optional<double> parse_threshold(const std::string& text);

// A custom counter's gate (issue 20): a regression is a change of its median beyond `threshold`
// in the worse direction.
struct CounterGate {
  std::string name;
  double threshold = 0;
  bool higher_is_better = false;
  friend bool operator==(const CounterGate& a, const CounterGate& b) {
    return a.name == b.name && a.threshold == b.threshold &&
           a.higher_is_better == b.higher_is_better;
  }
};

// "NAME=THRESHOLD:lower" or "NAME=THRESHOLD:higher" (THRESHOLD as parse_threshold reads it; NAME
// non-empty, without '='), e.g. "nodes_visited=5%:lower". Throws UsageError naming
// --counter-threshold, the text and the form it accepts.
CounterGate parse_counter_threshold(const std::string& text);

// The values of a repeatable flag, each kept whole. cxxopts splits the value of a std::vector
// option at every comma, so `--runner-arg=1024,4096` (RUNNER_ARGS' `--param-list 1024,4096`)
// reached the rerun as two arguments; declared as cxxopts::value<VerbatimArgs>(), this type's
// own parse_value (found by argument-dependent lookup) appends the value as it came.
struct VerbatimArgs {
  std::vector<std::string> items;
};
inline void parse_value(const std::string& text, VerbatimArgs& args) {
  args.items.push_back(text);
}

}  // namespace benchgate
