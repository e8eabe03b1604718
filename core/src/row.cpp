// String forms of row enums and the row model's small derived values.
#include "benchgate/core/row.hpp"

#include <algorithm>
#include <tuple>

namespace benchgate {

const char* to_string(RowKind kind) {
  return kind == RowKind::parametric ? "parametric" : "fixed";
}

const char* to_string(RowStatus status) {
  switch (status) {
    case RowStatus::ok: return "ok";
    case RowStatus::timed_out: return "timed_out";
    case RowStatus::killed_at_cap: return "killed_at_cap";
    case RowStatus::error: return "error";
  }
  return "error";
}

std::optional<RowKind> parse_row_kind(const std::string& text) {
  if (text == "parametric") return RowKind::parametric;
  if (text == "fixed") return RowKind::fixed;
  return std::nullopt;
}

std::optional<RowStatus> parse_row_status(const std::string& text) {
  for (auto s : {RowStatus::ok, RowStatus::timed_out, RowStatus::killed_at_cap, RowStatus::error}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

const char* to_string(MeasuredUnder under) {
  return under == MeasuredUnder::callgrind ? "callgrind" : "native";
}

std::optional<MeasuredUnder> parse_measured_under(const std::string& text) {
  for (auto u : {MeasuredUnder::native, MeasuredUnder::callgrind}) {
    if (text == to_string(u)) return u;
  }
  return std::nullopt;
}

namespace {
auto env_tie(const Env& e) {
  return std::tie(e.compiler, e.compiler_version, e.build_type, e.benchgate_version, e.os, e.arch,
                  e.cpu_model, e.cpu_cores, e.hostname, e.exe_name, e.git_commit, e.git_dirty,
                  e.timestamp_unix_ms, e.timestamp_iso);
}
auto row_tie(const Row& r) {
  return std::tie(r.kind, r.function, r.status, r.total_nanos, r.param, r.inner_repeats,
                  r.repeat_index, r.per_call_nanos, r.cache_mode, r.result_hash, r.error,
                  r.alloc_bytes, r.alloc_count, r.peak_rss_kb, r.peak_rss_includes_setup,
                  r.rss_baseline_kb, r.child_maxrss_kb, r.cpu_nanos, r.instructions, r.cycles,
                  r.measured_under, r.counters, r.bytes_per_call, r.items_per_call,
                  r.per_call_setup, r.manual_time, r.variant, r.threads, r.env, r.suite,
                  r.trial_index, r.part_of_verdict, r.below_signal_floor);
}
}  // namespace

bool operator==(const Env& a, const Env& b) {
  return env_tie(a) == env_tie(b);
}
bool operator==(const Row& a, const Row& b) {
  return row_tie(a) == row_tie(b);
}

double per_call_nanos(const Row& row) {
  if (row.per_call_nanos) return *row.per_call_nanos;
  const std::uint64_t repeats = std::max<std::uint64_t>(1, row.inner_repeats.value_or(1));
  return static_cast<double>(row.total_nanos) / static_cast<double>(repeats);
}

std::optional<double> instructions_per_call(const Row& row) {
  if (!row.instructions) return std::nullopt;
  const std::uint64_t repeats = std::max<std::uint64_t>(1, row.inner_repeats.value_or(1));
  return static_cast<double>(*row.instructions) / static_cast<double>(repeats);
}

double per_call_cost(const Row& row) {
  if (row.measured_under == MeasuredUnder::callgrind) {
    if (auto instructions = instructions_per_call(row)) return *instructions;
  }
  return per_call_nanos(row);
}

}  // namespace benchgate
