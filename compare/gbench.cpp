// Google Benchmark JSON files as rows.
#include "gbench.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "benchgate/core/gbench_name.hpp"
#include "benchgate/core/jsonl.hpp"
#include "compare.hpp"

namespace benchgate {
namespace {

// Bytes read to tell a Google Benchmark file: its "benchmarks" key follows a context of about
// 1 KiB; a rows file's first line ends long before.
constexpr std::size_t kSniffBytes = 1 << 20;

}  // namespace

bool is_gbench_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return looks_like_gbench_json(head);
}

GbenchDoc read_gbench_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open for reading. Check the path.");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path + ": cannot read. Check the file and the disk.");
  return parse_gbench_json(text.str(), path);
}

Env gbench_env(const GbenchDoc& doc) {
  Env e;
  auto get = [&](const char* key) -> const std::string* {
    auto it = doc.context.find(key);
    return it == doc.context.end() ? nullptr : &it->second;
  };
  if (const auto* host = get("host_name")) e.hostname = *host;
  if (const auto* exe = get("executable")) {
    e.exe_name = std::filesystem::path(*exe).filename().string();
  }
  if (const auto* cpus = get("num_cpus")) {
    std::int64_t n = 0;
    std::istringstream s(*cpus);
    if (s >> n && s.eof() && n > 0) e.cpu_cores = n;
  }
  if (const auto* date = get("date")) e.timestamp_iso = *date;
  return e;
}

std::vector<Row> gbench_rows(const GbenchDoc& doc) {
  std::vector<Row> rows;
  std::map<std::string, std::uint64_t> seen;  // runs so far per instance
  for (const GbenchRun& run : doc.benchmarks) {
    if (run.aggregate) continue;
    const GbenchKey key = gbench_key(run.run_name);
    const std::uint64_t position = seen[run.run_name]++;
    const std::uint64_t index = run.repetition_index && *run.repetition_index >= 0
                                    ? static_cast<std::uint64_t>(*run.repetition_index)
                                    : position;
    Row r;
    r.function = key.function;
    if (key.param) {
      r.kind = RowKind::parametric;
      r.param = key.param;
      r.trial_index = index;
    } else {
      r.kind = RowKind::fixed;
      r.repeat_index = index;
    }
    if (run.error_occurred) {
      r.inner_repeats = static_cast<std::uint64_t>(std::max<std::int64_t>(run.iterations, 0));
      r.status = RowStatus::error;
      r.error = run.error_message.value_or("Google Benchmark reported an error");
    } else {
      set_gbench_measurements(run, r);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

void note_gbench_sides(Report& report, bool baseline_is_gbench, bool current_is_gbench) {
  if (!baseline_is_gbench && !current_is_gbench) return;
  const std::string rss_note =
      std::string(baseline_is_gbench && current_is_gbench
                      ? "both sides are"
                      : (baseline_is_gbench ? "the baseline is" : "the current side is")) +
      " Google Benchmark JSON, which has no peak RSS";
  std::size_t one_sample = 0;
  for (KeyResult& r : report.results) {
    if (r.rss.status == KeyStatus::not_comparable && (!r.rss.baseline || !r.rss.current)) {
      r.rss.note = rss_note;
      r.rss.stock = StockNote::none;
    }
    const bool undecided =
        r.time.status == KeyStatus::not_comparable || r.time.status == KeyStatus::inconclusive;
    if (undecided && !r.env_differs && r.time.n_baseline + r.time.n_current > 0 &&
        (r.time.n_baseline < 2 || r.time.n_current < 2)) {
      ++one_sample;
      r.time.note += std::string(r.time.note.empty() ? "" : "; ") +
                     "one sample on a side: run Google Benchmark with --benchmark_repetitions=10";
    }
  }
  if (one_sample > 0) {
    report.warnings.push_back(
        "time of " + std::to_string(one_sample) + " of " + std::to_string(report.results.size()) +
        (report.results.size() == 1 ? " key" : " keys") +
        " undecided with one sample on a side: a Google Benchmark file holds one run per "
        "benchmark unless it ran with --benchmark_repetitions; run both sides with "
        "--benchmark_repetitions=10");
  }
}

}  // namespace benchgate
