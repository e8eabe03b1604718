// Tests compare/baseline_file.hpp's merge_baseline: which benchmarks an update writes from the
// current rows and which keep their lines byte for byte, from hand-made rows (no files).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "baseline_file.hpp"
#include "benchgate/core/row_json.hpp"

namespace {

using namespace benchgate;

// Rows of one run (env.timestamp_unix_ms = run) of the parametric benchmark s/`function`: five
// trials at each of n = 1024 and 4096, each `ns` per call (within 0.1%), hash `hash`.
std::vector<Row> bench_rows(const std::string& function, double ns, std::int64_t run,
                            std::uint64_t hash = 0x1) {
  std::vector<Row> rows;
  for (std::uint64_t param : {1024u, 4096u}) {
    for (std::uint64_t trial = 0; trial < 5; ++trial) {
      Row r;
      r.suite = "s";
      r.function = function;
      r.param = param;
      r.cache_mode = CacheMode::warm;
      r.trial_index = trial;
      r.inner_repeats = 1;
      r.per_call_nanos = ns * param / 1024 * (1 + 0.0005 * static_cast<double>(trial));
      r.total_nanos = static_cast<std::uint64_t>(*r.per_call_nanos);
      r.result_hash = hash;
      r.peak_rss_kb = 1000;
      Env env;
      env.cpu_model = "cpu";
      env.timestamp_unix_ms = run;
      r.env = env;
      rows.push_back(r);
    }
  }
  return rows;
}

std::vector<Row> join(std::vector<Row> a, const std::vector<Row>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The rows as a baseline file's lines, written with a space after the opening brace: a layout
// write_row never makes, so a line kept byte for byte is told from one written again.
std::vector<BaselineLine> as_lines(const std::vector<Row>& rows) {
  std::vector<BaselineLine> lines;
  for (const Row& r : rows) lines.push_back({r, "{ " + write_row(r).substr(1)});
  return lines;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

// The merged file's lines of `function`.
std::vector<std::string> lines_of(const MergedBaseline& m, const std::string& function) {
  std::vector<std::string> out;
  for (const std::string& line : lines_of(m.text)) {
    if (has(line, "\"function\":\"" + function + "\"")) out.push_back(line);
  }
  return out;
}

const BenchmarkUpdate& update_of(const MergedBaseline& m, const std::string& function) {
  const auto it = std::find_if(m.benchmarks.begin(), m.benchmarks.end(),
                               [&](const BenchmarkUpdate& b) { return b.id.function == function; });
  REQUIRE(it != m.benchmarks.end());
  return *it;
}

std::string action(const MergedBaseline& m, const std::string& function) {
  return to_string(update_of(m, function).action);
}

// Every line of `function` in the merged file is one of `rows` as write_row writes it.
bool written_from(const MergedBaseline& m, const std::string& function,
                  const std::vector<Row>& rows) {
  const auto lines = lines_of(m, function);
  if (lines.size() != rows.size()) return false;
  for (const Row& r : rows) {
    if (std::find(lines.begin(), lines.end(), write_row(r)) == lines.end()) return false;
  }
  return true;
}

// Every line of `function` in the merged file is one of `old`'s, exactly.
bool kept_from(const MergedBaseline& m, const std::string& function,
               const std::vector<BaselineLine>& old) {
  const auto lines = lines_of(m, function);
  std::size_t n = 0;
  for (const BaselineLine& l : old) {
    if (l.row.function != function) continue;
    ++n;
    if (std::find(lines.begin(), lines.end(), l.text) == lines.end()) return false;
  }
  return n == lines.size();
}

}  // namespace

TEST_CASE("baseline file: an update rewrites a slowed benchmark and keeps the others' lines") {
  const auto base = as_lines(join(bench_rows("a", 1000, 1), bench_rows("b", 2000, 1)));
  const auto slow_a = bench_rows("a", 3000, 2);
  const auto same_b = bench_rows("b", 2010, 2);
  const MergedBaseline m = merge_baseline(base, join(slow_a, same_b), BaselineWrite{});
  CHECK(action(m, "a") == "updated");
  CHECK(has(update_of(m, "a").why, "time regressed +"));
  CHECK(update_of(m, "a").keys == 2);
  CHECK(action(m, "b") == "kept");
  CHECK(update_of(m, "b").why.empty());
  CHECK(written_from(m, "a", slow_a));
  CHECK(kept_from(m, "b", base));
  CHECK(m.rows == 20);

  // Nothing changed: the file is the old one, line for line.
  const MergedBaseline same =
      merge_baseline(base, join(bench_rows("a", 1001, 3), same_b), BaselineWrite{});
  std::string old_text;
  for (const auto& l : base) old_text += l.text + "\n";
  CHECK(same.text == old_text);
}

TEST_CASE("baseline file: the thresholds given are the ones the update judges by") {
  const auto base = as_lines(bench_rows("a", 1000, 1));
  const auto cur = bench_rows("a", 3000, 2);
  BaselineWrite wide;
  wide.options.time_threshold = 5.0;  // 500%: three times slower is within it
  const MergedBaseline m = merge_baseline(base, cur, wide);
  CHECK(action(m, "a") == "kept");
  CHECK(kept_from(m, "a", base));
}

TEST_CASE("baseline file: new benchmarks are added, missing ones removed, broken ones kept") {
  auto broken = bench_rows("c", 1000, 2);
  for (Row& r : broken) {
    r.status = RowStatus::error;
    r.error = "benchmark threw: boom";
    r.per_call_nanos.reset();
    r.result_hash.reset();
    r.peak_rss_kb.reset();
    r.total_nanos = 0;
  }
  const auto base = as_lines(join(bench_rows("a", 1000, 1), bench_rows("c", 1000, 1)));
  const auto added = bench_rows("b", 1000, 2);
  const MergedBaseline m = merge_baseline(base, join(added, broken), BaselineWrite{});
  CHECK(action(m, "a") == "removed");
  CHECK(update_of(m, "a").keys == 2);
  CHECK(lines_of(m, "a").empty());
  CHECK(action(m, "b") == "added");
  CHECK(written_from(m, "b", added));
  CHECK(action(m, "c") == "kept");
  CHECK(has(update_of(m, "c").why, "broken now"));
  CHECK(kept_from(m, "c", base));
}

TEST_CASE("baseline file: a new param, an improvement, a changed hash update the benchmark") {
  const auto base = as_lines(
      join(join(bench_rows("a", 1000, 1), bench_rows("b", 1000, 1)), bench_rows("c", 1000, 1)));
  auto more = bench_rows("a", 1000, 2);
  Row extra = more.back();
  extra.param = 16384;
  more.push_back(extra);
  const auto faster = bench_rows("b", 300, 2);
  const auto rehashed = bench_rows("c", 1000, 2, 0x2);
  const MergedBaseline m = merge_baseline(base, join(join(more, faster), rehashed), {});
  CHECK(action(m, "a") == "updated");
  CHECK(has(update_of(m, "a").why, "1 new key(s)"));
  CHECK(written_from(m, "a", more));
  CHECK(action(m, "b") == "updated");
  CHECK(has(update_of(m, "b").why, "time improved -"));
  CHECK(action(m, "c") == "updated");
  CHECK(has(update_of(m, "c").why, "result_hash changed at 2 of 2 keys"));
}

TEST_CASE("baseline file: a result_hash that varies within a side is no change") {
  // Non-deterministic output: every row hashes differently, on both sides.
  auto vary = [](std::vector<Row> rows, std::uint64_t from) {
    for (Row& r : rows) r.result_hash = from++;
    return rows;
  };
  const auto base = as_lines(vary(bench_rows("a", 1000, 1), 100));
  const MergedBaseline m = merge_baseline(base, vary(bench_rows("a", 1000, 2), 200), {});
  CHECK(action(m, "a") == "kept");
  CHECK(kept_from(m, "a", base));
}

TEST_CASE("baseline file: a baseline that cannot gate the current rows is replaced") {
  const auto base = as_lines(bench_rows("a", 1000, 1));
  auto moved = bench_rows("a", 1000, 2);
  for (Row& r : moved) r.env->cpu_model = "other cpu";
  const MergedBaseline m = merge_baseline(base, moved, BaselineWrite{});
  CHECK(action(m, "a") == "updated");
  CHECK(has(update_of(m, "a").why, "cpu_model differs: 'cpu' vs 'other cpu'"));
  CHECK(written_from(m, "a", moved));

  BaselineWrite ignore;
  ignore.options.ignore_env = true;
  CHECK(action(merge_baseline(base, moved, ignore), "a") == "kept");

  auto callgrind = bench_rows("a", 1000, 2);
  for (Row& r : callgrind) {
    r.measured_under = MeasuredUnder::callgrind;
    r.instructions = 5000;
  }
  const MergedBaseline measured = merge_baseline(base, callgrind, BaselineWrite{});
  CHECK(has(update_of(measured, "a").why, "measured natively before, under Callgrind now"));
}

TEST_CASE("baseline file: with --add-run a kept benchmark gains the run, an updated one restarts") {
  const auto base = as_lines(join(join(bench_rows("a", 1000, 1), bench_rows("a", 1000, 2)),
                                  join(bench_rows("b", 1000, 1), bench_rows("b", 1000, 2))));
  const auto same_a = bench_rows("a", 1005, 3);
  const auto slow_b = bench_rows("b", 3000, 3);
  BaselineWrite add;
  add.keep_runs = 2;
  const MergedBaseline m = merge_baseline(base, join(same_a, slow_b), add);
  CHECK(action(m, "a") == "kept");
  CHECK(action(m, "b") == "updated");
  // a: run 2 kept as it was (run 1 beyond keep_runs), run 3 added; b: run 3 alone.
  const auto a_lines = lines_of(m, "a");
  CHECK(a_lines.size() == 20);
  for (const BaselineLine& l : base) {
    if (l.row.function != "a") continue;
    const bool present = std::find(a_lines.begin(), a_lines.end(), l.text) != a_lines.end();
    CHECK(present == (l.row.env->timestamp_unix_ms == 2));
  }
  for (const Row& r : same_a)
    CHECK(std::find(a_lines.begin(), a_lines.end(), write_row(r)) != a_lines.end());
  CHECK(written_from(m, "b", slow_b));
  CHECK(m.min_runs == 1);
  CHECK(m.max_runs == 2);

  // The same run added twice replaces itself.
  std::vector<BaselineLine> again;
  for (const std::string& line : lines_of(m.text))
    again.push_back({std::get<Row>(parse_row(line)), line});
  CHECK(merge_baseline(again, join(same_a, slow_b), add).text == m.text);
}

TEST_CASE("baseline file: rows are written in key order, one benchmark's rows together") {
  const auto a = bench_rows("a", 1000, 1), b = bench_rows("b", 1000, 1);
  auto rows = join(b, a);
  std::reverse(rows.begin(), rows.end());
  const MergedBaseline m =
      merge_baseline(as_lines(rows), join(bench_rows("b", 1000, 2), bench_rows("a", 1000, 2)), {});
  CHECK(action(m, "a") == "kept");
  CHECK(action(m, "b") == "kept");
  // a's lines, then b's, each by param, then trial: the old lines, moved, not rewritten.
  std::vector<std::string> expected;
  for (const BaselineLine& l : as_lines(join(a, b))) expected.push_back(l.text);
  CHECK(lines_of(m.text) == expected);
}
