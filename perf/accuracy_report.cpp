// Reads what scripts/perf-accuracy measured (benchgate rows and Google Benchmark's JSON, one pair
// of files per round) and prints the accuracy and precision tables of docs/performance.md.
// Usage: accuracy_report ROWS.jsonl GBENCH.json [ROWS.jsonl GBENCH.json]...
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "benchgate/core/format.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/stats.hpp"
#include "workloads.hpp"

namespace {

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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc % 2 == 0) {
    std::cerr << "usage: accuracy_report ROWS.jsonl GBENCH.json [ROWS.jsonl GBENCH.json]...\n";
    return 2;
  }
  std::map<std::string, std::vector<double>> ours, theirs;
  for (int i = 1; i < argc; i += 2) {
    for (const auto& row : benchgate::read_rows(argv[i])) {
      if (row.status == benchgate::RowStatus::ok && row.per_call_nanos) {
        ours[row.function].push_back(*row.per_call_nanos);
      }
    }
    std::ifstream in(argv[i + 1]);
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("benchmarks")) {
      std::cerr << "accuracy_report: " << argv[i + 1] << " is not Google Benchmark's JSON\n";
      return 1;
    }
    for (const auto& b : doc["benchmarks"].GetArray()) {
      if (std::string(b["run_type"].GetString()) != "iteration") continue;
      const std::string unit = b["time_unit"].GetString();
      const double scale = unit == "ns" ? 1 : unit == "us" ? 1e3 : unit == "ms" ? 1e6 : 1e9;
      theirs[b["run_name"].GetString()].push_back(b["real_time"].GetDouble() * scale);
    }
  }
  std::cout << "| workload | benchgate median | Google Benchmark median | difference | goal ±3% "
               "| benchgate CV | Google Benchmark CV | goal: CV no worse |\n"
               "|---|---|---|---|---|---|---|---|\n";
  for (const char* name : benchgate_perf::kNames) {
    const auto& a = ours[name];
    const auto& b = theirs[name];
    if (a.size() < 2 || b.size() < 2) {
      std::cerr << "accuracy_report: too few samples of " << name << " (" << a.size() << ", "
                << b.size() << ")\n";
      return 1;
    }
    const double ma = benchgate::median(a), mb = benchgate::median(b);
    const double diff = ma / mb - 1;
    const double ca = cv(a), cb = cv(b);
    std::cout << "| " << name << " | " << benchgate::format_duration(ma) << " (" << a.size()
              << " trials) | " << benchgate::format_duration(mb) << " (" << b.size()
              << " repetitions) | " << percent(diff) << " | "
              << (std::fabs(diff) <= 0.03 ? "**pass**" : "**miss**") << " | " << plain_percent(ca)
              << " | " << plain_percent(cb) << " | " << (ca <= cb ? "**pass**" : "**miss**")
              << " |\n";
  }
  return 0;
}
