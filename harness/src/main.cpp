// The benchmark executable's main(): list, probe and child modes of the wire protocol.
// Parse -> validate -> run -> write; exit codes: 0 ok, 1 the benchmark failed (an error row was
// written), 2 usage error.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "benchgate/core/env.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/plan.hpp"
#include "benchgate/core/row_json.hpp"
#include "registry.hpp"

#if defined(BENCHGATE_HAVE_CALLGRIND)
#include <valgrind/callgrind.h>
#endif

namespace {

using benchgate::detail::registry;

constexpr const char* kUsage =
    "This is a benchgate benchmark executable. Measure it with:\n"
    "  benchgate-runner run <this executable> [--out rows.jsonl]\n"
    "Protocol modes (used by benchgate-runner):\n"
    "  --benchgate-list       print the registered benchmarks as JSON\n"
    "  --benchgate-probe      start and exit 0 (the runner's spawn floor)\n"
    "  --benchgate-complexity --bench NAME P...\n"
    "                         print 'P C(P)' per param: the declared complexity\n"
    "  --benchgate-child --bench NAME [--param N | --fixed --repeat-index I]\n"
    "      --cache-mode warm|cold --target-nanos T --result-fd FD [--env-json J]\n"
    "      [--measure time|instructions]\n";

struct UsageError {
  std::string message;
};

struct ChildArgs {
  std::string bench;
  std::optional<std::uint64_t> param;
  bool fixed = false;
  std::uint64_t repeat_index = 0;
  benchgate::CacheMode cache_mode = benchgate::CacheMode::warm;
  std::optional<std::uint64_t> target_nanos;
  int result_fd = -1;
  std::optional<std::string> env_json;
  bool instructions = false;  // --measure instructions: the batch is counted by Callgrind
};

std::uint64_t parse_u64(const std::string& flag, const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    throw UsageError{"flag " + flag + " needs a non-negative integer; got '" + text + "'"};
  }
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE) throw UsageError{"flag " + flag + " value '" + text + "' is too large"};
  return v;
}

ChildArgs parse_child_args(const std::vector<std::string>& args) {
  ChildArgs a;
  for (std::size_t i = 2; i < args.size(); ++i) {  // args[1] is --benchgate-child
    const std::string& flag = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError{"flag " + flag + " needs a value"};
      return args[++i];
    };
    if (flag == "--bench")
      a.bench = value();
    else if (flag == "--param")
      a.param = parse_u64(flag, value());
    else if (flag == "--fixed")
      a.fixed = true;
    else if (flag == "--repeat-index")
      a.repeat_index = parse_u64(flag, value());
    else if (flag == "--target-nanos")
      a.target_nanos = parse_u64(flag, value());
    else if (flag == "--env-json")
      a.env_json = value();
    else if (flag == "--result-fd") {
      const auto fd = parse_u64(flag, value());
      if (fd > 65535)
        throw UsageError{"flag --result-fd value " + std::to_string(fd) +
                         " is not a file descriptor"};
      a.result_fd = static_cast<int>(fd);
    } else if (flag == "--measure") {
      const std::string& m = value();
      if (m != "time" && m != "instructions") {
        throw UsageError{"flag --measure must be time or instructions; got '" + m + "'"};
      }
      a.instructions = m == "instructions";
    } else if (flag == "--cache-mode") {
      const std::string& m = value();
      auto mode = benchgate::parse_cache_mode(m);
      if (!mode) throw UsageError{"flag --cache-mode must be warm or cold; got '" + m + "'"};
      a.cache_mode = *mode;
    } else {
      throw UsageError{"unknown flag '" + flag + "' in child mode"};
    }
  }
  if (a.bench.empty()) throw UsageError{"child mode needs --bench NAME"};
  if (a.result_fd < 0) throw UsageError{"child mode needs --result-fd FD"};
  if (fcntl(a.result_fd, F_GETFD) < 0) {
    throw UsageError{"--result-fd " + std::to_string(a.result_fd) +
                     " is not an open file descriptor"};
  }
  if (!a.fixed && !a.param) throw UsageError{"parametric child mode needs --param N"};
  if (!a.target_nanos) throw UsageError{"child mode needs --target-nanos T"};
  return a;
}

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

benchgate::Env child_env(const ChildArgs& a, const std::string& exe) {
  benchgate::Env env;
  bool have = false;
  if (a.env_json) {
    auto parsed = benchgate::parse_env(*a.env_json);
    if (auto* e = std::get_if<benchgate::Env>(&parsed)) {
      env = *e;
      have = true;
    }
  }
  if (!have) env = benchgate::capture_env(exe);
  env.exe_name = benchgate::base_name(exe);
  const auto& build = registry().build;
  env.compiler = non_empty(build.compiler);
  env.compiler_version = non_empty(build.compiler_version);
  env.build_type = non_empty(build.build_type);
  return env;
}

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::cerr << "benchgate: error: cannot write the row to --result-fd " << fd << ": "
                << std::strerror(errno) << "\n";
      std::exit(1);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// The `instructions` measure: the child runs under Callgrind with instrumentation and collection
// off; this switches instrumentation on for the counted batch (collection itself is switched
// inside measure_start/stop), and refuses to run where the count cannot be taken.
class CallgrindBatch {
 public:
  static void check_available() {
#if !defined(BENCHGATE_HAVE_CALLGRIND)
    throw std::runtime_error(
        "--measure instructions is unavailable: this benchmark executable was built without "
        "<valgrind/callgrind.h>. Install valgrind (Debian: apt-get install valgrind), then "
        "reconfigure and rebuild");
#else
    if (!RUNNING_ON_VALGRIND) {
      throw std::runtime_error(
          "--measure instructions: not running under Valgrind's Callgrind; benchgate-runner "
          "starts the child under valgrind --tool=callgrind");
    }
#endif
  }
  CallgrindBatch() {
#if defined(BENCHGATE_HAVE_CALLGRIND)
    CALLGRIND_START_INSTRUMENTATION;
#endif
    benchgate::detail::set_callgrind_collect(true);
  }
  ~CallgrindBatch() {
    benchgate::detail::set_callgrind_collect(false);
#if defined(BENCHGATE_HAVE_CALLGRIND)
    CALLGRIND_STOP_INSTRUMENTATION;
#endif
  }
  CallgrindBatch(const CallgrindBatch&) = delete;
  CallgrindBatch& operator=(const CallgrindBatch&) = delete;
};

// Runs one batch (with autotune) and returns the row; throws what the benchmark throws. Under
// --measure instructions there is no autotune: the count needs no long batch to be stable, and a
// fixed inner-repeat count keeps it identical from run to run. A warm batch is one call after
// one uncounted warm-up call, a cold one a single call in a fresh process, a fixed one a single
// call (the runner's separate warm-up child still runs first when declared).
benchgate::Row run_child(const ChildArgs& a) {
  using namespace benchgate;
  auto& reg = registry();
  Row row;
  row.function = a.bench;
  detail::Prepared prepared;
  std::uint64_t count = 0;
  detail::Measure last;
  auto time_batch = [&](std::uint64_t n) {
    prepared.run_batch(n, last);
    return last.wall_nanos;
  };
  if (a.instructions) CallgrindBatch::check_available();
  auto counted_batch = [&] {
    CallgrindBatch counted;
    time_batch(1);
    return std::uint64_t{1};
  };
  if (!a.fixed) {
    row.kind = RowKind::parametric;
    row.param = a.param;
    row.cache_mode = a.cache_mode;
    row.inner_repeats = 0;
    auto it = std::find_if(reg.parametric.begin(), reg.parametric.end(),
                           [&](const auto& e) { return e.name == a.bench; });
    if (it == reg.parametric.end())
      throw std::invalid_argument("unregistered benchmark: " + a.bench);
    prepared = it->prepare(*a.param);
    if (a.instructions) {
      if (a.cache_mode == CacheMode::warm) time_batch(1);  // warm-up, not counted
      count = counted_batch();
    } else if (a.cache_mode == CacheMode::warm) {
      count = autotune_warm(*a.target_nanos, time_batch).count;
    } else {
      count = 1;  // cold: one call in a fresh process, no warmup
      time_batch(1);
    }
  } else {
    row.kind = RowKind::fixed;
    row.repeat_index = a.repeat_index;
    auto it = std::find_if(reg.fixed.begin(), reg.fixed.end(),
                           [&](const auto& e) { return e.name == a.bench; });
    if (it == reg.fixed.end())
      throw std::invalid_argument("unregistered fixed benchmark: " + a.bench);
    prepared = it->prepare();
    count = a.instructions ? counted_batch() : autotune_fixed(*a.target_nanos, time_batch).count;
  }
  // autotune returns the count of the batch it ran last, so `last` holds that batch.
  row.inner_repeats = count;
  row.total_nanos = last.wall_nanos;
  row.per_call_nanos = static_cast<double>(last.wall_nanos) / static_cast<double>(count);
  row.cpu_nanos = last.cpu_nanos;
  row.peak_rss_kb = last.peak_rss_kb;
  if (row.peak_rss_kb) row.peak_rss_includes_setup = last.peak_rss_includes_setup;
  row.rss_baseline_kb = last.rss_baseline_kb;
  row.alloc_bytes = last.alloc_bytes;
  row.alloc_count = last.alloc_count;
  // Under Callgrind the runner reads the count from Callgrind's output once the child is gone.
  row.measured_under = a.instructions ? MeasuredUnder::callgrind : MeasuredUnder::native;
  if (!a.instructions) {
    row.instructions = last.instructions;
    row.cycles = last.cycles;
  }
  row.result_hash = prepared.last_hash();
  row.status = RowStatus::ok;
  return row;
}

int child_main(const std::vector<std::string>& args) {
  const ChildArgs a = parse_child_args(args);
  benchgate::Row row;
  int code = 0;
  try {
    row = run_child(a);
  } catch (const std::exception& e) {
    row.error = std::string("benchmark threw: ") + e.what();
    code = 1;
  } catch (...) {
    row.error = "benchmark threw a non-std::exception";
    code = 1;
  }
  if (code != 0) {
    row.kind = a.fixed ? benchgate::RowKind::fixed : benchgate::RowKind::parametric;
    row.function = a.bench;
    row.status = benchgate::RowStatus::error;
    row.total_nanos = 0;
    if (a.fixed) {
      row.repeat_index = a.repeat_index;
    } else {
      row.param = a.param;
      row.inner_repeats = 0;
      row.cache_mode = a.cache_mode;
    }
    row.per_call_nanos.reset();
    row.measured_under =
        a.instructions ? benchgate::MeasuredUnder::callgrind : benchgate::MeasuredUnder::native;
  }
  row.env = child_env(a, args[0]);
  write_all(a.result_fd, benchgate::write_row(row) + "\n");
  ::close(a.result_fd);
  return code;
}

// The declared complexity evaluated where the runner needs it (schedule choice, linear sweep,
// verdict): the function is C++ and lives only here. One line per param, "P C", C printed with
// 17 significant digits ("inf" where it overflows a double, "nan" where undefined).
int complexity_main(const std::vector<std::string>& args) {
  if (args.size() < 4 || args[2] != "--bench") {
    throw UsageError{"complexity mode needs --bench NAME followed by params"};
  }
  const auto& reg = registry();
  auto it = std::find_if(reg.parametric.begin(), reg.parametric.end(),
                         [&](const auto& e) { return e.name == args[3]; });
  if (it == reg.parametric.end()) {
    throw UsageError{"--bench '" + args[3] + "' is not a registered parametric benchmark"};
  }
  std::string out;
  for (std::size_t i = 4; i < args.size(); ++i) {
    const std::uint64_t p = parse_u64("param", args[i]);
    char line[64];
    std::snprintf(line, sizeof line, "%llu %.17g\n", static_cast<unsigned long long>(p),
                  it->complexity(static_cast<double>(p)));
    out += line;
  }
  std::cout << out << std::flush;
  return 0;
}

benchgate::ListDocument list_document(const std::string& exe) {
  benchgate::ListDocument doc;
  doc.suite = benchgate::base_name(exe);
  const auto& build = registry().build;
  doc.compiler = non_empty(build.compiler);
  doc.compiler_version = non_empty(build.compiler_version);
  doc.build_type = non_empty(build.build_type);
#if defined(BENCHGATE_HAVE_CALLGRIND)
  doc.callgrind = true;
#endif
  for (const auto& e : registry().parametric) {
    benchgate::BenchmarkInfo info;
    info.name = e.name;
    info.kind = benchgate::RowKind::parametric;
    info.complexity = e.complexity_text;
    info.hashable = e.hashable;
    info.config = e.config;
    doc.benchmarks.push_back(std::move(info));
  }
  for (const auto& e : registry().fixed) {
    benchgate::BenchmarkInfo info;
    info.name = e.name;
    info.kind = benchgate::RowKind::fixed;
    info.hashable = e.hashable;
    info.fixed_config = e.config;
    doc.benchmarks.push_back(std::move(info));
  }
  return doc;
}

void print_human_list(const std::string& exe) {
  std::cout << kUsage << "\nregistered benchmarks:\n";
  const auto doc = list_document(exe);
  if (doc.benchmarks.empty()) std::cout << "  (no benchmarks registered)\n";
  for (const auto& b : doc.benchmarks) {
    std::cout << "  " << b.name;
    if (b.kind == benchgate::RowKind::parametric) {
      std::cout << "    expected complexity: " << b.complexity;
    } else {
      std::cout << "    [fixed] repeats=" << b.fixed_config.repeats;
    }
    if (!b.hashable) std::cout << "  (no hash)";
    std::cout << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  const std::string prog = benchgate::base_name(args.empty() ? "benchmark" : args[0]);
  auto& reg = registry();
  if (!reg.errors.empty()) {
    for (const auto& e : reg.errors) std::cerr << prog << ": error: " << e << "\n";
    std::cerr << prog << ": " << reg.errors.size()
              << " registration error(s); fix them and rebuild.\n";
    return 2;
  }
  try {
    if (args.size() <= 1) {
      print_human_list(args[0]);
      return 0;
    }
    const std::string& mode = args[1];
    if (mode == "--benchgate-probe") return 0;
    if (mode == "--benchgate-list" && args.size() == 2) {
      std::cout << benchgate::write_list_doc(list_document(args[0])) << "\n";
      return 0;
    }
    if (mode == "--benchgate-child") return child_main(args);
    if (mode == "--benchgate-complexity") return complexity_main(args);
    if (mode == "--help" || mode == "-h") {
      std::cout << kUsage;
      return 0;
    }
    throw UsageError{"unknown argument '" + mode + "'"};
  } catch (const UsageError& e) {
    // One line: the runner quotes the end of stderr in its error row.
    std::cerr << prog << ": error: " << e.message << " (run with --help for usage)\n";
    return 2;
  }
}
