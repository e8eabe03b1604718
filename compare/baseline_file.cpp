// Writing baseline files.
#include "baseline_file.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "reduce.hpp"

namespace benchgate {

void write_baseline(const std::string& baseline, const std::string& current, std::ostream& out) {
  namespace fs = std::filesystem;
  auto order = [](const Row& r) {
    return std::make_tuple(r.suite.value_or(""), r.kind, r.function, r.cache_mode, r.param,
                           r.repeat_index, r.trial_index);
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
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row& a, const Row& b) { return order(a) < order(b); });
    std::string text;
    for (const auto& r : rows) text += write_row(r) + "\n";
    const fs::path target =
        dir ? fs::path(baseline) / fs::path(file).filename() : fs::path(baseline);
    if (target.has_parent_path()) fs::create_directories(target.parent_path());
    write_file_atomically(target.string(), text);
    ++files;
    out << "benchgate-compare: wrote " << rows.size() << " row(s) to " << target.string() << "\n";
  }
  if (files == 0) throw UsageError("'" + current + "' holds no .jsonl file to copy");
}

}  // namespace benchgate
