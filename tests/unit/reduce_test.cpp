// Tests compare/reduce.hpp: matching keys, which rows become samples of which metric, and
// reading files and directories, from hand-made rows (reduced in memory and expanded to sides)
// and files in a fresh temporary directory.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "printers.hpp"
#include "reduce.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::TempDir;
using benchgate::test::write_bytes;

Row parametric(std::uint64_t param, double per_call = 100) {
  Row r;
  r.suite = "sort_bench";
  r.function = "sort.std_sort";
  r.param = param;
  r.inner_repeats = 4;
  r.total_nanos = static_cast<std::uint64_t>(per_call * 4);
  r.per_call_nanos = per_call;
  r.peak_rss_kb = 2048;
  r.alloc_bytes = 4096;
  return r;
}

Row fixed(std::uint64_t repeat_index, double per_call = 1000) {
  Row r;
  r.kind = RowKind::fixed;
  r.suite = "parse_bench";
  r.function = "parse_corpus";
  r.repeat_index = repeat_index;
  r.inner_repeats = 1;
  r.total_nanos = static_cast<std::uint64_t>(per_call);
  r.per_call_nanos = per_call;
  r.peak_rss_kb = 4096;
  return r;
}

Row failed(std::uint64_t param, RowStatus status, std::optional<std::string> error) {
  Row r = parametric(param);
  r.status = status;
  r.per_call_nanos.reset();
  r.peak_rss_kb.reset();
  r.alloc_bytes.reset();
  r.error = std::move(error);
  return r;
}

Env env_named(const std::string& cpu) {
  Env e;
  e.cpu_model = cpu;
  e.compiler = "gcc";
  return e;
}

Side only_side(const Reduction& reduction) {
  REQUIRE(reduction.size() == 1);
  return reduction.begin()->second;
}

Side only_side(const CompactReduction& reduction) {
  return only_side(reduction.expand());
}

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::string lines(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& r : rows) out += write_row(r) + "\n";
  return out;
}

std::string reduce_error(const std::string& path) {
  try {
    (void)reduce_path(path);
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("reduce_path(" << path << ") did not throw InputError");
  return {};
}

}  // namespace

TEST_CASE("reduce: a parametric key has the param and a warm cache mode when absent") {
  Row r = parametric(1024);
  r.cache_mode.reset();
  const Key k = key_of(r);
  CHECK(k.suite == "sort_bench");
  CHECK(k.kind == RowKind::parametric);
  CHECK(k.function == "sort.std_sort");
  CHECK(k.param == std::optional<std::uint64_t>(1024));
  CHECK(k.cache_mode == std::optional<CacheMode>(CacheMode::warm));

  Row warm = parametric(1024);
  warm.cache_mode = CacheMode::warm;
  CHECK(key_of(warm) == k);  // an old row without cache_mode matches a new warm one

  Row cold = parametric(1024);
  cold.cache_mode = CacheMode::cold;
  CHECK(key_of(cold).cache_mode == std::optional<CacheMode>(CacheMode::cold));
  CHECK_FALSE(key_of(cold) == k);
  CHECK_FALSE(key_of(parametric(2048)) == k);
}

TEST_CASE("reduce: a fixed key has no param and no cache mode") {
  Row r = fixed(3);
  r.cache_mode = CacheMode::cold;
  const Key k = key_of(r);
  CHECK(k.kind == RowKind::fixed);
  CHECK(k.function == "parse_corpus");
  CHECK(k.param == std::nullopt);
  CHECK(k.cache_mode == std::nullopt);
  // Every repeat of a fixed benchmark is a sample of one key.
  CHECK(key_of(fixed(0)) == key_of(fixed(1)));
}

TEST_CASE("reduce: the suite is part of the key") {
  Row a = parametric(8), b = parametric(8);
  b.suite = "other_bench";
  CHECK_FALSE(key_of(a) == key_of(b));
  Row none = parametric(8);
  none.suite.reset();
  CHECK(key_of(none).suite.empty());
}

TEST_CASE("reduce: describe names suite function param and a cold cache") {
  CHECK(describe(key_of(parametric(1024))) == "sort_bench/sort.std_sort n=1024");
  Row cold = parametric(1024);
  cold.cache_mode = CacheMode::cold;
  CHECK(describe(key_of(cold)) == "sort_bench/sort.std_sort n=1024 cold");
  CHECK(describe(key_of(fixed(0))) == "parse_bench/parse_corpus");
  Row bare = fixed(0);
  bare.suite.reset();
  CHECK(describe(key_of(bare)) == "parse_corpus");
}

TEST_CASE("reduce: rows that are not ok count as rows but not as samples") {
  CompactReduction red;
  red.add(failed(8, RowStatus::timed_out, "first failure"));
  red.add(failed(8, RowStatus::error, "second failure"));
  red.add(parametric(8, 250));
  const Side& s = only_side(red);
  CHECK(s.rows == 3);
  CHECK(s.ok_rows == 1);
  CHECK(s.time.values == std::vector<double>{250});
  CHECK(s.rss_kb.values.size() == 1);
  CHECK(s.time.missing == 0);
  CHECK(s.rss_kb.missing == 0);
  CHECK(s.first_error == std::optional<std::string>("first failure"));
}

TEST_CASE("reduce: a failed row without an error message is described by its status") {
  CompactReduction red;
  red.add(failed(8, RowStatus::killed_at_cap, std::nullopt));
  red.add(failed(8, RowStatus::error, "later"));
  CHECK(only_side(red).first_error == std::optional<std::string>("killed_at_cap"));
  CHECK(only_side(red).ok_rows == 0);
}

TEST_CASE("reduce: rows outside the verdict or below the signal floor are not samples") {
  CompactReduction red;
  Row warmup = parametric(8, 999);
  warmup.part_of_verdict = false;
  Row floor = parametric(8, 888);
  floor.below_signal_floor = true;
  Row plain = parametric(8, 100);  // null annotations: a sample
  Row marked = parametric(8, 110);
  marked.part_of_verdict = true;
  marked.below_signal_floor = false;
  for (const Row& r : {warmup, floor, plain, marked}) red.add(r);
  const Side& s = only_side(red);
  CHECK(s.rows == 4);
  CHECK(s.ok_rows == 4);
  CHECK(s.time.values == std::vector<double>{100, 110});
  CHECK(s.rss_kb.values.size() == 2);
  CHECK(s.alloc_bytes.values.size() == 2);
}

TEST_CASE("reduce: the time sample is the per-call time or the total over inner repeats") {
  CompactReduction red;
  Row given = parametric(8);
  given.total_nanos = 1000;
  given.inner_repeats = 4;
  given.per_call_nanos = 300;  // wins over 1000 / 4
  Row derived = given;
  derived.per_call_nanos.reset();
  Row no_repeats = given;
  no_repeats.per_call_nanos.reset();
  no_repeats.inner_repeats.reset();
  for (const Row& r : {given, derived, no_repeats}) red.add(r);
  CHECK(only_side(red).time.values == std::vector<double>{300, 250, 1000});
  CHECK(only_side(red).time.measured());
}

TEST_CASE("reduce: allocations are bytes per call") {
  CompactReduction red;
  Row r = parametric(8);
  r.alloc_bytes = 4096;
  r.inner_repeats = 4;
  red.add(r);
  r.alloc_bytes = 1000;
  r.inner_repeats = 8;
  red.add(r);
  CHECK(only_side(red).alloc_bytes.values == std::vector<double>{1024, 125});
}

TEST_CASE("reduce: instructions are per call and samples under Callgrind are counted") {
  CompactReduction red;
  Row counted = parametric(8);
  counted.instructions = 4000;
  counted.inner_repeats = 4;
  counted.measured_under = MeasuredUnder::callgrind;
  Row native = counted;
  native.instructions = 6000;
  native.measured_under = MeasuredUnder::native;
  Row warmup = counted;  // not a sample: neither its count nor its Callgrind run counts
  warmup.part_of_verdict = false;
  for (const Row& r : {counted, native, warmup}) red.add(r);
  const Side s = only_side(red);
  CHECK(s.instructions.values == std::vector<double>{1000, 1500});
  CHECK(s.instructions.measured());
  CHECK(s.callgrind_samples == 1);

  // A sample without a count leaves instructions not measured.
  red.add(parametric(8));
  CHECK(only_side(red).instructions.missing == 1);
  CHECK_FALSE(only_side(red).instructions.measured());
}

TEST_CASE("reduce: one eligible row without peak RSS makes RSS not measured") {
  CompactReduction red;
  Row with = parametric(8);
  with.peak_rss_kb = 2048;
  Row without = parametric(8);
  without.peak_rss_kb.reset();
  red.add(with);
  red.add(without);
  red.add(with);
  const Side& s = only_side(red);
  CHECK(s.rss_kb.values == std::vector<double>{2048, 2048});
  CHECK(s.rss_kb.missing == 1);
  CHECK_FALSE(s.rss_kb.measured());
  CHECK(s.time.measured());  // other metrics are unaffected
}

TEST_CASE("reduce: a missing metric in a row that is not a sample does not matter") {
  CompactReduction red;
  Row warmup = parametric(8);
  warmup.part_of_verdict = false;
  warmup.peak_rss_kb.reset();
  warmup.alloc_bytes.reset();
  red.add(warmup);
  red.add(parametric(8));
  const Side& s = only_side(red);
  CHECK(s.rss_kb.measured());
  CHECK(s.alloc_bytes.measured());
}

TEST_CASE("reduce: a metric no row measured is not measured") {
  CompactReduction red;
  Row r = fixed(0);
  r.alloc_bytes.reset();
  red.add(r);
  red.add(fixed(1));
  const Side& s = only_side(red);
  CHECK(s.alloc_bytes.values.empty());
  CHECK(s.alloc_bytes.missing == 2);
  CHECK_FALSE(s.alloc_bytes.measured());
  CHECK_FALSE(Samples{}.measured());
}

TEST_CASE("reduce: the result hash is the first one seen and disagreement is flagged") {
  CompactReduction same;
  Row a = parametric(8);
  a.result_hash = 0xabc;
  same.add(a);
  same.add(a);
  CHECK(only_side(same).hash == std::optional<std::uint64_t>(0xabc));
  CHECK_FALSE(only_side(same).hash_varies);

  CompactReduction varies;
  Row b = a;
  b.result_hash = 0xdef;
  varies.add(a);
  varies.add(b);
  CHECK(only_side(varies).hash == std::optional<std::uint64_t>(0xabc));
  CHECK(only_side(varies).hash_varies);

  // A row that is not a sample neither sets the hash nor makes it vary.
  CompactReduction ignored;
  Row warmup = b;
  warmup.part_of_verdict = false;
  ignored.add(warmup);
  ignored.add(a);
  CHECK(only_side(ignored).hash == std::optional<std::uint64_t>(0xabc));
  CHECK_FALSE(only_side(ignored).hash_varies);
}

TEST_CASE("reduce: the env comes from the first eligible row") {
  CompactReduction red;
  Row warmup = parametric(8);
  warmup.part_of_verdict = false;
  warmup.env = env_named("warmup cpu");
  Row first = parametric(8);
  first.env = env_named("first cpu");
  Row second = parametric(8);
  second.env = env_named("second cpu");
  for (const Row& r : {warmup, first, second}) red.add(r);
  REQUIRE(only_side(red).env);
  CHECK(only_side(red).env->cpu_model == std::optional<std::string>("first cpu"));
}

TEST_CASE("reduce: keys are kept apart in one reduction") {
  CompactReduction red;
  red.add(parametric(8, 10));
  red.add(parametric(16, 20));
  red.add(fixed(0));
  red.add(parametric(8, 11));
  CHECK(red.size() == 3);
  const Reduction sides = red.expand();
  CHECK(sides.at(key_of(parametric(8))).time.values == std::vector<double>{10, 11});
  CHECK(sides.at(key_of(parametric(16))).time.values == std::vector<double>{20});
}

TEST_CASE("reduce: a rows file is reduced in order") {
  TempDir dir;
  const std::string path = dir.file("rows.jsonl");
  Row a = parametric(8, 100);
  a.result_hash = 0x1;
  Row b = parametric(8, 120);
  b.result_hash = 0x2;
  write_bytes(path, lines({a, b, parametric(16, 300), fixed(0, 5000)}));
  const Reduction red = reduce_path(path).expand();
  CHECK(red.size() == 3);
  const Side& s = red.at(key_of(a));
  CHECK(s.time.values == std::vector<double>{100, 120});
  CHECK(s.hash == std::optional<std::uint64_t>(0x1));
  CHECK(s.hash_varies);
  CHECK(red.at(key_of(fixed(0))).time.values == std::vector<double>{5000});
}

TEST_CASE("reduce: a directory reads only its jsonl files in name order") {
  TempDir dir;
  Row from_c = parametric(8, 300);
  from_c.result_hash = 0xc;
  Row from_a = parametric(8, 100);
  from_a.result_hash = 0xa;
  Row from_b = parametric(8, 200);
  from_b.result_hash = 0xb;
  // Written out of name order so that creation order cannot pass for sorting.
  write_bytes(dir.file("c.jsonl"), lines({from_c}));
  write_bytes(dir.file("a.jsonl"), lines({from_a}));
  write_bytes(dir.file("b.jsonl"), lines({from_b}));
  write_bytes(dir.file("notes.txt"), "not json at all\n");
  write_bytes(dir.file("rows.jsonl.bak"), "{broken\n");
  const Reduction red = reduce_path(dir.path().string()).expand();
  const Side& s = only_side(red);
  CHECK(s.rows == 3);
  CHECK(s.time.values == std::vector<double>{100, 200, 300});
  CHECK(s.hash == std::optional<std::uint64_t>(0xa));
}

TEST_CASE("reduce: a directory without jsonl files is an input error") {
  TempDir dir;
  write_bytes(dir.file("notes.txt"), "nothing here\n");
  const std::string what = reduce_error(dir.path().string());
  INFO(what);
  CHECK(contains(what, dir.path().string()));
  CHECK(contains(what, ".jsonl"));

  TempDir empty;
  CHECK(contains(reduce_error(empty.path().string()), empty.path().string()));
}

TEST_CASE("reduce: a malformed line is an input error located by file line and column") {
  TempDir dir;
  const std::string path = dir.file("rows.jsonl");
  write_bytes(path, lines({parametric(8)}) + "{\"schema_version\": 1, oops}\n");
  const std::string what = reduce_error(path);
  INFO(what);
  const std::string prefix = path + ":2:";
  REQUIRE(what.rfind(prefix, 0) == 0);
  // A 1-based column follows the line number.
  REQUIRE(what.size() > prefix.size());
  CHECK(what[prefix.size()] >= '1');
  CHECK(what[prefix.size()] <= '9');
}

TEST_CASE("reduce: a missing path is an input error naming it") {
  TempDir dir;
  const std::string path = dir.file("absent.jsonl");
  CHECK(contains(reduce_error(path), path));
}
