// The runner's per-batch overhead against the cheapest possible spawn (issue #2).
//
// In one process, interleaved round by round so both sides see the same machine noise:
//   runner  the runner's real per-batch path for the fixed "noop" benchmark of noop_bench:
//           child_request -> to_argv -> PosixExecutor::run -> classify, until the Row is in hand
//           (it must be ok)
//   bare    posix_spawn + waitpid of the same executable with --benchgate-probe, stdio inherited
// Optionally (--breakdown) two more variants split the difference into its two halves:
//   runner_probe  PosixExecutor::run of `noop_bench --benchgate-probe`: the runner's spawn
//                 machinery (pipes, process group, poll loop, pidfd, wait4), a child doing nothing
//   bare_child    posix_spawn + waitpid of the full child argv (fd 3 -> /dev/null): the child's
//                 own protocol work (argument parsing, env JSON, /proc read, row JSON) without
//                 the runner's machinery
//
// A measurement tool, not a test: it asserts nothing about timings. It exits 1 if a child
// failed (the numbers would be meaningless), 2 on a usage error.
//
//   spawn_overhead [--exe PATH] [--rounds N] [--warmup N] [--breakdown] [--format text|kv]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "benchgate/core/env.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/process/posix.hpp"
#include "classify.hpp"
#include "run.hpp"

extern char** environ;

namespace {

std::int64_t now_nanos() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

[[noreturn]] void fail(const std::string& message, int code = 1) {
  std::cerr << "spawn_overhead: error: " << message << "\n";
  std::exit(code);
}

struct Options {
  std::string exe;
  long rounds = 300;
  long warmup = 10;
  bool breakdown = false;
  std::string format = "text";
};

long parse_count(const std::string& flag, const char* text, long min) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min) {
    fail("flag " + flag + " needs an integer >= " + std::to_string(min) + "; got '" + text + "'",
         2);
  }
  return v;
}

// noop_bench next to this executable (both are built into the same folder).
std::string default_exe() {
  std::vector<char> buf(4096);
  const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "noop_bench";
  std::string self(buf.data(), static_cast<std::size_t>(n));
  return self.substr(0, self.find_last_of('/') + 1) + "noop_bench";
}

Options parse_options(int argc, char** argv) {
  Options o;
  o.exe = default_exe();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) fail("flag " + flag + " needs a value", 2);
      return argv[++i];
    };
    if (flag == "--exe")
      o.exe = value();
    else if (flag == "--rounds")
      o.rounds = parse_count(flag, value(), 1);
    else if (flag == "--warmup")
      o.warmup = parse_count(flag, value(), 0);
    else if (flag == "--breakdown")
      o.breakdown = true;
    else if (flag == "--format") {
      o.format = value();
      if (o.format != "text" && o.format != "kv")
        fail("--format must be text or kv; got '" + o.format + "'", 2);
    } else if (flag == "--help" || flag == "-h") {
      std::cout << "usage: spawn_overhead [--exe PATH] [--rounds N (300)] [--warmup N (10)]\n"
                   "                      [--breakdown] [--format text|kv]\n";
      std::exit(0);
    } else {
      fail("unknown flag '" + flag + "' (run with --help)", 2);
    }
  }
  if (o.exe.find('/') == std::string::npos) o.exe = "./" + o.exe;  // no PATH search anywhere
  if (access(o.exe.c_str(), X_OK) != 0) {
    fail("cannot execute '" + o.exe + "': " + std::strerror(errno) +
             ". Build the perf targets (cmake --build --preset release) or pass --exe",
         2);
  }
  return o;
}

// The fixed "noop" benchmark as the runner sees it: from `exe --benchgate-list`.
benchgate::BenchmarkInfo find_noop(benchgate::Executor& ex, const std::string& exe) {
  benchgate::SpawnRequest req;
  req.argv = {exe, "--benchgate-list"};
  req.tail_bytes = 1 << 20;
  const benchgate::SpawnResult r = ex.run(req);
  if (!r.started || !r.exited || r.exit_code != 0) {
    fail("'" + exe + " --benchgate-list' failed: " + r.start_error + r.stderr_tail);
  }
  auto parsed = benchgate::parse_list_doc(r.stdout_tail);
  if (auto* err = std::get_if<benchgate::JsonError>(&parsed)) {
    fail("cannot parse the list document of '" + exe + "': " + err->message);
  }
  for (const auto& b : std::get<benchgate::ListDocument>(parsed).benchmarks) {
    if (b.name == "noop" && b.kind == benchgate::RowKind::fixed) return b;
  }
  fail("'" + exe + "' registers no fixed benchmark named 'noop'");
}

// posix_spawn + waitpid, nothing else. `result_fd_null` opens /dev/null on fd 3 for the child
// argv (which checks that --result-fd is open). Returns the exit status or fails.
void bare_spawn(const std::vector<std::string>& args, bool result_fd_null) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_t* actions_ptr = nullptr;
  if (result_fd_null) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, benchgate::kResultFdInChild, "/dev/null", O_WRONLY,
                                     0);
    actions_ptr = &actions;
  }
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], actions_ptr, nullptr, argv.data(), environ);
  if (actions_ptr) posix_spawn_file_actions_destroy(actions_ptr);
  if (rc != 0) fail("posix_spawn '" + args[0] + "': " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail(std::string("waitpid: ") + std::strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fail("'" + args[0] + " " + args[1] + "' did not exit 0 (wait status " + std::to_string(status) +
         ")");
  }
}

struct Stats {
  double median_us = 0, p10_us = 0, p90_us = 0, mean_us = 0, min_us = 0;
};

// Linear interpolation between closest ranks (the usual "type 7" quantile).
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

Stats summarize(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  Stats s;
  s.median_us = quantile(us, 0.5);
  s.p10_us = quantile(us, 0.1);
  s.p90_us = quantile(us, 0.9);
  s.min_us = us.front();
  double sum = 0;
  for (double v : us) sum += v;
  s.mean_us = sum / static_cast<double>(us.size());
  return s;
}

struct Variant {
  std::string key;
  std::string what;
  std::function<void()> once;  // one spawn; fails the process if the child failed
  std::vector<double> samples_us;
};

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_options(argc, argv);
  const benchgate::ProcessGuard guard;
  benchgate::PosixExecutor executor(guard);
  const benchgate::BenchmarkInfo info = find_noop(executor, opt.exe);
  // As run_benchmarks does: the env is captured once and forwarded to every child as JSON.
  const std::string env_json = benchgate::write_env(benchgate::capture_env(opt.exe));

  // The runner's batch, as run_benchmarks builds it for a fixed benchmark.
  auto runner_batch = [&] {
    benchgate::RowRequest req;
    req.kind = info.kind;
    req.function = info.name;
    req.repeat_index = 0;
    req.cap_seconds = info.fixed_config.max_seconds_per_call;
    benchgate::SpawnRequest spawn;
    spawn.argv = benchgate::to_argv(opt.exe, benchgate::child_request(info, 0, env_json));
    spawn.term_after = std::chrono::nanoseconds(
        static_cast<std::int64_t>(std::llround(info.fixed_config.max_seconds_per_call * 1e9)));
    spawn.kill_after =
        spawn.term_after + std::chrono::milliseconds(info.fixed_config.kill_grace_ms);
    const benchgate::SpawnResult result = executor.run(spawn);
    const benchgate::Row row = benchgate::classify(req, result);
    if (row.status != benchgate::RowStatus::ok || row.function != "noop") {
      fail("the runner's batch of 'noop' did not give an ok row: status " +
           std::string(benchgate::to_string(row.status)) + ", error '" + row.error.value_or("") +
           "'");
    }
  };

  std::vector<Variant> variants;
  variants.push_back({"runner", "runner per-batch path (spawn to row parsed)", runner_batch, {}});
  variants.push_back({"bare",
                      "bare posix_spawn + waitpid of --benchgate-probe",
                      [&] {
                        bare_spawn({opt.exe, "--benchgate-probe"}, false);
                      },
                      {}});
  if (opt.breakdown) {
    variants.push_back({"runner_probe",
                        "PosixExecutor::run of --benchgate-probe",
                        [&] {
                          benchgate::SpawnRequest spawn;
                          spawn.argv = {opt.exe, "--benchgate-probe"};
                          const auto r = executor.run(spawn);
                          if (!r.started || !r.exited || r.exit_code != 0)
                            fail("probe via PosixExecutor failed");
                        },
                        {}});
    const auto child_args =
        benchgate::to_argv(opt.exe, benchgate::child_request(info, 0, env_json));
    variants.push_back({"bare_child",
                        "bare posix_spawn + waitpid of the child argv",
                        [&, child_args] { bare_spawn(child_args, true); },
                        {}});
  }

  for (long round = 0; round < opt.warmup + opt.rounds; ++round) {
    for (auto& v : variants) {
      const std::int64_t start = now_nanos();
      v.once();
      const std::int64_t stop = now_nanos();
      if (round >= opt.warmup) v.samples_us.push_back(static_cast<double>(stop - start) / 1000.0);
    }
  }

  const Stats runner = summarize(variants[0].samples_us);
  const Stats bare = summarize(variants[1].samples_us);
  const double ratio = runner.median_us / bare.median_us;

  if (opt.format == "kv") {
    // One "key value" per line, for scripts/perf-report.
    std::printf("rounds %ld\nwarmup %ld\n", opt.rounds, opt.warmup);
    for (const auto& v : variants) {
      const Stats s = summarize(v.samples_us);
      std::printf(
          "%s_median_us %.1f\n%s_p10_us %.1f\n%s_p90_us %.1f\n%s_mean_us %.1f\n%s_min_us %.1f\n",
          v.key.c_str(), s.median_us, v.key.c_str(), s.p10_us, v.key.c_str(), s.p90_us,
          v.key.c_str(), s.mean_us, v.key.c_str(), s.min_us);
    }
    std::printf("ratio %.3f\n", ratio);
  } else {
    std::printf("%ld interleaved rounds after %ld warmup rounds; microseconds per spawn\n",
                opt.rounds, opt.warmup);
    std::printf("%-48s %9s %9s %9s\n", "", "median", "p10", "p90");
    for (const auto& v : variants) {
      const Stats s = summarize(v.samples_us);
      std::printf("%-48s %9.1f %9.1f %9.1f\n", v.what.c_str(), s.median_us, s.p10_us, s.p90_us);
    }
    std::printf("ratio of medians (runner / bare): %.2fx (goal <= 1.5x)\n", ratio);
  }
  return 0;
}
