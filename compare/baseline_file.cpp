// Writing baseline files.
#include "baseline_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "gbench.hpp"

namespace benchgate {

namespace {

namespace fs = std::filesystem;

std::int64_t run_of(const Row& r) {
  return r.env ? r.env->timestamp_unix_ms.value_or(0) : 0;
}

// The order rows are written in: one benchmark's rows together, param by param, run by run.
auto order_of(const Row& r) {
  return std::make_tuple(r.suite.value_or(""), r.kind, r.function, r.cache_mode, r.param, run_of(r),
                         r.repeat_index, r.trial_index);
}

Key benchmark_of(const Row& r) {
  Key k = key_of(r);
  k.param.reset();
  return k;
}

Key benchmark_of(Key k) {
  k.param.reset();
  return k;
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

// What the rows of one benchmark say on each side, beside the gate's report.
struct Facts {
  std::vector<std::size_t> base_lines, cur_rows;  // indexes into the two inputs
  std::set<Key> base_keys, cur_keys, base_ok, cur_ok;
  const Env* base_env = nullptr;  // the first ok row's env, as the gate reads a side's
  const Env* cur_env = nullptr;
  std::set<bool> base_callgrind, cur_callgrind;                    // how the ok rows were measured
  std::map<Key, std::set<std::uint64_t>> base_hashes, cur_hashes;  // of the ok rows, per key
};

void note_row(const Row& r, std::set<Key>& keys, std::set<Key>& ok, const Env*& env,
              std::set<bool>& callgrind, std::map<Key, std::set<std::uint64_t>>& hashes) {
  const Key k = key_of(r);
  keys.insert(k);
  if (r.status != RowStatus::ok) return;
  ok.insert(k);
  if (r.result_hash) hashes[k].insert(*r.result_hash);
  if (!env && r.env) env = &*r.env;
  callgrind.insert(r.measured_under == MeasuredUnder::callgrind);
}

// Per benchmark, what the gate's key results count.
struct Findings {
  std::size_t time_regressed = 0, time_improved = 0, rss_regressed = 0, rss_improved = 0,
              alloc_regressed = 0, alloc_improved = 0, instr_regressed = 0, instr_improved = 0,
              new_keys = 0, missing = 0, hash_changed = 0, broken = 0;
};

// A key whose ok rows disagree on result_hash within a side (non-deterministic output): its
// changed hash is no finding, or such a benchmark would be written on every update.
bool hash_varies(const Facts& f, const Key& k) {
  const auto varies = [&](const std::map<Key, std::set<std::uint64_t>>& hashes) {
    const auto it = hashes.find(k);
    return it != hashes.end() && it->second.size() > 1;
  };
  return varies(f.base_hashes) || varies(f.cur_hashes);
}

void count(const KeyResult& r, const Facts& facts, Findings& f) {
  auto metric = [](const MetricResult& m, std::size_t& regressed, std::size_t& improved) {
    if (m.status == KeyStatus::regressed) ++regressed;
    if (m.status == KeyStatus::improved) ++improved;
  };
  metric(r.time, f.time_regressed, f.time_improved);
  metric(r.rss, f.rss_regressed, f.rss_improved);
  metric(r.alloc, f.alloc_regressed, f.alloc_improved);
  metric(r.instructions, f.instr_regressed, f.instr_improved);
  if (r.status == KeyStatus::new_key) ++f.new_keys;
  if (r.status == KeyStatus::missing) ++f.missing;
  if (r.status == KeyStatus::broken) ++f.broken;
  if (r.hash_changed && !hash_varies(facts, r.key)) ++f.hash_changed;
}

// " at 2 of 5 keys", or nothing for a benchmark of one key.
std::string at(std::size_t n, std::size_t keys) {
  if (keys <= 1) return "";
  return " at " + std::to_string(n) + " of " + std::to_string(keys) + " keys";
}

const char* measured(const std::set<bool>& callgrind) {
  if (callgrind.size() > 1) return "partly under Callgrind";
  return callgrind.count(true) ? "under Callgrind" : "natively";
}

// Why the benchmark is written from CURRENT (empty: it is not), from the gate's findings and
// the rows.
std::string changes(const Findings& f, const BenchmarkResult* b, const Facts& facts,
                    const CompareOptions& o) {
  const std::size_t keys = std::max(facts.base_keys.size(), facts.cur_keys.size());
  std::vector<std::string> why;
  auto add = [&](std::size_t n, const std::string& what) {
    if (n > 0) why.push_back(what + at(n, keys));
  };
  if (b && (b->time.status == KeyStatus::regressed || b->time.status == KeyStatus::improved) &&
      (f.time_regressed + f.time_improved) > 0) {
    why.push_back(std::string("time ") + to_string(b->time.status) + " " +
                  format_ratio(b->time.ratio));
  } else {
    add(f.time_regressed, "time regressed");
    add(f.time_improved, "time improved");
  }
  add(f.rss_regressed, "peak RSS regressed");
  add(f.rss_improved, "peak RSS improved");
  add(f.alloc_regressed, "allocations regressed");
  add(f.alloc_improved, "allocations improved");
  add(f.instr_regressed, "instructions regressed");
  add(f.instr_improved, "instructions improved");
  if (f.new_keys) why.push_back(std::to_string(f.new_keys) + " new key(s)");
  if (f.missing) why.push_back(std::to_string(f.missing) + " missing key(s)");
  add(f.hash_changed, "result_hash changed");
  // The baseline cannot gate what CURRENT measured: no ok row, another machine or build, or
  // measured otherwise. Kept, it would stay useless however often the numbers are accepted.
  std::size_t unusable = 0;
  for (const Key& k : facts.cur_ok) {
    if (facts.base_keys.count(k) && !facts.base_ok.count(k)) ++unusable;
  }
  add(unusable, "no ok baseline row");
  if (!o.ignore_env) {
    if (auto env =
            env_mismatch(facts.base_env ? std::optional<Env>(*facts.base_env) : std::nullopt,
                         facts.cur_env ? std::optional<Env>(*facts.cur_env) : std::nullopt)) {
      why.push_back(*env);
    }
  }
  if (!facts.base_callgrind.empty() && !facts.cur_callgrind.empty() &&
      facts.base_callgrind != facts.cur_callgrind) {
    why.push_back(std::string("measured ") + measured(facts.base_callgrind) + " before, " +
                  measured(facts.cur_callgrind) + " now");
  }
  std::string out;
  for (const std::string& w : why) out += (out.empty() ? "" : "; ") + w;
  return out;
}

// Why a benchmark with findings is kept anyway, or empty. (An inconclusive time is no finding:
// the gate's report shows it, and with a baseline of one run it is most benchmarks' state.)
std::string kept_note(const Findings& f, std::size_t keys) {
  if (!f.broken) return "";
  return "broken now (no ok row" + at(f.broken, keys) +
         "): no number to accept; --all writes its error rows";
}

struct OutLine {
  const Row* row;
  std::string text;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The file's rows with their lines as written. read_rows() first, for its errors
// (file:line:col); every line it read is then valid.
std::vector<BaselineLine> read_lines(const std::string& path, std::string& text) {
  const std::vector<Row> rows = read_rows(path);
  text = read_text(path);
  std::vector<BaselineLine> lines;
  lines.reserve(rows.size());
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto parsed = parse_row(line);
    if (auto* row = std::get_if<Row>(&parsed)) {
      lines.push_back({std::move(*row), std::move(line)});
    } else {
      throw InputError(path + ": changed while it was read; run again");
    }
  }
  if (lines.size() != rows.size())
    throw InputError(path + ": changed while it was read; run again");
  return lines;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string runs_text(std::size_t lo, std::size_t hi) {
  if (lo == hi) return " (" + plural(hi, "run", "runs") + ")";
  return " (" + std::to_string(lo) + "-" + std::to_string(hi) + " runs a benchmark)";
}

void summarise(const MergedBaseline& m, const std::string& target, bool written,
               std::size_t keep_runs, std::ostream& out) {
  std::size_t n[4] = {0, 0, 0, 0}, keys[4] = {0, 0, 0, 0};
  for (const BenchmarkUpdate& b : m.benchmarks) {
    ++n[static_cast<int>(b.action)];
    keys[static_cast<int>(b.action)] += b.keys;
  }
  auto part = [&](BaselineAction a) {
    const int i = static_cast<int>(a);
    return std::to_string(n[i]) + (n[i] ? " (" + plural(keys[i], "key", "keys") + ")" : "");
  };
  out << "benchgate-compare: ";
  if (written) {
    out << "wrote " << m.rows << " row(s) to " << target;
    if (keep_runs > 1) out << runs_text(m.min_runs, m.max_runs);
    out << ": ";
  } else {
    out << target << " unchanged: ";
  }
  out << "kept " << (n[0] == 1 ? "1 benchmark" : std::to_string(n[0]) + " benchmarks")
      << (n[0] ? " (" + plural(keys[0], "key", "keys") + ")" : "") << ", updated "
      << part(BaselineAction::updated) << ", added " << part(BaselineAction::added) << ", removed "
      << part(BaselineAction::removed) << "\n";
  for (const BenchmarkUpdate& b : m.benchmarks) {
    if (b.action == BaselineAction::kept && b.why.empty()) continue;
    out << "  " << to_string(b.action) << " " << describe(b.id);
    if (!b.why.empty()) out << ": " << b.why;
    out << "\n";
  }
}

}  // namespace

const char* to_string(BaselineAction a) {
  switch (a) {
    case BaselineAction::kept: return "kept";
    case BaselineAction::updated: return "updated";
    case BaselineAction::added: return "added";
    case BaselineAction::removed: return "removed";
  }
  return "kept";
}

MergedBaseline merge_baseline(const std::vector<BaselineLine>& baseline,
                              const std::vector<Row>& current, const BaselineWrite& w) {
  std::map<Key, Facts> facts;
  CompactReduction base, cur;
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    const Row& r = baseline[i].row;
    Facts& f = facts[benchmark_of(r)];
    f.base_lines.push_back(i);
    note_row(r, f.base_keys, f.base_ok, f.base_env, f.base_callgrind, f.base_hashes);
    base.add(r);
  }
  for (std::size_t i = 0; i < current.size(); ++i) {
    const Row& r = current[i];
    Facts& f = facts[benchmark_of(r)];
    f.cur_rows.push_back(i);
    note_row(r, f.cur_keys, f.cur_ok, f.cur_env, f.cur_callgrind, f.cur_hashes);
    cur.add(r);
  }
  const Report report = compare(std::move(base), std::move(cur), w.options);
  std::map<Key, Findings> findings;
  for (const KeyResult& r : report.results) {
    const Key id = benchmark_of(r.key);
    count(r, facts[id], findings[id]);
  }
  std::map<Key, const BenchmarkResult*> decided;
  for (const BenchmarkResult& b : report.benchmarks) decided[b.id] = &b;

  MergedBaseline m;
  std::vector<OutLine> lines;
  for (const auto& entry : facts) {
    // Named, not a structured binding: C++17 lambdas (take_current) cannot capture one.
    const auto& id = entry.first;
    const auto& f = entry.second;
    BenchmarkUpdate u;
    u.id = id;
    const auto d = decided.find(id);
    const BenchmarkResult* b = d == decided.end() ? nullptr : d->second;
    const Findings& found = findings[id];
    if (f.base_lines.empty()) {
      u.action = BaselineAction::added;
    } else if (f.cur_rows.empty()) {
      u.action = BaselineAction::removed;
    } else {
      u.why = changes(found, b, f, w.options);
      u.action = u.why.empty() ? BaselineAction::kept : BaselineAction::updated;
      if (u.why.empty()) u.why = kept_note(found, f.base_keys.size());
    }
    u.keys = u.action == BaselineAction::removed ? f.base_keys.size()
             : u.action == BaselineAction::kept  ? f.base_keys.size()
                                                 : f.cur_keys.size();
    std::set<std::int64_t> runs;
    auto take_current = [&] {
      for (std::size_t i : f.cur_rows) {
        lines.push_back({&current[i], write_row(current[i])});
        runs.insert(run_of(current[i]));
      }
    };
    if (u.action == BaselineAction::updated || u.action == BaselineAction::added) {
      take_current();
    } else if (u.action == BaselineAction::kept) {
      // With --add-run, CURRENT's run joins the benchmark's most recent ones (replacing itself
      // if it is already there); without it, the lines stay as they are.
      std::set<std::int64_t> old;
      if (w.keep_runs > 1) {
        std::set<std::int64_t> added;
        for (std::size_t i : f.cur_rows) added.insert(run_of(current[i]));
        for (std::size_t i : f.base_lines) {
          if (!added.count(run_of(baseline[i].row))) old.insert(run_of(baseline[i].row));
        }
        while (old.size() > w.keep_runs - 1) old.erase(old.begin());
        take_current();
      }
      for (std::size_t i : f.base_lines) {
        const Row& r = baseline[i].row;
        if (w.keep_runs > 1 && !old.count(run_of(r))) continue;
        lines.push_back({&r, baseline[i].text});
        runs.insert(run_of(r));
      }
    }
    if (!runs.empty()) {
      m.min_runs = m.min_runs == 0 ? runs.size() : std::min(m.min_runs, runs.size());
      m.max_runs = std::max(m.max_runs, runs.size());
    }
    m.benchmarks.push_back(std::move(u));
  }
  std::stable_sort(lines.begin(), lines.end(), [](const OutLine& a, const OutLine& b) {
    return order_of(*a.row) < order_of(*b.row);
  });
  for (const OutLine& l : lines) m.text += l.text + "\n";
  m.rows = lines.size();
  return m;
}

void write_baseline(const std::string& baseline, const std::string& current, const BaselineWrite& w,
                    std::ostream& out) {
  for (const std::string* side : {&baseline, &current}) {
    if (is_gbench_file(*side)) {
      throw UsageError("--write-baseline: '" + *side +
                       "' is Google Benchmark JSON; a baseline is benchgate rows. Keep the Google "
                       "Benchmark file itself as the baseline (compare reads it as it is), or "
                       "measure with benchgate-runner");
    }
  }
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
    ++files;
    if (!w.all && fs::exists(target)) {
      std::string old;
      std::vector<BaselineLine> lines;
      try {
        lines = read_lines(target.string(), old);
      } catch (const InputError& e) {
        throw InputError(std::string(e.what()) +
                         "; to re-record the baseline from the current rows without reading it, "
                         "pass --all");
      }
      if (!lines.empty()) {
        const MergedBaseline m = merge_baseline(lines, rows, w);
        const bool written = m.text != old;
        if (written) write_file_atomically(target.string(), m.text);
        summarise(m, target.string(), written, w.keep_runs, out);
        continue;
      }
    }
    std::size_t runs = 1;
    if (w.keep_runs > 1 && fs::exists(target)) {
      std::vector<Row> kept = recent_runs(read_rows(target.string()), rows, w.keep_runs - 1);
      std::set<std::int64_t> ids;
      for (const Row& r : kept) ids.insert(run_of(r));
      runs += ids.size();
      rows.insert(rows.end(), kept.begin(), kept.end());
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row& a, const Row& b) { return order_of(a) < order_of(b); });
    std::string text;
    for (const auto& r : rows) text += write_row(r) + "\n";
    if (target.has_parent_path()) fs::create_directories(target.parent_path());
    write_file_atomically(target.string(), text);
    out << "benchgate-compare: wrote " << rows.size() << " row(s) to " << target.string();
    if (w.keep_runs > 1) out << " (" << runs << (runs == 1 ? " run)" : " runs)");
    out << (w.all ? ": every benchmark re-recorded" : "") << "\n";
  }
  if (files == 0) throw UsageError("'" + current + "' holds no .jsonl file to copy");
}

}  // namespace benchgate
