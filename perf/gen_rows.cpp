// Writes a large, realistic JSONL rows file for measuring benchgate-compare (issue #3).
//
// The rows are what benchgate-runner writes for a big project: parametric, warm rows of
// FUNCTIONS benchmark functions spread over SUITES benchmark executables, each measured at
// PARAMS rungs with TRIALS outer trials per rung, in execution order (suite, function, rung
// ascending, trial). Every row carries every key of its kind through benchgate's own writer
// (benchgate::write_row): per_call_nanos, inner_repeats, total_nanos, cpu_nanos, peak_rss_kb,
// result_hash, a full env object (every key filled, as the runner forwards it), suite and
// trial_index. So keys repeat TRIALS times and a file of N rows has N / TRIALS keys.
//
// Deterministic: the same flags give the same bytes. The cost model of each (function, param)
// and the result hashes do not depend on --seed; the per-trial jitter (±JITTER of the per-call
// time, and ±1 % of peak RSS), the env's git_commit and timestamps do. Two files written with
// different seeds are the baseline and the current side of a run with no real regression.
//
// A measurement tool, not a test. Exit 2 on a usage error, 1 if the file cannot be written.
//
//   gen_rows --out FILE [--rows N] [--seed S] [--suites N] [--functions N] [--trials N]
//            [--jitter FRACTION] [--format text|kv]
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "benchgate/core/env.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/core/row_json.hpp"

namespace {

using benchgate::Env;
using benchgate::Row;

[[noreturn]] void fail(const std::string& message, int code = 1) {
  std::cerr << "gen_rows: error: " << message << "\n";
  std::exit(code);
}

struct Options {
  std::string out;
  std::uint64_t rows = 1'000'000;
  std::uint64_t seed = 1;
  std::uint64_t suites = 10;
  std::uint64_t functions = 200;  // in total, spread evenly over the suites
  std::uint64_t trials = 5;
  double jitter = 0.03;
  std::string format = "text";
};

std::uint64_t parse_u64(const std::string& flag, const char* text, std::uint64_t min) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < min) {
    fail("flag " + flag + " needs an integer >= " + std::to_string(min) + "; got '" + text + "'",
         2);
  }
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) fail("flag " + flag + " needs a value", 2);
      return argv[++i];
    };
    if (flag == "--out")
      o.out = value();
    else if (flag == "--rows")
      o.rows = parse_u64(flag, value(), 1);
    else if (flag == "--seed")
      o.seed = parse_u64(flag, value(), 0);
    else if (flag == "--suites")
      o.suites = parse_u64(flag, value(), 1);
    else if (flag == "--functions")
      o.functions = parse_u64(flag, value(), 1);
    else if (flag == "--trials")
      o.trials = parse_u64(flag, value(), 1);
    else if (flag == "--jitter") {
      const char* text = value();
      char* end = nullptr;
      o.jitter = std::strtod(text, &end);
      if (end == text || *end != '\0' || !(o.jitter >= 0 && o.jitter < 0.5)) {
        fail("flag --jitter needs a fraction in [0, 0.5), e.g. 0.03; got '" + std::string(text) +
                 "'",
             2);
      }
    } else if (flag == "--format") {
      o.format = value();
      if (o.format != "text" && o.format != "kv")
        fail("--format must be text or kv; got '" + o.format + "'", 2);
    } else if (flag == "-h" || flag == "--help") {
      std::cout << "usage: gen_rows --out FILE [--rows N] [--seed S] [--suites N] [--functions N]\n"
                   "                [--trials N] [--jitter FRACTION] [--format text|kv]\n";
      std::exit(0);
    } else {
      fail("unknown argument '" + flag + "' (run with --help)", 2);
    }
  }
  if (o.out.empty()) fail("--out FILE is required", 2);
  if (o.suites > o.functions) fail("--suites must not exceed --functions", 2);
  return o;
}

// splitmix64: a tiny, well-mixed, fully specified generator, so output is the same everywhere.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return mix(mix(a) ^ b);
}
std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return mix(mix(a, b) ^ c);
}
// Uniform in [-1, 1).
double signed_unit(std::uint64_t h) {
  return static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
}

std::string pad2(std::uint64_t v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

std::string hex40(std::uint64_t seed) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::uint64_t i = 0; s.size() < 40; ++i) {
    std::uint64_t h = mix(seed, 0xc0ffee, i);
    for (int k = 0; k < 16 && s.size() < 40; ++k, h >>= 4) s.push_back(digits[h & 0xf]);
  }
  return s;
}

// "YYYY-MM-DDTHH:MM:SSZ" from Unix milliseconds, as the runner writes it.
std::string iso_utc(std::int64_t unix_ms) {
  return benchgate::format_iso_utc(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
}

// The env one benchgate-runner run forwards to every child, filled by a RelWithDebInfo child.
Env make_env(const Options& o, const std::string& exe_name) {
  Env e;
  e.compiler = "gcc";
  e.compiler_version = "12.2.0";
  e.build_type = "RelWithDebInfo";
  e.benchgate_version = "0.1.0";
  e.os = "linux";
  e.arch = "x86_64";
  e.cpu_model = "AMD EPYC 7B13 64-Core Processor";
  e.cpu_cores = 2;
  e.hostname = "ci-runner-07.build.example.com";
  e.exe_name = exe_name;
  e.git_commit = hex40(o.seed);
  e.git_dirty = false;
  e.timestamp_unix_ms = 1795836029503 + static_cast<std::int64_t>(o.seed) * 3'600'000;
  e.timestamp_iso = iso_utc(*e.timestamp_unix_ms);
  return e;
}

// Per-call cost model of function f at n, in ns: one of a few complexity classes, scaled.
double base_nanos(std::uint64_t f, std::uint64_t n) {
  const double scale = 2.0 + static_cast<double>(mix(f, 0x5ca1e) % 4000) / 100.0;  // 2..42 ns
  const double x = static_cast<double>(n);
  switch (f % 4) {
    case 0: return 50 + scale * x;                      // O(n)
    case 1: return 50 + scale * x * std::log2(x + 1);   // O(n log n)
    case 2: return 30 + scale * 20 * std::log2(x + 1);  // O(log n)
    default: return 40 + scale * x * x / 64;            // O(n^2), small constant
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::uint64_t functions_per_suite = (o.functions + o.suites - 1) / o.suites;
  const std::uint64_t per_function =
      o.trials * ((o.rows + o.functions * o.trials - 1) / (o.functions * o.trials));
  const std::uint64_t params = per_function / o.trials;

  const std::string tmp = o.out + ".tmp";
  std::FILE* out = std::fopen(tmp.c_str(), "wb");
  if (!out) fail("cannot open '" + tmp + "' for writing: " + std::strerror(errno));
  std::vector<char> buffer(1 << 20);
  std::setvbuf(out, buffer.data(), _IOFBF, buffer.size());

  std::uint64_t written = 0, bytes = 0, keys = 0;
  for (std::uint64_t f = 0; f < o.functions && written < o.rows; ++f) {
    const std::uint64_t s = f / functions_per_suite;
    const std::string suite = "suite" + pad2(s) + "_bench";
    const std::string function = "group" + pad2(s) + ".algorithm_" + pad2(f % functions_per_suite);
    const Env env = make_env(o, suite);
    // Base RSS of the child: runtime + harness + this benchmark's setup.
    const double rss_base = 3600 + static_cast<double>(mix(f, 0x455) % 2000);
    for (std::uint64_t p = 0; p < params && written < o.rows; ++p) {
      const std::uint64_t n = 16 * (p + 1);
      const double model = base_nanos(f, n);
      const std::uint64_t hash = mix(f, n, 0x4a54);  // the same answer on both sides
      ++keys;
      for (std::uint64_t t = 0; t < o.trials && written < o.rows; ++t) {
        const std::uint64_t h = mix(o.seed, f, mix(n, t));
        const double per_call = model * (1.0 + o.jitter * signed_unit(h));
        // Autotuned like the child: a power of two that makes the batch last >= 250 ms.
        std::uint64_t repeats = 1;
        while (per_call * static_cast<double>(repeats) < 250e6) repeats <<= 1;
        Row r;
        r.kind = benchgate::RowKind::parametric;
        r.function = function;
        r.status = benchgate::RowStatus::ok;
        r.param = n;
        r.inner_repeats = repeats;
        r.total_nanos =
            static_cast<std::uint64_t>(std::llround(per_call * static_cast<double>(repeats)));
        r.per_call_nanos = static_cast<double>(r.total_nanos) / static_cast<double>(repeats);
        r.cache_mode = benchgate::CacheMode::warm;
        r.result_hash = hash;
        r.peak_rss_kb = static_cast<std::uint64_t>(std::llround(
            (rss_base + static_cast<double>(n) / 64) * (1.0 + 0.01 * signed_unit(mix(h)))));
        r.cpu_nanos = r.total_nanos - r.total_nanos / 200 + mix(h, 7) % 20000;
        r.env = env;
        r.suite = suite;
        r.trial_index = t;
        std::string line = benchgate::write_row(r);
        line.push_back('\n');
        if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
          std::fclose(out);
          std::remove(tmp.c_str());
          fail("cannot write '" + tmp + "': " + std::strerror(errno));
        }
        bytes += line.size();
        ++written;
      }
    }
  }
  if (std::fclose(out) != 0 || std::rename(tmp.c_str(), o.out.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail("cannot write '" + o.out + "': " + std::strerror(errno));
  }

  if (o.format == "kv") {
    std::cout << "rows " << written << "\nkeys " << keys << "\nbytes " << bytes << "\nsuites "
              << o.suites << "\nfunctions " << o.functions << "\nparams " << params << "\ntrials "
              << o.trials << "\n";
  } else {
    std::cout << "gen_rows: wrote " << written << " rows (" << keys << " keys, " << bytes
              << " bytes) to " << o.out << "\n";
  }
  return 0;
}
