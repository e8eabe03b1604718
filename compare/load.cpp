// Loading the baseline and the current rows.
#include "load.hpp"

#include <exception>
#include <filesystem>
#include <thread>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"
#include "gbench.hpp"

namespace benchgate {
namespace {

namespace fs = std::filesystem;

void check_inputs(const std::string& baseline, const std::string& current,
                  const std::optional<std::string>& baseline_exe) {
  if (!fs::exists(baseline)) {
    // A/B in one run: the runner writes no baseline file when EXE2 does not exist.
    if (baseline_exe) {
      throw NoBaseline("no baseline rows at '" + baseline + "': the run measured nothing of " +
                       *baseline_exe +
                       " (it did not exist then, e.g. a benchmark new in this change), so there "
                       "is nothing to compare with");
    }
    throw NoBaseline("no baseline yet at '" + baseline + "'. " +
                     create_baseline_hint(baseline, current));
  }
  if (fs::is_directory(baseline) && jsonl_files(baseline).empty()) {
    throw NoBaseline("no baseline yet: the directory '" + baseline + "' holds no .jsonl file. " +
                     create_baseline_hint(baseline, current));
  }
  // One file on both sides (or a link to it) compares every key with itself: a gate that can
  // never fail. Only a misconfiguration does it (add_benchmark's BASELINE pointing at OUTPUT,
  // BENCHGATE_BASELINE_DIR at the build tree), and CTest hides what a passing test prints.
  std::error_code same_error;
  if (fs::exists(current) && fs::equivalent(baseline, current, same_error)) {
    throw UsageError(std::string("BASELINE and CURRENT are the same ") +
                     (fs::is_directory(current) ? "directory" : "file") + " '" + current +
                     "': the rows would be compared with themselves and the gate could never "
                     "fail. Point BASELINE at the committed baseline and CURRENT at the rows of "
                     "this run");
  }
}

}  // namespace

std::string create_baseline_hint(const std::string& baseline, const std::string& current) {
  return "Create it from the current rows with "
         "`cmake --build <build dir> --target benchgate-update-baselines` or "
         "`benchgate-compare --write-baseline " +
         baseline + " " + current + "`, then commit it";
}

std::pair<CompactReduction, CompactReduction> load_sides(
    const std::string& baseline, const std::string& current,
    const std::optional<std::string>& baseline_exe) {
  check_inputs(baseline, current, baseline_exe);
  CompactReduction base, cur;
  std::exception_ptr base_error, cur_error;
  std::thread reader([&] {
    try {
      cur = reduce_path(current);
    } catch (...) {
      cur_error = std::current_exception();
    }
  });
  try {
    base = reduce_path(baseline);
  } catch (...) {
    base_error = std::current_exception();
  }
  reader.join();
  if (base_error) std::rethrow_exception(base_error);
  // An empty baseline file is a baseline not written yet, as a missing one is: both only skip.
  if (base.empty() && is_gbench_file(baseline)) {
    throw NoBaseline("the baseline '" + baseline +
                     "' is Google Benchmark JSON without a run (its \"benchmarks\" holds none): "
                     "nothing to compare with. Write it again with --benchmark_out");
  }
  if (base.empty()) {
    throw NoBaseline("the baseline '" + baseline + "' holds no rows yet. " +
                     create_baseline_hint(baseline, current));
  }
  if (cur_error) std::rethrow_exception(cur_error);
  if (cur.empty() && is_gbench_file(current)) {
    throw InputError("'" + current +
                     "' is Google Benchmark JSON without a run: did --benchmark_filter match "
                     "nothing?");
  }
  if (cur.empty()) {
    throw InputError("'" + current +
                     "' holds no rows: the run produced nothing to compare. "
                     "Run the benchmarks first (ctest -L bench)");
  }
  return {std::move(base), std::move(cur)};
}

}  // namespace benchgate
