// Google Benchmark executables: listing, one child per batch, its JSON file into a row.
#include "gbench_adapter.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/gbench_json.hpp"
#include "benchgate/core/gbench_name.hpp"
#include "benchgate/process/posix.hpp"

namespace benchgate {
namespace {

// Google Benchmark runs the benchmark again with the memory manager, for this many iterations
// at most (benchmark_runner.cc, 1.7.1: min(16, iterations)): gbench_memory's totals cover that
// run, and are scaled to the measured run's iterations.
constexpr std::uint64_t kGbenchMemoryIterations = 16;

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::uint64_t scaled(std::uint64_t total, std::uint64_t from, std::uint64_t to) {
  if (from == 0) return 0;
  return static_cast<std::uint64_t>(std::llround(
      static_cast<double>(total) * static_cast<double>(to) / static_cast<double>(from)));
}

}  // namespace

std::vector<std::string> parse_gbench_list(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

ListDocument gbench_list_doc(
    const std::string& suite, const std::vector<std::string>& instances,
    std::map<std::pair<std::string, std::optional<std::uint64_t>>, std::string>& instances_by_key) {
  ListDocument doc;
  doc.suite = suite;
  for (const std::string& name : instances) {
    const GbenchKey key = gbench_key(name);
    instances_by_key[{key.function, key.param}] = name;
    auto it = std::find_if(doc.benchmarks.begin(), doc.benchmarks.end(),
                           [&](const BenchmarkInfo& b) { return b.name == key.function; });
    if (it == doc.benchmarks.end()) {
      BenchmarkInfo b;
      b.name = key.function;
      b.kind = key.param ? RowKind::parametric : RowKind::fixed;
      b.config.param_schedule.shape = ParamSchedule::Shape::custom;
      b.config.max_seconds_per_call = kGbenchCapSeconds;
      b.config.target_inner_nanos = kGbenchTargetNanos;
      b.fixed_config.max_seconds_per_call = kGbenchCapSeconds;
      b.fixed_config.min_total_seconds = static_cast<double>(kGbenchTargetNanos) / 1e9;
      b.fixed_config.repeats = b.config.outer_trials;  // as many children as a param gets
      b.fixed_config.warmup = false;  // Google Benchmark estimates its iterations in each child
      doc.benchmarks.push_back(std::move(b));
      it = std::prev(doc.benchmarks.end());
    }
    if (key.param) it->config.param_schedule.custom_params.push_back(*key.param);
  }
  return doc;
}

std::vector<std::string> gbench_child_argv(const std::string& exe, const std::string& instance,
                                           std::uint64_t min_time_nanos,
                                           const std::string& json_file) {
  // 1.7.1's --benchmark_min_time is a plain number of seconds (later versions also accept
  // "0.5s" and "100x", and still read a plain number as seconds).
  std::ostringstream min_time;
  min_time << std::setprecision(9) << static_cast<double>(min_time_nanos) / 1e9;
  return {exe,
          "--benchmark_filter=" + gbench_exact_filter(instance),
          "--benchmark_min_time=" + min_time.str(),
          "--benchmark_repetitions=1",
          "--benchmark_out=" + json_file,
          "--benchmark_out_format=json"};
}

std::optional<GbenchMemory> parse_gbench_memory(const std::string& text) {
  std::istringstream in(text);
  GbenchMemory m;
  std::string peak;
  int includes = -1;
  if (!(in >> m.alloc_bytes >> m.alloc_count >> peak >> includes)) return std::nullopt;
  if (includes != 0 && includes != 1) return std::nullopt;
  m.peak_rss_includes_setup = includes == 1;
  if (peak != "-") {
    if (peak.empty() || peak.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    m.peak_rss_kb = std::stoull(peak);
  }
  return m;
}

ListDocument GbenchAdapter::list(Executor& executor, const std::string& exe) {
  SpawnRequest req;
  req.argv = {exe, "--benchmark_list_tests=true"};
  if (!benchmark_filter_.empty()) req.argv.push_back("--benchmark_filter=" + benchmark_filter_);
  req.term_after = std::chrono::seconds(60);
  req.kill_after = std::chrono::seconds(61);
  req.tail_bytes = 64u << 20;  // every name, not a tail
  const SpawnResult r = executor.run(req);
  if (!r.started) throw UsageError(r.start_error + ". Pass the path of a benchmark executable");
  if (!r.exited || r.exit_code != 0) {
    const std::string why = r.exited ? exit_text(r) : "was killed by " + signal_name(r.term_signal);
    throw UsageError("'" + exe + " --benchmark_list_tests' " + why +
                     (r.stderr_tail.empty() ? "" : ":\n" + r.stderr_tail) +
                     "\nIs it a Google Benchmark executable (BENCHMARK_MAIN)?");
  }
  const std::vector<std::string> names = parse_gbench_list(r.stdout_tail);
  if (names.empty()) {
    throw UsageError("'" + exe + " --benchmark_list_tests' listed no benchmark" +
                     (benchmark_filter_.empty()
                          ? std::string()
                          : " matching --benchmark-filter '" + benchmark_filter_ + "'"));
  }
  instances_.clear();
  return gbench_list_doc(std::filesystem::path(exe).filename().string(), names, instances_);
}

std::optional<std::string> GbenchAdapter::instance(const std::string& function,
                                                   std::optional<std::uint64_t> param) const {
  const auto it = instances_.find({function, param});
  if (it == instances_.end()) return std::nullopt;
  return it->second;
}

void GbenchAdapter::prepare_child(const std::string& exe, const ChildRequest& child,
                                  const std::string& result_file, SpawnRequest& spawn) const {
  const bool parametric = child.kind == RowKind::parametric;
  // An unknown key cannot happen (the runner measures what list() returned); a filter that
  // matches nothing makes the child write no run, which parse_result reports.
  const std::string name =
      instance(child.bench, parametric ? std::optional<std::uint64_t>(child.which) : std::nullopt)
          .value_or(child.bench);
  spawn.argv = gbench_child_argv(exe, name, child.target_nanos, result_file);
  spawn.env.push_back(std::string(kGbenchMemoryEnv) + "=" + result_file + ".memory");
}

Row GbenchAdapter::parse_result(const RowRequest& request, const SpawnResult& outcome,
                                const std::string& result_file) const {
  const std::string memory_file = result_file + ".memory";
  const std::optional<std::string> memory = read_file(memory_file);
  ::unlink(memory_file.c_str());
  Row row = [&] {
    if (auto failed = classify_process(request, outcome)) return std::move(*failed);
    if (outcome.exit_code != 0) {
      return failed_row(request, RowStatus::error,
                        with_stderr_tail("child " + exit_text(outcome), outcome.stderr_tail));
    }
    const std::optional<std::string> json = read_file(result_file);
    if (!json || json->find_first_not_of(" \t\r\n") == std::string::npos) {
      return failed_row(request, RowStatus::error,
                        with_stderr_tail("child " + exit_text(outcome) +
                                             " without writing its --benchmark_out JSON",
                                         outcome.stderr_tail));
    }
    return row_from_output(request, outcome, *json, "--benchmark_out", memory);
  }();
  row.child_maxrss_kb = outcome.child_maxrss_kb;
  return row;
}

Row GbenchAdapter::row_from_output(const RowRequest& request, const SpawnResult& outcome,
                                   const std::string& json, const std::string& origin,
                                   const std::optional<std::string>& memory) const {
  const std::optional<std::string> name = instance(request.function, request.param);
  const std::string wanted = name.value_or(request.function);
  GbenchDoc doc;
  try {
    doc = parse_gbench_json(json, origin);
  } catch (const std::exception& e) {
    return failed_row(request, RowStatus::error,
                      "child " + exit_text(outcome) +
                          " after writing Google Benchmark JSON that does not parse: " + e.what());
  }
  const auto run =
      std::find_if(doc.benchmarks.begin(), doc.benchmarks.end(),
                   [&](const GbenchRun& r) { return !r.aggregate && r.name == wanted; });
  if (run == doc.benchmarks.end()) {
    return failed_row(
        request, RowStatus::error,
        with_stderr_tail("child " + exit_text(outcome) +
                             " but its --benchmark_out JSON has no run of '" + wanted + "'",
                         outcome.stderr_tail));
  }
  if (run->error_occurred) {
    return failed_row(
        request, RowStatus::error,
        "the benchmark reported an error: " + run->error_message.value_or("(no message)"));
  }
  Row row;
  row.kind = request.kind;
  row.function = request.function;
  row.status = RowStatus::ok;
  if (request.kind == RowKind::parametric) {
    row.param = request.param;
    row.cache_mode = request.cache_mode;
  } else {
    row.repeat_index = request.repeat_index;
  }
  set_gbench_measurements(*run, row);
  const std::uint64_t iterations = *row.inner_repeats;
  row.measured_under = MeasuredUnder::native;
  if (row.counters) {
    // The memory manager's own results become alloc_* below, not counters.
    for (const char* memory_result :
         {"allocs_per_iter", "max_bytes_used", "total_allocated_bytes", "net_heap_growth"}) {
      row.counters->erase(memory_result);
    }
    if (row.counters->empty()) row.counters.reset();
  }
  const std::optional<GbenchMemory> m = memory ? parse_gbench_memory(*memory) : std::nullopt;
  if (m) {
    // Google Benchmark ran min(16, iterations) more iterations under the memory manager: its
    // totals, scaled to the measured run's iterations (alloc_* cover the batch, docs/schema.md).
    const std::uint64_t memory_iterations = std::min(kGbenchMemoryIterations, iterations);
    row.alloc_bytes = scaled(m->alloc_bytes, memory_iterations, iterations);
    row.alloc_count = scaled(m->alloc_count, memory_iterations, iterations);
    row.peak_rss_kb = m->peak_rss_kb;
    if (row.peak_rss_kb) row.peak_rss_includes_setup = m->peak_rss_includes_setup;
  }
  if (!row.peak_rss_kb && outcome.child_maxrss_kb) {
    // Without benchgate::gbench_memory: the whole child's peak, start-up included, and said so.
    row.peak_rss_kb = outcome.child_maxrss_kb;
    row.peak_rss_includes_setup = true;
  }
  return row;
}

}  // namespace benchgate
