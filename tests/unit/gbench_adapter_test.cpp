// The Google Benchmark adapter's pure parts: the child's argv, the listing, the list document it
// makes, and rows from Google Benchmark's JSON (genuine 1.7.1 output from gbench_samples/) with
// counters and gbench_memory's numbers.
#include "gbench_adapter.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ab.hpp"
#include "benchgate/core/cli.hpp"
#include "benchgate/core/gbench_name.hpp"
#include "temp_dir.hpp"

using namespace benchgate;

namespace {

std::string sample(const std::string& name) {
  std::ifstream in(std::string(BENCHGATE_GBENCH_SAMPLES) + "/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Answers every spawn with one canned result, and remembers the last request.
class CannedExecutor : public Executor {
 public:
  explicit CannedExecutor(SpawnResult result) : result_(std::move(result)) {}
  SpawnResult run(const SpawnRequest& request) override {
    last = request;
    return result_;
  }
  SpawnRequest last;

 private:
  SpawnResult result_;
};

SpawnResult exited(int code, std::string out = "", std::string err = "") {
  SpawnResult r;
  r.started = true;
  r.exited = true;
  r.exit_code = code;
  r.stdout_tail = std::move(out);
  r.stderr_tail = std::move(err);
  return r;
}

const char* kListing =
    "BM_sum/8\nBM_sum/64\nBM_fixed\nBM_err\nBM_Args/8/16\nBM_Args/8/32\n"
    "BM_T<int>/128/threads:2\n\n";

// An adapter that has listed the sample's instances.
GbenchAdapter listed_adapter() {
  GbenchAdapter a;
  CannedExecutor ex(exited(0, kListing));
  (void)a.list(ex, "./bench");
  return a;
}

RowRequest parametric(const std::string& function, std::uint64_t param) {
  RowRequest r;
  r.kind = RowKind::parametric;
  r.function = function;
  r.param = param;
  r.cache_mode = CacheMode::warm;
  return r;
}

RowRequest fixed(const std::string& function, std::uint64_t repeat) {
  RowRequest r;
  r.kind = RowKind::fixed;
  r.function = function;
  r.repeat_index = repeat;
  return r;
}

}  // namespace

TEST_CASE("gbench adapter: the child runs one instance once, its JSON on a file, min_time in s") {
  CHECK(gbench_child_argv("./bench", "BM_T<int>/128/threads:2", 10'000'000, "/tmp/d/batch.1") ==
        std::vector<std::string>{
            "./bench", "--benchmark_filter=" + gbench_exact_filter("BM_T<int>/128/threads:2"),
            "--benchmark_min_time=0.01", "--benchmark_repetitions=1",
            "--benchmark_out=/tmp/d/batch.1", "--benchmark_out_format=json"});
  // A plain number of seconds, as 1.7.1 reads it: no unit suffix, no exponent for 0.2 s.
  CHECK(gbench_child_argv("b", "x", 200'000'000, "f")[2] == "--benchmark_min_time=0.2");
  CHECK(gbench_child_argv("b", "x", 1'500'000'000, "f")[2] == "--benchmark_min_time=1.5");
}

TEST_CASE("gbench adapter: prepare_child finds the instance of a key and names the memory file") {
  const GbenchAdapter a = listed_adapter();
  ChildRequest child;
  child.bench = "BM_Args/*/32";
  child.kind = RowKind::parametric;
  child.which = 8;
  child.target_nanos = 50'000'000;
  SpawnRequest spawn;
  a.prepare_child("./bench", child, "/tmp/d/batch.7", spawn);
  REQUIRE(spawn.argv.size() == 6);
  CHECK(spawn.argv[1] == "--benchmark_filter=" + gbench_exact_filter("BM_Args/8/32"));
  CHECK(spawn.argv[2] == "--benchmark_min_time=0.05");
  CHECK(spawn.env ==
        std::vector<std::string>{std::string(kGbenchMemoryEnv) + "=/tmp/d/batch.7.memory"});
  ChildRequest fixed_child;
  fixed_child.bench = "BM_fixed";
  fixed_child.kind = RowKind::fixed;
  fixed_child.which = 3;  // a repeat index, not a param
  fixed_child.target_nanos = 100'000'000;
  a.prepare_child("./bench", fixed_child, "f", spawn);
  CHECK(spawn.argv[1] == "--benchmark_filter=" + gbench_exact_filter("BM_fixed"));
}

TEST_CASE("gbench adapter: the listing becomes one benchmark per key, params as a custom list") {
  CHECK(parse_gbench_list("a/1\r\n\nb\n  \n") == std::vector<std::string>{"a/1", "b"});
  std::map<std::pair<std::string, std::optional<std::uint64_t>>, std::string> by_key;
  const ListDocument doc = gbench_list_doc("suite", parse_gbench_list(kListing), by_key);
  CHECK(doc.suite == "suite");
  REQUIRE(doc.benchmarks.size() == 6);
  const BenchmarkInfo& sum = doc.benchmarks[0];
  CHECK(sum.name == "BM_sum/*");
  CHECK(sum.kind == RowKind::parametric);
  CHECK(sum.config.param_schedule.shape == ParamSchedule::Shape::custom);
  CHECK(sum.config.param_schedule.custom_params == std::vector<std::uint64_t>{8, 64});
  CHECK(sum.config.max_seconds_per_call == kGbenchCapSeconds);
  CHECK(sum.config.target_inner_nanos == kGbenchTargetNanos);
  CHECK(sum.complexity.empty());  // nothing to ask the executable
  const BenchmarkInfo& fixed_one = doc.benchmarks[1];
  CHECK(fixed_one.name == "BM_fixed");
  CHECK(fixed_one.kind == RowKind::fixed);
  CHECK_FALSE(fixed_one.fixed_config.warmup);
  CHECK(fixed_one.fixed_config.repeats == fixed_one.config.outer_trials);
  CHECK(doc.benchmarks[3].name == "BM_Args/*/16");
  CHECK(doc.benchmarks[4].name == "BM_Args/*/32");
  CHECK(doc.benchmarks[5].name == "BM_T<int>/*/threads:2");
  CHECK(by_key.at({"BM_Args/*/32", std::uint64_t{8}}) == "BM_Args/8/32");
  CHECK(by_key.at({"BM_fixed", std::nullopt}) == "BM_fixed");
}

TEST_CASE(
    "gbench adapter: listing asks --benchmark_list_tests with the filter, failures are usage") {
  GbenchAdapter filtered("BM_sum/.*");
  CannedExecutor ex(exited(0, "BM_sum/8\n"));
  const ListDocument doc = filtered.list(ex, "dir/bench");
  CHECK(ex.last.argv == std::vector<std::string>{"dir/bench", "--benchmark_list_tests=true",
                                                 "--benchmark_filter=BM_sum/.*"});
  CHECK(doc.suite == "bench");
  GbenchAdapter a;
  CannedExecutor empty(exited(0, "\n"));
  CHECK_THROWS_AS((void)a.list(empty, "./bench"), UsageError);
  CannedExecutor failing(exited(1, "", "unrecognized flag"));
  CHECK_THROWS_WITH_AS((void)a.list(failing, "./bench"),
                       doctest::Contains("Is it a Google Benchmark executable"), UsageError);
}

TEST_CASE("gbench adapter: a run of genuine 1.7.1 JSON becomes an ok row with its counters") {
  const GbenchAdapter a = listed_adapter();
  const Row row = a.row_from_output(parametric("BM_sum/*", 64), exited(0), sample("one_1.7.1.json"),
                                    "batch.json", std::nullopt);
  CHECK(row.status == RowStatus::ok);
  CHECK(row.function == "BM_sum/*");
  CHECK(row.param == std::uint64_t{64});
  CHECK(row.cache_mode == CacheMode::warm);
  CHECK(row.inner_repeats == std::uint64_t{79776});
  REQUIRE(row.per_call_nanos);
  CHECK(row.total_nanos > 0);
  CHECK(static_cast<double>(row.total_nanos) ==
        doctest::Approx(*row.per_call_nanos * 79776).epsilon(1e-6));
  REQUIRE(row.cpu_nanos);
  REQUIRE(row.counters);
  CHECK(row.counters->count("bytes_per_second") == 1);
  CHECK(row.counters->count("elems") == 1);
  CHECK(row.counters->count("ratio") == 0);  // NaN in the file: left out
  // No memory file and no ru_maxrss: nothing claimed.
  CHECK_FALSE(row.alloc_bytes);
  CHECK_FALSE(row.peak_rss_kb);
  CHECK_FALSE(row.peak_rss_includes_setup);
}

TEST_CASE("gbench adapter: a fixed instance's row converts its time unit and keeps repeat index") {
  const GbenchAdapter a = listed_adapter();
  const Row row = a.row_from_output(fixed("BM_fixed", 2), exited(0), sample("one_1.7.1.json"),
                                    "batch.json", std::nullopt);
  CHECK(row.status == RowStatus::ok);
  CHECK(row.kind == RowKind::fixed);
  CHECK(row.repeat_index == std::uint64_t{2});
  CHECK_FALSE(row.param);
  REQUIRE(row.per_call_nanos);
  CHECK(*row.per_call_nanos == doctest::Approx(0.31052266));  // written in us, read in ns
}

TEST_CASE("gbench adapter: error_occurred is an error row with the benchmark's message") {
  const GbenchAdapter a = listed_adapter();
  const Row row = a.row_from_output(fixed("BM_err", 0), exited(0), sample("one_1.7.1.json"),
                                    "batch.json", std::nullopt);
  CHECK(row.status == RowStatus::error);
  CHECK(row.error == std::string("the benchmark reported an error: no input"));
}

TEST_CASE("gbench adapter: JSON without the instance, or that does not parse, is an error row") {
  const GbenchAdapter a = listed_adapter();
  const Row missing = a.row_from_output(parametric("BM_Args/*/16", 8), exited(0),
                                        sample("one_1.7.1.json"), "batch.json", std::nullopt);
  CHECK(missing.status == RowStatus::error);
  CHECK(missing.error->find("has no run of 'BM_Args/8/16'") != std::string::npos);
  const Row broken = a.row_from_output(parametric("BM_sum/*", 8), exited(0), "{\"benchmarks\": [",
                                       "batch.json", std::nullopt);
  CHECK(broken.status == RowStatus::error);
  CHECK(broken.error->find("does not parse") != std::string::npos);
  CHECK(broken.error->find("batch.json:") != std::string::npos);
}

TEST_CASE("gbench adapter: gbench_memory's totals become the batch's, scaled from its run") {
  const GbenchAdapter a = listed_adapter();
  // 16 iterations under the memory manager; the measured run had 79776.
  const Row row = a.row_from_output(parametric("BM_sum/*", 64), exited(0), sample("one_1.7.1.json"),
                                    "batch.json", std::string("1600 32 5120 0\n"));
  CHECK(row.alloc_bytes == std::uint64_t{1600 / 16 * 79776});
  CHECK(row.alloc_count == std::uint64_t{2 * 79776});
  CHECK(row.peak_rss_kb == std::uint64_t{5120});
  CHECK(row.peak_rss_includes_setup == false);
  // The memory manager's own results are alloc_*, not counters.
  CHECK(row.counters->count("allocs_per_iter") == 0);
}

TEST_CASE("gbench adapter: without gbench_memory the peak is the child's, and says so") {
  const GbenchAdapter a = listed_adapter();
  SpawnResult outcome = exited(0);
  outcome.child_maxrss_kb = 9000;
  const Row row = a.row_from_output(parametric("BM_sum/*", 64), outcome, sample("one_1.7.1.json"),
                                    "batch.json", std::nullopt);
  CHECK(row.peak_rss_kb == std::uint64_t{9000});
  CHECK(row.peak_rss_includes_setup == true);
  CHECK_FALSE(row.alloc_bytes);
}

TEST_CASE("gbench adapter: gbench_memory's file is four numbers, peak '-' when unknown") {
  const auto m = parse_gbench_memory("10 2 - 1\n");
  REQUIRE(m);
  CHECK(m->alloc_bytes == 10);
  CHECK(m->alloc_count == 2);
  CHECK_FALSE(m->peak_rss_kb);
  CHECK(m->peak_rss_includes_setup);
  CHECK_FALSE(parse_gbench_memory(""));
  CHECK_FALSE(parse_gbench_memory("10 2 x 0"));
  CHECK_FALSE(parse_gbench_memory("10 2 5 7"));
}

TEST_CASE("gbench adapter: a crash, a cap or a non-zero exit is classified without the JSON") {
  const GbenchAdapter a = listed_adapter();
  SpawnResult killed;
  killed.started = true;
  killed.exited = false;
  killed.term_signal = 6;
  const Row crashed = a.parse_result(parametric("BM_sum/*", 8), killed, "/nonexistent/batch");
  CHECK(crashed.status == RowStatus::error);
  CHECK(crashed.error->find("SIGABRT") != std::string::npos);
  SpawnResult capped = killed;
  capped.killed_at_cap = true;
  capped.term_signal = 15;
  CHECK(a.parse_result(parametric("BM_sum/*", 8), capped, "/nonexistent/batch").status ==
        RowStatus::killed_at_cap);
  const Row failed =
      a.parse_result(parametric("BM_sum/*", 8), exited(3, "", "boom"), "/nonexistent/batch");
  CHECK(failed.error == std::string("child exited with code 3; stderr: boom"));
  const Row silent = a.parse_result(parametric("BM_sum/*", 8), exited(0), "/nonexistent/batch");
  CHECK(silent.error->find("without writing its --benchmark_out JSON") != std::string::npos);
}

TEST_CASE("gbench adapter: A/B pairs instances by key, those only in the current one run alone") {
  // The current executable lists BM_sum at 8 and 64, BM_fixed and BM_new; the base at 8 and 128
  // and BM_fixed.
  const test::TempDir dir;
  const std::string base = dir.file("base_bench");
  std::ofstream(base) << "#!/bin/sh\n";
  std::filesystem::permissions(base, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  GbenchAdapter current;
  CannedExecutor current_ex(exited(0, "BM_sum/8\nBM_sum/64\nBM_fixed\nBM_new/1\n"));
  const ListDocument doc = current.list(current_ex, "./bench");
  GbenchAdapter base_adapter;
  CannedExecutor base_ex(exited(0, "BM_sum/8\nBM_sum/128\nBM_fixed\n"));
  const AbPlan plan = plan_ab(base_ex, base_adapter, "./bench", base, dir.file("base.jsonl"),
                              doc.benchmarks, false);
  CHECK(base_ex.last.argv == std::vector<std::string>{base, "--benchmark_list_tests=true"});
  REQUIRE(plan.paired);
  const PairedRun& p = *plan.paired;
  CHECK(p.exe == base);
  CHECK(p.adapter == &base_adapter);
  CHECK_FALSE(p.share_count);
  CHECK_FALSE(p.setup_fd);
  CHECK(p.benchmarks == std::vector<std::string>{"BM_sum/*", "BM_fixed"});
  CHECK(p.pairs("BM_sum/*", RowKind::parametric, 8));
  CHECK_FALSE(p.pairs("BM_sum/*", RowKind::parametric, 64));
  CHECK(p.pairs("BM_fixed", RowKind::fixed, 3));
  CHECK_FALSE(p.pairs("BM_new/*", RowKind::parametric, 1));
  CHECK(plan.baseline_out == dir.file("base.jsonl"));
  REQUIRE(plan.notes.size() == 2);
  CHECK(plan.notes[0] == "BM_sum/* at param 64: not registered by --baseline-exe " + base +
                             "; measured in ./bench alone");
  CHECK(plan.notes[1] ==
        "BM_new/*: not registered by --baseline-exe " + base + "; measured in ./bench alone");
  // The base's children are its own instances: the adapter that listed it prepares them.
  ChildRequest child;
  child.bench = "BM_sum/*";
  child.kind = RowKind::parametric;
  child.which = 128;
  child.target_nanos = 10'000'000;
  SpawnRequest spawn;
  p.adapter->prepare_child(base, child, "f", spawn);
  CHECK(spawn.argv.at(0) == base);
  CHECK(spawn.argv.at(1) == "--benchmark_filter=" + gbench_exact_filter("BM_sum/128"));
  CHECK_FALSE(current.instance("BM_sum/*", 128));
}
