// Reducing rows to samples per key, one row at a time: what the comparison needs and no more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benchgate/core/row.hpp"

namespace benchgate {

// What baseline and current rows are matched on.
struct Key {
  std::string suite;
  RowKind kind = RowKind::parametric;
  std::string function;
  std::optional<std::uint64_t> param;  // parametric only
  std::optional<CacheMode> cache_mode;

  friend bool operator<(const Key& a, const Key& b);
  friend bool operator==(const Key& a, const Key& b);
};

Key key_of(const Row& row);

// "sort_bench/sort.std_sort n=1024" (+ " cold" for cold-cache rows).
std::string describe(const Key& key);

// One side's samples for one metric. A metric is measured only if every eligible row has it;
// a row without it makes the whole metric null (not measured) for that side.
struct Samples {
  std::vector<double> values;
  std::size_t missing = 0;  // eligible rows where the metric was null
  bool measured() const { return !values.empty() && missing == 0; }
};

// Which measurement a time sample came from: the run (its env's timestamp_unix_ms, which every
// row of one runner invocation shares, both executables' rows of an A/B run included; 0 without
// an env) and the row's trial_index (parametric) or repeat_index (fixed). A/B pairs are the
// baseline and current samples with the same id.
struct SampleId {
  std::int64_t run = 0;
  std::uint64_t index = 0;
  friend bool operator<(const SampleId& a, const SampleId& b) {
    return a.run != b.run ? a.run < b.run : a.index < b.index;
  }
  friend bool operator==(const SampleId& a, const SampleId& b) {
    return a.run == b.run && a.index == b.index;
  }
};

// Everything one side (baseline or current) says about one key.
struct Side {
  std::size_t rows = 0;            // every row with this key
  std::size_t ok_rows = 0;         // rows with status ok
  Samples time;                    // per-call wall time (ns) of eligible rows, every trial a sample
  std::vector<SampleId> time_ids;  // time_ids[i]: where time.values[i] came from
  Samples rss_kb;                  // peak_rss_kb of eligible rows
  Samples alloc_bytes;             // alloc_bytes per call of eligible rows
  Samples instructions;  // instructions per call of eligible rows (Callgrind or CPU counter)
  std::size_t callgrind_samples = 0;       // eligible rows measured under Callgrind
  std::optional<std::uint64_t> hash;       // result_hash of the first eligible row that has one
  bool hash_varies = false;                // eligible rows disagree on result_hash
  std::optional<Env> env;                  // env of the first eligible row
  std::optional<std::string> first_error;  // why the first non-ok row failed
  // Each counter (Row::counters: Google Benchmark's bytes_per_second, user counters) of the
  // eligible rows that have it, by name: shown in reports, never gated.
  std::map<std::string, std::vector<double>> counters;
  // Declared throughput (issue 20): bytes and items per call of the last eligible row with them.
  std::optional<double> bytes_per_call;
  std::optional<double> items_per_call;
};

// Sides by key, in Key order: a CompactReduction expanded (CompactReduction::expand), where a
// lookup by key is handy (confirmation reruns, tests).
using Reduction = std::map<Key, Side>;

// The rows files a path names: the path itself, or every *.jsonl file of a directory sorted by
// name (empty if the directory has none).
std::vector<std::string> jsonl_files(const std::string& path);

// A key that views names held elsewhere (a CompactReduction's); ordered and compared as Key is.
struct KeyRef {
  std::string_view suite;
  RowKind kind = RowKind::parametric;
  std::string_view function;
  std::optional<std::uint64_t> param;
  std::optional<CacheMode> cache_mode;

  Key key() const;
  friend bool operator<(const KeyRef& a, const KeyRef& b);
  friend bool operator==(const KeyRef& a, const KeyRef& b);
};

// Rows reduced to one Side per key, held compactly for large inputs (issue #3: two files of
// 1,000,000 rows in under 200 MB). Suite and function names are interned, each distinct env is
// kept once (rows of one runner invocation share it), and a key's counts and first samples sit in
// one fixed-size record; records are allocated in blocks that a consuming walk (compare) releases
// as it goes.
class CompactReduction {
 public:
  CompactReduction();
  ~CompactReduction();
  CompactReduction(CompactReduction&&) noexcept;
  CompactReduction& operator=(CompactReduction&&) noexcept;

  // Adds one row, whose env is `env` (row.env is not read), to the side of key_of(row):
  // - every row counts in `rows`; a row that is not ok counts nowhere else, and the first one
  //   gives the side its first_error (its error message, else its status);
  // - an ok row counts in `ok_rows`, and is a sample (eligible) unless it is marked
  //   part_of_verdict = false or below_signal_floor = true (null annotations count as eligible);
  // - a sample adds to each metric its value, or a miss when the row has none: per-call time
  //   (per_call_nanos(row)), peak_rss_kb, alloc_bytes per call (over max(1, inner_repeats)) and
  //   instructions_per_call(row); one measured under Callgrind counts in callgrind_samples; a
  //   time value keeps its SampleId (the run of `env`, the row's trial or repeat index; a row
  //   without one takes its position among the key's samples);
  // - the first sample with a result_hash sets the side's hash, and a later one that differs
  //   marks it varying; the first sample with an env gives the side its env;
  // - each counter of a sample adds its value to the side's counters of that name.
  void add(const Row& row, const std::shared_ptr<const Env>& env);
  // The same for a row that carries its env (row.env).
  void add(const Row& row);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  // Every key's side, env included, as a map: what lookups by key read.
  Reduction expand() const;

  // The walk: sort() puts the keys in Key order (indexes below are positions in that order; add()
  // may follow, and then sort() again).
  void sort();
  KeyRef key(std::size_t i) const;
  // Fills `out` with the key's side, all but env, reusing its vectors' capacity.
  void side(std::size_t i, Side& out) const;
  const Env* env(std::size_t i) const;  // the side's env, null if none
  // Frees the records of every block that lies wholly before position i; those positions must not
  // be read again. What a consuming walk calls as it goes.
  void release_before(std::size_t i);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a .jsonl file or every *.jsonl file of a directory (sorted by name) into a reduction,
// streaming, and sorts it; a file that is Google Benchmark JSON (is_gbench_file) is read whole
// as the rows gbench_rows makes of it, with the env of its context. Throws InputError
// (file:line:col; file:line for Google Benchmark JSON) for bad input, a missing path, or a
// directory with no .jsonl file.
CompactReduction reduce_path(const std::string& path);

}  // namespace benchgate
