// The runner's override flags (`benchgate-runner run --outer-trials 3 ...`): one table row per
// flag, naming the flag, its help, what it accepts and the configuration field it sets. Adding a
// per-benchmark setting to the command line is one row here (docs/cli.md lists the flags; a test
// checks the two agree).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "benchgate/config.hpp"
#include "benchgate/core/cli.hpp"
#include "benchgate/core/list_doc.hpp"

namespace benchgate {

// A parsed override value: what the flag's kind reads (a switch is `true`).
using OverrideValue = std::variant<bool, std::uint64_t, double, CacheMode, ParamSchedule::Shape,
                                   std::vector<std::uint64_t>>;

struct OverrideFlag {
  enum class Kind {
    count,       // an integer in [lo, hi]
    number,      // a number per `rule`
    on_off,      // "on" or "off"
    cache_mode,  // "warm" or "cold"
    shape,       // "auto", "doubling" or "linear" (custom: a param list)
    param_list,  // comma-separated integers in [lo, hi]
    hash,        // 0x and 1 to 16 hex digits
    flag,        // no value
  };
  const char* name;  // without the leading "--"
  const char* value_name;
  const char* help;
  Kind kind;
  NumberRule rule;  // count and param_list: lo and hi; number: all of it
  // The field it sets; null where it does not apply to that kind of benchmark.
  void (*parametric)(BenchmarkConfig&, const OverrideValue&);
  void (*fixed)(FixedBenchmarkConfig&, const OverrideValue&);
};

// Every override flag, in the order they are applied and listed.
const std::vector<OverrideFlag>& override_flags();

// The overrides given on one command line, by flag name; a flag not given keeps the declared
// value.
struct Overrides {
  std::map<std::string, OverrideValue> values;
  bool has(const std::string& name) const { return values.count(name) > 0; }
  friend bool operator==(const Overrides& a, const Overrides& b) { return a.values == b.values; }
};

// The flag's value read from `text`; throws UsageError naming the flag, the value and what it
// accepts.
OverrideValue parse_override(const OverrideFlag& flag, const std::string& text);

// The text parse_override reads back as `value` (empty for a switch).
std::string format_override(const OverrideFlag& flag, const OverrideValue& value);

// Applies the overrides to one benchmark's configuration and validates the result; throws
// UsageError with every validation message. Returns notes for people (e.g. --param-floor and
// --param-ceiling ignored by a custom schedule).
std::vector<std::string> apply_overrides(BenchmarkInfo& info, const Overrides& overrides);

}  // namespace benchgate
