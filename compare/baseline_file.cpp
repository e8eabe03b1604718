// Writing baseline files.
#include "baseline_file.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "reduce.hpp"

namespace benchgate {

namespace {

std::int64_t run_of(const Row& r) {
  return r.env ? r.env->timestamp_unix_ms.value_or(0) : 0;
}

// `kept`'s rows of its most recent runs, at most `runs` of them, none of the runs in `rows`.
std::vector<Row> recent_runs(std::vector<Row> kept, const std::vector<Row>& rows,
                             std::size_t runs) {
  std::set<std::int64_t> added, old;
  for (const Row& r : rows) added.insert(run_of(r));
  for (const Row& r : kept) {
    if (!added.count(run_of(r))) old.insert(run_of(r));
  }
  while (old.size() > runs) old.erase(old.begin());
  kept.erase(
      std::remove_if(kept.begin(), kept.end(), [&](const Row& r) { return !old.count(run_of(r)); }),
      kept.end());
  return kept;
}

}  // namespace

void write_baseline(const std::string& baseline, const std::string& current, std::size_t keep_runs,
                    std::ostream& out) {
  namespace fs = std::filesystem;
  auto order = [](const Row& r) {
    return std::make_tuple(r.suite.value_or(""), r.kind, r.function, r.cache_mode, r.param,
                           run_of(r), r.repeat_index, r.trial_index);
  };
  if (!fs::exists(current)) {
    throw UsageError("no current rows at '" + current +
                     "': run the benchmarks first (ctest -L bench)");
  }
  const bool dir = fs::is_directory(current);
  if (dir) fs::create_directories(baseline);
  std::size_t files = 0;
  for (const auto& file : jsonl_files(current)) {
    std::vector<Row> rows = read_rows(file);
    const fs::path target =
        dir ? fs::path(baseline) / fs::path(file).filename() : fs::path(baseline);
    std::size_t runs = 1;
    if (keep_runs > 1 && fs::exists(target)) {
      std::vector<Row> kept = recent_runs(read_rows(target.string()), rows, keep_runs - 1);
      std::set<std::int64_t> ids;
      for (const Row& r : kept) ids.insert(run_of(r));
      runs += ids.size();
      rows.insert(rows.end(), kept.begin(), kept.end());
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row& a, const Row& b) { return order(a) < order(b); });
    std::string text;
    for (const auto& r : rows) text += write_row(r) + "\n";
    if (target.has_parent_path()) fs::create_directories(target.parent_path());
    write_file_atomically(target.string(), text);
    ++files;
    out << "benchgate-compare: wrote " << rows.size() << " row(s) to " << target.string();
    if (keep_runs > 1) out << " (" << runs << (runs == 1 ? " run)" : " runs)");
    out << "\n";
  }
  if (files == 0) throw UsageError("'" + current + "' holds no .jsonl file to copy");
}

}  // namespace benchgate
