// Reads what scripts/perf-accuracy measured (benchgate rows and Google Benchmark's JSON, in
// pairs of files) and prints one of the two tables of docs/performance.md.
// Usage:
//   accuracy_report accuracy [--goals FILE] ROWS.jsonl GBENCH.json [ROWS.jsonl GBENCH.json]...
//     Each pair of files is one interleaved pair of processes: one benchgate trial and one Google
//     Benchmark run of one repetition. Prints each tool's median over all pairs, the difference
//     (goal: within ±3%) and each tool's CV over these samples, one process per sample.
//   accuracy_report precision [--goals FILE] ROWS.jsonl GBENCH.json [ROWS.jsonl GBENCH.json]...
//                             [--per-process ROWS.jsonl GBENCH.json [ROWS.jsonl GBENCH.json]...]
//     Each pair of files before --per-process is one round: benchgate's trials (one process
//     each) and Google Benchmark's repetitions (one process). The CV is computed within each
//     round; the table shows its median and range over the rounds (goal: benchgate's no worse
//     than Google Benchmark's) and, from the files after --per-process (the accuracy part's),
//     Google Benchmark's CV over separate processes.
// --goals FILE writes one tab-separated line per workload, for the script's summary and text:
//   accuracy:  workload  difference  pass|miss  benchgate CV  Google Benchmark CV
//   precision: workload  benchgate CV  Google Benchmark CV  pass|miss  Google Benchmark CV over
//              processes (or "-")
// CV: sample standard deviation over the mean. Exit 0, 1 on bad input, 2 on bad usage.
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "benchgate/core/format.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/stats.hpp"
#include "workloads.hpp"

namespace {

// Per-call nanoseconds by workload name.
using Samples = std::map<std::string, std::vector<double>>;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr const char* kUsage =
    "usage: accuracy_report accuracy [--goals FILE] ROWS.jsonl GBENCH.json [ROWS.jsonl "
    "GBENCH.json]...\n"
    "       accuracy_report precision [--goals FILE] ROWS.jsonl GBENCH.json [ROWS.jsonl "
    "GBENCH.json]...\n"
    "                                 [--per-process ROWS.jsonl GBENCH.json [ROWS.jsonl "
    "GBENCH.json]...]\n";

double cv(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1)) / mean;
}

std::string percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f%%", f * 100);
  return buf;
}

std::string plain_percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", f * 100);
  return buf;
}

const char* verdict(bool pass) {
  return pass ? "pass" : "miss";
}

// The ok rows of one benchgate-runner run.
Samples read_benchgate(const std::string& path) {
  Samples out;
  try {
    for (const auto& row : benchgate::read_rows(path)) {
      if (row.status == benchgate::RowStatus::ok && row.per_call_nanos) {
        out[row.function].push_back(*row.per_call_nanos);
      }
    }
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
  return out;
}

// The iterations (not the aggregates, not the failed runs) of one Google Benchmark JSON output.
Samples read_gbench(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Failure(path + ": cannot read the file");
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("benchmarks") ||
      !doc["benchmarks"].IsArray()) {
    throw Failure(path + ": not Google Benchmark's JSON output (--benchmark_format=json)");
  }
  Samples out;
  std::size_t index = 0;
  for (const auto& b : doc["benchmarks"].GetArray()) {
    const std::string where = path + ": benchmarks[" + std::to_string(index++) + "]";
    if (!b.IsObject()) throw Failure(where + " is not an object");
    const auto string_member = [&](const char* key) {
      if (!b.HasMember(key) || !b[key].IsString()) {
        throw Failure(where + " has no string \"" + key + "\"");
      }
      return std::string(b[key].GetString());
    };
    if (b.HasMember("run_type") && string_member("run_type") != "iteration") continue;
    if (b.HasMember("error_occurred") && b["error_occurred"].IsBool() &&
        b["error_occurred"].GetBool()) {
      continue;
    }
    const std::string name = string_member("run_name");
    const std::string unit = string_member("time_unit");
    if (!b.HasMember("real_time") || !b["real_time"].IsNumber()) {
      throw Failure(where + " has no number \"real_time\"");
    }
    double scale = 0;
    if (unit == "ns") scale = 1;
    if (unit == "us") scale = 1e3;
    if (unit == "ms") scale = 1e6;
    if (unit == "s") scale = 1e9;
    if (scale == 0) throw Failure(where + " has an unknown time_unit \"" + unit + "\"");
    out[name].push_back(b["real_time"].GetDouble() * scale);
  }
  return out;
}

void append(Samples& into, const Samples& from) {
  for (const auto& [name, values] : from) {
    auto& v = into[name];
    v.insert(v.end(), values.begin(), values.end());
  }
}

const std::vector<double>& samples_of(const Samples& s, const std::string& name,
                                      const std::string& what) {
  static const std::vector<double> none;
  const auto it = s.find(name);
  const auto& v = it == s.end() ? none : it->second;
  if (v.size() < 2) {
    throw Failure("too few samples of " + name + " " + what + ": " + std::to_string(v.size()) +
                  " (at least 2 needed)");
  }
  return v;
}

// Pairs of files: ROWS GBENCH ROWS GBENCH ...
struct Pair {
  Samples ours, theirs;
};

std::vector<Pair> read_pairs(const std::vector<std::string>& files) {
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i + 1 < files.size(); i += 2) {
    pairs.push_back({read_benchgate(files[i]), read_gbench(files[i + 1])});
  }
  return pairs;
}

// Prints the table and writes the goals file, once everything is computed: no half table on an
// error.
int finish(const std::ostringstream& table, const std::ostringstream& goals,
           const std::string& goals_path) {
  if (!goals_path.empty()) {
    std::ofstream out(goals_path);
    out << goals.str();
    if (!out.flush()) throw Failure(goals_path + ": cannot write the goals file");
  }
  std::cout << table.str();
  return 0;
}

int accuracy(const std::vector<Pair>& pairs, const std::string& goals_path) {
  Samples ours, theirs;
  for (const auto& p : pairs) {
    append(ours, p.ours);
    append(theirs, p.theirs);
  }
  std::ostringstream table, goals;
  table << "| workload | benchgate median | Google Benchmark median | difference | goal ±3% "
           "| benchgate CV, one process per sample | Google Benchmark CV, one process per "
           "sample |\n"
           "|---|---|---|---|---|---|---|\n";
  for (const char* name : benchgate_perf::kNames) {
    const auto& a = samples_of(ours, name, "measured by benchgate");
    const auto& b = samples_of(theirs, name, "measured by Google Benchmark");
    const double ma = benchgate::median(a), mb = benchgate::median(b);
    const double diff = ma / mb - 1;
    const bool pass = std::fabs(diff) <= 0.03;
    table << "| " << name << " | " << benchgate::format_duration(ma) << " (" << a.size()
          << " processes) | " << benchgate::format_duration(mb) << " (" << b.size()
          << " processes) | " << percent(diff) << " | **" << verdict(pass) << "** | "
          << plain_percent(cv(a)) << " | " << plain_percent(cv(b)) << " |\n";
    goals << name << '\t' << percent(diff) << '\t' << verdict(pass) << '\t' << plain_percent(cv(a))
          << '\t' << plain_percent(cv(b)) << '\n';
  }
  return finish(table, goals, goals_path);
}

struct RoundCvs {
  std::vector<double> values;
  std::size_t min_samples = 0, max_samples = 0;
  void add(const std::vector<double>& samples) {
    values.push_back(cv(samples));
    min_samples = values.size() == 1 ? samples.size() : std::min(min_samples, samples.size());
    max_samples = std::max(max_samples, samples.size());
  }
  // "4.35% (3.90–5.10%; 3 rounds of 10 trials)".
  std::string describe(const char* unit) const {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    std::string s = plain_percent(benchgate::median(values)) + " (";
    if (values.size() > 1) s += plain_percent(*lo) + "–" + plain_percent(*hi) + "; ";
    s += std::to_string(values.size()) + (values.size() == 1 ? " round of " : " rounds of ");
    s += std::to_string(min_samples);
    if (max_samples != min_samples) s += "-" + std::to_string(max_samples);
    return s + " " + unit + ")";
  }
};

int precision(const std::vector<Pair>& rounds, const std::vector<Pair>& per_process,
              const std::string& goals_path) {
  Samples processes;
  for (const auto& p : per_process) append(processes, p.theirs);
  std::ostringstream table, goals;
  table << "| workload | benchgate CV over its trials: median (range; rounds) | Google "
           "Benchmark CV over its repetitions: median (range; rounds) | goal: benchgate's "
           "no worse";
  if (!per_process.empty()) table << " | Google Benchmark CV, one process per sample";
  table << " |\n|---|---|---|---|" << (per_process.empty() ? "" : "---|") << "\n";
  for (const char* name : benchgate_perf::kNames) {
    RoundCvs a, b;
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      const std::string round = "in round " + std::to_string(r + 1);
      a.add(samples_of(rounds[r].ours, name, "measured by benchgate " + round));
      b.add(samples_of(rounds[r].theirs, name, "measured by Google Benchmark " + round));
    }
    const double ma = benchgate::median(a.values), mb = benchgate::median(b.values);
    const bool pass = ma <= mb;
    table << "| " << name << " | " << a.describe("trials") << " | " << b.describe("repetitions")
          << " | **" << verdict(pass) << "** |";
    std::string across = "-";
    if (!per_process.empty()) {
      const auto& p = samples_of(processes, name, "measured by Google Benchmark per process");
      across = plain_percent(cv(p));
      table << " " << across << " (" << p.size() << " processes) |";
    }
    table << "\n";
    goals << name << '\t' << plain_percent(ma) << '\t' << plain_percent(mb) << '\t' << verdict(pass)
          << '\t' << across << '\n';
  }
  return finish(table, goals, goals_path);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || (args[0] != "accuracy" && args[0] != "precision")) {
    std::cerr << kUsage;
    return 2;
  }
  const bool is_accuracy = args[0] == "accuracy";
  std::string goals;
  std::vector<std::string> files, per_process;
  bool after_per_process = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--goals" && i + 1 < args.size()) {
      goals = args[++i];
    } else if (args[i] == "--per-process" && !is_accuracy && !after_per_process) {
      after_per_process = true;
    } else if (args[i].rfind("--", 0) == 0) {
      std::cerr << "accuracy_report: error: unknown or incomplete option '" << args[i] << "'\n"
                << kUsage;
      return 2;
    } else {
      (after_per_process ? per_process : files).push_back(args[i]);
    }
  }
  if (files.empty() || files.size() % 2 != 0 || per_process.size() % 2 != 0 ||
      (after_per_process && per_process.empty())) {
    std::cerr << "accuracy_report: error: the files come in pairs, ROWS.jsonl then GBENCH.json\n"
              << kUsage;
    return 2;
  }
  try {
    if (is_accuracy) return accuracy(read_pairs(files), goals);
    return precision(read_pairs(files), read_pairs(per_process), goals);
  } catch (const Failure& e) {
    std::cerr << "accuracy_report: error: " << e.what() << "\n";
    return 1;
  }
}
