// Google Benchmark's instance names as benchgate keys (docs/google-benchmark.md, "Names").
//
// An instance name is the family name followed by '/'-separated parts: arguments ("1024",
// "size:1024" with ArgNames), a BENCHMARK_CAPTURE label, and Google Benchmark's own attributes
// ("real_time", "manual_time", "process_time", "threads:2", "iterations:100", "repeats:3",
// "min_time:0.500", "min_warmup_time:0.500"). Template arguments may contain '/'-free text in
// "<...>" only. The first argument becomes the row's `param`, and its place in the name becomes
// "*": "BM_Sort/1024" is function "BM_Sort/*" at param 1024, "BM_Args/8/16" is "BM_Args/*/16"
// at 8, "BM_Named/size:64" is "BM_Named/size:*" at 64. A name with no argument is a fixed
// benchmark: function = the name. Two instances of one executable never share a key: only the
// first argument moves out of the name, and it moves into `param`. A key is mapped back to its
// instance by listing the executable's instances and mapping each (a capture label "*" would
// make a textual inverse ambiguous).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace benchgate {

struct GbenchKey {
  std::string function;                // the name with its first argument replaced by "*"
  std::optional<std::uint64_t> param;  // the first argument; nullopt: a fixed benchmark
};

// The key of one instance name. An argument is a part made of decimal digits only (or
// NAME:digits with a NAME that is not one of Google Benchmark's attributes), fitting in 64 bits,
// after the family name; negative arguments ("-5") are not params and stay in the name.
GbenchKey gbench_key(const std::string& instance_name);

// A --benchmark_filter value that selects exactly this instance: anchored, every character that
// is special in a regular expression escaped.
std::string gbench_exact_filter(const std::string& instance_name);

}  // namespace benchgate
