// Tests compare/reduce.hpp's CompactReduction and compare.hpp's compare_compact against the
// reduction and comparison they must equal: random rows (keys in and out of order, every status,
// annotations, null metrics, hashes, envs, more samples than a record holds inline) go through
// add_row and CompactReduction::add; the reductions, the reports and the three renderings must be
// the same.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "compare.hpp"
#include "printers.hpp"
#include "reduce.hpp"
#include "render.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::TempDir;
using benchgate::test::write_bytes;
using Rng = std::mt19937_64;

bool coin(Rng& rng) {
  return (rng() & 1) != 0;
}

struct Shape {
  std::size_t suites = 3, functions = 4, params = 5;
  double fail_rate = 0.05;
  double null_rss_rate = 0.03;
};

std::vector<std::shared_ptr<const Env>> make_envs() {
  std::vector<std::shared_ptr<const Env>> envs;
  for (const char* cpu : {"cpu A", "cpu B"}) {
    for (const char* build : {"Release", "Debug"}) {
      Env e;
      e.cpu_model = cpu;
      e.compiler = "gcc";
      e.compiler_version = "12.2.0";
      e.build_type = build;
      envs.push_back(std::make_shared<const Env>(e));
    }
  }
  return envs;
}

// One row of a random key of the shape; `slow` scales its time (a regression when > 1.1).
Row random_row(Rng& rng, const Shape& s, double slow) {
  Row r;
  const std::size_t suite = rng() % (s.suites + 1);  // the last one: no suite at all
  if (suite < s.suites)
    r.suite = "suite" + std::to_string(suite);
  else if (coin(rng))
    r.suite = "";  // an empty suite is the same key as none
  r.kind = rng() % 5 == 0 ? RowKind::fixed : RowKind::parametric;
  r.function = "fn" + std::to_string(rng() % s.functions);
  if (r.kind == RowKind::parametric) {
    r.param = 16u << (rng() % s.params);
    r.inner_repeats = 1u << (rng() % 4);
    if (rng() % 3 != 0) r.cache_mode = coin(rng) ? CacheMode::warm : CacheMode::cold;
  } else {
    r.repeat_index = rng() % 5;
    if (coin(rng)) r.inner_repeats = 2;
    if (coin(rng)) r.cache_mode = CacheMode::cold;  // not part of a fixed key
  }
  const double base = 100.0 * static_cast<double>(1 + r.function.back() - '0');
  const double per_call = base * slow * (0.97 + 0.06 * static_cast<double>(rng() % 1000) / 1000);
  r.total_nanos = static_cast<std::uint64_t>(per_call * 4);
  if (rng() % 4 != 0) r.per_call_nanos = per_call;
  if (static_cast<double>(rng() % 1000) / 1000 >= s.null_rss_rate) {
    r.peak_rss_kb = 1000 + rng() % 50;
  }
  if (rng() % 3 == 0) r.alloc_bytes = 4096 + rng() % 3;
  if (rng() % 4 != 0) r.result_hash = rng() % 40 == 0 ? 0xbad : 0xabc;
  if (static_cast<double>(rng() % 1000) / 1000 < s.fail_rate) {
    r.status = rng() % 3 == 0 ? RowStatus::timed_out : RowStatus::error;
    if (coin(rng)) r.error = "failure " + std::to_string(rng() % 10);
  }
  switch (rng() % 8) {
    case 0: r.part_of_verdict = false; break;
    case 1: r.below_signal_floor = true; break;
    case 2: r.part_of_verdict = true; break;
    default: break;
  }
  return r;
}

// Rows grouped by key (as a runner writes them, trials adjacent) or shuffled, with envs shared
// by runs of rows.
std::vector<std::pair<Row, std::shared_ptr<const Env>>> random_rows(Rng& rng, const Shape& s,
                                                                    std::size_t n, double slow,
                                                                    bool sorted) {
  const auto envs = make_envs();
  std::vector<std::pair<Row, std::shared_ptr<const Env>>> rows;
  std::shared_ptr<const Env> env = envs[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (rng() % 50 == 0) env = rng() % 5 == 0 ? nullptr : envs[rng() % 2];  // same cpu, builds vary
    rows.emplace_back(random_row(rng, s, slow), env);
  }
  if (sorted) {
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return key_of(a.first) < key_of(b.first);
    });
  }
  return rows;
}

void check_same(const Samples& a, const Samples& b) {
  CHECK(a.values == b.values);
  CHECK(a.missing == b.missing);
}

void check_same(const Reduction& expected, const Reduction& actual) {
  REQUIRE(expected.size() == actual.size());
  auto a = actual.begin();
  for (const auto& [key, side] : expected) {
    INFO(describe(key));
    REQUIRE(a->first == key);
    const Side& s = a->second;
    CHECK(s.rows == side.rows);
    CHECK(s.ok_rows == side.ok_rows);
    check_same(side.time, s.time);
    check_same(side.rss_kb, s.rss_kb);
    check_same(side.alloc_bytes, s.alloc_bytes);
    CHECK(s.hash == side.hash);
    CHECK(s.hash_varies == side.hash_varies);
    CHECK(s.env == side.env);
    CHECK(s.first_error == side.first_error);
    ++a;
  }
}

struct Pair {
  Reduction map;
  CompactReduction compact;
};

Pair reduce(const std::vector<std::pair<Row, std::shared_ptr<const Env>>>& rows) {
  Pair p;
  for (const auto& [row, env] : rows) {
    Row with_env = row;
    if (env) with_env.env = *env;
    add_row(p.map, with_env);
    p.compact.add(row, env);
  }
  return p;
}

std::string rendered(const Report& r) {
  std::ostringstream text, markdown, json;
  render_text(r, text);
  render_markdown(r, markdown);
  render_json(r, json);
  return text.str() + "\n---\n" + markdown.str() + "\n---\n" + json.str();
}

void check_compare(Rng& rng, const Shape& shape, std::size_t rows, double slow, bool sorted,
                   const CompareOptions& o) {
  Pair base = reduce(random_rows(rng, shape, rows, 1.0, sorted));
  Pair cur = reduce(random_rows(rng, shape, rows, slow, sorted));
  check_same(base.map, base.compact.expand());
  check_same(cur.map, cur.compact.expand());

  const Report expected = compare(base.map, cur.map, o);
  Reduction regressed;
  const Report actual =
      compare_compact(std::move(base.compact), std::move(cur.compact), o, &regressed);
  CHECK(rendered(actual) == rendered(expected));
  REQUIRE(actual.results.size() == expected.results.size());

  // What --confirm needs of the baseline: exactly the sides of the time-regressed keys.
  std::size_t regressions = 0;
  for (const auto& r : expected.results) {
    if (r.time.verdict != Verdict::regressed) continue;
    ++regressions;
    const auto kept = regressed.find(r.key);
    REQUIRE(kept != regressed.end());
    check_same(base.map.at(r.key).time, kept->second.time);
  }
  CHECK(regressed.size() == regressions);
}

}  // namespace

TEST_CASE("compact_reduction: rows in key order reduce as add_row reduces them") {
  Rng rng(1);
  for (int round = 0; round < 5; ++round) {
    Pair p = reduce(random_rows(rng, Shape{}, 400, 1.0, true));
    check_same(p.map, p.compact.expand());
    p.compact.sort();
    check_same(p.map, p.compact.expand());
  }
}

TEST_CASE("compact_reduction: rows in any order reduce as add_row reduces them") {
  Rng rng(2);
  for (int round = 0; round < 5; ++round) {
    Pair p = reduce(random_rows(rng, Shape{}, 400, 1.0, false));
    check_same(p.map, p.compact.expand());
    p.compact.sort();
    check_same(p.map, p.compact.expand());
    // Rows added after a sort still find their keys.
    for (const auto& [row, env] : random_rows(rng, Shape{}, 200, 1.0, false)) {
      Row with_env = row;
      if (env) with_env.env = *env;
      add_row(p.map, with_env);
      p.compact.add(row, env);
    }
    check_same(p.map, p.compact.expand());
  }
}

TEST_CASE("compact_reduction: a key with many samples keeps them all, in order") {
  Rng rng(3);
  Shape one;
  one.suites = one.functions = one.params = 1;
  Pair p = reduce(random_rows(rng, one, 300, 1.0, false));
  check_same(p.map, p.compact.expand());
  CHECK(p.compact.size() == p.map.size());
}

TEST_CASE("compact_reduction: keys are put in Key order and walked with their sides") {
  Rng rng(4);
  Pair p = reduce(random_rows(rng, Shape{}, 500, 1.0, false));
  p.compact.sort();
  REQUIRE(p.compact.size() == p.map.size());
  std::size_t i = 0;
  Side side;
  for (const auto& [key, expected] : p.map) {
    CHECK(p.compact.key(i).key() == key);
    if (i > 0) CHECK(p.compact.key(i - 1) < p.compact.key(i));
    p.compact.side(i, side);
    CHECK(side.rows == expected.rows);
    check_same(expected.time, side.time);
    const Env* env = p.compact.env(i);
    CHECK((env ? std::optional<Env>(*env) : std::nullopt) == expected.env);
    ++i;
  }
}

TEST_CASE("compact_reduction: compare_compact reports what compare reports") {
  Rng rng(5);
  CompareOptions strict;
  strict.fail_on_missing = true;
  strict.fail_on_hash_change = true;
  strict.alloc_threshold = 0.0001;
  CompareOptions lenient;
  lenient.ignore_env = true;
  lenient.min_time_delta_ns = 5;
  for (bool sorted : {true, false}) {
    for (double slow : {1.0, 1.5, 0.5}) {
      check_compare(rng, Shape{}, 600, slow, sorted, CompareOptions{});
      check_compare(rng, Shape{}, 600, slow, sorted, strict);
      check_compare(rng, Shape{}, 600, slow, sorted, lenient);
    }
  }
  // Keys on one side only, and sides that broke.
  Shape failing;
  failing.fail_rate = 0.6;
  failing.null_rss_rate = 0.5;
  check_compare(rng, failing, 300, 1.3, false, CompareOptions{});
  Shape wide;
  wide.functions = 9;
  check_compare(rng, wide, 100, 1.2, true, strict);
}

TEST_CASE("compact_reduction: compare_compact releases blocks as it goes on many keys") {
  Rng rng(6);
  Shape many;
  many.suites = 4;
  many.functions = 9;
  many.params = 20;  // more keys than one block of records holds
  check_compare(rng, many, 30'000, 1.05, true, CompareOptions{});
}

TEST_CASE("compact_reduction: reduce_path_compact reads a file as reduce_path does") {
  Rng rng(7);
  TempDir dir;
  std::string text;
  for (const auto& [row, env] : random_rows(rng, Shape{}, 500, 1.0, false)) {
    Row with_env = row;
    if (env) with_env.env = *env;
    text += write_row(with_env) + "\n";
  }
  write_bytes(dir.file("a.jsonl"), text);
  write_bytes(dir.file("b.jsonl"), text.substr(0, text.find('\n', text.size() / 2) + 1));
  for (const std::string& path : {dir.file("a.jsonl"), dir.path().string()}) {
    check_same(reduce_path(path), reduce_path_compact(path).expand());
  }
  // A line cut short: the same error from both.
  write_bytes(dir.file("c.jsonl"), text.substr(0, text.size() / 2));
  std::string expected, actual;
  try {
    (void)reduce_path(dir.path().string());
  } catch (const InputError& e) {
    expected = e.what();
  }
  try {
    (void)reduce_path_compact(dir.path().string());
  } catch (const InputError& e) {
    actual = e.what();
  }
  CHECK_FALSE(expected.empty());
  CHECK(actual == expected);
}
