// Streaming reduction of rows to per-key samples.
#include "reduce.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "benchgate/core/jsonl.hpp"

namespace benchgate {
namespace {

auto tie_key(const Key& k) { return std::tie(k.suite, k.kind, k.function, k.param, k.cache_mode); }

void add_sample(Samples& s, std::optional<double> v) {
  if (v) s.values.push_back(*v);
  else ++s.missing;
}

}  // namespace

bool operator<(const Key& a, const Key& b) { return tie_key(a) < tie_key(b); }
bool operator==(const Key& a, const Key& b) { return tie_key(a) == tie_key(b); }

Key key_of(const Row& row) {
  Key k;
  k.suite = row.suite.value_or("");
  k.kind = row.kind;
  k.function = row.function;
  if (row.kind == RowKind::parametric) {
    k.param = row.param;
    // Absent cache_mode reads as warm (the reference's rule), so old rows still match.
    k.cache_mode = row.cache_mode.value_or(CacheMode::warm);
  }
  return k;
}

std::string describe(const Key& k) {
  std::string s = (k.suite.empty() ? "" : k.suite + "/") + k.function;
  if (k.param) s += " n=" + std::to_string(*k.param);
  if (k.cache_mode == CacheMode::cold) s += " cold";
  return s;
}

void add_row(Reduction& reduction, const Row& row) {
  Side& side = reduction[key_of(row)];
  ++side.rows;
  if (row.status != RowStatus::ok) {
    if (!side.first_error) side.first_error = row.error.value_or(to_string(row.status));
    return;
  }
  ++side.ok_rows;
  if (row.part_of_verdict == false || row.below_signal_floor == true) return;

  add_sample(side.time, per_call_nanos(row));
  add_sample(side.rss_kb, row.peak_rss_kb ? std::optional<double>(static_cast<double>(*row.peak_rss_kb))
                                          : std::nullopt);
  std::optional<double> alloc;
  if (row.alloc_bytes) {
    const double repeats = static_cast<double>(std::max<std::uint64_t>(1, row.inner_repeats.value_or(1)));
    alloc = static_cast<double>(*row.alloc_bytes) / repeats;
  }
  add_sample(side.alloc_bytes, alloc);
  if (row.result_hash) {
    if (!side.hash) side.hash = row.result_hash;
    else if (*side.hash != *row.result_hash) side.hash_varies = true;
  }
  if (!side.env && row.env) side.env = row.env;
}

std::vector<std::string> jsonl_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (!fs::is_directory(path, ec)) return {path};
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Reduction reduce_path(const std::string& path) {
  const std::vector<std::string> files = jsonl_files(path);
  if (files.empty()) {
    throw InputError(path + ": directory holds no .jsonl file. Point at a rows file or a "
                            "directory of them");
  }
  Reduction reduction;
  // for_each_row reports a missing file with its path.
  for (const auto& f : files) for_each_row(f, [&](Row&& row) { add_row(reduction, row); });
  return reduction;
}

}  // namespace benchgate
