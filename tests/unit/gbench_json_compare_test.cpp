// Tests compare/gbench.hpp and Google Benchmark JSON as a side of the gate: runs mapped into rows
// (aggregates never samples, errors as error rows), the env of a context, the reduction of a file,
// counters in the comparison and its reports, the notes of a Google Benchmark side, and what
// refuses such a side (--write-baseline) or skips it (confirmation reruns, reproduce commands).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "baseline_file.hpp"
#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "cli.hpp"
#include "compare.hpp"
#include "gate.hpp"
#include "gbench.hpp"
#include "reduce.hpp"
#include "render.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::TempDir;

// A run entry of Google Benchmark's JSON (1.7.1's keys).
std::string run(const std::string& name, int repetition, double real_ns, double cpu_ns,
                const std::string& extra = "") {
  std::ostringstream s;
  s << "{\"name\": \"" << name << "\", \"family_index\": 0, \"per_family_instance_index\": 0, "
    << "\"run_name\": \"" << name << "\", \"run_type\": \"iteration\", \"repetitions\": 3, "
    << "\"repetition_index\": " << repetition << ", \"threads\": 1, \"iterations\": 1000, "
    << "\"real_time\": " << real_ns << ", \"cpu_time\": " << cpu_ns << ", \"time_unit\": \"ns\""
    << extra << "}";
  return s.str();
}

std::string aggregate(const std::string& run_name, const char* which, double real_ns) {
  std::ostringstream s;
  s << "{\"name\": \"" << run_name << "_" << which << "\", \"run_name\": \"" << run_name
    << "\", \"run_type\": \"aggregate\", \"repetitions\": 3, \"threads\": 1, "
    << "\"aggregate_name\": \"" << which << "\", \"aggregate_unit\": \"time\", "
    << "\"iterations\": 3, \"real_time\": " << real_ns << ", \"cpu_time\": " << real_ns
    << ", \"time_unit\": \"ns\", \"bytes_per_second\": 1e9}";
  return s.str();
}

std::string document(const std::vector<std::string>& entries) {
  std::string s =
      "{\n  \"context\": {\"date\": \"2026-12-06T19:32:01+00:00\", \"host_name\": \"ci-7\", "
      "\"executable\": \"./build/sort_bench\", \"num_cpus\": 8, \"mhz_per_cpu\": 2596, "
      "\"library_build_type\": \"release\"},\n  \"benchmarks\": [\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    s += "    " + entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
  }
  return s + "  ]\n}\n";
}

// Three repetitions of BM_sort/64 (per-call times t, 2t, 3t... scaled by `scale`) with counters,
// their aggregates, three of the fixed BM_hash, one failed BM_open.
std::string three_repetitions(double scale) {
  std::vector<std::string> e;
  for (int i = 0; i < 3; ++i) {
    e.push_back(run("BM_sort/64", i, scale * (100 + i), 90,
                    ", \"bytes_per_second\": " + std::to_string(1e9 * (i + 1)) +
                        ", \"swaps\": " + std::to_string(10 * (i + 1)) + ", \"nan\": NaN"));
  }
  for (const char* a : {"mean", "median", "stddev", "cv"})
    e.push_back(aggregate("BM_sort/64", a, 5));
  for (int i = 0; i < 3; ++i) e.push_back(run("BM_hash", i, scale * 40, 40));
  e.push_back(
      "{\"name\": \"BM_open\", \"run_name\": \"BM_open\", \"run_type\": \"iteration\", "
      "\"repetitions\": 3, \"repetition_index\": 0, \"threads\": 1, \"error_occurred\": true, "
      "\"error_message\": \"no such file\", \"iterations\": 0, \"real_time\": 0, \"cpu_time\": 0, "
      "\"time_unit\": \"ns\"}");
  return document(e);
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

const KeyResult& result_of(const Report& report, const std::string& function) {
  for (const KeyResult& r : report.results) {
    if (r.key.function == function) return r;
  }
  FAIL("no result for " << function);
  return report.results.front();
}

// An executor that must never be asked to run anything.
class NoRuns final : public Executor {
 public:
  SpawnResult run(const SpawnRequest&) override {
    ++runs;
    return {};
  }
  int runs = 0;
};

}  // namespace

TEST_CASE("gbench compare: runs become rows, aggregates are never samples") {
  const GbenchDoc doc = parse_gbench_json(three_repetitions(1), "a.json");
  const std::vector<Row> rows = gbench_rows(doc);
  REQUIRE(rows.size() == 7);  // 3 + 3 + 1 runs; the 4 aggregates are ignored

  const Row& sort1 = rows[1];
  CHECK(sort1.kind == RowKind::parametric);
  CHECK(sort1.function == "BM_sort/*");
  CHECK(sort1.param == 64u);
  CHECK(sort1.trial_index == 1u);
  CHECK(sort1.status == RowStatus::ok);
  CHECK(sort1.per_call_nanos == 101.0);
  CHECK(sort1.inner_repeats == 1000u);
  CHECK(sort1.total_nanos == 101000u);
  CHECK(sort1.cpu_nanos == 90000u);
  CHECK_FALSE(sort1.peak_rss_kb);
  CHECK_FALSE(sort1.env);
  REQUIRE(sort1.counters);
  CHECK(*sort1.counters == std::map<std::string, double>{{"bytes_per_second", 2e9}, {"swaps", 20}});

  const Row& hash2 = rows[5];
  CHECK(hash2.kind == RowKind::fixed);
  CHECK(hash2.function == "BM_hash");
  CHECK_FALSE(hash2.param);
  CHECK(hash2.repeat_index == 2u);
  CHECK_FALSE(hash2.counters);  // no counters: absent, not empty

  const Row& open = rows[6];
  CHECK(open.status == RowStatus::error);
  CHECK(open.error == "no such file");
  CHECK_FALSE(open.per_call_nanos);

  // Every row is a valid row of the schema.
  for (const Row& r : rows) {
    const auto back = parse_row(write_row(r));
    REQUIRE(std::holds_alternative<Row>(back));
    CHECK(std::get<Row>(back) == r);
  }
}

TEST_CASE("gbench compare: without a repetition index a run's index is its position") {
  const GbenchDoc doc = parse_gbench_json(
      "{\"benchmarks\": [{\"name\": \"BM_a\", \"iterations\": 1, \"real_time\": 1, \"cpu_time\": "
      "1, \"time_unit\": \"ns\"}, {\"name\": \"BM_a\", \"iterations\": 1, \"real_time\": 2, "
      "\"cpu_time\": 2, \"time_unit\": \"ns\"}]}",
      "old.json");
  const auto rows = gbench_rows(doc);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].repeat_index == 0u);
  CHECK(rows[1].repeat_index == 1u);
}

TEST_CASE("gbench compare: the env of a context, library_build_type is not build_type") {
  const Env e = gbench_env(parse_gbench_json(three_repetitions(1), "a.json"));
  CHECK(e.hostname == "ci-7");
  CHECK(e.exe_name == "sort_bench");
  CHECK(e.cpu_cores == 8);
  CHECK(e.timestamp_iso == "2026-12-06T19:32:01+00:00");
  CHECK_FALSE(e.build_type);
  CHECK_FALSE(e.timestamp_unix_ms);  // samples of two files are never taken for A/B pairs
}

TEST_CASE("gbench compare: is_gbench_file tells Google Benchmark files from rows and directories") {
  TempDir dir;
  write(dir.file("gb.json"), three_repetitions(1));
  Row row;
  row.kind = RowKind::fixed;
  row.function = "f";
  row.repeat_index = 0;
  row.per_call_nanos = 1;
  write(dir.file("rows.jsonl"), write_row(row) + "\n");
  CHECK(is_gbench_file(dir.file("gb.json")));
  CHECK_FALSE(is_gbench_file(dir.file("rows.jsonl")));
  CHECK_FALSE(is_gbench_file(dir.path().string()));
  CHECK_FALSE(is_gbench_file(dir.file("absent.json")));
}

TEST_CASE("gbench compare: a Google Benchmark file reduces to samples and counters per key") {
  TempDir dir;
  write(dir.file("gb.json"), three_repetitions(1));
  const Reduction r = reduce_path(dir.file("gb.json")).expand();
  REQUIRE(r.size() == 3);
  Key sort;
  sort.function = "BM_sort/*";
  sort.param = 64;
  sort.cache_mode = CacheMode::warm;
  const Side& s = r.at(sort);
  CHECK(s.time.values == std::vector<double>{100, 101, 102});  // aggregates are not samples
  CHECK_FALSE(s.rss_kb.measured());
  CHECK(s.counters.at("swaps") == std::vector<double>{10, 20, 30});
  REQUIRE(s.env);
  CHECK(s.env->hostname == "ci-7");
  Key open;
  open.kind = RowKind::fixed;
  open.function = "BM_open";
  CHECK(r.at(open).ok_rows == 0);
  CHECK(r.at(open).first_error == "no such file");
}

TEST_CASE("gbench compare: malformed Google Benchmark JSON names the file and line") {
  TempDir dir;
  const std::string text = three_repetitions(1);
  write(dir.file("cut.json"), text.substr(0, text.find("BM_hash")));
  try {
    reduce_path(dir.file("cut.json"));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(dir.file("cut.json") + ":11: ", 0) == 0);
  }
}

TEST_CASE("gbench compare: counters' medians reach the result and every report, never gated") {
  TempDir dir;
  write(dir.file("a.json"), three_repetitions(1));
  write(dir.file("b.json"), three_repetitions(1));
  Report report = compare(reduce_path(dir.file("a.json")), reduce_path(dir.file("b.json")), {});
  const KeyResult& sort = result_of(report, "BM_sort/*");
  REQUIRE(sort.counters.size() == 2);
  CHECK(sort.counters[0].name == "bytes_per_second");
  CHECK(sort.counters[0].baseline == 2e9);
  CHECK(sort.counters[0].current == 2e9);
  CHECK(sort.counters[1].name == "swaps");
  CHECK(sort.counters[1].current == 20);
  CHECK(result_of(report, "BM_hash").counters.empty());

  std::ostringstream text, md, json;
  render_text(report, text);
  render_markdown(report, md);
  render_json(report, json);
  const std::string line = "counters (median, not gated): bytes_per_second 2G → 2G, swaps 20 → 20";
  CHECK(text.str().find(line) != std::string::npos);
  CHECK(md.str().find(line) != std::string::npos);
  CHECK(json.str().find("\"counters\": {\n                \"bytes_per_second\": {\n"
                        "                    \"baseline_median\": 2000000000.0,\n"
                        "                    \"current_median\": 2000000000.0\n") !=
        std::string::npos);
  CHECK(json.str().find("\"counters\": {}") != std::string::npos);  // BM_hash
}

TEST_CASE("gbench compare: a Google Benchmark side says RSS is not gated, and why time is not") {
  TempDir dir;
  // One run per benchmark, as without --benchmark_repetitions.
  const std::string one = document({run("BM_sort/64", 0, 100, 100), run("BM_hash", 0, 40, 40)});
  write(dir.file("a.json"), one);
  write(dir.file("b.json"), one);
  Report report = compare(reduce_path(dir.file("a.json")), reduce_path(dir.file("b.json")), {});
  note_gbench_sides(report, true, false);
  const GateOutcome outcome = gate_outcome(report);
  CHECK(outcome.exit_code() != 1);
  REQUIRE(outcome.warnings.size() == 2);
  CHECK(outcome.warnings[0] ==
        "peak RSS of 2 of 2 keys not gated: the baseline is Google Benchmark JSON, which has no "
        "peak RSS");
  CHECK(outcome.warnings[1].rfind("time of 2 of 2 keys undecided with one sample on a side: ", 0) ==
        0);
  CHECK(outcome.warnings[1].find("--benchmark_repetitions=10") != std::string::npos);
  CHECK(result_of(report, "BM_hash")
            .time.note.find(
                "one sample on a side: run Google Benchmark with --benchmark_repetitions=10") !=
        std::string::npos);

  // Not a Google Benchmark side: nothing is added.
  Report rows = compare(reduce_path(dir.file("a.json")), reduce_path(dir.file("b.json")), {});
  note_gbench_sides(rows, false, false);
  CHECK(gate_outcome(rows).warnings.size() == 1);
  CHECK(gate_outcome(rows).warnings[0].find("Google Benchmark") == std::string::npos);
}

TEST_CASE("gbench compare: --write-baseline refuses a Google Benchmark side") {
  TempDir dir;
  write(dir.file("gb.json"), three_repetitions(1));
  std::ostringstream out;
  for (auto sides : {std::pair{dir.file("base.jsonl"), dir.file("gb.json")},
                     std::pair{dir.file("gb.json"), dir.file("cur.jsonl")}}) {
    try {
      write_baseline(sides.first, sides.second, {1, true, {}}, out);
      FAIL("no error");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find("is Google Benchmark JSON; a baseline is benchgate rows") !=
            std::string::npos);
    }
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("base.jsonl")));
}

TEST_CASE("gbench compare: a Google Benchmark side gets no confirmation rerun nor reproduce") {
  TempDir dir;
  write(dir.file("a.json"), three_repetitions(1));
  write(dir.file("b.json"), three_repetitions(1.5));
  const auto request =
      parse_compare_request({"benchgate-compare", dir.file("a.json"), dir.file("b.json"),
                             "--runner", "./runner", "--exe", "./bench", "--time-threshold", "5%"});
  REQUIRE(request);
  REQUIRE(request->confirm == 1);
  NoRuns ex;
  std::ostringstream out, err;
  const int code = run_gate(*request, ex, out, err);
  CHECK(ex.runs == 0);
  CHECK(err.str().find("no confirmation rerun: " + dir.file("a.json") +
                       " is Google Benchmark JSON") != std::string::npos);
  CHECK(out.str().find("reproduce ") == std::string::npos);
  CHECK(code != 2);
}
