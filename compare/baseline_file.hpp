// Accepting new numbers: `benchgate-compare --write-baseline BASELINE CURRENT`.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "benchgate/core/row.hpp"
#include "compare.hpp"
#include "reduce.hpp"

namespace benchgate {

// How --write-baseline writes.
struct BaselineWrite {
  // > 1 (--add-run): the baseline's rows of its most recent keep_runs - 1 runs stay beside
  // CURRENT's (a run: the rows sharing env.timestamp_unix_ms; a run already in it is replaced,
  // not added twice), so that the gate can measure the spread between runs.
  std::size_t keep_runs = 1;
  // --all: every benchmark is written from CURRENT, whatever the gate says of it.
  bool all = false;
  // The gate's rule for deciding which benchmarks changed: the compare test's thresholds.
  CompareOptions options;
};

// One line of a baseline file: its row, and its text as read (without the line break), which a
// kept benchmark's line is written back as, byte for byte.
struct BaselineLine {
  Row row;
  std::string text;
};

// What an update did to one benchmark (suite, kind, function, cache mode: a Key without param).
enum class BaselineAction { kept, updated, added, removed };
const char* to_string(BaselineAction a);

struct BenchmarkUpdate {
  Key id;
  BaselineAction action = BaselineAction::kept;
  std::size_t keys = 0;  // its keys: in the file written, or (removed) in the old one
  // updated: what the gate found ("time regressed +18.0% [+9.1%, +27.5%]; result_hash changed");
  // kept: why a finding did not count ("broken now: no ok row"), else empty.
  std::string why;
};

struct MergedBaseline {
  std::string text;  // the new file
  std::size_t rows = 0;
  std::size_t min_runs = 0, max_runs = 0;   // recorded runs per benchmark in the new file
  std::vector<BenchmarkUpdate> benchmarks;  // every benchmark of either side, in Key order
};

// The selective update of one baseline file: the baseline and the current rows compared by the
// gate's own rule (`w.options`, one look of the planned ones), then per benchmark
// - updated, written from CURRENT, when a key of it regressed or improved (any metric), is new,
//   is missing, changed its result_hash (unless it varies within a side), or when the baseline
//   could not gate it (no ok row where CURRENT has one, another environment's hard fields, measured
//   otherwise: native vs Callgrind);
// - added (CURRENT only), removed (BASELINE only);
// - kept otherwise, its lines exactly as they were: unchanged, inconclusive, broken (no number
//   to accept).
// With w.keep_runs > 1 a kept benchmark also gets CURRENT's run, its oldest runs beyond keep_runs
// dropped; an updated one starts again from CURRENT's run alone (its old runs measured other
// code). Rows are ordered by (suite, kind, function, cache mode, param, run, repeat, trial).
// w.all is not read. Pure: no I/O.
MergedBaseline merge_baseline(const std::vector<BaselineLine>& baseline,
                              const std::vector<Row>& current, const BaselineWrite& w);

// Writes CURRENT's rows into BASELINE (file to file, or directory to directory matched by file
// name) in a stable order, so a reviewer's diff shows changed numbers, not reshuffles: a new
// file, or every file with w.all, from CURRENT alone (with keep_runs > 1 beside the file's most
// recent runs); an existing one through merge_baseline, left untouched when nothing changed.
// One summary per file on `out`. Throws UsageError when there is nothing to copy, InputError
// for bad rows on either side.
void write_baseline(const std::string& baseline, const std::string& current, const BaselineWrite& w,
                    std::ostream& out);

}  // namespace benchgate
