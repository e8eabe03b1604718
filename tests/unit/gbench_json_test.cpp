// Tests benchgate/core/gbench_json.hpp: Google Benchmark's JSON output as parse_gbench_json reads
// it, on genuine output of Google Benchmark 1.7.1 (gbench_samples/, see its README) and on small
// hand-written documents, and looks_like_gbench_json.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "benchgate/core/gbench_json.hpp"
#include "benchgate/core/gbench_name.hpp"
#include "benchgate/core/jsonl.hpp"

namespace {

using namespace benchgate;

std::string sample(const std::string& name) {
  std::ifstream in(std::string(BENCHGATE_GBENCH_SAMPLES) + "/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message parse_gbench_json throws for `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    parse_gbench_json(text, "in.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A document with one entry made of `fields` (without braces).
std::string one_entry(const std::string& fields) {
  return "{\n  \"context\": {},\n  \"benchmarks\": [\n    {\n" + fields + "\n    }\n  ]\n}\n";
}

const char* const kRun =
    "\"name\": \"BM_a/4\", \"run_name\": \"BM_a/4\", \"run_type\": \"iteration\", "
    "\"repetitions\": 1, \"repetition_index\": 0, \"threads\": 1, \"iterations\": 10";

}  // namespace

TEST_CASE("gbench_json: Google Benchmark 1.7.1 output without repetitions: one run per instance") {
  const GbenchDoc doc = parse_gbench_json(sample("one_1.7.1.json"), "one.json");
  CHECK(doc.context.at("num_cpus") == "2");
  CHECK(doc.context.at("executable") == "./gbench_sample");
  CHECK(doc.context.at("library_build_type") == "debug");
  CHECK(doc.context.count("caches") == 0);  // arrays are left out
  REQUIRE(doc.benchmarks.size() == 4);

  const GbenchRun& sum8 = doc.benchmarks[0];
  CHECK(sum8.name == "BM_sum/8");
  CHECK(sum8.run_name == "BM_sum/8");
  CHECK_FALSE(sum8.aggregate);
  CHECK(sum8.repetition_index == 0);
  CHECK(sum8.iterations == 584754);
  CHECK(sum8.threads == 1);
  CHECK(sum8.real_time_ns == doctest::Approx(2.3925753424074734));
  CHECK(sum8.line == 40);
  CHECK(sum8.counters.at("bytes_per_second") == doctest::Approx(1.3373763103332199e10));
  CHECK(sum8.counters.at("elems") == 8);
  // "ratio": NaN: the counter is skipped, the run kept; bookkeeping is never a counter.
  CHECK(sum8.counters.size() == 2);
  CHECK(gbench_key(sum8.run_name).function == "BM_sum/*");

  const GbenchRun& fixed = doc.benchmarks[2];
  CHECK(fixed.name == "BM_fixed");
  // "time_unit": "us": 3.1052266353285304e-04 us
  CHECK(fixed.real_time_ns == doctest::Approx(0.31052266353285304));
  CHECK(fixed.cpu_time_ns == doctest::Approx(0.31051357586764616));
  CHECK(fixed.counters.count("items_per_second") == 1);

  const GbenchRun& err = doc.benchmarks[3];
  CHECK(err.error_occurred);
  CHECK(err.error_message == "no input");
  CHECK(err.line == 89);
}

TEST_CASE("gbench_json: Google Benchmark 1.7.1 output with 10 repetitions: runs and aggregates") {
  const GbenchDoc doc = parse_gbench_json(sample("repetitions_1.7.1.json"), "rep.json");
  int runs = 0;
  int aggregates = 0;
  for (const GbenchRun& r : doc.benchmarks) {
    if (r.aggregate) {
      ++aggregates;
      REQUIRE(r.aggregate_name);
      CHECK(r.name == r.run_name + "_" + *r.aggregate_name);
      CHECK_FALSE(r.repetition_index);
    } else {
      ++runs;
      REQUIRE(r.repetition_index);
      CHECK(*r.repetition_index >= 0);
      CHECK(*r.repetition_index < 10);
    }
  }
  CHECK(runs == 30);       // BM_sum/8, BM_fixed, BM_err: 10 each
  CHECK(aggregates == 8);  // mean, median, stddev, cv of the two that did not fail
  std::set<std::string> names;
  for (const GbenchRun& r : doc.benchmarks) {
    if (r.aggregate && r.run_name == "BM_sum/8") names.insert(*r.aggregate_name);
  }
  CHECK(names == std::set<std::string>{"cv", "mean", "median", "stddev"});
}

TEST_CASE("gbench_json: time units ns, us, ms and s are converted to nanoseconds") {
  const std::pair<const char*, double> units[] = {
      {"ns", 1.5}, {"us", 1.5e3}, {"ms", 1.5e6}, {"s", 1.5e9}};
  for (const auto& u : units) {
    CAPTURE(u.first);
    const auto doc = parse_gbench_json(
        one_entry(std::string(kRun) + ", \"real_time\": 1.5, \"cpu_time\": 0.5, \"time_unit\": \"" +
                  u.first + "\""),
        "in.json");
    CHECK(doc.benchmarks.at(0).real_time_ns == doctest::Approx(u.second));
    CHECK(doc.benchmarks.at(0).cpu_time_ns == doctest::Approx(u.second / 3));
  }
  CHECK(error_of(one_entry(std::string(kRun) +
                           ", \"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"min\"")) ==
        "in.json:5: key 'time_unit' of benchmark 'BM_a/4' must be \"ns\", \"us\", \"ms\" or "
        "\"s\"; got \"min\"");
}

TEST_CASE("gbench_json: counters are every other number, NaN and Infinity counters are skipped") {
  const auto doc = parse_gbench_json(
      one_entry(std::string(kRun) +
                ", \"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"ns\", "
                "\"bytes_per_second\": 2.5e9, \"items_per_second\": 1e6, \"hits\": 3, "
                "\"a\": NaN, \"b\": -Infinity, \"c\": Infinity, \"d\": inf, \"e\": -nan, "
                "\"label\": \"NaN inf\", \"family_index\": 0, \"per_family_instance_index\": 0"),
      "in.json");
  const auto& c = doc.benchmarks.at(0).counters;
  CHECK(c == std::map<std::string, double>{
                 {"bytes_per_second", 2.5e9}, {"items_per_second", 1e6}, {"hits", 3}});
  CHECK(doc.benchmarks.at(0).label == "NaN inf");  // NaN inside a string stays text
}

TEST_CASE("gbench_json: run_name falls back to name, threads to 1, as in old versions") {
  const auto doc = parse_gbench_json(
      one_entry("\"name\": \"BM_old/8\", \"iterations\": 5, \"real_time\": 2, \"cpu_time\": 2, "
                "\"time_unit\": \"ns\""),
      "in.json");
  CHECK(doc.benchmarks.at(0).run_name == "BM_old/8");
  CHECK(doc.benchmarks.at(0).threads == 1);
  CHECK_FALSE(doc.benchmarks.at(0).aggregate);
  CHECK_FALSE(doc.benchmarks.at(0).repetition_index);
}

TEST_CASE("gbench_json: complexity entries (BigO, RMS) are aggregates without times") {
  const auto doc = parse_gbench_json(
      "{\"benchmarks\": [{\"name\": \"BM_n_BigO\", \"run_name\": \"BM_n\", \"run_type\": "
      "\"aggregate\", \"aggregate_name\": \"BigO\", \"cpu_coefficient\": 1.2, "
      "\"real_coefficient\": 1.3, \"big_o\": \"N\", \"time_unit\": \"ns\"}, {\"name\": "
      "\"BM_n_RMS\", \"run_name\": \"BM_n\", \"run_type\": \"aggregate\", \"aggregate_name\": "
      "\"RMS\", \"rms\": 0.01}]}",
      "in.json");
  REQUIRE(doc.benchmarks.size() == 2);
  CHECK(doc.benchmarks[0].aggregate);
  CHECK(doc.benchmarks[0].counters.empty());
  CHECK(doc.benchmarks[1].aggregate_name == "RMS");
  CHECK(doc.benchmarks[1].counters.empty());
}

TEST_CASE("gbench_json: malformed input is an InputError with origin and line") {
  // Not JSON at all, cut short, and a syntax error on line 3.
  CHECK(error_of("hello").rfind("in.json:1: ", 0) == 0);
  const std::string full = sample("one_1.7.1.json");
  const std::string cut = full.substr(0, full.find("\"BM_fixed\""));
  const std::string cut_error = error_of(cut);
  CHECK(cut_error.rfind("in.json:74: ", 0) == 0);
  CHECK(cut_error.find("the file ends inside the document; was the benchmark run cut short?") !=
        std::string::npos);
  CHECK(error_of("{\n\"benchmarks\": [\n  {\"name\": \"x\",, }\n]}").find("cut short") ==
        std::string::npos);
  CHECK(error_of("{\n\"benchmarks\": [\n  {\"name\": \"x\",, }\n]}").rfind("in.json:3: ", 0) == 0);
  // Not Google Benchmark's shape.
  CHECK(error_of("[1, 2]") ==
        "in.json:1: a Google Benchmark JSON file is one object with a \"benchmarks\" array; got "
        "an array");
  CHECK(error_of("{\"context\": {}}").rfind("in.json:1: no \"benchmarks\" key", 0) == 0);
  CHECK(error_of("{\n\"benchmarks\": {}}") ==
        "in.json:2: key 'benchmarks' must be an array; got an object");
  CHECK(error_of("{\"benchmarks\": [\n 3]}") ==
        "in.json:1: each entry of 'benchmarks' must be an object; got a number");
  CHECK(error_of(one_entry("\"run_name\": \"x\"")) ==
        "in.json:5: an entry of 'benchmarks' without a \"name\" (a string, not empty)");
  CHECK(error_of(one_entry("\"name\": \"BM_a\",\n\"iterations\": \"10\"")) ==
        "in.json:6: key 'iterations' of benchmark 'BM_a' must be an integer; got \"10\"");
  CHECK(error_of(one_entry("\"name\": \"BM_a\", \"iterations\": 10, \"cpu_time\": 1")) ==
        "in.json:5: benchmark 'BM_a' has no \"real_time\"");
  CHECK(error_of(one_entry("\"name\": \"BM_a\", \"iterations\": 10, \"real_time\": NaN, "
                           "\"cpu_time\": 1")) ==
        "in.json:5: key 'real_time' of benchmark 'BM_a' must be a number; got null (or "
        "NaN/Infinity)");
  CHECK(error_of(one_entry("\"name\": \"BM_a\", \"iterations\": 10, \"real_time\": -1, "
                           "\"cpu_time\": 1")) ==
        "in.json:5: key 'real_time' of benchmark 'BM_a' must be a finite non-negative number; got "
        "a number");
}

TEST_CASE("gbench_json: a failed run needs no times, its error is kept") {
  const auto doc = parse_gbench_json(
      one_entry("\"name\": \"BM_e\", \"error_occurred\": true, \"error_message\": \"boom\""),
      "in.json");
  CHECK(doc.benchmarks.at(0).error_occurred);
  CHECK(doc.benchmarks.at(0).error_message == "boom");
  CHECK(doc.benchmarks.at(0).iterations == 0);
}

TEST_CASE("gbench_json: looks_like_gbench_json tells Google Benchmark files from rows") {
  CHECK(looks_like_gbench_json(sample("one_1.7.1.json")));
  CHECK(looks_like_gbench_json(sample("repetitions_1.7.1.json")));
  CHECK(looks_like_gbench_json("\xEF\xBB\xBF  {\"benchmarks\": []}"));
  CHECK(
      looks_like_gbench_json("{\"context\": {\"x\": \"\\\"benchmarks\\\"\"}, \"benchmarks\":[]}"));
  // A rows file: objects, one a line, without a top-level "benchmarks".
  CHECK_FALSE(looks_like_gbench_json(
      "{\"schema_version\":1,\"kind\":\"fixed\",\"function\":\"benchmarks\"}\n"
      "{\"benchmarks\": []}\n"));
  CHECK_FALSE(looks_like_gbench_json("{\"function\":\"x\",\"env\":{\"benchmarks\":1}}\n"));
  CHECK_FALSE(looks_like_gbench_json("{\"benchgate_list_version\":1,\"benchmarks\":[]}"));
  CHECK_FALSE(looks_like_gbench_json(""));
  CHECK_FALSE(looks_like_gbench_json("  [1]"));
  CHECK_FALSE(looks_like_gbench_json("{\"benchmarks"));
}

TEST_CASE("gbench_json: a ->Threads(k) run's row carries threads, others none") {
  GbenchRun run;
  run.name = "BM_T<int>/128/threads:2";
  run.threads = 2;
  run.iterations = 10;
  run.real_time_ns = 5;
  run.cpu_time_ns = 9;
  Row row;
  row.threads = 7;  // a reused row: the field is set or cleared, never kept
  set_gbench_measurements(run, row);
  CHECK(row.threads == std::uint64_t{2});
  run.name = "BM_T<int>/128/threads:1";
  run.threads = 1;
  set_gbench_measurements(run, row);
  CHECK(row.threads == std::uint64_t{1});
  run.name = "BM_T<int>/128";
  set_gbench_measurements(run, row);
  CHECK_FALSE(row.threads);
}
