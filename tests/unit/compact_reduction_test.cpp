// Tests compare/reduce.hpp's CompactReduction and compare.hpp's compare on thousands of keys: a
// grid of keys whose rows, and the side each key's rows reduce to, are planned by construction
// (failed rows, rows that are not samples, null-env rows, more samples than a record holds
// inline, suites and cache modes written two ways). The rows are added grouped by key in Key
// order, grouped in a shuffled key order, or interleaved; the reduction must hold the planned
// sides, walk them in Key order, keep each distinct env once, release its blocks, and compare to
// the statuses planned for each key.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "compare.hpp"
#include "keyed_rows.hpp"
#include "printers.hpp"
#include "reduce.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::TempDir;
using benchgate::test::write_bytes;
using Rng = std::mt19937_64;

// Rows a block of records holds (compare/reduce.cpp): the grid spans more than two blocks.
constexpr std::size_t kBlockRecords = 2048;

struct Planned {
  Key key;
  std::vector<Row> rows;  // in the order they are added
  Side expected;          // what they reduce to
};

std::vector<Env> make_envs() {
  std::vector<Env> envs;
  for (const char* cpu : {"cpu A", "cpu B", "cpu C"}) {
    Env e;
    e.cpu_model = cpu;
    e.compiler = "gcc";
    e.compiler_version = "12.2.0";
    e.build_type = "Release";
    envs.push_back(e);
  }
  return envs;
}

// The keys of `suites` suites (the last one written as no suite or as ""), `functions` functions,
// and per function `params` params in both cache modes plus one fixed key. Key number k has
// n = 5 + k % 5 samples (enough for the time decision of every benchmark): times 1000 (k + 1) + j
// ns, peak RSS k kB, j bytes allocated per call, result hash k (k + 1 in the last row when k % 10
// == 3: the hash varies), env k % 3 (none in the first row when k % 5 == 0). Besides them: a failed
// row after the first sample when k % 4 == 0 (a second one, with another error, at the end when k %
// 8 == 0), and an ok row that is not a sample first when k % 6 == 1 (other time, hash and env,
// which count nowhere).
std::vector<Planned> plan(std::size_t suites, std::size_t functions, std::size_t params) {
  const std::vector<Env> envs = make_envs();
  std::vector<Key> keys;
  for (std::size_t s = 0; s < suites; ++s) {
    for (std::size_t f = 0; f < functions; ++f) {
      Key k;
      k.suite = s + 1 == suites ? "" : "suite" + std::to_string(s);
      k.function = "fn" + std::to_string(f);
      for (std::size_t p = 0; p < params; ++p) {
        for (CacheMode mode : {CacheMode::warm, CacheMode::cold}) {
          k.param = std::uint64_t{16} << p;
          k.cache_mode = mode;
          keys.push_back(k);
        }
      }
      k.kind = RowKind::fixed;
      k.param.reset();
      k.cache_mode.reset();
      keys.push_back(k);
    }
  }
  std::vector<Planned> out;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    Planned p;
    p.key = keys[k];
    const std::size_t n = 5 + k % 5;
    auto row = [&](std::size_t j) {
      Row r;
      r.suite = p.key.suite;
      if (p.key.suite.empty() && j % 2 == 1) r.suite.reset();  // no suite: the same key as ""
      r.kind = p.key.kind;
      r.function = p.key.function;
      if (p.key.kind == RowKind::parametric) {
        r.param = p.key.param;
        r.cache_mode = p.key.cache_mode;
        // An absent cache mode is warm.
        if (p.key.cache_mode == CacheMode::warm && j % 2 == 0) r.cache_mode.reset();
      } else {
        r.repeat_index = j;
        if (j % 2 == 1) r.cache_mode = CacheMode::cold;  // not part of a fixed key
      }
      r.inner_repeats = 1;
      r.per_call_nanos = 1000.0 * static_cast<double>(k + 1) + static_cast<double>(j);
      r.total_nanos = static_cast<std::uint64_t>(*r.per_call_nanos);
      r.peak_rss_kb = k;
      r.alloc_bytes = j;
      r.result_hash = k % 10 == 3 && j + 1 == n && n > 1 ? k + 1 : k;
      if (k % 5 != 0 || j > 0) r.env = envs[k % 3];
      return r;
    };
    if (k % 6 == 1) {
      Row not_sample = row(0);
      not_sample.below_signal_floor = true;
      not_sample.per_call_nanos = 1e9;
      not_sample.result_hash = 999'999;
      not_sample.env = envs[(k + 1) % 3];
      p.rows.push_back(not_sample);
    }
    for (std::size_t j = 0; j < n; ++j) {
      p.rows.push_back(row(j));
      p.expected.time.values.push_back(*p.rows.back().per_call_nanos);
      p.expected.rss_kb.values.push_back(static_cast<double>(k));
      p.expected.alloc_bytes.values.push_back(static_cast<double>(j));
      if (j == 0 && k % 4 == 0) {
        Row failed = row(j);
        failed.status = RowStatus::error;
        failed.error = "key " + std::to_string(k) + " failed";
        p.rows.push_back(failed);
      }
    }
    if (k % 8 == 0) {
      Row failed = row(n);
      failed.status = RowStatus::timed_out;
      failed.error = "a later failure";
      p.rows.push_back(failed);
    }
    Side& e = p.expected;
    e.ok_rows = n + (k % 6 == 1 ? 1 : 0);
    e.rows = e.ok_rows + (k % 4 == 0 ? 1 : 0) + (k % 8 == 0 ? 1 : 0);
    e.instructions.missing = n;
    e.hash = k;
    e.hash_varies = k % 10 == 3 && n > 1;
    if (k % 5 != 0 || n > 1) e.env = envs[k % 3];
    if (k % 4 == 0) e.first_error = "key " + std::to_string(k) + " failed";
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Planned> by_key(std::vector<Planned> planned) {
  std::sort(planned.begin(), planned.end(),
            [](const Planned& a, const Planned& b) { return a.key < b.key; });
  return planned;
}

// The rows of every key in one sequence: keys one after the other in the plan's order, or
// interleaved at random with each key's rows kept in their order.
std::vector<Row> rows_of(const std::vector<Planned>& planned, Rng* interleave = nullptr) {
  std::vector<std::size_t> owner;
  for (std::size_t i = 0; i < planned.size(); ++i)
    owner.insert(owner.end(), planned[i].rows.size(), i);
  if (interleave) std::shuffle(owner.begin(), owner.end(), *interleave);
  std::vector<std::size_t> next(planned.size(), 0);
  std::vector<Row> out;
  for (std::size_t i : owner) out.push_back(planned[i].rows[next[i]++]);
  return out;
}

void check_side(const Side& expected, const Side& actual) {
  CHECK(actual.rows == expected.rows);
  CHECK(actual.ok_rows == expected.ok_rows);
  CHECK(actual.time.values == expected.time.values);
  CHECK(actual.time.missing == expected.time.missing);
  CHECK(actual.rss_kb.values == expected.rss_kb.values);
  CHECK(actual.rss_kb.missing == expected.rss_kb.missing);
  CHECK(actual.alloc_bytes.values == expected.alloc_bytes.values);
  CHECK(actual.alloc_bytes.missing == expected.alloc_bytes.missing);
  CHECK(actual.instructions.values == expected.instructions.values);
  CHECK(actual.instructions.missing == expected.instructions.missing);
  CHECK(actual.callgrind_samples == expected.callgrind_samples);
  CHECK(actual.hash == expected.hash);
  CHECK(actual.hash_varies == expected.hash_varies);
  CHECK(actual.first_error == expected.first_error);
}

// The reduction holds exactly the planned keys and sides.
void check_planned(const CompactReduction& reduction, const std::vector<Planned>& planned) {
  const Reduction sides = reduction.expand();
  REQUIRE(sides.size() == planned.size());
  REQUIRE(reduction.size() == planned.size());
  for (const auto& p : planned) {
    INFO(describe(p.key));
    const auto it = sides.find(p.key);
    REQUIRE(it != sides.end());
    check_side(p.expected, it->second);
    CHECK(it->second.env == p.expected.env);
  }
}

// The walk after sort(): keys in Key order, each with its planned side and env.
void check_walk(const CompactReduction& reduction, const std::vector<Planned>& planned) {
  const std::vector<Planned> sorted = by_key(planned);
  REQUIRE(reduction.size() == sorted.size());
  Side side;  // reused, as compare reuses its scratch sides
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    INFO(describe(sorted[i].key));
    CHECK(reduction.key(i).key() == sorted[i].key);
    if (i > 0) CHECK(reduction.key(i - 1) < reduction.key(i));
    reduction.side(i, side);
    check_side(sorted[i].expected, side);
    const Env* env = reduction.env(i);
    CHECK((env ? std::optional<Env>(*env) : std::nullopt) == sorted[i].expected.env);
  }
}

CompactReduction reduce(const std::vector<Row>& rows) {
  CompactReduction r;
  for (const Row& row : rows) r.add(row);
  return r;
}

}  // namespace

TEST_CASE("compact_reduction: rows grouped by key in key order reduce to the planned sides") {
  const auto planned = by_key(plan(4, 6, 5));
  CompactReduction r = reduce(rows_of(planned));
  check_planned(r, planned);
  r.sort();
  check_walk(r, planned);
}

TEST_CASE("compact_reduction: keys out of order reduce to the planned sides and sort") {
  Rng rng(2);
  auto planned = plan(4, 10, 8);  // 680 keys: the index of keys grows as they come
  std::shuffle(planned.begin(), planned.end(), rng);
  CompactReduction grouped = reduce(rows_of(planned));
  check_planned(grouped, planned);
  grouped.sort();
  check_walk(grouped, planned);

  CompactReduction interleaved = reduce(rows_of(planned, &rng));
  check_planned(interleaved, planned);
  interleaved.sort();
  check_walk(interleaved, planned);
}

TEST_CASE("compact_reduction: rows added after a sort still find their keys") {
  Rng rng(3);
  const auto planned = plan(3, 5, 4);
  // Each key's rows in two parts: the first half, then (after a sort) the rest.
  std::vector<Planned> first = planned, rest = planned;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const std::size_t half = planned[i].rows.size() / 2;
    first[i].rows.resize(half);
    rest[i].rows.erase(rest[i].rows.begin(),
                       rest[i].rows.begin() + static_cast<std::ptrdiff_t>(half));
  }
  CompactReduction r;
  for (const Row& row : rows_of(first, &rng)) r.add(row);
  r.sort();
  for (const Row& row : rows_of(rest, &rng)) r.add(row);
  check_planned(r, planned);
  r.sort();
  check_walk(r, planned);
}

TEST_CASE("compact_reduction: a key with many samples keeps them all, in order") {
  Rng rng(4);
  std::vector<Row> rows;
  std::vector<double> times;
  Row r;
  r.suite = "suite";
  r.function = "many";
  r.param = 64;
  r.inner_repeats = 1;
  for (int i = 0; i < 300; ++i) {
    times.push_back(static_cast<double>(rng() % 100'000));
    r.per_call_nanos = times.back();
    r.peak_rss_kb = 1000 + static_cast<std::uint64_t>(i);
    rows.push_back(r);
  }
  const CompactReduction reduced = reduce(rows);
  REQUIRE(reduced.size() == 1);
  const Side side = reduced.expand().begin()->second;
  CHECK(side.rows == 300);
  CHECK(side.time.values == times);
  REQUIRE(side.rss_kb.values.size() == 300);
  CHECK(side.rss_kb.values.front() == 1000);
  CHECK(side.rss_kb.values.back() == 1299);
  CHECK(side.alloc_bytes.missing == 300);
}

TEST_CASE("compact_reduction: each distinct env is kept once, found by value") {
  Rng rng(5);
  const auto planned = plan(3, 4, 4);
  const std::vector<Env> envs = make_envs();
  // Every row's env in a fresh object (add(row) copies row.env), or one object per env value.
  CompactReduction fresh = reduce(rows_of(planned, &rng));
  CompactReduction shared;
  std::vector<std::shared_ptr<const Env>> pool;
  for (const Env& e : envs) pool.push_back(std::make_shared<const Env>(e));
  for (Row row : rows_of(planned, &rng)) {
    std::shared_ptr<const Env> env;
    for (std::size_t i = 0; i < envs.size(); ++i) {
      if (row.env == envs[i]) env = pool[i];
    }
    row.env.reset();  // add(row, env) reads only `env`
    shared.add(row, env);
  }
  for (CompactReduction* r : {&fresh, &shared}) {
    r->sort();
    check_walk(*r, planned);
    std::map<std::string, const Env*> seen;  // cpu model -> the one object of that env
    for (std::size_t i = 0; i < r->size(); ++i) {
      const Env* env = r->env(i);
      if (!env) continue;
      const auto it = seen.emplace(*env->cpu_model, env).first;
      CHECK(it->second == env);
    }
    CHECK(seen.size() == envs.size());
  }
}

TEST_CASE("compact_reduction: releasing the blocks before a position keeps the rest readable") {
  const auto more = by_key(plan(4, 24, 24));  // 4 * 24 * 49 = 4,704 keys: three blocks
  REQUIRE(more.size() > 2 * kBlockRecords);
  CompactReduction r = reduce(rows_of(more));
  r.sort();
  r.release_before(kBlockRecords + 1);  // the first block, wholly before the position
  Side side;
  for (std::size_t i = kBlockRecords; i < more.size(); i += 97) {
    INFO(describe(more[i].key));
    CHECK(r.key(i).key() == more[i].key);
    r.side(i, side);
    check_side(more[i].expected, side);
  }
  r.release_before(more.size());
  CHECK(r.size() == more.size());
}

namespace {

// A comparison of the grid with itself, changed: keys k % 13 == 5 are only in the current rows
// (new), keys k % 11 == 3 only in the baseline (missing), and of the keys on both sides, those of a
// function whose number f has f % 3 == 0 are 50% slower now (regressed; time is decided per
// benchmark), f % 3 == 1 twice as fast (improved), the others the same (unchanged). The times of
// each key are spread by 1 ns a sample, so that every side's interval is narrow.
struct Planned2 {
  std::vector<Row> baseline, current;
  std::map<Key, KeyStatus> expected;
};

Planned2 plan_comparison(std::size_t functions, std::size_t params) {
  Planned2 out;
  const auto planned = plan(4, functions, params);
  for (std::size_t k = 0; k < planned.size(); ++k) {
    const Planned& p = planned[k];
    const bool in_base = k % 13 != 5, in_cur = k % 11 != 3;
    if (!in_base && !in_cur) continue;
    const std::size_t f = std::stoul(p.key.function.substr(2));
    const double factor = f % 3 == 0 ? 1.5 : f % 3 == 1 ? 0.5 : 1.0;
    for (const Row& row : p.rows) {
      if (in_base) out.baseline.push_back(row);
      if (in_cur) {
        Row faster_or_slower = row;
        if (row.below_signal_floor != true) *faster_or_slower.per_call_nanos *= factor;
        out.current.push_back(faster_or_slower);
      }
    }
    KeyStatus status = KeyStatus::unchanged;
    if (!in_cur)
      status = KeyStatus::missing;
    else if (!in_base)
      status = KeyStatus::new_key;
    else if (factor > 1)
      status = KeyStatus::regressed;
    else if (factor < 1)
      status = KeyStatus::improved;
    out.expected[p.key] = status;
  }
  return out;
}

// The report holds every planned key with its planned status, failing keys first, then by status,
// then by key.
void check_report(const Report& report, const Planned2& planned, const CompareOptions& o) {
  REQUIRE(report.results.size() == planned.expected.size());
  std::size_t failing = 0;
  for (const auto& r : report.results) {
    INFO(describe(r.key));
    const auto it = planned.expected.find(r.key);
    REQUIRE(it != planned.expected.end());
    CHECK(to_string(r.status) == std::string(to_string(it->second)));
    const bool fails =
        r.status == KeyStatus::regressed || (o.fail_on_missing && r.status == KeyStatus::missing);
    CHECK(r.failing == fails);
    failing += fails ? 1 : 0;
  }
  CHECK(report.failing() == failing);
  for (std::size_t i = 1; i < report.results.size(); ++i) {
    const KeyResult& a = report.results[i - 1];
    const KeyResult& b = report.results[i];
    INFO(describe(a.key) << " before " << describe(b.key));
    if (a.failing != b.failing) {
      CHECK(a.failing);
    } else if (a.status != b.status) {
      CHECK(a.status < b.status);
    } else {
      CHECK(a.key < b.key);
    }
  }
}

}  // namespace

TEST_CASE("compact_reduction: compare reports the planned status of every key") {
  Rng rng(6);
  const Planned2 planned = plan_comparison(6, 5);
  for (bool interleaved : {false, true}) {
    for (bool fail_on_missing : {false, true}) {
      CAPTURE(interleaved);
      CAPTURE(fail_on_missing);
      std::vector<Row> base = planned.baseline, cur = planned.current;
      if (interleaved) {
        std::shuffle(base.begin(), base.end(), rng);  // a key's samples in another order: the
        std::shuffle(cur.begin(), cur.end(), rng);    // same medians, minima and U tests
      }
      CompareOptions o = test::quiet_machine();
      o.fail_on_missing = fail_on_missing;
      const Report report = compare(reduce(base), reduce(cur), o);
      check_report(report, planned, o);
    }
  }
}

TEST_CASE("compact_reduction: compare releases blocks as it goes and leaves the inputs empty") {
  const Planned2 planned = plan_comparison(24, 24);  // more keys than two blocks of records hold
  REQUIRE(planned.expected.size() > 2 * kBlockRecords);
  CompactReduction base = reduce(planned.baseline), cur = reduce(planned.current);
  const Report report = compare(std::move(base), std::move(cur), test::quiet_machine());
  check_report(report, planned, test::quiet_machine());
  CHECK(base.empty());
  CHECK(cur.empty());
}

TEST_CASE("compact_reduction: reduce_path reads a file or a directory's files in name order") {
  Rng rng(7);
  const auto planned = plan(3, 4, 4);
  // Each key's rows in two parts: a.jsonl holds the first half, b.jsonl the rest.
  std::string a, b;
  std::vector<Planned> first = planned, rest = planned;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const std::size_t half = planned[i].rows.size() / 2;
    first[i].rows.resize(half);
    rest[i].rows.erase(rest[i].rows.begin(),
                       rest[i].rows.begin() + static_cast<std::ptrdiff_t>(half));
  }
  for (const Row& row : rows_of(first, &rng)) a += write_row(row) + "\n";
  for (const Row& row : rows_of(rest, &rng)) b += write_row(row) + "\n";
  TempDir dir;
  write_bytes(dir.file("b.jsonl"), b);
  write_bytes(dir.file("a.jsonl"), a);
  const CompactReduction both = reduce_path(dir.path().string());
  check_walk(both, planned);  // sorted already
  check_planned(both, planned);

  // One file alone: every key of the grid with a row in its first half (one with one row has none).
  std::size_t keys_in_a = 0;
  for (const auto& p : first) keys_in_a += p.rows.empty() ? 0 : 1;
  CHECK(reduce_path(dir.file("a.jsonl")).size() == keys_in_a);

  // A last line cut short: an input error at its line, saying so.
  const std::string cut = a.substr(0, a.find('\n', a.size() / 2) - 5);  // inside a line
  write_bytes(dir.file("c.jsonl"), cut);
  std::string what;
  try {
    (void)reduce_path(dir.path().string());
  } catch (const InputError& e) {
    what = e.what();
  }
  INFO(what);
  const std::string at = dir.file("c.jsonl") + ":" +
                         std::to_string(std::count(cut.begin(), cut.end(), '\n') + 1) + ":";
  CHECK(what.rfind(at, 0) == 0);
  CHECK(what.find("cut short") != std::string::npos);
}
