// Hand-made rows by key for the compare tests, and their reductions: a key's rows are written
// without their key fields (the key fills them in) and reduced as benchgate-compare reduces a file.
#pragma once

#include <map>
#include <vector>

#include "compare.hpp"
#include "reduce.hpp"

namespace benchgate::test {

using Rows = std::vector<Row>;  // one key's rows, in the order they are read
using KeyedRows = std::map<Key, Rows>;

// `row` as a row of `key`: its suite, kind, function, param and cache mode.
inline Row of_key(Row row, const Key& key) {
  row.suite = key.suite;
  row.kind = key.kind;
  row.function = key.function;
  row.param = key.param;
  row.cache_mode = key.cache_mode;
  return row;
}

// Every key's rows, key after key, in one reduction.
inline CompactReduction reduce(const KeyedRows& rows) {
  CompactReduction out;
  for (const auto& [key, list] : rows) {
    for (const Row& row : list) out.add(of_key(row, key));
  }
  return out;
}

// The same as sides by key, for lookups by key (apply_confirmation) and checks.
inline Reduction expand(const KeyedRows& rows) {
  return reduce(rows).expand();
}

// `rows` with `change` applied to each.
template <class Change>
Rows with(Rows rows, Change change) {
  for (Row& row : rows) change(row);
  return rows;
}

// The times of a test key: a single time stands for five samples within 0.1% of it (the median
// exactly it), enough for a time decision, which one sample against one never is; several times
// are taken as they are.
inline std::vector<double> five_if_one(const std::vector<double>& times) {
  if (times.size() != 1) return times;
  const double t = times[0];
  return {t * 0.999, t * 0.9995, t, t * 1.0005, t * 1.001};
}

// Options for tests of the rules other than the spread between recorded runs: a machine without
// one (--run-spread 0), so that a key's time is decided by its samples as the test planned
// them. The spread's own rules are tested in decide_test.cpp and below where a test says so.
inline CompareOptions quiet_machine() {
  CompareOptions o;
  o.run_spread = 0;
  return o;
}

}  // namespace benchgate::test
