// The row model of schema version 1: one measured batch (or a synthesized failure) per row.
// Every optional field is std::optional: nullopt is "not measured" and is written as null.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "benchgate/config.hpp"

namespace benchgate {

inline constexpr int kSchemaVersion = 1;

enum class RowKind { parametric, fixed };
enum class RowStatus { ok, timed_out, killed_at_cap, error };
// Where a batch ran: natively, or under Valgrind's Callgrind (the `instructions` measure), whose
// times, CPU times and RSS describe the emulation, not the program, and are never compared with
// native ones.
enum class MeasuredUnder { native, callgrind };

const char* to_string(RowKind kind);
const char* to_string(RowStatus status);
std::optional<RowKind> parse_row_kind(const std::string& text);
std::optional<RowStatus> parse_row_status(const std::string& text);
const char* to_string(MeasuredUnder under);
std::optional<MeasuredUnder> parse_measured_under(const std::string& text);

// Reproducibility metadata. Every key is always written; unknown values are null.
struct Env {
  std::optional<std::string> compiler;
  std::optional<std::string> compiler_version;
  std::optional<std::string> build_type;
  std::optional<std::string> benchgate_version;
  std::optional<std::string> os;
  std::optional<std::string> arch;
  std::optional<std::string> cpu_model;
  std::optional<std::int64_t> cpu_cores;
  std::optional<std::string> hostname;
  std::optional<std::string> exe_name;
  std::optional<std::string> git_commit;
  std::optional<bool> git_dirty;
  std::optional<std::int64_t> timestamp_unix_ms;
  std::optional<std::string> timestamp_iso;

  friend bool operator==(const Env& a, const Env& b);
};

struct Row {
  RowKind kind = RowKind::parametric;
  std::string function;
  RowStatus status = RowStatus::ok;
  std::uint64_t total_nanos = 0;  // wall time of the timed batch only

  // Parametric only (required there).
  std::optional<std::uint64_t> param;
  std::optional<std::uint64_t> inner_repeats;  // also written on fixed rows (auto-tuned)
  // Fixed only (required there).
  std::optional<std::uint64_t> repeat_index;

  std::optional<double> per_call_nanos;
  std::optional<CacheMode> cache_mode;
  std::optional<std::uint64_t> result_hash;
  std::optional<std::string> error;
  std::optional<std::uint64_t> alloc_bytes;
  std::optional<std::uint64_t> alloc_count;
  std::optional<std::uint64_t> peak_rss_kb;
  // True when the high-water mark could not be reset before the batch, so peak_rss_kb also
  // covers start-up and setup; null when peak_rss_kb is null.
  std::optional<bool> peak_rss_includes_setup;
  std::optional<std::uint64_t> rss_baseline_kb;  // resident set as the timed batch started
  // The runner's wait4 ru_maxrss: the whole child process's peak, start-up included.
  std::optional<std::uint64_t> child_maxrss_kb;
  std::optional<std::uint64_t> cpu_nanos;
  // Instructions retired by the timed batch (user space): counted by Callgrind when
  // measured_under is callgrind, else by the CPU's counter (perf_event_open) where the kernel
  // and the machine provide one. Cycles only from the CPU's counter.
  std::optional<std::uint64_t> instructions;
  std::optional<std::uint64_t> cycles;
  std::optional<MeasuredUnder> measured_under;  // null: rows written before it existed (native)
  // Numbers the benchmark reported beside its time, by name (e.g. Google Benchmark's
  // bytes_per_second, items_per_second and user counters): shown in reports, never gated unless
  // a threshold names them. Written only when present (absent = null); every value is finite.
  std::optional<std::map<std::string, double>> counters;
  // Throughput the author declared (issue 20): bytes and items one call processes, at this
  // row's param. Written only when declared; finite and non-negative.
  std::optional<double> bytes_per_call;
  std::optional<double> items_per_call;
  // True when the benchmark used benchgate::per_call_setup(): each call's input was prepared
  // before the clock started, and times and allocations cover the calls only. Written only when
  // present (absent = null).
  std::optional<bool> per_call_setup;
  // True when the benchmark used benchgate::manual_time(): total_nanos and per_call_nanos are
  // what the function reported; cpu_nanos is still measured around the batch. Written only when
  // present (absent = null).
  std::optional<bool> manual_time;
  // The named variant the row measured (issue 20): each dimension's value as text, e.g.
  // {"level": "6", "algo": "zlib"}. The function name already carries it
  // ("name/level:6/algo:zlib"), so keys stay apart without it; this is for tools that group by
  // dimension. Written only when present (absent = null); names and values are non-empty.
  std::optional<std::map<std::string, std::string>> variant;
  // How many threads ran the function at once (issue 20's .threads(k)): inner_repeats counts
  // every thread's calls, total_nanos is the batch's wall time, cpu_nanos the process's CPU time
  // over all threads. Written only when declared (absent = null); at least 1.
  std::optional<std::uint64_t> threads;
  std::optional<Env> env;

  // Runner annotations.
  std::optional<std::string> suite;
  std::optional<std::uint64_t> trial_index;
  std::optional<bool> part_of_verdict;
  std::optional<bool> below_signal_floor;

  friend bool operator==(const Row& a, const Row& b);
};

// per_call_nanos when present, else total / max(1, inner_repeats) (the reader's fallback).
double per_call_nanos(const Row& row);

// instructions / max(1, inner_repeats), or nullopt when the row has no count.
std::optional<double> instructions_per_call(const Row& row);

// What the complexity verdict fits: instructions per call for a row measured under Callgrind
// (its times describe the emulation), per-call time otherwise.
double per_call_cost(const Row& row);

}  // namespace benchgate
