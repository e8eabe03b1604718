// `./my_bench` run by a person: find benchgate-runner and become
// `benchgate-runner run ./my_bench [flags]`, so that the executable measures itself and prints
// the report, as a Google Benchmark executable does.
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/env.hpp"
#include "modes.hpp"
#include "registry.hpp"

namespace benchgate::detail {
namespace {

constexpr const char* kRunnerName = "benchgate-runner";

bool executable_file(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

// This executable's path as the runner should start it: argv[0] when it names a path (what the
// person typed, so the suite name is the one they see), else the kernel's.
std::string self_path(const std::string& argv0) {
  if (argv0.find('/') != std::string::npos) return argv0;
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, static_cast<std::size_t>(n));
  return argv0;
}

}  // namespace

RunnerSearch find_runner(const std::string& argv0) {
  RunnerSearch s;
  auto consider = [&](const std::string& path) {
    if (path.empty() || s.found) return;
    s.looked_in.push_back(path);
    if (executable_file(path)) s.found = path;
  };
  // An explicit choice wins, and is not second-guessed: a wrong one is an error, not a fallback.
  if (const char* env = std::getenv("BENCHGATE_RUNNER"); env && *env) {
    s.from_env = true;
    consider(env);
    return s;
  }
  // Where add_benchmark() said the runner is (the build tree's, or the installed one it found).
  consider(registry().runner_hint);
  // Beside this executable, then the bin/ beside its lib/ or build folder (a relocated install).
  const std::string dir = dir_of(self_path(argv0));
  consider(dir + "/" + kRunnerName);
  consider(dir + "/../bin/" + kRunnerName);
#if defined(BENCHGATE_RUNNER_BUILD_PATH)
  consider(BENCHGATE_RUNNER_BUILD_PATH);  // the runner built beside this harness library
#endif
#if defined(BENCHGATE_RUNNER_INSTALL_PATH)
  consider(BENCHGATE_RUNNER_INSTALL_PATH);  // where `cmake --install` puts it
#endif
  if (const char* path = std::getenv("PATH"); path && !s.found) {
    std::string dirs = path;
    std::size_t start = 0;
    while (start <= dirs.size() && !s.found) {
      const std::size_t end = std::min(dirs.find(':', start), dirs.size());
      const std::string d = dirs.substr(start, end - start);
      if (!d.empty() && executable_file(d + "/" + kRunnerName)) s.found = d + "/" + kRunnerName;
      start = end + 1;
    }
    if (!s.found) s.looked_in.push_back("PATH");
  }
  return s;
}

int launch_runner(const std::vector<std::string>& args) {
  const std::string prog = base_name(args[0]);
  const RunnerSearch s = find_runner(args[0]);
  if (!s.found) {
    std::cerr << prog << ": error: cannot find " << kRunnerName
              << ", which measures this executable's benchmarks. Looked in: ";
    for (std::size_t i = 0; i < s.looked_in.size(); ++i) {
      std::cerr << (i ? ", " : "") << s.looked_in[i];
    }
    std::cerr << ".\n"
              << (s.from_env ? "BENCHGATE_RUNNER does not name an executable file; point it at "
                               "benchgate-runner, or unset it.\n"
                             : "Build or install benchgate (cmake --install), put its bin/ on "
                               "PATH, or set BENCHGATE_RUNNER=/path/to/benchgate-runner.\n");
    return 2;
  }
  std::vector<std::string> argv{*s.found, "run", self_path(args[0])};
  argv.insert(argv.end(), args.begin() + 1, args.end());
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  // Replaced, not spawned: the runner is then the process the shell or CTest watches, with its
  // signals, output and exit code, and there is no child of ours to look after.
  ::execv(c_argv[0], c_argv.data());
  std::cerr << prog << ": error: cannot start " << *s.found << ": " << std::strerror(errno) << "\n";
  return 2;
}

void print_user_help(const std::string& exe) {
  const std::string prog = base_name(exe);
  const RunnerSearch s = find_runner(exe);
  std::cout
      << "usage: " << prog
      << " [--filter TEXT] [--bench NAME]... [--tag T]... [--out FILE] [flags]\n"
      << "Measures this executable's benchmarks and prints the report: the same as\n"
      << "`benchgate-runner run " << prog << " [flags]`. No rows file unless --out is given.\n"
      << "  --filter TEXT        run the benchmarks whose name contains TEXT\n"
      << "  --bench NAME         run only this benchmark (repeatable)\n"
      << "  --tag T              run the benchmarks that carry tag T (repeatable)\n"
      << "  --out FILE           also write the rows to FILE (JSONL)\n"
      << "  --outer-trials N, --param-ceiling N, --max-seconds-per-call S, --ladder-seconds S,\n"
      << "  --total-seconds S, ...: any flag of `benchgate-runner run --help`\n"
      << "  --quiet              no progress on stderr; --progress: a line per batch\n"
      << "  --list               list the registered benchmarks\n"
      << "  -h, --help           this text\n"
      << "benchgate-runner: "
      << (s.found ? *s.found : "not found (set BENCHGATE_RUNNER=/path/to/benchgate-runner)")
      << "\n\n";
  print_usage();
}

}  // namespace benchgate::detail
